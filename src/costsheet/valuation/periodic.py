"""Periodic averages: Business Central's ``average``, and the pool of F&O's weighted-average closes.

The rules are in docs/valuation.md ("Average (Business Central)", "Weighted
average (F&O inventory close)", "Decisions where the spec is silent").  Both
value every decrease of an average-cost period at

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

An ``applies-from`` increase (a return) takes its decrease's value and joins
the pool after the period's decreases are valued: it is no cost source for
them.  Physically updated entries take no part (:mod:`.physical`).

The two uses differ in where a charge counts: under ``average`` a charge
counts in the period of the increase it is added to (Business Central's
valuation date); under ``weighted-average`` and ``weighted-average-date``
(``settle``) a charge counts in the period of its own date (a closed period
stays closed; one dated before its increase's period counts in the
increase's), and the share of a late charge that belongs to quantity already
issued, and any value a close leaves with nothing on hand, go to the
decreases as adjustments dated at the close
(:mod:`costsheet.valuation.settlement`).  A revaluation applies at the close
of its period to the quantity on hand.  The F&O models post each issue at
the running average first; :mod:`costsheet.valuation.closing` closes their
periods with this pool and books the difference as a ``settlement``.

The steps: :func:`split_by_period` sorts the group's lines into periods and
:class:`PeriodicRun` closes the periods one by one.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..model import LedgerEntry
from ..numbers import ZERO
from .physical import value_physical
from .prepare import Book, ChargeEvent, Group, OpenDecrease, RevaluationEvent, Rounder
from .result import APPLICATION, RevaluationAmount
from .settlement import Close

__all__ = ["value_periodic", "split_by_period", "Periods", "PeriodicRun"]

ONE = Decimal(1)
_NUMBER = operator.attrgetter("number")
_DATE_NUMBER = operator.attrgetter("date", "number")


def value_periodic(group: Group, book: Book) -> Decimal:
    """Value ``group`` by Business Central's periodic average; returns the value on hand.
    See the module docstring; physical entries are valued apart (:mod:`.physical`)."""
    periods = split_by_period(group, book, settle=False)
    run = PeriodicRun(group, book, periods, settle=False)
    for period in periods.in_order():
        run.close_period(period)
    return run.value + value_physical(group, book)


@attrs.frozen
class Periods:
    """The group's lines by average-cost period (keyed by the period's first day)."""

    increases: dict[dt.date, list[LedgerEntry]]
    decreases: dict[dt.date, list[LedgerEntry]]
    returns: dict[dt.date, list[LedgerEntry]]  # applies-from increases: they join after the period's decreases
    charges: dict[dt.date, Decimal]  # charge value counted in the period, without quantity
    late_charges: dict[dt.date, list[ChargeEvent]]  # weighted average: charges after their increase's period
    revaluations: dict[dt.date, list[RevaluationEvent]]
    own: dict[int, Decimal]  # each increase's own cost, rounded (charges are counted by period)
    by_number: dict[int, LedgerEntry]

    def in_order(self) -> list[dt.date]:
        """Every period that has something in it, in date order."""
        return sorted(
            {*self.increases, *self.decreases, *self.returns, *self.charges, *self.revaluations, *self.late_charges}
        )


def split_by_period(group: Group, book: Book, settle: bool) -> Periods:
    """Sort the group's financially updated lines into average-cost periods; books each
    increase's cost (its own cost and its charges) on ``book``."""
    rnd = group.round
    start = group.period_start
    physical = group.physical
    entries = [e for e in group.entries if e.number not in physical] if physical else group.entries
    returned = group.returned
    by_number = dict(zip(map(_NUMBER, entries), entries, strict=True))
    charges = [c for c in group.charges if c.entry in by_number] if physical else group.charges
    charged: dict[int, Decimal] = {}
    for charge in charges:
        charged[charge.entry] = charged.get(charge.entry, ZERO) + rnd(charge.amount)
    increases: dict[dt.date, list[LedgerEntry]] = {}
    decreases: dict[dt.date, list[LedgerEntry]] = {}
    returns: dict[dt.date, list[LedgerEntry]] = {}
    own: dict[int, Decimal] = {}
    cost = book.cost
    date = None
    for entry in entries:
        if entry.date != date:  # entries of one date come together: one period lookup for them
            date = entry.date
            period = start(date)
            arriving = leaving = None  # the period's lists, fetched when first needed
        if entry.quantity > 0:
            number = entry.number
            if entry.applies_from is not None:
                returns.setdefault(period, []).append(entry)
                mine = own[number] = returned.get(number, ZERO)
            else:
                if arriving is None:
                    arriving = increases.setdefault(period, [])
                arriving.append(entry)
                mine = own[number] = rnd(entry.cost) if entry.cost is not None else ZERO
            cost[number] = cost.get(number, ZERO) + (mine + charged.get(number, ZERO))  # Book.add, inlined
        else:
            if leaving is None:
                leaving = decreases.setdefault(period, [])
            leaving.append(entry)
    counted, late = _charges_by_period(group, charges, by_number, settle)
    revaluations: dict[dt.date, list[RevaluationEvent]] = {}
    for revaluation in group.revaluations:
        revaluations.setdefault(start(revaluation.date), []).append(revaluation)
    return Periods(increases, decreases, returns, counted, late, revaluations, own, by_number)


