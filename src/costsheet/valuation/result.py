"""The valuation result and its JSON (docs/json.md, "costsheet value").

Results are frozen and hold tuples.  Amounts are Decimals already rounded to
the setup's amount precision; as a result object is made, each passes
:func:`costsheet.numbers.outgoing` too (at most 12 decimal places: it changes
only a precision or a quantity finer than 10^-12; docs/costing.md, "Amounts
that leave the engine").  :meth:`ValuationResult.to_dict` turns them into
strings through :func:`costsheet.numbers.to_text`, never into JSON numbers.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from typing import NamedTuple, overload

import attrs

from ..diagnostics import Diagnostic, render_json
from ..jsontext import json_text
from ..model import LedgerEntry, frozen_map
from ..numbers import OUTGOING_PLACES, outgoing, to_text

__all__ = [
    "Adjustment",
    "EntryValue",
    "EntryRows",
    "ScaledCosts",
    "ScaledSettlements",
    "Variance",
    "RoundingEntry",
    "RevaluationAmount",
    "ItemValuation",
    "ProductionVariance",
    "OrderValuation",
    "ValuationResult",
    "CHARGE",
    "INVOICE",
    "REVALUATION",
    "APPLICATION",
    "SETTLEMENT",
    "PHYSICAL",
    "PURCHASE",
    "PRICE_DIFFERENCE",
]

# the kinds of Adjustment.kind
CHARGE = "charge"
INVOICE = "invoice"  # an expected cost replaced by the invoiced cost
REVALUATION = "revaluation"
APPLICATION = "application"  # an open decrease applied to a later increase
SETTLEMENT = "settlement"  # an inventory close (F&O)
PHYSICAL = "physical"  # a physically updated issue adjusted to a receipt's cost (include-physical-value)
# the kinds of Variance.kind
PURCHASE = "purchase"  # standard cost
PRICE_DIFFERENCE = "price-difference"  # moving average
# a production order's variances are of the kinds of costsheet.model.CostKind (material, capacity ...)


@attrs.frozen
class Adjustment:
    """A change to a decrease's cost after it was posted.

    ``kind`` is ``charge``, ``invoice`` (an expected cost replaced by the
    invoiced one), ``revaluation``, ``application`` (an open decrease applied
    to a later increase), ``settlement`` (an F&O inventory close) or
    ``physical`` (a physically updated issue adjusted at a close).  ``source``
    is the entry whose value changed (None for item-wide changes, or when one
    close adds up changes on several increases).  Charges, invoices,
    revaluations and applications are dated as the decrease; what an
    inventory close settles is dated at the close: a closed period takes no
    more postings.
    """

    date: dt.date
    kind: str
    amount: Decimal = attrs.field(converter=outgoing)
    source: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "kind": self.kind, "amount": to_text(self.amount), "source": self.source}


#: The arguments of an :class:`Adjustment` as the engines collect them: (date, kind, amount, source).
AdjustmentArgs = tuple[dt.date, str, Decimal, int | None]


class EntryValue(NamedTuple):
    """One ledger entry with its final cost amount (adjustments included).

    ``cost_amount`` is the actual part and ``expected_cost_amount`` the
    expected part (the value of an increase received with an expected cost
    and not invoiced yet; 0 otherwise), so the entry is worth their sum.
    ``running_cost_amount`` is what an issue was posted at before an F&O
    inventory close settled it (None where nothing is settled); ``physical``
    marks an entry that is physically updated only.

    A NamedTuple rather than an attrs class: a valuation makes one per ledger
    entry, and tuple construction is three times cheaper (bench_valuation.py).
    Immutable all the same.
    """

    entry: int
    date: dt.date
    type: str
    quantity: Decimal
    cost_amount: Decimal
    adjustments: tuple[Adjustment, ...] = ()
    expected_cost_amount: Decimal = Decimal(0)
    running_cost_amount: Decimal | None = None
    physical: bool = False

    def to_dict(self, adjustments: bool = False) -> dict[str, object]:
        data: dict[str, object] = {
            "entry": self.entry,
            "date": self.date.isoformat(),
            "type": self.type,
            "quantity": to_text(self.quantity),
            "cost_amount": to_text(self.cost_amount),
            "expected_cost_amount": to_text(self.expected_cost_amount),
        }
        if self.running_cost_amount is not None:
            data["running_cost_amount"] = to_text(self.running_cost_amount)
        if self.physical:
            data["physical"] = True
        if adjustments:
            data["adjustments"] = [a.to_dict() for a in self.adjustments]
        return data


_NUMBER = operator.attrgetter("number")
#: scaleb in a context of the largest precision: it never rounds a coefficient
_EXACT_SCALEB = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN).scaleb
_DATE = operator.attrgetter("date")
_TYPE = operator.attrgetter("type")
_QUANTITY = operator.attrgetter("quantity")


def _outgoing_or_none(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else outgoing(amount)


class ScaledCosts:
    """Amounts held as exact integers in units of ``10 ** exponent`` (``exponent`` <= 0), one per
    entry in order, made Decimals only when read: ``Decimal(units).scaleb(exponent)``, the
    Decimal the integer loop stands for (``-0.05`` for -5 hundredths, ``0.00`` for 0)."""

    __slots__ = ("_exponent", "_shift", "units")

    def __init__(self, units: Sequence[int], exponent: int):
        self.units = units
        self._exponent = exponent
        self._shift = Decimal(exponent)

    @property
    def exponent(self) -> int:
        return self._exponent

    def decimals(self) -> Iterator[Decimal]:
        """The amounts as Decimals, in order (exact: the scaling only moves the exponent)."""
        return map(_EXACT_SCALEB, map(Decimal, self.units), repeat(self._shift))

    def outgoing(self) -> Iterator[Decimal]:
        """:meth:`decimals` through :func:`~costsheet.numbers.outgoing`, which leaves an amount of
        at most 12 places as it is: so only a finer exponent pays it."""
        if self._exponent >= -OUTGOING_PLACES:
            return self.decimals()
        return map(outgoing, self.decimals())

    def by_number(self, numbers: Iterable[int]) -> dict[int, Decimal]:
        """The amounts by entry number (``numbers`` in the same order)."""
        return dict(zip(numbers, self.decimals(), strict=True))


class ScaledSettlements:
    """What the integer close loop (:mod:`.columnar_close`) leaves besides the costs, as integers
    made Decimals only when read: every entry's cost as posted (``posted``, in entry order; an
    issue's is its running cost) and the closes, ``(start, end, date)``: the entries ``start`` to
    ``end`` (indices) were settled on ``date``, an issue's settlement being its cost (``settled``)
    less what it was posted at.  ``counts``: the entries' quantities (issues below zero), numbered
    from ``first`` one by one; ``sources`` the receipt each settled issue took from, by index
    (None: none given, or several)."""

    __slots__ = ("closes", "counts", "first", "posted", "settled", "sources")

    def __init__(
        self,
        counts: Sequence[int],
        first: int,
        posted: ScaledCosts,
        settled: ScaledCosts,
        closes: Sequence[tuple[int, int, dt.date]],
        sources: Sequence[int | None] | None = None,
    ):
        self.sources = sources
        self.counts = counts
        self.first = first
        self.posted = posted
        self.settled = settled
        self.closes = closes

    def running(self) -> dict[int, Decimal]:
        """Each issue's running cost by entry number."""
        numbers = range(self.first, self.first + len(self.counts))
        return {
            number: amount
            for number, count, amount in zip(numbers, self.counts, self.posted.decimals(), strict=True)
            if count < 0
        }

    def running_column(self) -> Iterator[Decimal | None]:
        """The running costs as the rows take them: one per entry, None for a receipt."""
        return map(_issue_only, self.counts, self.posted.outgoing())

    def adjustments(self) -> dict[int, list[AdjustmentArgs]]:
        """Each settled issue's settlement, as :class:`Adjustment` arguments, by entry number."""
        found: dict[int, list[AdjustmentArgs]] = {}
        counts, posted, settled, sources = self.counts, self.posted.units, self.settled.units, self.sources
        shift = Decimal(self.posted.exponent)
        for start, end, date in self.closes:
            for index in range(start, end):
                amount = settled[index] - posted[index]
                if amount and counts[index] < 0:
                    source = None if sources is None else sources[index]
                    found[self.first + index] = [(date, SETTLEMENT, _EXACT_SCALEB(Decimal(amount), shift), source)]
        return found


