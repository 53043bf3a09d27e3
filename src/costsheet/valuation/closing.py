"""Finance & Operations' inventory close: issues posted at the running average, settled at each close.

The rules are in docs/valuation.md ("The inventory close models").  Four
methods work this way: ``weighted-average``, ``weighted-average-date``,
``periodic-lifo`` and ``lifo-date``.  Period by period (the average-cost
periods, in date order):

1. the period's lines, in written order, feed the running average
   (:mod:`.running`): every issue is posted at it (``running_cost_amount``);
2. when the period is closed, its settler settles the financially updated
   issues against receipts by the method's rule and each settled issue gets
   the difference as a ``settlement`` adjustment dated at the close (the
   period's last day); then the running average starts again from what the
   close left on hand.

A period is closed when it ends on or before the valuation date (``as_of``),
and every period is closed when there is none; the last ``accounting-period``
period has no end and closes at the valuation date (or the ledger's latest
date).  Until its close, a period's issues show the running average they
were posted at, and the value on hand is what the running average holds.

Physically updated entries (``physical``, and receipts with an expected cost
until their invoice) take no part in the settlements: a physical receipt is
on hand at its own cost, a physical issue at its running average; under the
LIFO models with ``include-physical-value yes`` the close adjusts a physical
issue to the next receipt by the method's order (``physical`` adjustment).
The settler sees the financial view of the group (:func:`financial_view`):
an invoiced receipt is a receipt of its invoiced cost dated at its invoice
(F&O settles by financial date).

Settlers: :class:`PoolSettler` (the weighted averages, through
:class:`~costsheet.valuation.periodic.PeriodicRun`) and
:class:`~costsheet.valuation.lifo_close.ReceiptSettler` (the LIFO models).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Protocol

import attrs

from ..model import LedgerEntry
from ..numbers import ZERO
from .closing_plain import close_date, is_plain_close, value_plain_close
from .columnar_close import value_close_columns
from .periodic import PeriodicRun, split_by_period
from .prepare import Book, ChargeEvent, Group, InvoiceEvent, RevaluationEvent
from .result import SETTLEMENT, RevaluationAmount
from .running import RunningAverage, receipt_value, running_pass
from .written import Line, written_order

__all__ = ["value_closing", "value_general", "financial_view", "Settler", "PoolSettler", "close_date", "pool_settler"]


class Settler(Protocol):
    """What closes the periods of one group."""

    def close(self, period: dt.date, date: dt.date, running: dict[int, Decimal]) -> Decimal:
        """Close the average-cost period starting ``period`` on ``date``: settle its financial
        issues (``running``: what each was posted at), book each difference as an adjustment
        dated ``date``; returns what the close added to the physical issues' values."""

    def on_hand(self) -> tuple[Decimal, Decimal]:
        """The financial (quantity, value) on hand after the last close."""

    def open_revaluation(self, revaluation: RevaluationEvent, changed: Mapping[int, Decimal]) -> Decimal | None:
        """What ``revaluation`` adds to the value on hand before its period's close when it is
        one receipt's (``changed``: what the period's earlier ones added to each receipt), or
        None when it sets the unit cost of everything on hand."""


def value_closing(
    group: Group, book: Book, settler: Callable[[Group, Group, Book], Settler], plain: str | None = None
) -> Decimal:
    """Value ``group`` by an inventory close model; returns the value on hand.

    ``settler(group, financial, book)`` makes the model's settler over the financial view;
    ``plain`` names the flat loop that stands in for it on a plain ledger
    (:mod:`.closing_plain`), which gives up where the general path has more to do; with columns,
    the integer close loop on them is tried first (:mod:`.columnar_close`).
    """
    if plain is not None and is_plain_close(group):
        if group.columns is not None:
            on_hand = value_close_columns(group, book, plain)
            if on_hand is not None:
                return on_hand
            book.clear()
        on_hand = value_plain_close(group, book, plain)
        if on_hand is not None:
            return on_hand
        book.clear()
    return value_general(group, book, settler)


