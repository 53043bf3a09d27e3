"""Finance & Operations' moving average: decreases at the running average, never re-valued.

The rules are in docs/valuation.md ("Moving average (Finance & Operations)").
In posting order, each decrease takes the running average just before it.
Posted decreases keep their cost: the share of a later item charge that
belongs to quantity already issued is a ``price-difference`` variance, the
rest is capitalised; a back-dated increase is taken at the current average
and its difference is a ``price-difference`` variance too; the part of an
increase that brings a negative quantity back to zero is valued so that the
value returns to zero, its difference again a variance.  A revaluation sets
the unit cost of what is on hand.  An ``applies-from`` increase (a return)
takes its decrease's value as it is, never the current average.  With
``include-physical-value yes`` physically updated entries count like the
others; without, they are valued apart (:mod:`.physical`).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Mapping
from decimal import Decimal

from ..model import LedgerEntry
from ..numbers import ZERO
from .physical import value_physical
from .prepare import Book, ChargeEvent, Group, RevaluationEvent, Rounder
from .result import PRICE_DIFFERENCE, RevaluationAmount, Variance
from .written import written_order

__all__ = ["value_moving_average"]
_NUMBER = operator.attrgetter("number")


def value_moving_average(group: Group, book: Book) -> Decimal:
    """Value ``group`` by moving average; returns the value on hand.  See the module docstring.

    The running average is value / quantity after the last line that left
    quantity > 0 (``held_*``); it is divided out only where a line needs it.
    Entries are valued in the loop (``Book.add`` and ``Book.variance``
    written out); charges and revaluations, rarer, by :func:`_charge` and
    :func:`_revaluation`.
    """
    rnd = group.round
    entries = group.entries
    by_number = dict(zip(map(_NUMBER, entries), entries, strict=True)) if group.charges else {}
    cost = book.cost
    variances = book.variances
    quantity = ZERO
    value = ZERO
    held_value: Decimal | None = None  # set together with held_quantity
    held_quantity: Decimal | None = None
    latest: dt.date | None = None
    apart = group.physical if not group.include_physical else frozenset()
    returns = group.returns
    for line in written_order(group):
        if isinstance(line, LedgerEntry):
            qty = line.quantity
            number = line.number
            if number in apart:
                continue
            if qty > 0:
                if number in returns:
                    actual = group.returned.get(number, ZERO)
                else:
                    actual = rnd(line.cost) if line.cost is not None else ZERO
                if number in returns or (
                    quantity >= 0 and (latest is None or line.date >= latest or held_quantity is None)
                ):
                    booked = actual  # the usual increase: at its own cost
                else:
                    booked = _unusual_increase(line, actual, quantity, value, held_value, held_quantity, latest, rnd)
                cost[number] = cost.get(number, ZERO) + booked
                difference = actual - booked
                if difference:
                    variances.append(Variance(PRICE_DIFFERENCE, number, difference))
                value += booked
                quantity += qty
            else:
                issued = -qty
                if issued == quantity:  # the last units take all that is left
                    booked = value
                else:
                    booked = (
                        rnd(held_value * issued / held_quantity)
                        if held_value is not None and held_quantity is not None
                        else ZERO
                    )
                cost[number] = cost.get(number, ZERO) - booked
                value -= booked
                quantity -= issued
            if latest is None or line.date > latest:
                latest = line.date
        elif isinstance(line, ChargeEvent):
            if line.entry in apart:  # a physical receipt's charge stays with it (value_physical)
                continue
            value += _charge(line, quantity, by_number, book, rnd)
        elif quantity > 0:
            assert isinstance(line, RevaluationEvent), "invoices reach moving average as charges (prepare_groups)"
            value += _revaluation(line, quantity, value, book, rnd)
        if quantity > 0:
            held_value = value
            held_quantity = quantity
    if apart:
        value += value_physical(group, book)
    return value


def _unusual_increase(
    entry: LedgerEntry,
    actual: Decimal,
    quantity: Decimal,
    value: Decimal,
    held_value: Decimal | None,
    held_quantity: Decimal | None,
    latest: dt.date | None,
    rnd: Rounder,
) -> Decimal:
    """What a back-dated increase, or one that meets a negative quantity, is booked at (its
    ``actual`` cost otherwise); the difference is the caller's ``price-difference`` variance."""
    qty = entry.quantity
    if latest is not None and entry.date < latest and held_value is not None and held_quantity is not None:
        return rnd(held_value * qty / held_quantity)  # back-dated: the current average
    if quantity < 0 and qty < -quantity:  # still negative afterwards: the current average
        return rnd(held_value * qty / held_quantity) if held_value is not None and held_quantity is not None else actual
    if quantity < 0:  # back to zero at what was issued, the rest at its own cost
        return -value + rnd(actual * (qty + quantity) / qty)
    return actual


def _charge(
    charge: ChargeEvent, quantity: Decimal, by_number: Mapping[int, LedgerEntry], book: Book, rnd: Rounder
) -> Decimal:
    """The share of ``charge`` for the quantity still on hand (at most the charged entry's) is
    capitalised, the rest is a ``price-difference`` variance; returns what is capitalised."""
    amount = rnd(charge.amount)
    charged = by_number[charge.entry].quantity
    held = min(max(quantity, ZERO), charged)
    capitalised = rnd(amount * held / charged)
    book.add(charge.entry, capitalised)
    book.variance(PRICE_DIFFERENCE, charge.entry, amount - capitalised)
    return capitalised


def _revaluation(revaluation: RevaluationEvent, quantity: Decimal, value: Decimal, book: Book, rnd: Rounder) -> Decimal:
    """Set the unit cost of the ``quantity`` on hand; returns the amount it adds."""
    amount = rnd(revaluation.unit_cost * quantity) - value
    if amount:
        book.revaluations.append(RevaluationAmount(revaluation.date, None, amount))
    return amount
