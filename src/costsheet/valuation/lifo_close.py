"""The LIFO closes of Finance & Operations: ``periodic-lifo`` (LIFO) and ``lifo-date`` (LIFO date).

The rules are in docs/valuation.md ("The inventory close models").  At each
close, after the marked pairs (``applies-to``: the issue takes the receipt it
names), the financially updated issues not settled yet are settled against
the open financial receipts:

* ``periodic-lifo``: issue by issue in date order (then posting order), each
  takes the newest open receipt on hand at the close, even one dated after
  the issue (F&O: "the last receipt is matched against the first issue");
* ``lifo-date``: issue by issue in date order, the issues of one date from
  the last written to the first ("the order of last issue, last receipt"),
  each takes the newest open receipt dated on or before it; when there is
  none, the receipts dated after it, nearest first.

Receipts are ordered by financial date, then entry number.  A return
(``applies-from``) is taken only by issues written after it and dated on or
after it, so that a return never settles the issue it comes from.  What an
issue takes is the receipt's open value x quantity taken / open quantity
(the last units take what is left), so a receipt never leaves a residual.
What no receipt covers stays unsettled at its running average and is settled
at a later close.

A charge (or an invoice difference) on a receipt counts at the close of its
own period (or of the receipt's, when that is later): the share of the
quantity already settled goes to those issues (``charge`` adjustments dated
at the close), the rest joins the receipt's open value.  A revaluation at
the close sets the unit cost of the open quantity of the receipts it
reaches.  With ``include-physical-value yes`` a physically updated issue is
adjusted, not settled, to the next receipts by the same rule, financial or
physical (F&O's LIFO article: "transaction 6a will be adjusted to the
receipt transaction cost of 4a"); each physical receipt serves the physical
issues once.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..model import LedgerEntry
from ..numbers import ZERO
from .physical import Shadow
from .prepare import Book, ChargeEvent, Group, RevaluationEvent, Rounder
from .result import PHYSICAL, SETTLEMENT, RevaluationAmount
from .running import receipt_value

__all__ = ["ReceiptSettler", "periodic_lifo_settler", "lifo_date_settler"]


@attrs.define(slots=True, eq=False)
class _Receipt:
    """A financial receipt while it has quantity open.  Mutable; lives inside one call."""

    entry: LedgerEntry
    key: tuple[dt.date, int]  # (financial date, entry number)
    quantity: Decimal
    open: Decimal
    value: Decimal  # of the open quantity
    settled: list[tuple[LedgerEntry, Decimal]] = attrs.Factory(list)  # (issue, quantity) settled against it


@attrs.define(slots=True, eq=False)
class _Issue:
    """A financial issue while part of it is not settled."""

    entry: LedgerEntry
    need: Decimal  # not settled yet
    running: Decimal  # what it was posted at (positive)
    cost: Decimal  # what its cost is now (positive)
    settled: Decimal = ZERO  # the value of what is settled
    sources: set[int] = attrs.Factory(set)

    def unsettled(self, rnd: Rounder) -> Decimal:
        """The running cost of the part not settled yet."""
        quantity = -self.entry.quantity
        if self.need == quantity:
            return self.running
        return rnd(self.running * self.need / quantity) if self.need else ZERO


class ReceiptSettler:
    """The closes of one group under a LIFO model; see the module docstring."""

    def __init__(self, group: Group, financial: Group, book: Book, by_date: bool):
        self.group = group
        self.book = book
        self.by_date = by_date
        self.rnd = group.round
        close_start = group.close_start or group.period_start
        self.close_start = close_start
        by_number = {e.number: e for e in financial.entries}
        self.by_number = by_number
        self.receipts: dict[dt.date, list[LedgerEntry]] = {}
        self.issues: dict[dt.date, list[LedgerEntry]] = {}
        cost = book.cost
        self.received: dict[int, Decimal] = {}  # what each receipt is worth when received
        for entry in financial.entries:
            bucket = self.receipts if entry.quantity > 0 else self.issues
            bucket.setdefault(close_start(entry.date), []).append(entry)
            if entry.quantity > 0:
                value = self.received[entry.number] = receipt_value(financial, entry)
                cost[entry.number] = cost.get(entry.number, ZERO) + value
        self.charges: dict[dt.date, list[ChargeEvent]] = {}
        for charge in financial.charges:
            home = max(close_start(charge.date), close_start(by_number[charge.entry].date))
            self.charges.setdefault(home, []).append(charge)
            cost[charge.entry] += self.rnd(charge.amount)
        self.revaluations: dict[dt.date, list[RevaluationEvent]] = {}
        for revaluation in financial.revaluations:
            self.revaluations.setdefault(close_start(revaluation.date), []).append(revaluation)
        self.periods = sorted({*self.receipts, *self.issues, *self.charges, *self.revaluations})
        self.next = 0
        self.open: list[_Receipt] = []  # by key
        self.keys: list[tuple[dt.date, int]] = []  # self.open's keys, for bisect
        self.found: dict[int, _Receipt] = {}  # every receipt by entry number
        self.pending: list[_Issue] = []
        physical = group.physically_updated()
        # the receipts that are physically updated at some close (until their invoice, if any)
        unfinished = [
            e for e in group.entries if e.quantity > 0 and (e.number in physical or e.expected_cost is not None)
        ]
        charged: dict[int, Decimal] = {}  # their charges stay with them
        numbers = {e.number for e in unfinished}
        for charge in group.charges:
            if charge.entry in numbers:
                charged[charge.entry] = charged.get(charge.entry, ZERO) + self.rnd(charge.amount)
        self.physical_receipts: list[Shadow] = [
            [e, e.quantity, receipt_value(group, e) + charged.get(e.number, ZERO)] for e in unfinished
        ]
        self.physical_issues: dict[dt.date, list[LedgerEntry]] = {}
        if group.include_physical:
            for e in group.entries:
                if e.number in physical and e.quantity < 0:
                    self.physical_issues.setdefault(close_start(e.date), []).append(e)
        self.invoice_dates = {i.entry: i.date for i in group.invoices}

    # ------------------------------------------------------------ one close

    def close(self, period: dt.date, date: dt.date, running: dict[int, Decimal]) -> Decimal:
        periods = self.periods
        touched: list[_Issue] = []
        while self.next < len(periods) and periods[self.next] <= period:
            here = periods[self.next]
            self.next += 1
            for entry in self.receipts.get(here, ()):
                self._receive(entry)
            for charge in self.charges.get(here, ()):
                self._charge(charge, date)
            for entry in self.issues.get(here, ()):
                value = running.get(entry.number, ZERO)
                self.pending.append(_Issue(entry, -entry.quantity, value, value))
        self._settle(touched)
        self._book(touched, date)
        change = self._adjust_physical(self.physical_issues.get(period, ()), date, running)
        for revaluation in sorted(self.revaluations.get(period, ()), key=lambda r: r.sequence):
            self._revalue(revaluation)
        return change

    def on_hand(self) -> tuple[Decimal, Decimal]:
        quantity = sum((r.open for r in self.open), ZERO) - sum((i.need for i in self.pending), ZERO)
        value = sum((r.value for r in self.open), ZERO) - sum((i.cost - i.settled for i in self.pending), ZERO)
        return quantity, value

    def open_revaluation(self, revaluation: RevaluationEvent, changed: Mapping[int, Decimal]) -> Decimal | None:
        """Before its close, a revaluation of one receipt adds what it changes on that receipt, as
        F&O's adjustment of a receipt transaction changes the item's inventory value when posted:
        the unit cost times the quantity the last close left open of it (all of it when no close
        has reached it yet), less that quantity's value then, with the receipt's charges and the
        period's earlier revaluations of it (``changed``) counted so far.  0 for a receipt its
        close will not find open (not financially updated, or in a later period); None for a
        per-item revaluation."""
        number = revaluation.entry
        if number is None:
            return None
        period = self.close_start(revaluation.date)
        receipt = self.found.get(number)
        if receipt is not None:
            quantity, value = receipt.open, receipt.value
        else:
            entry = self.by_number.get(number)
            if entry is None or entry.quantity <= 0 or self.close_start(entry.date) > period:
                return ZERO
            quantity, value = entry.quantity, self.received[number]
        if not quantity:
            return ZERO
        for home in self.periods[self.next :]:  # the charges of the periods not closed yet
            if home > period:
                break
            for charge in self.charges.get(home, ()):
                if charge.entry == number and charge.sequence < revaluation.sequence:
                    value += self.rnd(charge.amount)
        return self.rnd(revaluation.unit_cost * quantity) - (value + changed.get(number, ZERO))

    # ------------------------------------------------------------ receipts and their changes

    def _receive(self, entry: LedgerEntry) -> None:
        receipt = _Receipt(
            entry, (entry.date, entry.number), entry.quantity, entry.quantity, self.received[entry.number]
        )
        self.found[entry.number] = receipt
        index = bisect.bisect(self.keys, receipt.key)
        self.keys.insert(index, receipt.key)
        self.open.insert(index, receipt)

    def _charge(self, charge: ChargeEvent, date: dt.date) -> None:
        """The share of the quantity already settled goes to those issues, the rest stays open."""
        receipt = self.found[charge.entry]
        amount = self.rnd(charge.amount)
        settled = receipt.quantity - receipt.open
        to_issues = amount if not receipt.open else self.rnd(amount * settled / receipt.quantity)
        receipt.value += amount - to_issues
        if not to_issues:
            return
        cumulative = done = ZERO
        pending = {issue.entry.number: issue for issue in self.pending}
        for issue, quantity in receipt.settled:
            cumulative += quantity
            total = self.rnd(to_issues * cumulative / settled)
            part = total - done
            done = total
            self.book.adjust(issue, charge.kind, -part, receipt.entry.number, date)
            still = pending.get(issue.number)
            if still is not None:
                still.cost += part
                still.settled += part

    def _revalue(self, revaluation: RevaluationEvent) -> None:
        """Set the unit cost of the open quantity of the receipts the revaluation reaches."""
        total = ZERO
        for receipt in self.open:
            entry = receipt.entry
            reached = (
                entry.number == revaluation.entry
                if revaluation.entry is not None
                else (entry.number <= revaluation.after and receipt.key[0] <= revaluation.date)
            )
            if not reached or not receipt.open:
                continue
            target = self.rnd(revaluation.unit_cost * receipt.open)
            amount = target - receipt.value
            receipt.value = target
            total += amount
            if revaluation.entry is not None:
                self.book.add(entry.number, amount)
        if total:
            self.book.revaluations.append(RevaluationAmount(revaluation.date, revaluation.entry, total))

    # ------------------------------------------------------------ settling the issues

    def _settle(self, touched: list[_Issue]) -> None:
        pending = self.pending
        for issue in pending:  # marked pairs first
            target = issue.entry.applies_to
            receipt = self.found.get(target) if target is not None else None
            if receipt is not None and receipt.open:
                self._take(issue, receipt, touched)
        if self.by_date:
            order = sorted(pending, key=lambda i: (i.entry.date, -i.entry.number))
        else:
            order = sorted(pending, key=lambda i: (i.entry.date, i.entry.number))
        for issue in order:
            while issue.need:
                receipt = self._pick(issue.entry)
                if receipt is None:
                    break
                self._take(issue, receipt, touched)
        self.pending = [issue for issue in pending if issue.need]

    def _pick(self, issue: LedgerEntry) -> _Receipt | None:
        """The receipt ``issue`` takes next (see the module docstring)."""
        open_receipts = self.open
        end = len(open_receipts)
        if self.by_date:
            end = bisect.bisect(self.keys, (issue.date, float("inf")))
        for index in range(end - 1, -1, -1):
            receipt = open_receipts[index]
            if self._may_take(issue, receipt):
                return receipt
        for index in range(end, len(open_receipts)):  # lifo-date: none before it, the nearest after
            receipt = open_receipts[index]
            if self._may_take(issue, receipt):
                return receipt
        return None

    @staticmethod
    def _may_take(issue: LedgerEntry, receipt: _Receipt) -> bool:
        """A return serves only issues written after it and dated on or after it."""
        entry = receipt.entry
        return entry.applies_from is None or (entry.number < issue.number and entry.date <= issue.date)

    def _take(self, issue: _Issue, receipt: _Receipt, touched: list[_Issue]) -> None:
        quantity = min(issue.need, receipt.open)
        share = receipt.value if quantity == receipt.open else self.rnd(receipt.value * quantity / receipt.open)
        receipt.open -= quantity
        receipt.value -= share
        receipt.settled.append((issue.entry, quantity))
        issue.need -= quantity
        issue.settled += share
        issue.sources.add(receipt.entry.number)
        if not touched or touched[-1] is not issue:
            touched.append(issue)
        if not receipt.open:
            index = bisect.bisect_left(self.keys, receipt.key)
            del self.keys[index]
            del self.open[index]

    def _book(self, touched: Sequence[_Issue], date: dt.date) -> None:
        """Each issue the close settled (some of): the difference to what it showed, at the close."""
        seen: set[int] = set()
        for issue in touched:
            if id(issue) in seen:
                continue
            seen.add(id(issue))
            target = issue.settled + issue.unsettled(self.rnd)
            source = next(iter(issue.sources)) if len(issue.sources) == 1 else None
            self.book.adjust(issue.entry, SETTLEMENT, issue.cost - target, source, date)
            issue.cost = target

    # ------------------------------------------------------------ physically updated issues

    def _adjust_physical(self, issues: Sequence[LedgerEntry], date: dt.date, running: dict[int, Decimal]) -> Decimal:
        """include-physical-value: each physical issue of the period takes the cost of the next
        receipts by the rule (not settled: the financial receipts stay open); returns the sum of
        the adjustments (what the physical issues' values grew by)."""
        change = ZERO
        for issue in issues:
            issued = -issue.quantity
            estimate = running.get(issue.number, ZERO)
            target = self.by_number.get(issue.applies_to) if issue.applies_to is not None else None
            if target is not None and target.quantity > 0:
                value = self.rnd(self.book.cost.get(target.number, ZERO) / target.quantity * issued)
                source: int | None = target.number
            else:
                value, source = self._take_physical(issue, issued, estimate, date)
            self.book.adjust(issue, PHYSICAL, estimate - value, source, date)
            change += value - estimate
        return change

    def _take_physical(
        self, issue: LedgerEntry, issued: Decimal, estimate: Decimal, date: dt.date
    ) -> tuple[Decimal, int | None]:
        # [entry, (date, number), open quantity, open value, the physical receipt's shadow or None]
        candidates: list[list[Any]] = [[r.entry, r.key, r.open, r.value, None] for r in self.open]
        for held in self.physical_receipts:
            entry, quantity, value = held
            physical_until = self.invoice_dates.get(entry.number)
            if quantity > 0 and entry.date <= date and (physical_until is None or physical_until > date):
                candidates.append([entry, (entry.date, entry.number), quantity, value, held])
        candidates.sort(key=lambda c: c[1])
        if self.by_date:
            before = [c for c in candidates if c[1][0] <= issue.date]
            after = [c for c in candidates if c[1][0] > issue.date]
            ordered = before[::-1] + after
        else:
            ordered = candidates[::-1]
        value = ZERO
        need = issued
        sources: set[int | None] = set()
        for entry, _, quantity, held_value, held in ordered:
            if not need:
                break
            take = min(need, quantity)
            share = held_value if take == quantity else self.rnd(held_value * take / quantity)
            if held is not None:  # a physical receipt serves the physical issues once
                held[1] -= take
                held[2] -= share
            value += share
            need -= take
            sources.add(entry.number)
        if need:
            value += self.rnd(estimate * need / issued)
            sources.add(None)
        return value, (sources.pop() if len(sources) == 1 else None)


def periodic_lifo_settler(group: Group, financial: Group, book: Book) -> ReceiptSettler:
    return ReceiptSettler(group, financial, book, by_date=False)


def lifo_date_settler(group: Group, financial: Group, book: Book) -> ReceiptSettler:
    return ReceiptSettler(group, financial, book, by_date=True)