def _issue_only(count: int, amount: Decimal) -> Decimal | None:
    return amount if count < 0 else None


_new_row = functools.partial(tuple.__new__, EntryValue)  # EntryValue from a 9-tuple, without __new__'s frame


class EntryRows(Sequence[EntryValue]):
    """``ItemValuation.entries``: one :class:`EntryValue` per ledger entry, built on first read.

    A costing method finds every entry's cost in its one pass over the ledger;
    making a million EntryValue tuples out of those costs afterwards takes as
    long as the valuation itself, and a caller who only wants the inventory
    value never reads them.  So the rows wait until the first read (``len``
    excepted) and are then kept.  Read-only like a tuple, and equal to any
    sequence with the same rows.  It takes over the dictionaries it is given:
    the caller (``Book.freeze``) must not change them afterwards.
    """

    __slots__ = (
        "_adjustments",
        "_cost",
        "_entries",
        "_expected",
        "_missing",
        "_physical",
        "_rows",
        "_running",
        "_settlements",
        "_units",
    )

    def __init__(
        self,
        entries: Sequence[LedgerEntry],
        cost: Mapping[int, Decimal],
        adjustments: Mapping[int, Sequence[AdjustmentArgs]],
        missing: Decimal,
        expected: Mapping[int, Decimal] | None = None,
        running: Mapping[int, Decimal] | None = None,
        physical: frozenset[int] = frozenset(),
        units: ScaledCosts | None = None,
        settlements: ScaledSettlements | None = None,
    ):
        """``entries`` (LedgerEntry objects) in order; ``cost`` (the actual part) by entry number,
        ``missing`` for an entry without one; ``adjustments`` by entry number, each as the
        arguments of an :class:`Adjustment` (date, kind, amount, source); ``expected`` the
        expected parts and ``running`` the running costs, by entry number (none when None);
        ``physical`` the entries physically updated only.  With ``units`` (the integer loop's
        costs, one per entry in order) the costs are made from them and ``cost`` is not read; with
        ``settlements`` (the integer close loop's) the running costs and adjustments are made from
        them and ``running`` and ``adjustments`` are not read."""
        # None once the rows are built: they hold all that is needed
        self._entries: Sequence[LedgerEntry] | None = entries
        self._cost: Mapping[int, Decimal] | None = cost
        self._adjustments: Mapping[int, Sequence[AdjustmentArgs]] | None = adjustments
        self._missing = missing
        self._expected = expected
        self._running = running
        self._physical = physical
        self._rows: tuple[EntryValue, ...] | None = None
        self._units = units
        self._settlements = settlements

    def rows(self) -> tuple[EntryValue, ...]:
        """The rows as a tuple (built now if not yet)."""
        rows = self._rows
        if rows is None:  # column by column in C (map, zip), one tuple.__new__ per row
            entries, cost, adjustments = self._entries, self._cost, self._adjustments
            assert entries is not None and cost is not None and adjustments is not None, "kept until the rows are built"
            numbers = list(map(_NUMBER, entries))
            settlements = self._settlements
            if settlements is not None:
                adjustments = settlements.adjustments()
            made = {number: tuple(Adjustment(*a) for a in found) for number, found in adjustments.items()}
            missing = self._missing
            expected = (
                repeat(outgoing(missing))
                if not self._expected
                else map(outgoing, map(self._expected.get, numbers, repeat(missing)))
            )
            if settlements is not None:
                running: Iterator[Decimal | None] = settlements.running_column()
            elif not self._running:
                running = repeat(None)
            else:
                running = map(_outgoing_or_none, map(self._running.get, numbers))
            physical = repeat(False) if not self._physical else map(self._physical.__contains__, numbers)
            units = self._units
            costs = map(outgoing, map(cost.get, numbers, repeat(missing))) if units is None else units.outgoing()
            rows = tuple(
                map(
                    _new_row,
                    # not strict: the columns of one value for every row are endless repeat()s
                    zip(  # quantity and cost outgoing, as the Adjustments' amounts are
                        numbers,
                        map(_DATE, entries),
                        map(_TYPE, entries),
                        map(outgoing, map(_QUANTITY, entries)),
                        costs,
                        map(made.get, numbers, repeat(())),
                        expected,
                        running,
                        physical,
                        strict=False,
                    ),
                )
            )
            self._rows = rows
            # the rows hold all that is needed
            self._entries = self._cost = self._adjustments = self._expected = self._running = self._units = None
            self._settlements = None
        return rows

    def __len__(self) -> int:
        if self._rows is not None:
            return len(self._rows)
        assert self._entries is not None, "kept until the rows are built"
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> EntryValue: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[EntryValue, ...]: ...

    def __getitem__(self, index: int | slice) -> EntryValue | tuple[EntryValue, ...]:
        return self.rows()[index]

    def __iter__(self) -> Iterator[EntryValue]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EntryRows):
            return self.rows() == other.rows()
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self.rows() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __repr__(self) -> str:
        return repr(self.rows())


