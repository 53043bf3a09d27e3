"""FIFO, LIFO, specific and standard: decreases take the value of the increases they are applied to.

The rules are in docs/valuation.md ("Application", "Cost adjustment", "Open
decreases").  One function serves all four methods (beancount's booking
methods share code the same way): they differ only in which open increase a
decrease takes next (the oldest or the newest by date, then entry number,
see :class:`OpenIncreases`), and in what an increase is worth (its cost, or
the standard cost with a purchase variance: :func:`increase_value`).

The general path, :class:`ApplicationRun`, works in two passes:

1. In posting order, each increase is received (it first fills the open
   decreases, oldest first) and each decrease is issued: it takes its fixed
   increase, then open increases by the method's order, and what nothing
   covers stays open at the last increase's unit cost.  An application is
   valued at the increase's value x taken / received, rounded; when an
   increase is used up its residual becomes a rounding entry.
2. Only for increases whose value changed later (item charges,
   revaluations), :func:`forward_value_changes` replays those changes in
   written order over the increase's applications and books the difference
   on each decrease as an adjustment dated like the decrease.

The fast path :func:`value_plain` values the plain ledger (no item charges,
no revaluations, a power-of-ten amount precision, every decrease covered by
what is on hand and every fixed application by its increase) in one flat
loop with everything in local variables; at anything else it gives up and
the general path starts again from a fresh book.  On a ledger whose
quantities and costs were read as integers when it was built
(``Group.columns``) the same loop runs on those integers first
(:mod:`.columnar`, FIFO, LIFO and specific); else, on a ledger of several
decreases per increase, on exact scaled integers (:mod:`.scaled`, chosen by
:func:`.scaled.pays`), Decimal in and out.
tests/valuation/test_fast_paths.py checks that both give the same result on
random ledgers, and benchmarks/bench_valuation.py measures what it saves.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import attrs

from ..diagnostics import Diagnostic
from ..model import LedgerEntry
from ..numbers import ZERO
from .columnar import value_columns
from .dated import insert_by_date
from .physical import value_physical
from .prepare import HALF_UP, Book, ChargeEvent, Group, OpenDecrease, RevaluationEvent, Rounder
from .result import APPLICATION, INVOICE, PURCHASE, REVALUATION, RevaluationAmount, RoundingEntry, Variance
from .scaled import pays, value_scaled

__all__ = [
    "value_by_application",
    "value_plain",
    "value_general",
    "is_plain",
    "increase_value",
    "forward_value_changes",
    "ApplicationRun",
    "OpenIncrease",
    "OpenIncreases",
    "Application",
]

T = TypeVar("T")


@attrs.define(slots=True, eq=False)
class Application:
    """Quantity of one increase applied to one decrease, and what the decrease took for it."""

    decrease: LedgerEntry
    quantity: Decimal
    value: Decimal  # rounded, as booked on the decrease
    exact: Decimal = ZERO  # unrounded, while later value changes are replayed


@attrs.define(slots=True, eq=False)
class OpenIncrease:
    """An increase while it has quantity left to apply."""

    entry: LedgerEntry
    base: Decimal  # what the whole increase is worth when received
    remaining: Decimal  # quantity not applied yet
    value: Decimal  # what the remaining quantity is worth: base less the shares taken
    # its applications, kept only when a charge or revaluation changes its value later
    applications: list[Application] | None = None


def is_plain(group: Group) -> bool:
    """Whether :func:`value_plain` may try ``group``: nothing changes an increase's value later,
    and every entry is financially updated and valued by its own cost."""
    return (
        group.quantum is not None
        and not group.charges
        and not group.revaluations
        and not group.physical
        and not group.returns
        and not group.uninvoiced
    )


def value_by_application(group: Group, book: Book, newest_first: bool) -> Decimal:
    """Value ``group`` by application; returns the value on hand.  See the module docstring."""
    if is_plain(group):
        if group.columns is not None and group.method != "standard":
            on_hand = value_columns(group, book, newest_first)
            if on_hand is not None:
                return on_hand
            book.clear()
        if pays(group):
            on_hand = value_scaled(group, book, newest_first)
            if on_hand is not None:
                return on_hand
            book.clear()
        on_hand = value_plain(group, book, newest_first)
        if on_hand is not None:
            return on_hand
        book.clear()
    return value_general(group, book, newest_first)


def increase_value(group: Group, book: Book, entry: LedgerEntry) -> Decimal:
    """What an increase is worth when received: its cost, rounded (0 without one), or for a
    standard item the standard cost on its date (:meth:`Group.standard_on`) of its quantity,
    the difference a purchase variance (none before the invoice of an expected cost).  An
    order's output of a standard item has no cost of its own: its variances are the order's
    (:mod:`.orders`).  An ``applies-from`` increase takes the value of the decrease it names
    (``Group.returned``), without a variance."""
    if entry.applies_from is not None:
        return group.returned.get(entry.number, ZERO)
    actual = group.round(entry.cost) if entry.cost is not None else None
    if group.method != "standard":
        return actual if actual is not None else ZERO
    base = group.round(group.standard_on(entry.date) * entry.quantity)
    if actual is not None and entry.expected_cost is None:  # an expected cost's variance comes with its invoice
        book.variance(PURCHASE, entry.number, actual - base)
    return base


# ---------------------------------------------------------------- the general path


def value_general(group: Group, book: Book, newest_first: bool) -> Decimal:
    """Any ledger: fixed applications, open decreases, charges and revaluations; physical
    entries apart (:mod:`.physical`)."""
    run = ApplicationRun(group, book, newest_first)
    physical = group.physical
    for entry in group.entries:
        if entry.number in physical:
            continue
        if entry.quantity > 0:
            run.receive(entry)
        else:
            run.issue(entry)
    on_hand = run.value_on_hand()
    if physical:
        on_hand += value_physical(group, book, run.remaining, newest_first)
    return on_hand


class OpenIncreases:
    """The increases with quantity left, in (date, entry number) order; decreases take the
    oldest (FIFO, specific, standard) or the newest (LIFO) first.  A back-dated increase goes
    in place."""

    def __init__(self, newest_first: bool):
        self.queue: deque[OpenIncrease] = deque()
        self.head = -1 if newest_first else 0
        self.drop = self.queue.pop if newest_first else self.queue.popleft

    def add(self, layer: OpenIncrease) -> None:
        queue = self.queue
        if queue and queue[-1].entry.date > layer.entry.date:
            insert_by_date(queue, layer, _LAYER_DATE)
        else:  # in date order (the usual case): no call
            queue.append(layer)

    def next(self) -> OpenIncrease | None:
        """The increase the next decrease takes, or None; used-up increases are dropped."""
        queue = self.queue
        while queue:
            layer = queue[self.head]
            if layer.remaining:
                return layer
            self.drop()
        return None


_LAYER_DATE: Callable[[OpenIncrease], dt.date] = operator.attrgetter("entry.date")


class ApplicationRun:
    """The general path's first pass over one group: see the module docstring.

    Mutable, like :class:`~costsheet.valuation.prepare.Book`; lives inside one call.
    """

    def __init__(self, group: Group, book: Book, newest_first: bool):
        self.group = group
        self.book = book
        self.layers: dict[int, OpenIncrease] = {}  # every increase by entry number
        self.open_increases = OpenIncreases(newest_first)
        self.open_decreases: deque[OpenDecrease] = deque()
        self.last_unit = ZERO  # unit cost of the last increase: what an open decrease is worth
        self.changed = {c.entry for c in group.charges} | {r.entry for r in group.revaluations if r.entry is not None}
        self.item_wide = any(r.entry is None for r in group.revaluations)
        self.remaining: list[tuple[LedgerEntry, Decimal, Decimal]] = []  # what is on hand at the end

    def receive(self, entry: LedgerEntry) -> None:
        """An increase: valued, then applied to the open decreases, then open itself."""
        base = increase_value(self.group, self.book, entry)
        self.book.cost[entry.number] = base
        changes_later = self.item_wide or entry.number in self.changed
        layer = OpenIncrease(entry, base, entry.quantity, base, [] if changes_later else None)
        self.layers[entry.number] = layer
        self.last_unit = base / entry.quantity
        if self.open_decreases and entry.applies_from is None:  # a return is no cost source for them
            self._fill_open_decreases(layer)
        if layer.remaining:
            self.open_increases.add(layer)

    def _fill_open_decreases(self, layer: OpenIncrease) -> None:
        """Apply ``layer`` to the open decreases, oldest first; each books the difference between
        its share and the provisional value it held as an ``application`` adjustment."""
        open_decreases = self.open_decreases
        while open_decreases and layer.remaining:
            pending = open_decreases[0]
            quantity = min(pending.quantity, layer.remaining)
            share = self._take(layer, quantity, pending.decrease)
            released = pending.release(quantity, self.group.round)
            if not pending.quantity:
                open_decreases.popleft()
            self.book.adjust(pending.decrease, APPLICATION, released - share, layer.entry.number)

    def issue(self, entry: LedgerEntry) -> None:
        """A decrease: its fixed increase first, then by the method's order; the rest stays open.
        Its cost is the (negative) sum of what it took."""
        need = -entry.quantity
        total = ZERO
        if entry.applies_to is not None:
            taken, value = self._take_fixed(entry, entry.applies_to, need)
            total += value  # ZERO + value, not value: the sum's exponent is part of the result
            need -= taken
        while need:
            layer = self.open_increases.next()
            if layer is None:
                break
            quantity = need if need < layer.remaining else layer.remaining
            total += self._take(layer, quantity, entry)
            need -= quantity
        if need:
            provisional = self.group.round(self.last_unit * need)
            total += provisional
            self.open_decreases.append(OpenDecrease(entry, need, provisional))
        self.book.cost[entry.number] = -total

    def _take_fixed(self, entry: LedgerEntry, target: int, need: Decimal) -> tuple[Decimal, Decimal]:
        """Take what ``entry``'s ``applies-to`` increase (``target``) has left, up to ``need``;
        (quantity, value).  Warns ``applies-to-exhausted`` when it cannot cover the decrease."""
        fixed = self.layers.get(target)
        quantity = value = ZERO
        if fixed is not None and fixed.remaining:
            quantity = min(need, fixed.remaining)
            value = self._take(fixed, quantity, entry)
        if need - quantity:
            group = self.group
            self.book.diagnostics.append(
                Diagnostic.warning(
                    "applies-to-exhausted",
                    f"entry {entry.number} of {group.item} applies to entry {entry.applies_to}, which has "
                    f"{need - quantity} too few units left; the rest is applied by the {group.method} rule",
                    entry.span,
                    hint="check the quantities, or apply the decrease to an increase with enough remaining quantity",
                )
            )
        return quantity, value

    def _take(self, layer: OpenIncrease, quantity: Decimal, decrease: LedgerEntry) -> Decimal:
        """Apply ``quantity`` of ``layer`` to ``decrease``; returns the share's value (the whole
        base for the whole increase)."""
        received = layer.entry.quantity
        share = layer.base if quantity == received else self.group.round(layer.base * quantity / received)
        layer.remaining -= quantity
        layer.value -= share
        if layer.applications is not None:
            layer.applications.append(Application(decrease, quantity, share))
        elif not layer.remaining and layer.value:
            self.book.rounding.append(RoundingEntry(layer.entry.number, -layer.value))
            layer.value = ZERO
        return share

    def value_on_hand(self) -> Decimal:
        """The second pass (later value changes), then the value on hand: what the increases
        hold less what the open decreases took provisionally."""
        standard = self.group.method == "standard"
        on_hand = ZERO
        remaining = self.remaining
        for layer in self.layers.values():
            if layer.applications is not None:
                held = forward_value_changes(self.group, self.book, layer, standard)
            elif layer.remaining:
                held = layer.value
            else:
                continue
            on_hand += held
            if layer.remaining:
                remaining.append((layer.entry, layer.remaining, held))
        for pending in self.open_decreases:
            on_hand -= pending.value
        return on_hand


# ---------------------------------------------------------------- later value changes


def _events(group: Group, increase: LedgerEntry) -> list[ChargeEvent | RevaluationEvent]:
    """The charges on ``increase`` and the revaluations that reach it, in written order."""
    events: list[ChargeEvent | RevaluationEvent] = [c for c in group.charges if c.entry == increase.number]
    events.extend(
        r
        for r in group.revaluations
        if r.entry == increase.number or (r.entry is None and increase.number <= r.after and increase.date <= r.date)
    )
    events.sort(key=lambda line: line.sequence)
    return events


def forward_value_changes(group: Group, book: Book, layer: OpenIncrease, standard: bool) -> Decimal:
    """Replay the charges and revaluations of one increase over its applications; returns its
    value on hand.

    Each application (and the quantity still on hand) keeps its exact value; after each
    change a decrease whose rounded value moved books the difference as an adjustment of the
    change's kind.  A charge on a standard item is a purchase variance, not value.
    """
    rnd = group.round
    increase = layer.entry
    received = increase.quantity
    applied = layer.applications or []
    for application in applied:
        application.exact = layer.base * application.quantity / received
    held = layer.base * layer.remaining / received  # exact value of what is still on hand
    total = layer.base
    for event in _events(group, increase):
        if isinstance(event, ChargeEvent):
            amount = rnd(event.amount)
            if standard:  # the invoice fixes the variance: invoiced - standard (none at the receipt)
                if event.kind == INVOICE:
                    assert increase.cost is not None, "an invoiced receipt has its cost"
                    extra = rnd(increase.cost) - layer.base
                else:
                    extra = ZERO
                book.variance(PURCHASE, increase.number, amount + extra)
                continue
            for application in applied:
                application.exact = application.exact + amount * application.quantity / received
            held += amount * layer.remaining / received
            kind = event.kind
        else:
            amount, held = _revalue(event, applied, held, layer.remaining, rnd)
            if not amount:
                continue
            book.revaluations.append(RevaluationAmount(event.date, increase.number, amount))
            kind = REVALUATION
        total += amount
        book.add(increase.number, amount)
        for application in applied:
            rounded = rnd(application.exact)
            if rounded != application.value:
                book.adjust(application.decrease, kind, application.value - rounded, increase.number)
                application.value = rounded
    left = total - sum((a.value for a in applied), ZERO)
    if layer.remaining:
        return left
    if left:
        book.rounding.append(RoundingEntry(increase.number, -left))
    return ZERO


def _revalue(
    event: RevaluationEvent, applied: list[Application], held: Decimal, remaining: Decimal, rnd: Rounder
) -> tuple[Decimal, Decimal]:
    """Set the unit cost of the touched applications and of what is on hand; returns the
    amount the revaluation adds (rounded) and the new exact value on hand."""
    delta = ZERO
    for application in applied:
        if event.touches(application.decrease):
            target = event.unit_cost * application.quantity
            delta += target - application.exact
            application.exact = target
    target = event.unit_cost * remaining
    delta += target - held
    return rnd(delta), target


# ---------------------------------------------------------------- the fast path


def value_plain(group: Group, book: Book, newest_first: bool) -> Decimal | None:
    """The general path's records and arithmetic for a plain ledger (see :func:`is_plain`), flat.

    Returns the value on hand, or None (the book then holds a partial result
    and must be dropped) at the first decrease that the open increases, or its
    fixed increase, cannot cover.  :func:`increase_value`, the rounding and the
    usual decrease (part of one increase, the next open one or its fixed one)
    are written out in the loop; other decreases go to :func:`_take_plain`.  An :class:`OpenIncrease` is made with
    ``object.__new__``: its ``__init__`` frame would cost about 5 % of this loop.
    """
    quantum, quantize = group.quantum, HALF_UP.quantize
    assert quantum is not None  # is_plain
    standard = group.method == "standard"
    std_cost = group.standard_cost if group.standard_cost is not None else ZERO
    dated = group.standards is not None  # dated standard costs: the standard of each receipt's date
    cost, rounding, variances = book.cost, book.rounding, book.variances
    layers: dict[int, OpenIncrease] = {}
    queue: deque[OpenIncrease] = deque()  # the open increases in (date, entry number) order
    head, drop = _queue_head(queue, newest_first)
    append, new, latest = queue.append, object.__new__, dt.date.min
    layer: OpenIncrease | None
    for entry in group.entries:
        quantity = entry.quantity
        number = entry.number
        if quantity > ZERO:  # increase_value, written out (Decimal against Decimal: faster than against 0)
            actual = entry.cost
            if actual is not None:
                actual = quantize(actual, quantum)
            if standard:
                if dated:
                    std_cost = group.standard_on(entry.date)
                base = quantize(std_cost * quantity, quantum)
                if actual is not None and actual != base:
                    variances.append(Variance(PURCHASE, number, actual - base))
            else:
                base = actual if actual is not None else ZERO
            cost[number] = base
            layer = new(OpenIncrease)  # OpenIncrease(entry, base, quantity, base) without the __init__ frame;
            layer.entry = entry  # ``applications`` stays unset: a plain ledger keeps none
            layer.base = layer.value = base
            layer.remaining = quantity
            layers[number] = layer
            if entry.date >= latest:  # the queue is in date order, so its last date is at most ``latest``
                latest = entry.date
                append(layer)
            else:
                insert_by_date(queue, layer, _LAYER_DATE)
            continue
        need = -quantity
        fixed = entry.applies_to
        layer = (queue[head] if queue else None) if fixed is None else layers.get(fixed)
        if layer is not None and need < layer.remaining:  # the usual decrease: part of one increase
            share = quantize(layer.base * need / layer.entry.quantity, quantum)
            layer.remaining -= need
            layer.value -= share
            cost[number] = -(ZERO + share)
            continue
        total = _take_plain(need, fixed, layers, queue, head, drop, quantum, rounding)
        if total is None:
            return None
        cost[number] = -total
    return sum((layer.value for layer in layers.values() if layer.remaining), ZERO)


def _queue_head(queue: deque[OpenIncrease], newest_first: bool) -> tuple[int, Callable[[], OpenIncrease]]:
    """Where decreases take from ``queue`` and how a used-up increase leaves it."""
    return (-1, queue.pop) if newest_first else (0, queue.popleft)


def _take_plain(
    need: Decimal,
    fixed: int | None,
    layers: dict[int, OpenIncrease],
    queue: deque[OpenIncrease],
    head: int,
    drop: Callable[[], OpenIncrease],
    quantum: Decimal,
    rounding: list[RoundingEntry],
) -> Decimal | None:
    """:meth:`ApplicationRun._take` over the fixed increase, then the open ones, in a plain ledger;
    the value taken, or None when what is left cannot cover ``need`` (the general path then
    warns ``applies-to-exhausted`` or keeps an open decrease)."""
    quantize = HALF_UP.quantize
    total = ZERO
    layer: OpenIncrease | None
    while need:
        if fixed is not None:
            layer = layers.get(fixed)
            fixed = None
            if layer is None or layer.remaining < need:
                return None
        elif queue:
            layer = queue[head]
        else:
            return None
        remaining = layer.remaining
        if not remaining:  # used up by a fixed application
            drop()
            continue
        if need >= remaining and layer is queue[head]:
            drop()  # used up now: the next decrease finds a live increase at the head
        received = layer.entry.quantity
        taken = need if need < remaining else remaining
        share = layer.base if taken == received else quantize(layer.base * taken / received, quantum)
        remaining -= taken
        layer.remaining = remaining
        left = layer.value - share
        if not remaining and left:
            rounding.append(RoundingEntry(layer.entry.number, -left))
            left = ZERO
        layer.value = left
        total += share
        need -= taken
    return total
