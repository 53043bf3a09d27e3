"""The weighted-average closes on the ledger's integer columns: no Decimal in the loop.

:func:`value_pool_columns` does what :func:`.closing_plain.value_plain_close`
does for ``weighted-average`` and ``weighted-average-date`` (the pool closes)
on a plain ledger whose quantities and costs were read as integers when the
ledger was built (:mod:`costsheet.ledger_columns`, ``Group.columns``), the
way :mod:`.columnar` does it for FIFO, LIFO and specific: quantities are the
ledger's ints, amounts ints in units of the precision, and each average
``value x quantity / quantity on hand`` (the running average an issue is
posted at, the pool's cumulative one it is settled at) is one integer
division rounding half up.  The entries' costs stay integers in the result
(:class:`.result.ScaledCosts`); what an issue was posted at and its
settlement are made Decimals with the precision's exponent, every Decimal
the one the Decimal loop makes, exponent and sign included
(tests/valuation/test_columnar_close.py).

It gives up (returns None, and the flat Decimal loop runs on a fresh book)
where it could differ from the Decimal loop or where the Decimal loop has
more to do: a precision that is not a power of ten or coarser than 1, costs
with more places than the precision, a receipt's cost x quantity of
:data:`.scaled.LIMIT` units or more, a value x quantity of that many units
in an average (checked at each one: below it the Decimal quotient in the
engine's 34 digits keeps at least 19 digits beyond the precision, so both
round alike), an issue with nothing or too little on hand (the running
average's count of the last quantity above zero, or the unit cost, would
value it), a pool that its issues go beyond, or a close that leaves value
without quantity (the Decimal loop spreads it over the period's issues).
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal

from .closing_plain import close_date
from .prepare import Book, Group
from .result import SETTLEMENT, AdjustmentArgs, ScaledCosts
from .scaled import LIMIT

__all__ = ["value_pool_columns"]

_NUMBER = operator.attrgetter("number")
_DATE = operator.attrgetter("date")
#: an issue of a close period: (index of its entry, entry number, date, quantity issued, what it
#: was posted at in units (positive: the running average's value of it))
_Issue = tuple[int, int, dt.date, int, int]
#: a receipt of a close period: (date, quantity, value in units)
_Receipt = tuple[dt.date, int, int]


def value_pool_columns(group: Group, book: Book) -> Decimal | None:  # noqa: C901  (one flat loop: the fast path)
    """:func:`.closing_plain.value_plain_close` for the pool closes on ``group.columns``; None
    where it gives up (module docstring).  The book then holds a partial result."""
    columns, quantum = group.columns, group.quantum
    if columns is None or quantum is None or not group.entries:
        return None
    places = quantum.as_tuple().exponent
    assert isinstance(places, int), "a power of ten"
    if places > 0 or columns.exponent < places:
        return None
    factor = 10 ** (columns.exponent - places)  # the costs' units -> units of the precision
    # a receipt's value and a quantity on hand (at most every count) below the bound of the shares
    if (
        columns.largest_units * factor * columns.largest_count >= LIMIT
        or columns.largest_count * len(columns.counts) >= LIMIT
    ):
        return None
    entries = group.entries
    counts = columns.counts if len(entries) == len(columns.counts) else columns.counts[: len(entries)]
    units = iter(columns.units) if factor == 1 else (unit * factor for unit in columns.units)
    close_start = group.close_start or group.period_start
    period_end = group.period_end
    latest = entries[-1].date
    pool = _Pool(group.close_start is not None, places, book.adjustments)
    costs: list[int] = []  # every entry's cost in units, in entry order
    put = costs.append
    running: list[tuple[int, int]] = []  # (entry number, units posted at) of every issue
    posted_at = running.append
    quantity = value = 0  # the running average's
    day, period = dt.date.min, None
    ends = dt.date.min  # the last day of the current close period
    receipts: list[_Receipt] = []
    issues: list[_Issue] = []
    for index, (count, number, date) in enumerate(zip(counts, map(_NUMBER, entries), map(_DATE, entries), strict=True)):
        if date != day:  # entries with columns come in date order
            day = date
            if date > ends:  # a new close period
                starts = close_start(date)
                last = period_end(starts) if period_end is not None else None
                ends = last if last is not None else dt.date.max
                if period is not None:
                    closed = close_date(group, period, latest)
                    if closed is not None:
                        if not pool.close(receipts, issues, closed, costs):
                            return None
                        quantity, value = pool.quantity, pool.value  # RunningAverage.reset
                    receipts, issues = [], []
                period = starts
        if count > 0:
            own = next(units)
            put(own)
            value += own
            quantity += count
            receipts.append((date, count, own))
            continue
        need = -count
        if need == quantity:  # the last units take what is left
            booked = value
        elif need < quantity:
            product = value * need
            if product >= LIMIT:
                return None
            booked = (2 * product + quantity) // (2 * quantity)
        else:  # nothing or too little on hand: the running count before, or the unit cost
            return None
        quantity -= need
        value -= booked
        issues.append((index, number, date, need, booked))
        posted_at((number, booked))
        put(-booked)
    assert period is not None, "a group with entries has a period"
    closed = close_date(group, period, latest)
    if closed is not None:
        if not pool.close(receipts, issues, closed, costs):
            return None
        value = pool.value
    book.units = ScaledCosts(costs, places)
    book.running = {number: Decimal(-booked).scaleb(places) for number, booked in running}
    book.quantity = Decimal(sum(counts))
    return Decimal(value).scaleb(places)


class _Pool:
    """The pool closes of :class:`.closing_plain._PoolClose` in units: what is on hand after the
    last close, and each close's settlements."""

    def __init__(self, by_day: bool, places: int, adjustments: dict[int, list[AdjustmentArgs]]):
        self.by_day = by_day
        self.places = places
        self.adjustments = adjustments
        self.quantity = self.value = 0

    def close(self, receipts: list[_Receipt], issues: list[_Issue], date: dt.date, costs: list[int]) -> bool:
        """Pool period by pool period (the close period, or under weighted average date each day):
        its receipts join the pool, then its issues take value x cumulative / quantity, each the
        difference to the one before; each issue's cost becomes what it settled at and the
        difference to what it was posted at a settlement dated ``date``.  False where the loop
        gives up (module docstring)."""
        by_day = self.by_day
        quantity, value = self.quantity, self.value
        taken, count = 0, len(receipts)
        index, issued = 0, len(issues)
        pool = far = dt.date.max
        while index < issued or taken < count:
            if by_day:
                pool = issues[index][2] if index < issued else far
                if taken < count and receipts[taken][0] < pool:
                    pool = receipts[taken][0]
            while taken < count and receipts[taken][0] <= pool:
                _, received, worth = receipts[taken]
                quantity += received
                value += worth
                taken += 1
            end = index
            while end < issued and issues[end][2] <= pool:
                end += 1
            if end == index:
                continue
            if quantity <= 0:
                return False
            cumulative = total = 0
            twice = 2 * quantity
            for position in range(index, end):
                cumulative += issues[position][3]
                product = value * cumulative
                if product >= LIMIT:
                    return False
                rounded = (2 * product + quantity) // twice
                costs[issues[position][0]] = total - rounded
                total = rounded
            value -= total
            quantity -= cumulative
            if quantity < 0 or (not quantity and value):
                return False
            index = end
        places, adjustments = self.places, self.adjustments
        for position, number, _, _, booked in issues:  # the difference to what it was posted at
            amount = costs[position] + booked
            if amount:
                adjustments[number] = [(date, SETTLEMENT, Decimal(amount).scaleb(places), None)]
        self.quantity, self.value = quantity, value
        return True