@attrs.frozen
class Variance:
    """``purchase`` (standard cost) or ``price-difference`` (moving average), on entry ``entry``."""

    kind: str
    entry: int
    amount: Decimal = attrs.field(converter=outgoing)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "entry": self.entry, "amount": to_text(self.amount)}


@attrs.frozen
class RoundingEntry:
    """The residual an increase leaves when it is used up (non-average methods)."""

    entry: int
    amount: Decimal = attrs.field(converter=outgoing)

    def to_dict(self) -> dict[str, object]:
        return {"entry": self.entry, "amount": to_text(self.amount)}


@attrs.frozen
class RevaluationAmount:
    """What a revaluation changed: on entry ``entry``, or item-wide when ``entry`` is None."""

    date: dt.date
    entry: int | None
    amount: Decimal = attrs.field(converter=outgoing)

    def to_dict(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "entry": self.entry, "amount": to_text(self.amount)}


@attrs.frozen
class ItemValuation:
    """The valuation of one item (or one item/location/variant)."""

    key: str
    item: str
    costing_method: str
    entries: Sequence[EntryValue]  # an EntryRows (a read-only sequence built on first read) or a tuple
    quantity_on_hand: Decimal = attrs.field(converter=outgoing)
    inventory_value: Decimal = attrs.field(converter=outgoing)
    variances: tuple[Variance, ...] = ()
    rounding: tuple[RoundingEntry, ...] = ()
    revaluations: tuple[RevaluationAmount, ...] = ()
    location: str | None = None
    variant: str | None = None
    # the part of the quantity on hand that is physically updated only, and its value (part of inventory_value)
    physical_quantity: Decimal = attrs.field(default=Decimal(0), converter=outgoing)
    physical_value: Decimal = attrs.field(default=Decimal(0), converter=outgoing)

    def entry(self, number: int) -> EntryValue:
        for value in self.entries:
            if value.entry == number:
                return value
        raise KeyError(number)

    def to_dict(self, adjustments: bool = False) -> dict[str, object]:
        return {
            "costing_method": self.costing_method,
            "entries": [e.to_dict(adjustments) for e in self.entries],
            "quantity_on_hand": to_text(self.quantity_on_hand),
            "inventory_value": to_text(self.inventory_value),
            "physical_quantity": to_text(self.physical_quantity),
            "physical_value": to_text(self.physical_value),
            "variances": [v.to_dict() for v in self.variances],
            "rounding": [r.to_dict() for r in self.rounding],
            "revaluations": [r.to_dict() for r in self.revaluations],
        }