def value_general(group: Group, book: Book, settler: Callable[[Group, Group, Book], Settler]) -> Decimal:
    """:func:`value_closing` for any ledger."""
    rnd = group.round
    by_number = {e.number: e for e in group.entries}
    settle = settler(group, financial_view(group), book)
    close_start = group.close_start or group.period_start
    lines: dict[dt.date, list[Line]] = {}
    for line in written_order(group):
        lines.setdefault(_close_period(line, close_start, by_number), []).append(line)
    state = RunningAverage(rnd, group.include_physical, group.unit_cost)
    running: dict[int, Decimal] = {}  # what each issue was posted at (positive)
    dated: tuple[LedgerEntry | ChargeEvent | RevaluationEvent | InvoiceEvent, ...] = (
        *group.entries,
        *group.charges,
        *group.revaluations,
        *group.invoices,
    )
    latest = max(line.date for line in dated) if group.entries else None
    open_revaluations: list[RevaluationAmount] = []
    changed: dict[int, Decimal] = {}  # what the period's revaluations of one receipt added to it

    def revaluing(line: RevaluationEvent) -> Decimal | None:
        amount = settle.open_revaluation(line, changed)
        if amount is not None and line.entry is not None:
            changed[line.entry] = changed.get(line.entry, ZERO) + amount
        return amount

    def revalued(line: RevaluationEvent, amount: Decimal) -> None:
        if amount:  # one receipt's, or (None) the whole item's
            open_revaluations.append(
                RevaluationAmount(line.date, line.entry if line.entry in changed else None, amount)
            )

    for period in sorted(lines):
        date = close_date(group, period, latest)
        open_revaluations.clear()
        changed.clear()
        running_pass(group, lines[period], state, running, by_number, revalued=revalued, revaluing=revaluing)
        for line in lines[period]:  # posted at the running average; a close settles from there
            if isinstance(line, LedgerEntry) and line.quantity < 0:
                book.cost[line.number] = book.running[line.number] = -running[line.number]
        if date is None:  # the close will revalue; until then the receipt holds what was added to it
            book.revaluations.extend(open_revaluations)
            for number, amount in changed.items():
                book.add(number, amount)
            continue
        physical_change = settle.close(period, date, running)
        quantity, value = settle.on_hand()
        state.reset(quantity, value, state.physical_quantity, state.physical_value - physical_change)
    _book_physical_increases(group, book)
    return state.on_hand()


def _close_period(line: Line, close_start: Callable[[dt.date], dt.date], by_number: dict[int, LedgerEntry]) -> dt.date:
    """The period whose close takes ``line``: that of its date, but a charge dated before its
    receipt's period counts in the receipt's (docs/valuation.md, "Weighted average"), as the
    settlers count it, so that the running average of an open period holds it too."""
    period = close_start(line.date)
    if isinstance(line, ChargeEvent):
        return max(period, close_start(by_number[line.entry].date))
    return period


def _book_physical_increases(group: Group, book: Book) -> None:
    """Each physically updated increase's value: what it was received at, and its charges (the
    settler books the financial ones)."""
    physical = group.physically_updated()
    if not physical:
        return
    cost = book.cost
    rnd = group.round
    charged: dict[int, Decimal] = {}
    for charge in group.charges:
        charged[charge.entry] = charged.get(charge.entry, ZERO) + rnd(charge.amount)
    for entry in group.entries:
        if entry.quantity > 0 and entry.number in physical:
            cost[entry.number] = receipt_value(group, entry) + charged.get(entry.number, ZERO)


def financial_view(group: Group) -> Group:
    """The financially updated part of ``group`` as the close sees it: no physical entries, and
    each invoiced receipt a receipt of its invoiced cost dated at its invoice."""
    physical = group.physically_updated()
    invoiced = {invoice.entry: invoice for invoice in group.invoices}
    entries = []
    for entry in group.entries:
        if entry.number in physical:
            continue
        invoice = invoiced.get(entry.number)
        if invoice is not None:
            entry = attrs.evolve(entry, date=max(entry.date, invoice.date), cost=invoice.cost, expected_cost=None)
        entries.append(entry)
    kept = {e.number for e in entries}
    charges: list[ChargeEvent] = [c for c in group.charges if c.entry in kept]
    return attrs.evolve(
        group,
        entries=tuple(entries),
        charges=tuple(charges),
        invoices=(),
        uninvoiced=frozenset(),
        physical=frozenset(),
        returns=group.returns & kept,
    )


class PoolSettler:
    """The weighted-average closes: each period's (or under weighted average date each day's)
    pool of (value on hand + receipts) / (quantity on hand + receipts), from
    :class:`~costsheet.valuation.periodic.PeriodicRun`."""

    def __init__(self, group: Group, financial: Group, book: Book):
        del group
        self.book = book
        self.periods = split_by_period(financial, book, settle=True)
        self.run = PeriodicRun(financial, book, self.periods, settle=True)
        self.pools = self.periods.in_order()
        self.next = 0
        self.close_start = financial.close_start or financial.period_start

    def close(self, period: dt.date, date: dt.date, running: dict[int, Decimal]) -> Decimal:
        book = self.book
        cost = book.cost
        booked = self.run.booked
        pools = self.pools
        settled: list[LedgerEntry] = []
        while self.next < len(pools) and self.close_start(pools[self.next]) <= period:
            pool = pools[self.next]
            self.run.close_period(pool)
            settled.extend(self.periods.decreases.get(pool, ()))
            self.next += 1
        for entry in settled:  # the pool wrote the settled cost: show the running cost and the difference
            number = entry.number
            first = -running.get(number, ZERO)
            earlier = booked.get(number, ZERO)  # what this close already moved onto it (value left at 0)
            final = cost[number] - earlier
            cost[number] = first + earlier
            book.adjust(entry, SETTLEMENT, final - first, None, date)
        return ZERO

    def on_hand(self) -> tuple[Decimal, Decimal]:
        return self.run.quantity, self.run.value

    def open_revaluation(self, revaluation: RevaluationEvent, changed: Mapping[int, Decimal]) -> Decimal | None:
        """The weighted averages revalue the whole item (``revaluation-per-item-only``)."""
        del revaluation, changed
        return None


def pool_settler(group: Group, financial: Group, book: Book) -> Settler:
    return PoolSettler(group, financial, book)
