"""Entries that are physically but not financially updated, under the perpetual methods.

The rules are in docs/valuation.md ("Physical value").  A ``physical`` entry
takes no part in the method's applications and averages: a physical receipt
is on hand at its own cost (a standard item's at its standard cost), and a
physical issue is posted at F&O's running average (:mod:`.running`; physical
entries count in it with ``include-physical-value yes``).  What the issue is
finally worth:

* marked (``applies-to``): the unit cost of the receipt it names;
* a standard item: the standard cost;
* FIFO and LIFO with ``include-physical-value yes``: the cost of the next
  receipts not used yet in the method's order, financial or physical (F&O's
  FIFO article: "transaction 6a will be adjusted to the receipt transaction
  cost of 2b"), taken one after the other by the physical issues in posting
  order; the financial receipts stay open for the financial issues;
* otherwise its running average.

The difference to the running average is a ``physical`` adjustment dated like
the issue.  The inventory close models treat physical entries themselves
(:mod:`costsheet.valuation.closing`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..model import LedgerEntry
from ..numbers import ZERO
from ..vocabulary import CostingMethod
from .prepare import Book, Group, Rounder
from .result import PHYSICAL
from .running import RunningAverage, receipt_value, running_pass
from .written import written_order

__all__ = ["value_physical", "take_in_order"]


def value_physical(
    group: Group,
    book: Book,
    remaining: Sequence[tuple[LedgerEntry, Decimal, Decimal]] = (),
    newest_first: bool | None = None,
) -> Decimal:
    """Value the physical entries of ``group``; returns their net value on hand.

    ``remaining`` are the financial receipts still on hand after the method ran
    (entry, quantity, value) and ``newest_first`` the method's order (None:
    the method takes no receipts in an order, so physical issues stay at
    their running average).
    """
    physical = group.physical
    if not physical:
        return ZERO
    rnd = group.round
    entries = group.entries
    by_number = {e.number: e for e in entries}
    running: dict[int, Decimal] = {}
    running_pass(
        group, written_order(group), RunningAverage(rnd, group.include_physical, group.unit_cost), running, by_number
    )
    net = ZERO
    shadow: list[Shadow] = [[entry, quantity, value] for entry, quantity, value in remaining if quantity > 0]
    charged: dict[int, Decimal] = {}
    for charge in group.charges:
        if charge.entry in physical:
            charged[charge.entry] = charged.get(charge.entry, ZERO) + rnd(charge.amount)
    for entry in entries:
        if entry.number in physical and entry.quantity > 0:
            value = receipt_value(group, entry) + charged.get(entry.number, ZERO)
            book.cost[entry.number] = value
            net += value
            shadow.append([entry, entry.quantity, value])
    by_order = newest_first is not None and group.include_physical
    if newest_first is not None and by_order:
        shadow.sort(key=lambda taken: (taken[0].date, taken[0].number), reverse=newest_first)
    for entry in entries:
        if entry.number not in physical or entry.quantity > 0:
            continue
        issued = -entry.quantity
        estimate = running[entry.number]
        target = by_number.get(entry.applies_to) if entry.applies_to is not None else None
        source = target.number if target is not None else None
        if target is not None and target.quantity > 0:
            value = rnd(book.cost.get(target.number, ZERO) / target.quantity * issued)
        elif group.method == CostingMethod.STANDARD:
            value = rnd(group.standard_on(entry.date) * issued)
        elif by_order:
            value, source = take_in_order(shadow, issued, rnd, estimate)
        else:
            value = estimate
        book.running[entry.number] = -estimate
        book.cost[entry.number] = -estimate
        book.adjust(entry, PHYSICAL, estimate - value, source)
        net -= value
    return net


#: A receipt a physical issue may take from: [entry, open quantity, open value], changed in place.
Shadow = list[Any]


def take_in_order(shadow: list[Shadow], issued: Decimal, rnd: Rounder, estimate: Decimal) -> tuple[Decimal, int | None]:
    """Take ``issued`` units from ``shadow`` ([entry, quantity, value] in the order to take them),
    consuming it; (their value, the receipt when one gave all).  Units nothing covers keep
    their share of ``estimate``."""
    value = ZERO
    need = issued
    sources: set[int | None] = set()
    while need and shadow:
        receipt = shadow[0]
        entry, quantity, held = receipt
        take = min(need, quantity)
        share = held if take == quantity else rnd(held * take / quantity)
        receipt[1] -= take
        receipt[2] -= share
        if not receipt[1]:
            shadow.pop(0)
        value += share
        need -= take
        sources.add(entry.number)
    if need:
        value += rnd(estimate * need / issued)
        sources.add(None)
    return value, sources.pop() if len(sources) == 1 else None
