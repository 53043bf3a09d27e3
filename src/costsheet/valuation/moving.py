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
from decimal import Decimal

from ..model import LedgerEntry
from ..numbers import ZERO
from .prepare import Book, ChargeLine, Group
from .result import RevaluationAmount
from .written import written_order

__all__ = ["value_moving_average"]

PRICE_DIFFERENCE = "price-difference"


def value_moving_average(group: Group, book: Book) -> Decimal:
    rnd = group.round
    by_number = {e.number: e for e in group.entries}
    quantity = ZERO
    value = ZERO
    average: Decimal | None = None
    latest: dt.date | None = None
    for line in written_order(group):
        if isinstance(line, LedgerEntry):
            qty = line.quantity
            if qty > 0:
                actual = rnd(line.cost) if line.cost is not None else ZERO
                if latest is not None and line.date < latest and average is not None:
                    booked = rnd(average * qty)
                elif quantity < 0 and qty < -quantity:  # still negative afterwards: current average
                    booked = rnd(average * qty) if average is not None else actual
                elif quantity < 0:  # back to zero at what was issued, the rest at its own cost
                    booked = -value + rnd(actual * (qty + quantity) / qty)
                else:
                    booked = actual
                book.add(line.number, booked)
                book.variance(PRICE_DIFFERENCE, line.number, actual - booked)
                value += booked
                quantity += qty
            else:
                issued = -qty
                if issued == quantity:
                    booked = value
                else:
                    booked = rnd(average * issued) if average is not None else ZERO
                book.add(line.number, -booked)
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
                average = line.unit_cost
        if quantity > 0:
            average = value / quantity
    return value
