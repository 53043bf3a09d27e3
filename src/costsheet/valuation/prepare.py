"""Ledger preparation: the shape every costing method starts from.

A :class:`Group` is one valuation unit (an item, or an item/location/variant
under ``average-cost-calc item-location-variant``) with its entries in
posting order and its charges and revaluations in written order.  Each charge
and revaluation knows how many entries were written before it (``after``), so
Business Central's rule "a decrease earlier in entry number and not later in
date is not touched by a revaluation" is a comparison of two integers.

Expected cost (docs/valuation.md, "Expected cost") is prepared in one of two
ways.  For the perpetual methods an increase received with ``expected-cost N``
is an increase of cost N, and its ``invoice`` line is a value change of
(invoiced cost - N) on its date, which flows like a charge (a
:class:`ChargeEvent` of kind ``invoice``).  For Finance & Operations' inventory
close (``closing=True``) the increase keeps its expected cost and the invoice
stays an :class:`InvoiceEvent`: until it the increase is physically updated
only, from it on it is financial at the invoiced cost.

:class:`Book` collects what a costing method finds (entry values,
adjustments, variances, rounding, revaluation amounts) and freezes it into an
:class:`~costsheet.valuation.result.ItemValuation`.  It is mutable on purpose
and lives only inside one call.
"""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import compress
from typing import Protocol, TypeVar

import attrs

from ..diagnostics import Diagnostic
from ..ledger_columns import LedgerColumns
from ..model import CapacityUse, Charge, Invoice, Ledger, LedgerEntry, Model, Revaluation, frozen_map
from ..numbers import CONTEXT, ZERO, round_to
from ..standards import StandardTable, standard_table
from ..vocabulary import AverageCostPeriod
from .periods import period_end_function, period_start_function
from .result import (
    CHARGE,
    INVOICE,
    AdjustmentArgs,
    EntryRows,
    ItemValuation,
    RevaluationAmount,
    RoundingEntry,
    ScaledCosts,
    ScaledSettlements,
    Variance,
)

__all__ = [
    "ChargeEvent",
    "RevaluationEvent",
    "InvoiceEvent",
    "Group",
    "Book",
    "OpenDecrease",
    "Rounder",
    "make_rounder",
    "power_of_ten",
    "prepare_groups",
]

Rounder = Callable[[Decimal], Decimal]
_NUMBER = operator.attrgetter("number")
_QUANTITY = operator.attrgetter("quantity")
_PHYSICAL = operator.attrgetter("physical")
_APPLIES_FROM = operator.attrgetter("applies_from")
_EXPECTED_COST = operator.attrgetter("expected_cost")
_DATE = operator.attrgetter("date")


def power_of_ten(precision: Decimal) -> Decimal | None:
    """``precision`` as a ``quantize`` exponent (``0.010`` -> ``0.01``), or None if it is not a power of ten."""
    if precision <= 0:
        raise ValueError("amount precision must be positive")
    normal = precision.normalize(CONTEXT)
    digits, exponent = normal.as_tuple()[1:]
    if digits == (1,):
        assert isinstance(exponent, int), "a positive precision is finite"
        return Decimal((0, (1,), exponent))
    return None


#: :data:`~costsheet.numbers.CONTEXT` rounding half away from zero, the amount rounding: its
#: bound ``HALF_UP.quantize(value, quantum)`` is ``value.quantize(quantum, ROUND_HALF_UP,
#: CONTEXT)`` (the same digits, exponent and signals) at about two thirds of the cost, the
#: rounding mode and context not being passed and parsed at every call.
HALF_UP = decimal.Context(
    prec=CONTEXT.prec,
    rounding=decimal.ROUND_HALF_UP,
    Emin=CONTEXT.Emin,
    Emax=CONTEXT.Emax,
    traps=[signal for signal, trapped in CONTEXT.traps.items() if trapped],
)