def _charges_by_period(
    group: Group, charges: Sequence[ChargeEvent], by_number: dict[int, LedgerEntry], settle: bool
) -> tuple[dict[dt.date, Decimal], dict[dt.date, list[ChargeEvent]]]:
    """(charge value counted in each period, late charges by their own period).

    A charge counts in its increase's period; under weighted average one dated in a later
    period is a late charge of that period (the close gives the issues their share).
    """
    rnd = group.round
    start = group.period_start
    counted: dict[dt.date, Decimal] = {}
    late: dict[dt.date, list[ChargeEvent]] = {}
    for charge in charges:
        home = start(by_number[charge.entry].date)
        when = start(charge.date) if settle else home
        if when > home:
            late.setdefault(when, []).append(charge)
        else:
            counted[home] = counted.get(home, ZERO) + rnd(charge.amount)
    return counted, late


class PeriodicRun:
    """The pool of one group closed period by period: see the module docstring.

    Mutable, like :class:`~costsheet.valuation.prepare.Book`; lives inside one call.
    """

    def __init__(self, group: Group, book: Book, periods: Periods, settle: bool):
        self.group = group
        self.book = book
        self.periods = periods
        self.quantity = ZERO  # in the pool
        self.value = ZERO
        # the last known average as (value, quantity): amounts are value x quantity taken / quantity,
        # multiplied before they are divided, so that an exact amount comes out exact (60.95 x 3 / 6 = 30.475)
        self.average: tuple[Decimal, Decimal] | None = None
        self.open_decreases: list[OpenDecrease] = []
        self.received: list[int] = []  # increases so far
        self.revalued: dict[int, Decimal] = {}  # increase -> unit cost set by a later revaluation
        self.booked: dict[int, Decimal] = {}  # adjustments booked before the final settlement
        self.close = Close(group, book, self.booked) if settle else None
        # the close keeps what each period issued only when there are late charges
        self.track = self.close is not None and bool(periods.late_charges)

    def close_period(self, period: dt.date) -> None:
        """Receive the period's increases, value its decreases, revalue, close."""
        periods = self.periods
        close = self.close
        tracked = close if self.track else None  # the close, when it keeps what the period issued
        arriving = periods.increases.get(period, ())
        filled: list[tuple[LedgerEntry, Decimal]] = []
        if self.open_decreases and arriving:
            self._fill_open_decreases(arriving, filled if tracked is not None else None)
        self._receive(arriving)
        self.value += periods.charges.get(period, ZERO)
        if tracked is not None and period in periods.late_charges:
            self.value += tracked.late_charges(periods.late_charges[period], periods.by_number, period)
        leaving = periods.decreases.get(period, ())
        floating = self._issue_fixed(leaving)
        available = self.quantity
        if floating:
            self._issue_at_average(floating)
        if tracked is not None:
            tracked.record(period, sum((e.quantity for e in arriving), ZERO), filled, available, floating)
        returning = periods.returns.get(period, ())
        if returning:  # no cost source for the period's own decreases: they join the pool after them
            self._receive(returning)
        self._revalue(periods.revaluations.get(period, ()))
        if close is not None:
            close.seen(floating, leaving)
            if not self.quantity and self.value:
                self.value = close.settle_rest(period, self.value)

    def _receive(self, arriving: Sequence[LedgerEntry]) -> None:
        """The period's increases join the pool at their own cost."""
        own = self.periods.own
        received = self.received
        quantity = self.quantity
        value = self.value
        for entry in arriving:
            received.append(entry.number)
            quantity += entry.quantity
            value += own[entry.number]
        self.quantity = quantity
        self.value = value

    def _fill_open_decreases(
        self, arriving: Sequence[LedgerEntry], filled: list[tuple[LedgerEntry, Decimal]] | None
    ) -> None:
        """Apply the open decreases to the period's increases at their average cost.

        The rounding residual carries as under average; each decrease books the difference
        from its provisional value as an ``application`` adjustment.  ``filled``, when given,
        receives (decrease, quantity) for each application (the weighted-average close gives
        those decreases their share of a late charge).
        """
        rnd = self.group.round
        book = self.book
        booked = self.booked
        own = self.periods.own
        open_decreases = self.open_decreases
        quantity = sum((e.quantity for e in arriving), ZERO)
        arrived_value, arrived = sum((own[e.number] for e in arriving), ZERO), quantity
        taken = ZERO
        worth_so_far = ZERO
        while open_decreases and quantity > 0:
            pending = open_decreases[0]
            take = min(pending.quantity, quantity)
            released = pending.release(take, rnd)
            taken += take
            worth = rnd(arrived_value * taken / arrived) - worth_so_far  # the rounding residual carries
            worth_so_far += worth
            change = worth - released
            book.adjust(pending.decrease, APPLICATION, -change, None)
            booked[pending.decrease.number] = booked.get(pending.decrease.number, ZERO) - change
            self.value -= change
            quantity -= take
            if filled is not None:
                filled.append((pending.decrease, take))
            if not pending.quantity:
                open_decreases.pop(0)

    def _issue_fixed(self, leaving: Sequence[LedgerEntry]) -> list[LedgerEntry]:
        """Value the period's decreases with ``applies-to`` at their increase's (or its
        revaluation's) unit cost; returns the others, the unmarked ones."""
        rnd = self.group.round
        by_number = self.periods.by_number
        cost = self.book.cost
        revalued = self.revalued
        floating = []
        for entry in leaving:
            target = by_number.get(entry.applies_to) if entry.applies_to is not None else None
            if target is None or target.quantity <= 0:
                floating.append(entry)
                continue
            unit = revalued.get(target.number)
            fixed = rnd((unit if unit is not None else cost[target.number] / target.quantity) * -entry.quantity)
            cost[entry.number] = -fixed
            self.quantity += entry.quantity
            self.value -= fixed
        return floating

    def _issue_at_average(self, floating: list[LedgerEntry]) -> None:
        """Value the unmarked decreases at the period's average; what goes beyond the quantity on
        hand stays open."""
        if self.quantity > 0:
            self.average = (self.value, self.quantity)
        already_open = sum((o.quantity for o in self.open_decreases), ZERO)
        self.value, self.quantity = _value_at_average(
            floating, self.average or (ZERO, ONE), self.value, self.quantity, self.group.round, self.book.cost
        )
        _open(floating, -self.quantity - already_open, self.value, self.group.round, self.open_decreases)

    def _revalue(self, revaluations: Sequence[RevaluationEvent]) -> None:
        """At the period's close each revaluation sets the unit cost of the quantity on hand."""
        rnd = self.group.round
        for revaluation in sorted(revaluations, key=lambda r: r.sequence):
            if self.quantity <= 0:
                continue
            amount = rnd(revaluation.unit_cost * self.quantity) - self.value
            if amount:
                self.book.revaluations.append(RevaluationAmount(revaluation.date, None, amount))
                self.value += amount
            self.average = (revaluation.unit_cost, ONE)
            for number in self.received:  # units still to be fixed-applied are revalued too
                self.revalued[number] = revaluation.unit_cost


