"""Periodic averages: Business Central's ``average`` and F&O's ``weighted-average`` close.

Both value every decrease of an average-cost period at

    (value on hand at the period's start + the period's increases)
    / (quantity on hand at the period's start + the period's increase quantity)

leaving out decreases with ``applies-to`` (they take their increase's cost,
or the unit cost of a revaluation between the two, and their quantity and
value leave the pool, as in Business Central's "fixed application with
average cost" example).  A fixed application in a later period than its
increase can leave value with no quantity, as Business Central's own
"quantity-value mismatch" note describes.  Periods are taken in date order, so
a back-dated entry re-values every period it touches.  The rounding residual
is carried from decrease to decrease: each decrease costs
round(average x cumulative quantity) - round(average x previous cumulative
quantity).  Decreases beyond the quantity on hand are valued at
the last known average and stay open; the next period with increases applies
them to those increases at their average cost and books the difference on
the open decreases as an ``application`` adjustment.

The two methods differ in what is shown and where a charge counts:
``average`` shows the final cost only, and a charge counts in the period of
the increase it is added to (Business Central's valuation date);
``weighted-average`` first values each decrease at the running average when
posted, and the close books the difference as a ``settlement`` adjustment; a
charge counts in the period of its own date (a closed period stays closed;
one dated before its increase's period counts in the increase's), and the
share of a late charge that belongs to quantity already issued, and any value
a close leaves with nothing on hand, go to the decreases as adjustments dated
at the close (:mod:`costsheet.valuation.settlement`).
A revaluation applies at the close of its period to the quantity on hand.
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal

from ..model import LedgerEntry
from ..numbers import ZERO
from .prepare import Book, ChargeLine, Group
from .result import RevaluationAmount
from .settlement import SETTLEMENT, Close
from .written import written_order

__all__ = ["value_periodic"]

_NUMBER = operator.attrgetter("number")
_DATE_NUMBER = operator.attrgetter("date", "number")



def value_periodic(group: Group, book: Book, settle: bool) -> Decimal:
    """Value ``group`` by periodic average; ``settle`` selects weighted-average inventory close."""
    rnd = group.round
    start = group.period_start
    entries = group.entries
    by_number = dict(zip(map(_NUMBER, entries), entries))
    cost = book.cost
    charged: dict[int, Decimal] = {}
    for charge in group.charges:
        charged[charge.entry] = charged.get(charge.entry, ZERO) + rnd(charge.amount)

    increases: dict[dt.date, list[LedgerEntry]] = {}
    decreases: dict[dt.date, list[LedgerEntry]] = {}
    extra: dict[dt.date, Decimal] = {}  # value without quantity counted in a period (charges)
    revaluations: dict[dt.date, list] = {}
    own: dict[int, Decimal] = {}  # each increase's own cost; charges are counted through ``extra``
    date = None
    for entry in entries:
        if entry.date != date:  # entries of one date come together: one period lookup for them
            date = entry.date
            period = start(date)
            arriving = leaving = None  # the period's lists, fetched when first needed
        if entry.quantity > 0:
            if arriving is None:
                arriving = increases.setdefault(period, [])
            arriving.append(entry)
            number = entry.number
            mine = own[number] = rnd(entry.cost) if entry.cost is not None else ZERO
            cost[number] = cost.get(number, ZERO) + (mine + charged.get(number, ZERO))  # Book.add, inlined
        else:
            if leaving is None:
                leaving = decreases.setdefault(period, [])
            leaving.append(entry)
    late: dict[dt.date, list[ChargeLine]] = {}  # weighted-average: charges dated after their increase's period
    for charge in group.charges:
        home = start(by_number[charge.entry].date)
        when = start(charge.date) if settle else home
        if when > home:
            late.setdefault(when, []).append(charge)
        else:
            extra[home] = extra.get(home, ZERO) + rnd(charge.amount)
    for revaluation in group.revaluations:
        revaluations.setdefault(start(revaluation.date), []).append(revaluation)

    provisional = _running_costs(group) if settle else {}
    booked: dict[int, Decimal] = {}  # adjustments booked before the final settlement (application, close)
    close = Close(group, book, booked) if settle else None
    track = close is not None and bool(late)  # the close keeps what each period issued only for late charges
    quantity = ZERO
    value = ZERO
    average: Decimal | None = None
    open_list: list[list] = []  # [decrease, open quantity, provisional value]
    received: list[int] = []  # increases so far
    revalued: dict[int, Decimal] = {}  # increase -> unit cost set by a later revaluation
    for period in sorted({*increases, *decreases, *extra, *revaluations, *late}):
        arriving = increases.get(period, ())
        filled: list | None = [] if track else None
        if open_list and arriving:
            value = _fill(open_list, arriving, own, value, rnd, book, booked, filled)
        for entry in arriving:
            received.append(entry.number)
            quantity += entry.quantity
            value += own[entry.number]
        value += extra.get(period, ZERO)
        if track and period in late:
            value += close.late_charges(late[period], by_number, period)
        leaving = decreases.get(period, ())
        floating = []
        for entry in leaving:
            target = by_number.get(entry.applies_to) if entry.applies_to is not None else None
            if target is None or target.quantity <= 0:
                floating.append(entry)
                continue
            unit = revalued.get(target.number)
            fixed = rnd((unit if unit is not None else cost[target.number] / target.quantity) * -entry.quantity)
            cost[entry.number] = -fixed
            quantity += entry.quantity
            value -= fixed
        available = quantity
        if floating:
            if quantity > 0:
                average = value / quantity
            already_open = sum((o[1] for o in open_list), ZERO)
            value, quantity = _spread(floating, average or ZERO, value, quantity, rnd, cost)
            _open(floating, -quantity - already_open, value, rnd, open_list)
        if track:
            close.record(period, sum((e.quantity for e in arriving), ZERO), filled, available, floating)
        for revaluation in sorted(revaluations.get(period, ()), key=lambda r: r.sequence):
            if quantity > 0:
                amount = rnd(revaluation.unit_cost * quantity) - value
                if amount:
                    book.revaluations.append(RevaluationAmount(revaluation.date, None, amount))
                    value += amount
                average = revaluation.unit_cost
                for number in received:  # units still to be fixed-applied are revalued too
                    revalued[number] = revaluation.unit_cost
        if close is not None:
            close.seen(floating, leaving)
            if not quantity and value:
                value = close.settle_rest(period, value)
    for number, first in provisional.items():
        if number in cost and by_number[number].applies_to is None:
            earlier = booked.get(number, ZERO)
            final = cost[number] - earlier
            cost[number] = first + earlier
            book.adjust(by_number[number], SETTLEMENT, final - first, None)
    return value


def _open(decreases: list[LedgerEntry], over: Decimal, value: Decimal, rnd, open_list: list) -> None:
    """The last ``over`` units issued beyond the quantity on hand stay open.

    Together the open decreases hold exactly the (negative) value on hand, so
    that filling them later brings the value back without a residual.
    """
    if over <= 0:
        return
    new: list[list] = []
    for entry in reversed(decreases):
        if over <= 0:
            break
        take = min(-entry.quantity, over)
        new.insert(0, [entry, take, ZERO])
        over -= take
    held = -value - sum((o[2] for o in open_list), ZERO)
    total = sum((o[1] for o in new), ZERO)
    spread = ZERO
    for index, pending in enumerate(new):
        pending[2] = held - spread if index == len(new) - 1 else rnd(held * pending[1] / total)
        spread += pending[2]
    open_list.extend(new)


def _fill(open_list: list, arriving, own: dict[int, Decimal], value: Decimal, rnd, book: Book,
          applied: dict[int, Decimal], taken: list | None = None) -> Decimal:
    """Apply open decreases to the period's increases: they take the increases' average cost.

    ``taken``, when given, receives (decrease, quantity) for each application
    (the weighted-average close gives those decreases their share of a late charge).
    """
    quantity = sum((e.quantity for e in arriving), ZERO)
    unit = sum((own[e.number] for e in arriving), ZERO) / quantity
    filled = ZERO
    booked = ZERO
    while open_list and quantity > 0:
        pending = open_list[0]
        take = min(pending[1], quantity)
        released = pending[2] if take == pending[1] else rnd(pending[2] * take / pending[1])
        filled += take
        worth = rnd(unit * filled) - booked  # the rounding residual carries, as under average
        booked += worth
        change = worth - released
        book.adjust(pending[0], "application", -change, None)
        applied[pending[0].number] = applied.get(pending[0].number, ZERO) - change
        value -= change
        pending[1] -= take
        pending[2] -= released
        quantity -= take
        if taken is not None:
            taken.append((pending[0], take))
        if not pending[1]:
            open_list.pop(0)
    return value


def _spread(decreases: list[LedgerEntry], average: Decimal, value: Decimal, quantity: Decimal,
            rnd, cost: dict[int, Decimal]) -> tuple[Decimal, Decimal]:
    """Value ``decreases`` at ``average``, carrying the rounding residual from one to the next."""
    decreases.sort(key=_DATE_NUMBER)
    cumulative = ZERO
    booked = ZERO
    for entry in decreases:
        cumulative -= entry.quantity
        total = rnd(average * cumulative)
        cost[entry.number] = booked - total
        booked = total
    return value - booked, quantity + sum((e.quantity for e in decreases), ZERO)


def _running_costs(group: Group) -> dict[int, Decimal]:
    """Each decrease at the running average when posted (weighted-average before the close)."""
    rnd = group.round
    by_number = dict(zip(map(_NUMBER, group.entries), group.entries)) if group.charges else {}
    quantity = ZERO
    value = ZERO
    # the running average is value / quantity after the last line that left quantity > 0;
    # it is divided out only when a decrease needs it
    held_value = held_quantity = None
    costs: dict[int, Decimal] = {}
    for line in written_order(group):
        if isinstance(line, LedgerEntry):
            if line.quantity > 0:
                quantity += line.quantity
                value += rnd(line.cost) if line.cost is not None else ZERO
            else:
                issued = -line.quantity
                if issued == quantity:
                    booked = value
                else:
                    average = held_value / held_quantity if held_quantity is not None else ZERO
                    booked = rnd(average * issued)
                costs[line.number] = -booked
                value -= booked
                quantity -= issued
        elif isinstance(line, ChargeLine):
            if by_number.get(line.entry) is not None:
                value += rnd(line.amount)
        elif quantity > 0:
            value = rnd(line.unit_cost * quantity)
        if quantity > 0:
            held_value = value
            held_quantity = quantity
    return costs