def make_rounder(precision: Decimal) -> Rounder:
    """Round half away from zero to ``precision``; a fast ``quantize`` when it is a power of ten
    (:data:`HALF_UP`'s, its arguments by position: with keywords the C decimal module parses
    them at about three times the cost of the rounding itself)."""
    quantum = power_of_ten(precision)
    if quantum is not None:
        rounded = HALF_UP.quantize

        def quantize(value: Decimal) -> Decimal:
            return rounded(value, quantum)

        return quantize
    return lambda value: round_to(value, precision)


@attrs.frozen
class ChargeEvent:
    """An item charge on entry ``entry``, placed in posting order (``after``: entries written before it).

    ``kind`` is ``charge``, or ``invoice`` for the difference an invoice makes to an increase
    received with an expected cost (it flows to the decreases like a charge).
    """

    date: dt.date
    entry: int
    amount: Decimal
    sequence: int
    after: int  # entries written before this line
    kind: str = CHARGE


@attrs.frozen
class InvoiceEvent:
    """The invoice of entry ``entry`` (received with an expected cost) at ``cost``, placed like a charge."""

    date: dt.date
    entry: int
    cost: Decimal
    sequence: int
    after: int


@attrs.frozen
class RevaluationEvent:
    """A revaluation of entry ``entry`` (None: the whole item), placed in posting order like a charge."""

    date: dt.date
    unit_cost: Decimal
    entry: int | None
    sequence: int
    after: int

    def touches(self, decrease: LedgerEntry) -> bool:
        """Business Central: a decrease earlier in entry number and not later in date is untouched
        (docs/valuation.md, "Cost adjustment")."""
        return not (decrease.number <= self.after and decrease.date <= self.date)


@attrs.frozen
class Group:
    key: str
    item: str
    method: str
    entries: tuple[LedgerEntry, ...]
    charges: tuple[ChargeEvent, ...]
    revaluations: tuple[RevaluationEvent, ...]
    round: Rounder
    period_start: Callable[[dt.date], dt.date]
    standard_cost: Decimal | None = None
    location: str | None = None
    variant: str | None = None
    quantum: Decimal | None = None  # the precision as a quantize exponent, when it is a power of ten
    # the last day of a date's average-cost period (None: the open-ended last accounting period)
    period_end: Callable[[dt.date], dt.date | None] | None = None
    as_of: dt.date | None = None  # the valuation date asked for: a close inside its period is dated then
    standards: StandardTable | None = None  # dated standard costs (standard items that have any)
    invoices: tuple[InvoiceEvent, ...] = ()  # F&O inventory close only (see the module docstring)
    uninvoiced: frozenset[int] = frozenset()  # increases with an expected cost and no invoice as of ``as_of``
    include_physical: bool = False  # setup include-physical-value
    unit_cost: Decimal | None = None  # the item's unit cost: F&O's running average falls back to it
    returned: Mapping[int, Decimal] = frozen_map()  # applies-from increase -> the value it takes
    # the first day of a date's average-cost period, when the pool's periods are shorter (weighted average date)
    close_start: Callable[[dt.date], dt.date] | None = None
    closing: bool = False  # prepared for F&O's inventory close (see the module docstring)
    physical: frozenset[int] = frozenset()  # the entries written ``physical``
    returns: frozenset[int] = frozenset()  # the increases written ``applies-from``
    # the ledger's quantities and costs as integers (Ledger.columns); group.entries are its first entries
    columns: LedgerColumns | None = None

    def is_physical(self, entry: LedgerEntry) -> bool:
        """Physically updated only: ``physical``, or under the inventory close received with an
        expected cost and not invoiced yet."""
        return entry.number in self.physical or (self.closing and entry.number in self.uninvoiced)

    def physically_updated(self) -> frozenset[int]:
        """Every entry :meth:`is_physical` says is physically updated only."""
        return self.physical | self.uninvoiced if self.closing else self.physical

    def standard_on(self, date: dt.date) -> Decimal:
        """The standard cost of a unit received on ``date`` (docs/valuation.md, "Standard costs by
        date"): the newest dated standard valid then, else the item's field (0 without either)."""
        if self.standards is not None:
            found = self.standards.amount_on(date)
            return found if found is not None else ZERO
        return self.standard_cost if self.standard_cost is not None else ZERO


