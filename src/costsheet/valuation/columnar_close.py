"""The inventory close models on the ledger's integer columns: no Decimal in the loop.

:func:`value_close_columns` does what :func:`.closing_plain.value_plain_close`
does for the four close models on a plain ledger whose quantities and costs
were read as integers when the ledger was built (:mod:`costsheet.ledger_columns`,
``Group.columns``), the way :mod:`.columnar` does it for FIFO, LIFO and
specific: quantities are the ledger's ints, amounts ints in units of the
precision, and every share rounding half up is one integer division: the
running average an issue is posted at (value x quantity / quantity on hand),
and what a close settles it at, the weighted averages' pool's cumulative
average or the part of a receipt on the LIFO models' stack of open receipts
(``periodic-lifo``: the period's receipts on the stack, then its issues in
written order; ``lifo-date``: day by day, the day's receipts first, its
issues the last written first).  Each close period is settled from the list
of posted costs by index.  The entries' costs stay integers in the result
(:class:`.result.ScaledCosts`), and so do what an issue was posted at and
its settlement (:class:`.result.ScaledSettlements`) until the rows are read:
every Decimal then made is the one the Decimal loop makes, exponent and sign
included (tests/valuation/test_columnar_close.py), down to the bare ``0`` of
a LIFO stack left empty.

It gives up (returns None, and the flat Decimal loop runs on a fresh book)
where it could differ from the Decimal loop or where the Decimal loop has
more to do: a precision that is not a power of ten or coarser than 1, costs
with more places than the precision, a receipt's cost x quantity of
:data:`.scaled.LIMIT` units or more, a value x quantity of that many units
in a share (checked at each one: below it the Decimal quotient in the
engine's 34 digits keeps at least 19 digits beyond the precision, so both
round alike), an issue with nothing or too little on hand (the running
average's count of the last quantity above zero, or the unit cost, would
value it), a pool or a stack that a close's issues go beyond, or a pool
close that leaves value without quantity (the Decimal loop spreads it over
the period's issues).
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal

from ..numbers import ZERO
from .closing_plain import LIFO_DATE, POOL, close_date
from .columnar import integer_inputs
from .prepare import Book, Group
from .result import ScaledCosts, ScaledSettlements
from .scaled import LIMIT

__all__ = ["value_close_columns"]

_DATE = operator.attrgetter("date")


def value_close_columns(group: Group, book: Book, kind: str) -> Decimal | None:  # noqa: C901  (one flat loop)
    """:func:`.closing_plain.value_plain_close` on ``group.columns`` (``kind``: which close);
    None where it gives up (module docstring).  The book then holds a partial result."""
    inputs = integer_inputs(group) if group.entries else None
    if inputs is None:
        return None
    columns, places, counts, units = inputs
    if columns.largest_count * len(columns.counts) >= LIMIT:  # a quantity on hand below the shares' bound
        return None
    entries = group.entries
    dates = list(map(_DATE, entries))
    close_start = group.close_start or group.period_start
    period_end = group.period_end
    latest = dates[-1]
    first = entries[0].number
    pool: _Pool | _Stack = (
        _Pool(counts, dates, group.close_start is not None)
        if kind == POOL
        else _Stack(counts, dates, first, kind == LIFO_DATE)
    )
    posted: list[int] = []  # every entry's cost in units as posted (a receipt's own), in entry order
    put = posted.append
    quantity = value = 0  # the running average's
    day, period = dt.date.min, None
    ends = dt.date.min  # the last day of the current close period
    starts_at = 0  # the index of the current close period's first entry
    for count, date in zip(counts, dates, strict=True):
        if date != day:  # entries with columns come in date order
            day = date
            if date > ends:  # a new close period
                starts = close_start(date)
                last = period_end(starts) if period_end is not None else None
                ends = last if last is not None else dt.date.max
                if period is not None:
                    if not pool.close(posted, starts_at, len(posted), close_date(group, period, latest)):
                        return None
                    if pool.closed:
                        quantity, value = pool.quantity, pool.value  # RunningAverage.reset
                    starts_at = len(posted)
                period = starts
        if count > 0:
            own = next(units)
            put(own)
            value += own
            quantity += count
            continue
        need = -count
        if need < quantity:
            product = value * need
            if product >= LIMIT:
                return None
            booked = (2 * product + quantity) // (2 * quantity)
        elif need == quantity:  # the last units take what is left
            booked = value
        else:  # nothing or too little on hand: the running count before, or the unit cost
            return None
        quantity -= need
        value -= booked
        put(-booked)
    assert period is not None, "a group with entries has a period"
    if not pool.close(posted, starts_at, len(posted), close_date(group, period, latest)):
        return None
    settled = book.units = ScaledCosts(pool.costs, places)
    sources = pool.sources if isinstance(pool, _Stack) else None
    book.settlements = ScaledSettlements(counts, first, ScaledCosts(posted, places), settled, pool.closes, sources)
    book.quantity = Decimal(sum(counts))
    if pool.closed:
        if isinstance(pool, _Stack) and not pool.stack:  # the Decimal close sums nothing: Decimal 0
            return ZERO
        value = pool.value
    return Decimal(value).scaleb(places)


class _Pool:
    """The pool closes of :class:`.closing_plain._PoolClose` in units: what is on hand after the
    last close, every entry's cost as settled (the entries of an open period: as posted), and the
    closes made (:class:`.result.ScaledSettlements`)."""

    def __init__(self, counts: tuple[int, ...], dates: list[dt.date], by_day: bool):
        self.counts, self.dates = counts, dates
        self.by_day = by_day
        self.quantity = self.value = 0
        self.closed = False  # whether the last period given was closed
        self.costs: list[int] = []  # every entry's cost in units, period by period
        self.closes: list[tuple[int, int, dt.date]] = []  # (first entry, end, date) of each close

    def close(self, posted: list[int], start: int, end: int, date: dt.date | None) -> bool:
        """Close the period of the entries ``start`` to ``end`` (``posted``: their costs as posted)
        on ``date`` (None: open), pool period by pool period (the close period, or under weighted
        average date each day): its receipts join the pool, then its issues take value x
        cumulative / quantity, each the difference to the one before; an issue's cost becomes
        what it settled at, the difference to what it was posted at a settlement dated ``date``.
        False where the loop gives up (module docstring)."""
        chunk = posted[start:end]
        self.closed = date is not None
        if date is None:
            self.costs.extend(chunk)
            return True
        # the pool periods: each day under weighted average date, else the close period as one
        days = self.dates[start:end] if self.by_day else [date] * len(chunk)
        if not self._pools(self.counts[start:end], chunk, days):
            return False
        self.closes.append((start, end, date))
        self.costs.extend(chunk)
        return True

    def _pools(self, counts: tuple[int, ...], costs: list[int], dates: list[dt.date]) -> bool:
        """The pool periods of a close period, ``dates`` telling them apart: each one's receipts
        join the pool, then its issues take value x cumulative / quantity, each the difference
        to the one before (``costs``: as posted, each issue's replaced by what it settled at)."""
        quantity, value = self.quantity, self.value
        index, end = 0, len(costs)
        while index < end:
            day = dates[index]
            following = index
            issues = False
            while following < end and dates[following] == day:
                count = counts[following]
                if count > 0:
                    quantity += count
                    value += costs[following]
                else:
                    issues = True
                following += 1
            if issues:
                if quantity <= 0:
                    return False
                cumulative = total = 0
                twice = 2 * quantity
                for position in range(index, following):
                    count = counts[position]
                    if count < 0:
                        cumulative -= count
                        product = value * cumulative
                        if product >= LIMIT:
                            return False
                        rounded = (2 * product + quantity) // twice
                        costs[position] = total - rounded
                        total = rounded
                value -= total
                quantity -= cumulative
                if quantity < 0 or (not quantity and value):
                    return False
            index = following
        self.quantity, self.value = quantity, value
        return True


class _Stack:
    """The LIFO closes of :class:`.closing_plain._StackClose` in units: the open receipts on a
    stack ([quantity, value, entry number]), every entry's cost as settled (an open period's: as
    posted), the receipt each settled issue took from (None: several), and the closes made."""

    def __init__(self, counts: tuple[int, ...], dates: list[dt.date], first: int, by_date: bool):
        self.counts, self.dates, self.first = counts, dates, first
        self.by_date = by_date
        self.stack: list[list[int]] = []
        self.quantity = self.value = 0  # what the stack holds
        self.closed = False  # whether the last period given was closed
        self.costs: list[int] = []  # every entry's cost in units, period by period
        self.sources: list[int | None] = []  # every entry's source, period by period
        self.closes: list[tuple[int, int, dt.date]] = []  # (first entry, end, date) of each close

    def close(self, posted: list[int], start: int, end: int, date: dt.date | None) -> bool:
        """Close the period of the entries ``start`` to ``end`` on ``date`` (None: open): under
        ``periodic-lifo`` its receipts go on the stack, then its issues take from the top in
        written order; under ``lifo-date`` day by day, the day's receipts first, its issues the
        last written first.  False where the loop gives up (module docstring)."""
        chunk = posted[start:end]
        self.closed = date is not None
        sources: list[int | None] = [None] * len(chunk)
        if date is not None:
            counts = self.counts[start:end]
            days = self.dates[start:end] if self.by_date else [date] * len(chunk)
            stack, push, number = self.stack, self.stack.append, self.first + start
            quantity, value = self.quantity, self.value
            index, length = 0, len(chunk)
            while index < length:
                day = days[index]
                following = index
                while following < length and days[following] == day:  # the receipts go on the stack first
                    count = counts[following]
                    if count > 0:
                        push([count, chunk[following], number + following])
                        quantity += count
                        value += chunk[following]
                    following += 1
                for position in range(following - 1, index - 1, -1) if self.by_date else range(index, following):
                    need = -counts[position]
                    if need <= 0:
                        continue
                    receipt = stack[-1] if stack else None
                    if receipt is not None and need < receipt[0]:  # the usual issue: part of the top receipt
                        held, worth = receipt[0], receipt[1]
                        product = worth * need
                        if product >= LIMIT:
                            return False
                        settled = (2 * product + held) // (2 * held)
                        receipt[0] = held - need
                        receipt[1] = worth - settled
                        sources[position] = receipt[2]
                    else:
                        took = self._take(need)
                        if took is None:
                            return False
                        settled, sources[position] = took
                    quantity -= need
                    value -= settled
                    chunk[position] = -settled
                index = following
            self.quantity, self.value = quantity, value
            self.closes.append((start, end, date))
        self.costs.extend(chunk)
        self.sources.extend(sources)
        return True

    def _take(self, need: int) -> tuple[int, int | None] | None:
        """An issue of ``need`` from the top of the stack, all of the top receipt or more: what it
        settled at and its source (the receipt, when one gave it all); None when the stack runs
        out."""
        stack = self.stack
        settled = 0
        source: int | None = None
        touched = 0
        while need:
            if not stack:
                return None
            receipt = stack[-1]
            held, worth = receipt[0], receipt[1]
            if need < held:
                product = worth * need
                if product >= LIMIT:
                    return None
                share = (2 * product + held) // (2 * held)
                receipt[0] = held - need
                receipt[1] = worth - share
                taken = need
            else:
                share, taken = worth, held
                stack.pop()
            settled += share
            need -= taken
            source = receipt[2] if not touched else None
            touched += 1
        return settled, source