def _outgoing_map(amounts: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    return frozen_map({key: outgoing(amount) for key, amount in amounts.items()})


@attrs.frozen
class ProductionVariance:
    """The difference between a standard item's order's actual cost of one kind (``material``,
    ``capacity``, ``subcontracted``, ``capacity-overhead``, ``mfg-overhead``) and the standard
    share of that kind its outputs carry."""

    kind: str
    amount: Decimal = attrs.field(converter=outgoing)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "amount": to_text(self.amount)}


@attrs.frozen
class OrderValuation:
    """A production order (docs/valuation.md, "Production orders").

    ``consumption`` (what its consumption entries cost), ``capacity`` (the direct cost of its
    capacity lines) and ``overhead`` (what the capacity and production conditions add) are its
    actual cost, also by kind in ``costs``; ``output`` is what its outputs carry (the actual
    cost, or for a standard item their standard cost), ``wip`` what no output carries yet, and
    ``variances`` a standard item's production variances by kind.  Always
    consumption + capacity + overhead = output + wip + the variances.  ``item`` is the item it
    produces (None when only consumption names the order).
    """

    code: str
    item: str | None
    consumption: Decimal = attrs.field(converter=outgoing)
    capacity: Decimal = attrs.field(converter=outgoing)
    overhead: Decimal = attrs.field(converter=outgoing)
    output: Decimal = attrs.field(converter=outgoing)
    wip: Decimal = attrs.field(converter=outgoing)
    output_quantity: Decimal = attrs.field(converter=outgoing)
    costs: Mapping[str, Decimal] = attrs.field(factory=frozen_map, converter=_outgoing_map)
    variances: tuple[ProductionVariance, ...] = ()

    @property
    def actual(self) -> Decimal:
        return self.consumption + self.capacity + self.overhead

    def to_dict(self) -> dict[str, object]:
        return {
            "item": self.item,
            "consumption": to_text(self.consumption),
            "capacity": to_text(self.capacity),
            "overhead": to_text(self.overhead),
            "output": to_text(self.output),
            "wip": to_text(self.wip),
            "variances": [v.to_dict() for v in self.variances],
            "output_quantity": to_text(self.output_quantity),
            "costs": {kind: to_text(amount) for kind, amount in self.costs.items()},
        }