def _entries_before(ledger: Ledger) -> Callable[[int], int]:
    """How many entries were written before the line at 1-based position ``sequence``.

    ``sequence`` is the line's 1-based position among the ledger's lines (as
    :mod:`costsheet.model_builder` numbers them); entries take the positions that
    charges, revaluations, invoices and capacity lines do not.
    """
    lines: tuple[Charge | Revaluation | Invoice | CapacityUse, ...] = (
        *ledger.charges,
        *ledger.revaluations,
        *ledger.invoices,
        *ledger.capacities,
    )
    others = sorted(line.sequence for line in lines)

    def before(sequence: int) -> int:
        earlier_others = bisect.bisect_left(others, sequence)
        return max(0, min(len(ledger.entries), sequence - 1 - earlier_others))

    return before


def _group_key(item: str, location: str | None, variant: str | None) -> str:
    return f"{item}|{location or ''}|{variant or ''}"


class _Written(Protocol):
    """A dated line of a ledger, numbered in the order written."""

    @property
    def date(self) -> dt.date: ...
    @property
    def sequence(self) -> int: ...


_Line = TypeVar("_Line", bound=_Written)


def _dated(lines: Iterable[_Line], as_of: dt.date | None) -> list[_Line]:
    """``lines`` in written order, without those dated after ``as_of``."""
    return [line for line in sorted(lines, key=lambda line: line.sequence) if as_of is None or line.date <= as_of]


