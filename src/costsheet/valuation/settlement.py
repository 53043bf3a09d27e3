"""The weighted-average close: value that belongs to quantity already issued goes to the issues.

The rules are in docs/valuation.md ("Weighted average (F&O inventory close)").

Finance & Operations' inventory close settles issues against receipts and
forwards a receipt's later cost change to the issues settled against it;
under weighted average every receipt of a period is settled against the
period's virtual transfer, and the issues of the period against that
transfer, so a receipt's units are spread evenly over what the period issued
and what it carried forward.  A closed period takes no more postings: what
the close moves into one is dated at the close.

:class:`Close` keeps what each closed period settled (how much the pool held
and how much of it was issued, and which decreases took it) and applies two
rules when ``value_periodic`` runs with ``settle``:

* **A late charge** (dated in a later average-cost period than its increase)
  follows the increase's units: in the increase's own period the share its
  arrivals gave to open decreases goes to those decreases; then, period by
  period, the share issued (issued / quantity in the pool) goes to that
  period's unmarked decreases, in proportion to their quantities.  What is
  left joins the pool of the charge's own period.  Like F&O's close, one
  close posts one adjustment per decrease: the late charges of one period
  are added up per closed period before they are spread.
* **Value without quantity**: when a close leaves quantity 0 and a value, the
  value goes to the unmarked decreases of that period (or of the latest
  period that had any; failing those, the latest marked decreases), in
  proportion to their quantities.

Shares are rounded to the amount precision with the residual carried from
decrease to decrease, so the parts add up to the share exactly.  Mutable on
purpose, like :class:`~costsheet.valuation.prepare.Book`; lives inside one call.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from ..model import LedgerEntry
from ..numbers import ZERO
from .prepare import Book, ChargeEvent, Group, RevaluationEvent, Rounder
from .result import CHARGE, SETTLEMENT

__all__ = ["Close"]


@attrs.frozen
class _Closed:
    """What one closed period did with its pool (only periods that issued something are kept)."""

    period: dt.date
    arrived: Decimal  # quantity received in the period
    filled: tuple[tuple[LedgerEntry, Decimal], ...]  # open decreases the arrivals were applied to, and how much
    filled_quantity: Decimal
    available: Decimal  # quantity in the pool when the period's unmarked decreases took theirs
    floating: tuple[tuple[LedgerEntry, Decimal], ...]  # the period's unmarked decreases, (entry, quantity)
    issued: Decimal


@attrs.define(slots=True, eq=False)
class _Reached:
    """What the late charges of one period give one closed period, added up before it is spread."""

    to_filled: Decimal  # for the open decreases the closed period's arrivals filled
    to_floating: Decimal  # for its unmarked decreases
    source: int | None  # the charged increase; None when the charges of several reach the period

    def add(self, to_filled: Decimal, to_floating: Decimal, source: int) -> None:
        self.to_filled += to_filled
        self.to_floating += to_floating
        if self.source != source:
            self.source = None


class Close:
    """The weighted-average close of one group: see the module docstring."""

    def __init__(self, group: Group, book: Book, booked: dict[int, Decimal]):
        """``booked`` collects, per decrease, the adjustments booked here (the final settlement
        leaves them out of the difference it books)."""
        self.group = group
        self.book = book
        self.booked = booked
        self.closed: list[_Closed] = []
        self.periods: list[dt.date] = []  # self.closed's periods, for bisect
        self.last_floating: Sequence[LedgerEntry] = ()
        self.last_decreases: Sequence[LedgerEntry] = ()
        # decreases an applies-from increase takes its cost from
        self.sources = frozenset(e.applies_from for e in group.entries if e.applies_from is not None)
        self._latest: dt.date | None = None

    def record(
        self,
        period: dt.date,
        arrived: Decimal,
        filled: list[tuple[LedgerEntry, Decimal]],
        available: Decimal,
        floating: Sequence[LedgerEntry],
    ) -> None:
        """Keep what ``period`` issued, for late charges (call only when there are any)."""
        if not filled and not floating:
            return
        pairs = tuple((entry, -entry.quantity) for entry in floating)
        self.closed.append(
            _Closed(
                period,
                arrived,
                tuple(filled),
                sum((q for _, q in filled), ZERO),
                available,
                pairs,
                sum((q for _, q in pairs), ZERO),
            )
        )
        self.periods.append(period)

    def seen(self, floating: Sequence[LedgerEntry], decreases: Sequence[LedgerEntry]) -> None:
        """Remember the latest period's decreases (where value without quantity goes)."""
        if floating:
            self.last_floating = floating
        if decreases:
            self.last_decreases = decreases

    def late_charges(
        self, charges: Sequence[ChargeEvent], by_number: Mapping[int, LedgerEntry], period: dt.date
    ) -> Decimal:
        """Give the periods closed since each charge's increase their share; return what is left.

        ``period`` is the charges' own period (later than their increases');
        the shares are dated at its close.  The close posts one adjustment per
        decrease: the shares of all ``charges`` that reach one closed period
        are added up and spread once (so the rows grow with decreases x
        closes, not decreases x charges); ``source`` is the increase when
        they all came from one, else None.
        """
        reached: dict[int, _Reached] = {}  # index in self.closed -> what the charges give it
        rest = ZERO
        for charge in charges:
            rest += self._follow(charge, by_number[charge.entry], reached)
        date = self.close_date(period)
        for index, share in reached.items():
            past = self.closed[index]
            self._spread(share.to_filled, past.filled, past.filled_quantity, date, CHARGE, share.source)
            self._spread(share.to_floating, past.floating, past.issued, date, CHARGE, share.source)
        return rest

    def _follow(self, charge: ChargeEvent, increase: LedgerEntry, reached: dict[int, _Reached]) -> Decimal:
        """Follow one late charge through the periods closed since its increase's own: each
        takes the share its decreases carry (added up in ``reached``); returns what is left."""
        rnd = self.group.round
        home = self.group.period_start(increase.date)
        closed = self.closed
        amount = rnd(charge.amount)
        index = bisect.bisect_left(self.periods, home)
        while amount and index < len(closed):
            past = closed[index]
            to_filled = to_floating = ZERO
            if past.period == home and past.filled:
                to_filled = _part(amount, past.filled_quantity, past.arrived, rnd)
                amount -= to_filled
            if past.floating and amount:
                to_floating = _part(amount, past.issued, past.available, rnd)
                amount -= to_floating
            if to_filled or to_floating:
                found = reached.get(index)
                if found is None:
                    reached[index] = _Reached(to_filled, to_floating, increase.number)
                else:
                    found.add(to_filled, to_floating, increase.number)
            index += 1
        return amount

    def settle_rest(self, period: dt.date, value: Decimal) -> Decimal:
        """Nothing is on hand at ``period``'s close: ``value`` goes to the latest decreases; returns what is left.

        A decrease that an ``applies-from`` increase takes its cost from is left out: the
        value may be the return's own, and a return is no cost source for its decrease
        (docs/valuation.md, "Returns and transfers"); with no other decrease the value stays.
        """
        sources = self.sources
        targets = [e for e in self.last_floating if e.number not in sources] or [
            e for e in self.last_decreases if e.number not in sources
        ]
        if not targets:  # only returned decreases (or, which cannot happen, none at all)
            return value
        pairs = tuple((entry, -entry.quantity) for entry in targets)
        self._spread(value, pairs, sum((taken for _, taken in pairs), ZERO), self.close_date(period), SETTLEMENT, None)
        return ZERO

    def _spread(
        self,
        share: Decimal,
        pairs: Sequence[tuple[LedgerEntry, Decimal]],
        taken: Decimal,
        date: dt.date,
        kind: str,
        source: int | None,
    ) -> None:
        """Book ``share`` on ``pairs`` (decrease, quantity; ``taken`` in all) by quantity."""
        if not share:
            return
        rnd = self.group.round
        booked = self.booked
        cost = self.book.cost
        notes = self.book.adjustments
        cumulative = ZERO
        done = ZERO
        for entry, quantity in pairs:  # Book.adjust, inlined: a late charge may touch many decreases
            cumulative += quantity
            total = rnd(share * cumulative / taken)
            part = total - done
            if part:
                done = total
                number = entry.number
                cost[number] = cost.get(number, ZERO) - part
                booked[number] = booked.get(number, ZERO) - part
                note = (date, kind, -part, source)
                found = notes.get(number)
                if found is None:
                    notes[number] = [note]
                else:
                    found.append(note)

    def close_date(self, period: dt.date) -> dt.date:
        """The day ``period`` closes: its last day, or the valuation date if that is earlier.

        The open-ended last accounting period closes at the valuation date, or
        without one at the latest date in the group's ledger.
        """
        group = self.group
        end = group.period_end(period) if group.period_end is not None else None
        as_of = group.as_of
        if end is None:
            return as_of if as_of is not None else self._latest_date()
        return as_of if as_of is not None and as_of < end else end

    def _latest_date(self) -> dt.date:
        if self._latest is None:
            group = self.group
            dated: tuple[LedgerEntry | ChargeEvent | RevaluationEvent, ...] = (
                *group.entries,
                *group.charges,
                *group.revaluations,
            )
            self._latest = max(line.date for line in dated)
        return self._latest


def _part(amount: Decimal, taken: Decimal, pool: Decimal, rnd: Rounder) -> Decimal:
    """The part of ``amount`` that ``taken`` of ``pool`` carries (all of it when nothing is left)."""
    return amount if taken >= pool else rnd(amount * taken / pool)