def _frozen_items(items: Mapping[str, ItemValuation]) -> Mapping[str, ItemValuation]:
    return frozen_map(items)


def _frozen_orders(orders: Mapping[str, OrderValuation]) -> Mapping[str, OrderValuation]:
    return frozen_map(orders)


@attrs.frozen
class ValuationResult:
    """Every valued item, keyed by item code (or ``ITEM|LOCATION|VARIANT``), and every production
    order, keyed by its code."""

    items: Mapping[str, ItemValuation] = attrs.field(factory=frozen_map, converter=_frozen_items)
    as_of: dt.date | None = None
    orders: Mapping[str, OrderValuation] = attrs.field(factory=frozen_map, converter=_frozen_orders)

    def __getitem__(self, key: str) -> ItemValuation:
        return self.items[key]

    def to_dict(self, adjustments: bool = False, diagnostics: Sequence[Diagnostic] = ()) -> dict[str, object]:
        """The JSON of ``costsheet value --format json`` as data (docs/json.md): ``adjustments=True``
        adds each entry's adjustments; ``orders`` is there when the ledgers name production orders;
        ``diagnostics`` (the warnings that came with the result, as
        :meth:`costsheet.ruleset.Ruleset.value_with_diagnostics` returns them) are added when there are any."""
        data: dict[str, object] = {"items": {key: v.to_dict(adjustments) for key, v in self.items.items()}}
        if self.orders:
            data["orders"] = {code: order.to_dict() for code, order in self.orders.items()}
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat()
        if diagnostics:
            data["diagnostics"] = render_json(diagnostics)
        return data

    def to_json(self, adjustments: bool = False, diagnostics: Sequence[Diagnostic] = ()) -> str:
        """:meth:`to_dict` as text (:func:`costsheet.jsontext.json_text`): ``costsheet value --format json``
        prints it and a line end, so ``print(result.to_json())`` writes the same bytes
        (``--adjustments``: ``adjustments=True``)."""
        return json_text(self.to_dict(adjustments, diagnostics))