def prepare_groups(
    model: Model,
    ledger: Ledger,
    as_of: dt.date | None = None,
    standards: StandardTable | None = None,
    *,
    closing: bool = False,
    pool_period: AverageCostPeriod | None = None,
) -> tuple[Group, ...]:
    """Split ``ledger`` into valuation groups, keeping only what is dated on or before ``as_of``.

    ``standards`` is the item's table of dated standard costs (read from the
    model when None).  ``closing`` prepares expected costs for F&O's inventory
    close (the module docstring); ``pool_period`` replaces the average-cost
    period as the period an average is taken over (``day`` for weighted
    average date), the average-cost period then being the period that is
    closed.
    """
    setup = model.setup
    item = model.items[ledger.item]
    if item.costing_method == "standard":
        standards = standards if standards is not None else standard_table(model, ledger.item)
        standards = standards if standards.lines else None  # only the field: the constant path
    else:
        standards = None
    rounder = make_rounder(setup.amount_precision)
    quantum = power_of_ten(setup.amount_precision)
    close_start = period_start_function(setup.average_cost_period, model.accounting_periods)
    period_start = close_start if pool_period is None else period_start_function(pool_period)
    period_end = period_end_function(setup.average_cost_period, model.accounting_periods)
    before = _entries_before(ledger)
    columns = ledger.columns  # set: in number and date order, none of the features scanned for below
    entries: Sequence[LedgerEntry]
    if columns is not None:
        entries = ledger.entries
        if as_of is not None and entries[-1].date > as_of:  # in date order: the entries up to as_of lead
            entries = entries[: bisect.bisect_right(entries, as_of, key=_DATE)]
    else:
        entries = sorted(ledger.entries, key=_NUMBER)
        if as_of is not None:
            entries = [e for e in entries if e.date <= as_of]
    has_lines = ledger.charges or ledger.revaluations or ledger.invoices
    kept = {e.number: e for e in entries} if has_lines else {}
    charges = [
        ChargeEvent(c.date, c.entry, c.amount, c.sequence, before(c.sequence))
        for c in _dated(ledger.charges, as_of)
        if c.entry in kept
    ]
    revaluations = [
        RevaluationEvent(r.date, r.unit_cost, r.entry, r.sequence, before(r.sequence))
        for r in _dated(ledger.revaluations, as_of)
        if r.entry is None or r.entry in kept
    ]
    invoices = [
        InvoiceEvent(i.date, i.entry, i.cost, i.sequence, before(i.sequence))
        for i in _dated(ledger.invoices, as_of)
        if i.entry in kept
    ]
    # "any expected cost?" in one C-level pass: most ledgers have none
    expecting = columns is None and list(map(_EXPECTED_COST, entries)).count(None) != len(entries)
    invoiced = {i.entry for i in invoices}
    uninvoiced = (
        frozenset(e.number for e in entries if e.expected_cost is not None and e.number not in invoiced)
        if expecting
        else frozenset()
    )
    if not closing and expecting:
        # the perpetual methods: received at the expected cost, the invoice's difference flows like a charge
        entries = [attrs.evolve(e, cost=e.expected_cost) if e.expected_cost is not None else e for e in entries]
        expected = {e.number: e.expected_cost for e in entries if e.expected_cost is not None}
        charges.extend(
            ChargeEvent(i.date, i.entry, i.cost - expected[i.entry], i.sequence, i.after, INVOICE) for i in invoices
        )
        charges.sort(key=lambda c: c.sequence)
        invoices = []

    def make(
        key: str,
        location: str | None,
        variant: str | None,
        group_entries: Sequence[LedgerEntry],
        group_charges: Sequence[ChargeEvent],
        group_revaluations: Sequence[RevaluationEvent],
        group_invoices: Sequence[InvoiceEvent],
    ) -> Group:
        numbers = {e.number for e in group_entries} if len(group_entries) != len(entries) else None
        if columns is None:
            physical = frozenset(compress(map(_NUMBER, group_entries), map(_PHYSICAL, group_entries)))
            returns = frozenset(e.number for e in compress(group_entries, map(_APPLIES_FROM, group_entries)))
        else:  # none physical, none a return
            physical = returns = frozenset()
        return Group(
            key,
            ledger.item,
            item.costing_method,
            tuple(group_entries),
            tuple(group_charges),
            tuple(group_revaluations),
            rounder,
            period_start,
            item.standard_cost,
            location,
            variant,
            quantum,
            period_end,
            as_of,
            standards,
            invoices=tuple(group_invoices),
            uninvoiced=uninvoiced if numbers is None else uninvoiced & numbers,
            include_physical=setup.include_physical_value,
            unit_cost=item.unit_cost,
            close_start=close_start if pool_period is not None else None,
            closing=closing,
            physical=physical,
            returns=returns,
            columns=columns,
        )

    if setup.average_cost_calc != "item-location-variant":
        return (make(ledger.item, None, None, entries, charges, revaluations, invoices),)
    if columns is not None:  # no entry has a location, a variant or a fixed application: one group
        key = _group_key(ledger.item, None, None)
        return (make(key, None, None, entries, charges, revaluations, invoices),) if entries else ()

    by_number = {e.number: e for e in entries}
    place: dict[int, tuple[str | None, str | None]] = {}
    for e in entries:
        target = by_number.get(e.applies_to) if e.applies_to is not None else None
        if target is not None and e.location is None and e.variant is None:
            place[e.number] = place.get(target.number, (target.location, target.variant))
        else:
            place[e.number] = (e.location, e.variant)
    groups = []
    for where in dict.fromkeys(place[e.number] for e in entries):
        numbers = {n for n, p in place.items() if p == where}
        groups.append(
            make(
                _group_key(ledger.item, *where),
                where[0],
                where[1],
                [e for e in entries if e.number in numbers],
                [c for c in charges if c.entry in numbers],
                [r for r in revaluations if r.entry is None or r.entry in numbers],
                [i for i in invoices if i.entry in numbers],
            )
        )
    return tuple(groups)


@attrs.define(slots=True, eq=False)
class OpenDecrease:
    """The part of a decrease that nothing on hand covered yet, at its provisional value
    (docs/valuation.md, "Open decreases").  Mutable; lives inside one call."""

    decrease: LedgerEntry
    quantity: Decimal  # still open
    value: Decimal  # the provisional value of the open quantity

    def release(self, quantity: Decimal, rnd: Rounder) -> Decimal:
        """Close ``quantity`` of the open part; returns the provisional value it held."""
        released = self.value if quantity == self.quantity else rnd(self.value * quantity / self.quantity)
        self.quantity -= quantity
        self.value -= released
        return released


