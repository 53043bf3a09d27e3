"""Average-cost periods: which period a date falls in.

Business Central's periodic average (and our weighted-average inventory
close) value every decrease of a period at one average, so the engine needs
a key that is equal for all dates of a period and orders periods in time.
The key is the period's first day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence

from ..vocabulary import AverageCostPeriod, words

__all__ = ["PERIOD_KINDS", "period_start_function", "period_end_function"]

PERIOD_KINDS = words(AverageCostPeriod)


def _day(date: dt.date) -> dt.date:
    return date


def _week(date: dt.date) -> dt.date:
    """Weeks run Monday to Sunday (docs/language.md, "Setup": average-cost-period)."""
    return date - dt.timedelta(days=date.weekday())


def _month(date: dt.date) -> dt.date:
    return date.replace(day=1)


def _quarter(date: dt.date) -> dt.date:
    return dt.date(date.year, 3 * ((date.month - 1) // 3) + 1, 1)


def _year(date: dt.date) -> dt.date:
    return dt.date(date.year, 1, 1)


_FIXED: dict[str, Callable[[dt.date], dt.date]] = {
    "day": _day,
    "week": _week,
    "month": _month,
    "quarter": _quarter,
    "year": _year,
}


def period_start_function(kind: str, accounting_periods: Sequence[dt.date] = ()) -> Callable[[dt.date], dt.date]:
    """A function from a date to the first day of its average-cost period.

    ``accounting-period`` periods start at each date of ``accounting_periods``;
    dates before the first start form one period that starts at ``date.min``
    (Decision: the spec is silent; they cannot belong to a later period).
    """
    if kind in _FIXED:
        return _FIXED[kind]
    if kind != "accounting-period":
        raise ValueError(f"unknown average-cost period {kind!r}")
    starts = sorted(set(accounting_periods))

    def accounting(date: dt.date) -> dt.date:
        index = bisect.bisect_right(starts, date)
        return starts[index - 1] if index else dt.date.min

    return accounting


def _next_start(kind: str, start: dt.date) -> dt.date:
    """The first day of the period after the one that starts on ``start`` (a fixed kind)."""
    if kind == "day":
        return start + dt.timedelta(days=1)
    if kind == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_end_function(kind: str, accounting_periods: Sequence[dt.date] = ()) -> Callable[[dt.date], dt.date | None]:
    """A function from a date to the last day of its average-cost period (the day it closes).

    The weighted-average inventory close dates what it settles at the close.
    The last ``accounting-period`` period has no end (no later start is
    listed): the function returns None for it, and the caller decides.
    """
    start = period_start_function(kind, accounting_periods)
    if kind in _FIXED:

        def fixed(date: dt.date) -> dt.date | None:
            first = start(date)
            try:
                return _next_start(kind, first) - dt.timedelta(days=1)
            except (OverflowError, ValueError):  # the period that holds date.max
                return dt.date.max

        return fixed
    starts = sorted(set(accounting_periods))

    def accounting(date: dt.date) -> dt.date | None:
        index = bisect.bisect_right(starts, date)
        return starts[index] - dt.timedelta(days=1) if index < len(starts) else None

    return accounting
