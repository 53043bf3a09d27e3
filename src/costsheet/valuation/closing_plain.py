"""The inventory close models on a plain ledger, in one flat loop per close.

:func:`costsheet.valuation.closing.value_closing` with its settlers does, for
every ledger, what docs/valuation.md ("The inventory close models") says.
On a plain ledger (entries only, in date order, financially updated, none
marked or returned, a power-of-ten amount precision) most of that machinery
has nothing to do, and this module does the same arithmetic with local
variables: the running average written out, and each close as

* the weighted averages: each pool period's receipts join the pool, its
  issues take the average with the rounding residual carried, a residual
  left with nothing on hand goes to the period's issues;
* the LIFO models: a stack of open receipts; each issue of the close
  (``periodic-lifo``: in date order; ``lifo-date``: date by date, after
  that date's receipts, the last written first) takes from the top.

It gives up (returns None) where the general path would do more: an issue
that the pool or the stack cannot cover (it would stay open), or an entry
dated before the one written before it (the loop checks the date order as it
goes, on each new date).  The caller
then starts the general path again on a fresh book.
tests/valuation/test_fast_paths.py checks that both give the same result.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from ..numbers import ZERO
from .prepare import HALF_UP, Book, Group, Rounder
from .result import SETTLEMENT, AdjustmentArgs

#: A receipt of a close period: [open quantity, open value, entry number, date], a list the
#: settlers change in place (the fast path keeps no objects of its own).
_Receipt = list[Any]
#: An issue of a close period: (entry number, date, quantity issued (positive), what it was posted
#: at (its running cost, negative)).
_Issue = tuple[int, dt.date, Decimal, Decimal]

__all__ = ["is_plain_close", "value_plain_close", "close_date", "POOL", "PERIODIC_LIFO", "LIFO_DATE"]

POOL, PERIODIC_LIFO, LIFO_DATE = "pool", "periodic-lifo", "lifo-date"
_APPLIES_TO = operator.attrgetter("applies_to")


def close_date(group: Group, period: dt.date, latest: dt.date | None) -> dt.date | None:
    """The day the average-cost period starting ``period`` closes, or None while it is open."""
    end = group.period_end(period) if group.period_end is not None else None
    as_of = group.as_of
    if end is None:  # the open-ended last accounting period: the valuation date is its close
        return as_of if as_of is not None else latest
    return end if as_of is None or end <= as_of else None


def is_plain_close(group: Group) -> bool:
    """Whether :func:`value_plain_close` may try ``group`` (see the module docstring)."""
    if (
        group.quantum is None
        or group.charges
        or group.revaluations
        or group.invoices
        or group.physical
        or group.returns
        or group.uninvoiced
        or not group.entries
    ):
        return False
    entries = group.entries
    return list(map(_APPLIES_TO, entries)).count(None) == len(entries)


def value_plain_close(group: Group, book: Book, kind: str) -> Decimal | None:  # noqa: C901  (one flat loop: the fast path)
    """The value on hand, or None when the ledger needs the general path (the book then holds a
    partial result and must be dropped).

    The running average (:class:`~costsheet.valuation.running.RunningAverage`) is written out:
    ``held_*`` is the count after the last entry that left the quantity above zero.  With
    include-physical-value the count adds the (zero) physical parts, as RunningAverage does, so
    that every amount comes out as the general path's, exponent included.  On the way, each
    close period's receipts ([quantity, value, entry number, date]) and issues are collected
    for its close.
    """
    quantum, quantize = group.quantum, HALF_UP.quantize
    assert quantum is not None, "is_plain_close takes only groups with one"
    include_physical = group.include_physical
    fallback = group.unit_cost if group.unit_cost is not None else ZERO
    close_start = group.close_start or group.period_start
    period_end = group.period_end
    entries = group.entries
    cost = book.cost
    running = book.running
    latest = entries[-1].date
    settle = _PoolClose(group, book) if kind == POOL else _StackClose(group, book, kind == LIFO_DATE)
    quantity = value = ZERO
    # the count after the last entry that left the quantity above zero, kept only while the
    # quantity is not (above zero, the count is the current one)
    held_value: Decimal | None = None  # set together with held_quantity
    held_quantity: Decimal | None = None
    day, period = dt.date.min, None
    ends = dt.date.min  # the last day of the current close period
    receipts: list[_Receipt] = []
    issues: list[_Issue] = []
    last_first = kind == LIFO_DATE  # the issues of one date are settled from the last written
    run_date, run_start = None, 0  # the date of the last issue, and where its date's issues start
    for entry in entries:
        date = entry.date
        if date != day:
            if date < day:  # back-dated: the close periods need the general path
                return None
            day = date
            if date > ends:  # a new close period (entries come in date order)
                starts = close_start(date)
                last = period_end(starts) if period_end is not None else None
                ends = last if last is not None else dt.date.max
                if period is not None:
                    closed = _close(group, settle, receipts, issues, period, latest)
                    if closed is False:
                        return None
                    if closed is not None:
                        if quantity > ZERO:  # the count before the close, should it leave nothing
                            held_value, held_quantity = (
                                (value + ZERO, quantity + ZERO) if include_physical else (value, quantity)
                            )
                        quantity, value = closed  # RunningAverage.reset
                    receipts, issues = [], []
                    run_date = None
                period = starts
        issued = entry.quantity
        if issued > ZERO:  # (Decimal against Decimal: faster than against int 0)
            number = entry.number
            own = entry.cost
            own = quantize(own, quantum) if own is not None else ZERO
            cost[number] = own + ZERO  # as the settlers book it: Decimal 0 + its own cost
            value += own
            quantity += issued
            receipts.append([issued, own, number, date])
            continue
        need = -issued
        if need == quantity:  # the last units take what is left; the count before is the last above zero
            held_value, held_quantity = (value + ZERO, quantity + ZERO) if include_physical else (value, quantity)
            booked = held_value
        elif quantity > ZERO:
            if include_physical:
                booked = quantize((value + ZERO) * need / (quantity + ZERO), quantum)
            else:
                booked = quantize(value * need / quantity, quantum)
            if need > quantity:  # below zero: the count before is the last above zero
                held_value, held_quantity = (value + ZERO, quantity + ZERO) if include_physical else (value, quantity)
        elif held_value is not None and held_quantity is not None:
            booked = quantize(held_value * need / held_quantity, quantum)
        else:
            booked = quantize(fallback * need, quantum)
        quantity -= need
        value -= booked
        posted = -booked
        number = entry.number
        cost[number] = running[number] = posted
        if date != run_date:
            run_date, run_start = date, len(issues)
            issues.append((number, date, need, posted))
        elif last_first:
            issues.insert(run_start, (number, date, need, posted))
        else:
            issues.append((number, date, need, posted))
    assert period is not None, "a group with entries has a period"
    closed = _close(group, settle, receipts, issues, period, latest)
    if closed is False:
        return None
    if closed is not None:
        value = closed[1]
    return value + ZERO


def _close(
    group: Group,
    settle: _PoolClose | _StackClose,
    receipts: list[_Receipt],
    issues: list[_Issue],
    period: dt.date,
    latest: dt.date,
) -> tuple[Decimal, Decimal] | Literal[False] | None:
    """Close the period of ``receipts`` and ``issues`` if it is closed: (quantity, value) on
    hand after it, None while it is open, False when the flat loop gives up."""
    date = close_date(group, period, latest)
    if date is None:
        return None
    settled = settle.close(receipts, issues, date)
    return False if settled is None else settled


class _PoolClose:
    """The weighted-average closes of :class:`~costsheet.valuation.periodic.PeriodicRun`, flat."""

    def __init__(self, group: Group, book: Book):
        self.group = group
        self.book = book
        self.quantity = ZERO
        self.value = ZERO

    def close(self, receipts: list[_Receipt], issues: list[_Issue], date: dt.date) -> tuple[Decimal, Decimal] | None:
        """Pool period by pool period: its receipts join the pool, then its issues take the average
        with the rounding residual carried (PeriodicRun._issue_at_average); a residual left with
        nothing on hand goes to the pool period's issues (Close.settle_rest).  The pool period is
        the close period itself, or under weighted average date each day.  None when the issues
        go beyond what is on hand."""
        group = self.group
        by_day = group.close_start is not None
        quantum, quantize = group.quantum, HALF_UP.quantize
        assert quantum is not None, "is_plain_close takes only groups with one"
        cost = self.book.cost
        adjustments = self.book.adjustments
        quantity, value = self.quantity, self.value
        booked: dict[int, Decimal] = {}
        taken = 0  # receipts that joined the pool
        count, issued = len(receipts), len(issues)
        index = 0
        pool = far = dt.date.max
        while index < issued or taken < count:
            if by_day:
                pool = issues[index][1] if index < issued else far
                if taken < count and receipts[taken][3] < pool:
                    pool = receipts[taken][3]
            while taken < count and receipts[taken][3] <= pool:
                receipt = receipts[taken]
                quantity += receipt[0]
                value += receipt[1]
                taken += 1
            value = value + ZERO  # the period's charges, none here
            end = index
            while end < issued and issues[end][1] <= pool:
                end += 1
            if end == index:
                continue
            if quantity <= 0:
                return None
            leaving = issues[index:end]
            cumulative = total = ZERO
            for number, _, need, _ in leaving:  # value x cumulative / quantity: PeriodicRun's average
                cumulative += need
                rounded = quantize(value * cumulative / quantity, quantum)
                cost[number] = total - rounded
                total = rounded
            value -= total
            quantity -= cumulative
            if quantity < 0:
                return None
            if not quantity and value:
                _spread(value, leaving, date, group.round, cost, booked, adjustments)
                value = ZERO
            index = end
        for number, _, _, first in issues:  # PoolSettler.close: the running cost and the difference
            earlier = booked.get(number, ZERO) if booked else ZERO
            amount = (cost[number] - earlier) - first
            if not amount:
                cost[number] = first + earlier
            else:  # Book.adjust, written out
                cost[number] = (first + earlier) + amount
                note = (date, SETTLEMENT, amount, None)
                found = adjustments.get(number) if booked else None  # only a residual came before
                if found is None:
                    adjustments[number] = [note]
                else:
                    found.append(note)
        self.quantity, self.value = quantity, value
        return quantity, value


def _spread(
    share: Decimal,
    issues: Sequence[_Issue],
    date: dt.date,
    rnd: Rounder,
    cost: dict[int, Decimal],
    booked: dict[int, Decimal],
    adjustments: dict[int, list[AdjustmentArgs]],
) -> None:
    """settlement.Close._spread: ``share`` over ``issues`` by quantity, the residual carried."""
    taken = sum([issue[2] for issue in issues], ZERO)
    cumulative = done = ZERO
    for number, _, need, _ in issues:
        cumulative += need
        total = rnd(share * cumulative / taken)
        part = total - done
        if part:
            done = total
            cost[number] = cost.get(number, ZERO) - part
            booked[number] = booked.get(number, ZERO) - part
            adjustments.setdefault(number, []).append((date, SETTLEMENT, -part, None))


class _StackClose:
    """The LIFO closes of :class:`~costsheet.valuation.lifo_close.ReceiptSettler`, flat: open
    receipts on a stack."""

    def __init__(self, group: Group, book: Book, by_date: bool):
        self.group = group
        self.book = book
        self.by_date = by_date
        self.stack: list[_Receipt] = []  # [open quantity, open value, entry number, date]
        self.quantity = self.value = ZERO  # what the stack holds

    def close(self, receipts: list[_Receipt], issues: list[_Issue], date: dt.date) -> tuple[Decimal, Decimal] | None:
        """The close's issues take from the stack: under ``periodic-lifo`` after all its receipts,
        under ``lifo-date`` after the receipts dated on or before them (the issues come date
        by date, the last written first)."""
        if not self.by_date:
            self.stack.extend(receipts)
            self.quantity = sum([r[0] for r in receipts], self.quantity)
            self.value = sum([r[1] for r in receipts], self.value)
            receipts = []
        if not self._settle(issues, receipts, date):
            return None
        if not self.stack:  # ReceiptSettler.on_hand sums what is open: nothing sums to Decimal 0
            self.quantity = self.value = ZERO
        return self.quantity - ZERO, self.value - ZERO

    def _settle(self, issues: Sequence[_Issue], receipts: list[_Receipt], date: dt.date) -> bool:
        """Each issue takes from the top of the stack, ``receipts`` going on it as the issues' dates
        reach theirs (the rest after the last issue); False when the stack runs out."""
        quantum, quantize = self.group.quantum, HALF_UP.quantize
        assert quantum is not None, "is_plain_close takes only groups with one"
        stack = self.stack
        cost = self.book.cost
        adjustments = self.book.adjustments
        quantity, value = self.quantity, self.value  # what the stack holds (its amounts keep one exponent)
        count = len(receipts)
        pushed = 0
        far = dt.date.max
        following = receipts[0][3] if count else far  # the date of the next receipt to push
        receipt: _Receipt | None
        for number, day, issued, posted in issues:
            while following <= day and pushed < count:  # (an issue may be dated date.max itself)
                receipt = receipts[pushed]
                stack.append(receipt)
                quantity += receipt[0]
                value += receipt[1]
                pushed += 1
                following = receipts[pushed][3] if pushed < count else far
            receipt = stack[-1] if stack else None
            if receipt is not None and issued < receipt[0]:  # the usual issue: part of the top receipt
                held, worth = receipt[0], receipt[1]
                share = quantize(worth * issued / held, quantum)
                receipt[0] = held - issued
                receipt[1] = worth - share
                settled = ZERO + share
                source = receipt[2]
            elif receipt is not None and issued == receipt[0]:  # all of the top receipt
                held, worth = receipt[0], receipt[1]
                receipt[0] = held - held
                receipt[1] = worth - worth
                settled = ZERO + worth
                source = receipt[2]
                stack.pop()
            else:
                took, source = self._take(issued)
                if took is None:
                    return False
                settled = took
            quantity -= issued
            value -= settled
            # what it was posted at, less what it settled at (settled + Decimal 0 is settled:
            # a sum that starts from Decimal 0)
            amount = -posted - settled
            if amount:  # Book.adjust, written out: an issue is settled by one close, once
                cost[number] = posted + amount
                adjustments[number] = [(date, SETTLEMENT, amount, source)]
        for receipt in receipts[pushed:]:
            stack.append(receipt)
            quantity += receipt[0]
            value += receipt[1]
        self.quantity, self.value = quantity, value
        return True

    def _take(self, need: Decimal) -> tuple[Decimal | None, int | None]:
        """An issue of ``need`` from the top of the stack, over several receipts or none: what it
        settled at and its source (the receipt, when one gave it all); (None, None) when the
        stack runs out."""
        quantum, quantize = self.group.quantum, HALF_UP.quantize
        assert quantum is not None, "is_plain_close takes only groups with one"
        stack = self.stack
        settled = ZERO
        source: int | None = None
        several = False
        while need:
            if not stack:
                return None, None
            receipt = stack[-1]
            held, worth = receipt[0], receipt[1]
            if need < held:
                taken = need
                share = quantize(worth * taken / held, quantum)
            else:
                taken = held
                share = worth
            receipt[0] = held - taken
            receipt[1] = worth - share
            need -= taken
            settled += share
            if source is None and not several:
                source = receipt[2]
            elif source != receipt[2]:
                source, several = None, True
            if not receipt[0]:
                stack.pop()
        return settled, source