class Book:
    """What a costing method finds for one group; :meth:`freeze` makes the result."""

    def __init__(self, group: Group):
        self.group = group
        self.clear()

    def clear(self) -> None:
        """Forget everything found so far (a fast path that gave up starts the general one afresh)."""
        self.cost: dict[int, Decimal] = {}
        # F&O: what an issue was posted at before a close settled it (its cost amount then)
        self.running: dict[int, Decimal] = {}
        self.adjustments: dict[int, list[AdjustmentArgs]] = {}  # number -> [(date, kind, amount, source)]
        self.variances: list[Variance] = []
        self.rounding: list[RoundingEntry] = []
        self.revaluations: list[RevaluationAmount] = []
        self.diagnostics: list[Diagnostic] = []
        # the integer loop's costs, one per entry (then ``cost`` stays empty: read them with costs())
        self.units: ScaledCosts | None = None
        self.quantity: Decimal | None = None  # the quantity on hand, when the loop summed it
        # the integer close loop's running costs and settlements (then ``running`` and
        # ``adjustments`` stay empty: read them with running_costs() and adjustment_args())
        self.settlements: ScaledSettlements | None = None

    def costs(self) -> Mapping[int, Decimal]:
        """Every entry's cost so far by entry number, whichever loop booked it."""
        if self.units is None:
            return self.cost
        return self.units.by_number(map(_NUMBER, self.group.entries))

    def running_costs(self) -> Mapping[int, Decimal]:
        """Every issue's running cost so far by entry number, whichever loop booked it."""
        return self.running if self.settlements is None else self.settlements.running()

    def adjustment_args(self) -> Mapping[int, Sequence[AdjustmentArgs]]:
        """Every decrease's adjustments so far by entry number, whichever loop booked them."""
        return self.adjustments if self.settlements is None else self.settlements.adjustments()

    def add(self, number: int, amount: Decimal) -> None:
        self.cost[number] = self.cost.get(number, ZERO) + amount

    def adjust(
        self, decrease: LedgerEntry, kind: str, amount: Decimal, source: int | None, date: dt.date | None = None
    ) -> None:
        """Add ``amount`` to the decrease's cost and note it; the Adjustment is made when the rows are read.

        The adjustment is dated like the decrease unless ``date`` is given (the
        weighted-average close dates what it settles into a closed period at
        the close, because a closed period takes no more postings).
        """
        if amount:
            number = decrease.number
            cost = self.cost
            cost[number] = cost.get(number, ZERO) + amount
            entry = (decrease.date if date is None else date, kind, amount, source)
            found = self.adjustments.get(number)
            if found is None:
                self.adjustments[number] = [entry]
            else:
                found.append(entry)

    def variance(self, kind: str, entry: int, amount: Decimal) -> None:
        if amount:
            self.variances.append(Variance(kind, entry, amount))

    def freeze(self, inventory_value: Decimal) -> ItemValuation:
        """The result.  An increase with an expected cost and no invoice yet is worth its whole
        value as expected cost (docs/valuation.md, "Expected cost")."""
        group = self.group
        rnd = group.round
        zero = rnd(ZERO)
        cost = self.cost
        expected: dict[int, Decimal] | None = None
        if group.uninvoiced:
            expected = {number: cost.get(number, zero) for number in group.uninvoiced}
            for number in group.uninvoiced:
                cost[number] = zero
        physical = group.physically_updated()
        physical_quantity, physical_value = ZERO, zero
        if physical:
            for entry in group.entries:
                if entry.number in physical:
                    physical_quantity += entry.quantity
                    physical_value += (expected or {}).get(entry.number, cost.get(entry.number, zero))
        # the methods book amounts already rounded to the precision; the rows are built when read
        entries = EntryRows(
            group.entries,
            cost,
            self.adjustments,
            zero,
            expected,
            self.running or None,
            physical,
            self.units,
            self.settlements,
        )
        quantity = sum(map(_QUANTITY, group.entries), ZERO) if self.quantity is None else self.quantity
        return ItemValuation(
            group.key,
            group.item,
            group.method,
            entries,
            quantity,
            rnd(inventory_value),
            tuple(self.variances),
            tuple(self.rounding),
            tuple(self.revaluations),
            group.location,
            group.variant,
            physical_quantity if physical else ZERO,
            physical_value,
        )
