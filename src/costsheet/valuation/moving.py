"""Finance & Operations' moving average: decreases at the running average, never re-valued.

In posting order, each decrease takes the running average just before it.
Posted decreases keep their cost: the share of a later item charge that
belongs to quantity already issued is a ``price-difference`` variance, the
rest is capitalised; a back-dated increase is taken at the current average
and its difference is a ``price-difference`` variance too; the part of an
increase that brings a negative quantity back to zero is valued so that the
value returns to zero, its difference again a variance.  A revaluation sets
the unit cost of what is on hand.
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal

from ..model import LedgerEntry
from ..numbers import ZERO
from .prepare import Book, ChargeLine, Group
from .result import RevaluationAmount, Variance
from .written import written_order

__all__ = ["value_moving_average"]

PRICE_DIFFERENCE = "price-difference"
_NUMBER = operator.attrgetter("number")


def value_moving_average(group: Group, book: Book) -> Decimal:
    """Value ``group`` by moving average; returns the value on hand.  See the module docstring.

    The running average is value / quantity after the last line that left
    quantity > 0 (``held_*``); it is divided out only where a line needs it.
    ``Book.add`` and ``Book.variance`` are inlined for entries.
    """
    rnd = group.round
    entries = group.entries
    by_number = dict(zip(map(_NUMBER, entries), entries)) if group.charges else {}
    cost = book.cost
    variances = book.variances
    quantity = ZERO
    value = ZERO
    held_value = held_quantity = None
    latest: dt.date | None = None
    for line in written_order(group):
        if isinstance(line, LedgerEntry):
            qty = line.quantity
            number = line.number
            if qty > 0:
                actual = rnd(line.cost) if line.cost is not None else ZERO
                if latest is not None and line.date < latest and held_quantity is not None:
                    booked = rnd(held_value / held_quantity * qty)
                elif quantity < 0 and qty < -quantity:  # still negative afterwards: current average
                    booked = rnd(held_value / held_quantity * qty) if held_quantity is not None else actual
                elif quantity < 0:  # back to zero at what was issued, the rest at its own cost
                    booked = -value + rnd(actual * (qty + quantity) / qty)
                else:
                    booked = actual
                cost[number] = cost.get(number, ZERO) + booked
                difference = actual - booked
                if difference:
                    variances.append(Variance(PRICE_DIFFERENCE, number, difference))
                value += booked
                quantity += qty
            else:
                issued = -qty
                if issued == quantity:
                    booked = value
                else:
                    booked = rnd(held_value / held_quantity * issued) if held_quantity is not None else ZERO
                cost[number] = cost.get(number, ZERO) - booked
                value -= booked
                quantity -= issued
            if latest is None or line.date > latest:
                latest = line.date
        elif isinstance(line, ChargeLine):
            amount = rnd(line.amount)
            charged = by_number[line.entry].quantity
            held = min(max(quantity, ZERO), charged)
            capitalised = rnd(amount * held / charged)
            book.add(line.entry, capitalised)
            book.variance(PRICE_DIFFERENCE, line.entry, amount - capitalised)
            value += capitalised
        else:
            if quantity > 0:
                amount = rnd(line.unit_cost * quantity) - value
                if amount:
                    book.revaluations.append(RevaluationAmount(line.date, None, amount))
                value += amount
        if quantity > 0:
            held_value = value
            held_quantity = quantity
    return value