def _open(
    decreases: list[LedgerEntry], over: Decimal, value: Decimal, rnd: Rounder, open_decreases: list[OpenDecrease]
) -> None:
    """The last ``over`` units issued beyond the quantity on hand stay open.

    Together the open decreases hold exactly the (negative) value on hand, so
    that filling them later brings the value back without a residual.
    """
    if over <= 0:
        return
    new: list[OpenDecrease] = []
    for entry in reversed(decreases):
        if over <= 0:
            break
        take = min(-entry.quantity, over)
        new.insert(0, OpenDecrease(entry, take, ZERO))
        over -= take
    held = -value - sum((o.value for o in open_decreases), ZERO)
    total = sum((o.quantity for o in new), ZERO)
    spread = ZERO
    for index, pending in enumerate(new):
        pending.value = held - spread if index == len(new) - 1 else rnd(held * pending.quantity / total)
        spread += pending.value
    open_decreases.extend(new)


def _value_at_average(
    decreases: list[LedgerEntry],
    average: tuple[Decimal, Decimal],
    value: Decimal,
    quantity: Decimal,
    rnd: Rounder,
    cost: dict[int, Decimal],
) -> tuple[Decimal, Decimal]:
    """Value ``decreases`` at ``average`` ((value, quantity): value x cumulative / quantity),
    carrying the rounding residual from one to the next; returns the pool's new (value, quantity)."""
    decreases.sort(key=_DATE_NUMBER)
    average_value, average_quantity = average
    cumulative = ZERO
    booked = ZERO
    for entry in decreases:
        cumulative -= entry.quantity
        total = rnd(average_value * cumulative / average_quantity)
        cost[entry.number] = booked - total
        booked = total
    return value - booked, quantity + sum((e.quantity for e in decreases), ZERO)
