"""The weighted-average close: value that belongs to quantity already issued goes to the issues.

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
  left joins the pool of the charge's own period.
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
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..model import LedgerEntry
from ..numbers import ZERO
from .prepare import Book, ChargeLine, Group

__all__ = ["Close", "CHARGE", "SETTLEMENT"]

CHARGE = "charge"
SETTLEMENT = "settlement"


@attrs.frozen
class _Closed:
    """What one closed period did with its pool (only periods that issued something are kept)."""

    period: dt.date
    arrived: Decimal  # quantity received in the period
    filled: tuple[tuple[LedgerEntry, Decimal], ...]  # open decreases the arrivals were applied to, and how much
    available: Decimal  # quantity in the pool when the period's unmarked decreases took theirs
    floating: tuple[tuple[LedgerEntry, Decimal], ...]  # the period's unmarked decreases, (entry, quantity)

    @property
    def filled_quantity(self) -> Decimal:
        return sum((taken for _, taken in self.filled), ZERO)

    @property
    def issued(self) -> Decimal:
        return sum((taken for _, taken in self.floating), ZERO)


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
        self._latest: dt.date | None = None

    def record(self, period: dt.date, arrived: Decimal, filled: list, available: Decimal,
               floating: Sequence[LedgerEntry]) -> None:
        """Keep what ``period`` issued, for late charges (call only when there are any)."""
        if not filled and not floating:
            return
        self.closed.append(_Closed(period, arrived, tuple(filled), available,
                                   tuple((entry, -entry.quantity) for entry in floating)))
        self.periods.append(period)

    def seen(self, floating: Sequence[LedgerEntry], decreases: Sequence[LedgerEntry]) -> None:
        """Remember the latest period's decreases (where value without quantity goes)."""
        if floating:
            self.last_floating = floating
        if decreases:
            self.last_decreases = decreases

    def late_charge(self, charge: ChargeLine, increase: LedgerEntry, period: dt.date) -> Decimal:
        """Give the periods closed since ``increase`` their share of ``charge``; return the rest.

        ``period`` is the charge's own period (later than the increase's); the
        shares are dated at its close.
        """
        group = self.group
        amount = group.round(charge.amount)
        home = group.period_start(increase.date)
        date = self.close_date(period)
        for closed in self.closed[bisect.bisect_left(self.periods, home):]:
            if not amount:
                break
            if closed.period == home and closed.filled:
                amount -= self._share(amount, closed.filled, closed.filled_quantity, closed.arrived,
                                      date, CHARGE, increase.number)
            if closed.floating and amount:
                amount -= self._share(amount, closed.floating, closed.issued, closed.available,
                                      date, CHARGE, increase.number)
        return amount

    def settle_rest(self, period: dt.date, value: Decimal) -> Decimal:
        """Nothing is on hand at ``period``'s close: ``value`` goes to the latest decreases; returns what is left."""
        targets = self.last_floating or self.last_decreases
        if not targets:  # cannot happen: quantity 0 after an increase means something was issued
            return value
        pairs = tuple((entry, -entry.quantity) for entry in targets)
        total = sum((taken for _, taken in pairs), ZERO)
        self._share(value, pairs, total, total, self.close_date(period), SETTLEMENT, None)
        return ZERO

    def _share(self, amount: Decimal, pairs: Sequence[tuple[LedgerEntry, Decimal]], taken: Decimal,
               pool: Decimal, date: dt.date, kind: str, source: int | None) -> Decimal:
        """Book the part of ``amount`` that ``taken`` of ``pool`` carries on ``pairs`` by quantity."""
        rnd = self.group.round
        share = amount if taken >= pool else rnd(amount * taken / pool)
        if not share:
            return share
        booked = self.booked
        adjust = self.book.adjust
        cumulative = ZERO
        done = ZERO
        for entry, quantity in pairs:
            cumulative += quantity
            total = rnd(share * cumulative / taken)
            part = total - done
            done = total
            if part:
                adjust(entry, kind, -part, source, date)
                booked[entry.number] = booked.get(entry.number, ZERO) - part
        return share

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
            self._latest = max(line.date for line in (*group.entries, *group.charges, *group.revaluations))
        return self._latest
