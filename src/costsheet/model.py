"""The semantic model: a checked ruleset with every reference resolvable and
every default filled in.

The syntax tree (:mod:`costsheet.syntax.nodes`) says what the user wrote; this
model says what it means.  :func:`costsheet.model_builder.build_model` turns the one
into the other after the checker has passed.  The costing engine and the
valuation engine read only this model, so master data may equally come from
CSV files (:mod:`costsheet.csvdata`).

All classes are frozen; collections are tuples or read-only mappings.
Percentages are stored as the number written (``5%`` is ``Decimal("5")``).
Times are exact seconds; rates keep the unit they were written in so that
``7min`` at ``42.00/h`` is exactly ``4.90``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .diagnostics import Span
from .ledger_columns import LedgerColumns, ledger_columns
from .numbers import ONE, ZERO
from .vocabulary import KIND_OF_GROUP, ChartLineKind, ConditionKind, CostGroup, CostKind, ValueKind

if TYPE_CHECKING:
    from .syntax.nodes import Formula

__all__ = [
    "frozen_map",
    "CostGroup",
    "CostKind",
    "KIND_OF_GROUP",
    "ChartLineKind",
    "CodeRange",
    "ChartLine",
    "Chart",
    "RoundingMethod",
    "ConditionKind",
    "ValueKind",
    "ConditionLine",
    "SalesType",
    "Condition",
    "Rate",
    "BomLine",
    "RoutingLine",
    "BomVersion",
    "ExchangeRate",
    "RoutingVersion",
    "ByProduct",
    "CoProduct",
    "Item",
    "WorkCenter",
    "MachineCenter",
    "Vendor",
    "PriceLine",
    "DiscountLine",
    "StandardCostLine",
    "PriceRecordLine",
    "Setup",
    "LedgerEntry",
    "Charge",
    "Invoice",
    "Revaluation",
    "CapacityUse",
    "Ledger",
    "Model",
    "UNIT_SECONDS",
    "compare_codes",
    "code_sort_key",
]


_K = TypeVar("_K")
_V = TypeVar("_V")


def frozen_map(mapping: Mapping[_K, _V] | None = None) -> Mapping[_K, _V]:
    """A read-only view of a fresh dict copy of ``mapping``."""
    return MappingProxyType(dict(mapping or {}))


def _span_field() -> Any:  # what attrs.field returns: the field's default to the type checker
    return attrs.field(default=None, eq=False, repr=False)


# ---------------------------------------------------------------- codes


def code_sort_key(code: str) -> tuple[int, int, str, str]:
    """Codes compare as text, except that two all-digit codes (ASCII 0-9) compare as
    numbers: by their digits without leading zeros, shorter first, then as text
    (never through int(), so any length compares)."""
    if code.isascii() and code.isdigit():
        digits = code.lstrip("0")
        return (0, len(digits), digits, code)
    return (1, 0, "", code)


def compare_codes(a: str, b: str) -> int:
    if a.isascii() and a.isdigit() and b.isascii() and b.isdigit():
        a_key, b_key = code_sort_key(a)[1:3], code_sort_key(b)[1:3]
        return (a_key > b_key) - (a_key < b_key)
    return (a > b) - (a < b)


# ---------------------------------------------------------------- chart


@attrs.frozen
class CodeRange:
    """``low..high`` inclusive; a single code has ``low == high``."""

    low: str
    high: str

    def contains(self, code: str) -> bool:
        return compare_codes(self.low, code) <= 0 <= compare_codes(self.high, code)


@attrs.frozen
class ChartLine:
    code: str
    kind: ChartLineKind
    description: str
    cost_group: CostGroup | None = None
    totaling: tuple[CodeRange, ...] = ()  # total: as written; end-total: BEGIN..END filled in
    indent: int = 0  # nesting depth of begin/end totals, for display
    span: Span | None = _span_field()

    def totals(self, code: str) -> bool:
        return any(r.contains(code) for r in self.totaling)


@attrs.frozen
class Chart:
    lines: tuple[ChartLine, ...] = ()

    def line(self, code: str) -> ChartLine | None:
        for line in self.lines:
            if line.code == code:
                return line
        return None

    @property
    def elements(self) -> tuple[ChartLine, ...]:
        return tuple(line for line in self.lines if line.kind is ChartLineKind.ELEMENT)


# ---------------------------------------------------------------- rounding


@attrs.frozen
class RoundingMethod:
    code: str
    direction: str  # nearest | up | down
    precision: Decimal
    min_amount: Decimal | None = None  # applies to amounts >= min_amount only
    span: Span | None = _span_field()


# ---------------------------------------------------------------- conditions


@attrs.frozen
class ConditionLine:
    """``line [ELEMENT] "DESCRIPTION" [row R] [VALUE] [FLAGS]``.

    ``value`` is a Decimal for percent/amount, an element code for element,
    the formula text for formula, None for a text line.  ``position`` is the
    1-based position of the line in its condition (text lines count).
    ``formula_span`` locates the formula's text (inside the quotes) so that
    errors can point at a column inside it; ``formula`` is its tree.
    """

    position: int
    description: str
    element: str | None = None
    row: str | None = None
    value_kind: ValueKind | None = None
    value: Decimal | str | None = None
    setup_only: bool = False
    allocation: Decimal | None = None  # percent
    round: bool = False
    round_method: str | None = None  # None with round=True: the item's rounding method
    list_price: bool = False
    bold: bool = False
    span: Span | None = _span_field()
    formula_span: Span | None = _span_field()
    #: the parsed formula (spans in the file) of a formula line; None for other lines, and for
    #: a formula that does not parse (the checker reports it, so a checked model has none)
    formula: Formula | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class SalesType:
    kind: str  # all-customers | customer | customer-price-group | campaign
    code: str | None = None


@attrs.frozen
class Condition:
    kind: ConditionKind
    code: str
    description: str = ""
    direct: str | None = None
    overhead: str | None = None
    copy_price: str = "no"  # no | list-price | unit-price | sales-price | list-price+sales-price
    sales_type: SalesType | None = None
    lines: tuple[ConditionLine, ...] = ()
    span: Span | None = _span_field()


# ---------------------------------------------------------------- master data

UNIT_SECONDS: Mapping[str, int] = frozen_map({"s": 1, "min": 60, "h": 3600, "d": 86400})


@attrs.frozen
class Rate:
    """An amount per time unit, kept as written: ``42.00/h`` is Rate(42.00, 3600)."""

    amount: Decimal
    per_seconds: int = 3600  # the engine multiplies by the time first and divides by this last


@attrs.frozen
class BomLine:
    component: str
    quantity: Decimal  # in ``unit`` of the component
    scrap: Decimal = ZERO  # percent
    span: Span | None = _span_field()
    unit: str | None = None  # None: the component's base unit
    phantom: str | None = None  # the phantom (path, `A/B`) this line was exploded from, None: the item's own


@attrs.frozen
class RoutingLine:
    operation: str
    resource: str  # a work center or a machine center
    setup_seconds: Decimal = ZERO  # per lot
    run_seconds: Decimal = ZERO  # per unit
    span: Span | None = _span_field()
    phantom: str | None = None  # the phantom (path, `A/B`) this operation was exploded from, None: the item's own


@attrs.frozen
class BomVersion:
    """One ``bom [from DATE] { ... }`` block: valid from ``starting`` on (None: from the beginning)."""

    starting: dt.date | None
    lines: tuple[BomLine, ...]
    span: Span | None = _span_field()


@attrs.frozen
class RoutingVersion:
    """One ``routing [from DATE] { ... }`` block: valid from ``starting`` on (None: from the beginning)."""

    starting: dt.date | None
    lines: tuple[RoutingLine, ...]
    span: Span | None = _span_field()


@attrs.frozen
class ByProduct:
    """``byproduct ITEM QUANTITY [value N]``: QUANTITY units of ITEM per unit of the producing item,
    credited at ``value`` each (None: ITEM's own calculated unit cost)."""

    item: str
    quantity: Decimal
    value: Decimal | None = None
    span: Span | None = _span_field()


@attrs.frozen
class CoProduct:
    """``coproduct ITEM QUANTITY share P%``: QUANTITY units of ITEM per unit of the producing item
    take ``share`` percent of its unit cost."""

    item: str
    quantity: Decimal
    share: Decimal  # percent
    span: Span | None = _span_field()


@attrs.frozen
class Item:
    code: str
    description: str = ""
    replenishment: str = "purchase"  # purchase | prod-order | assembly | phantom
    unit: str | None = None
    vendor: str | None = None
    unit_cost: Decimal = ZERO
    last_direct_cost: Decimal = ZERO
    standard_cost: Decimal | None = None  # None: not given (standard items need one)
    indirect_cost: Decimal = ZERO  # percent
    overhead_rate: Decimal = ZERO  # per unit
    lot_size: Decimal = Decimal(1)
    scrap: Decimal = ZERO  # percent
    rounding: str | None = None
    cost_base: str | None = None  # None: the setup's
    costing_method: str = "fifo"
    material_condition: str | None = None
    production_condition: str | None = None
    charge_condition: str | None = None
    units_of_measure: Mapping[str, Decimal] = frozen_map()  # unit code -> base units in one of it
    bom: tuple[BomLine, ...] = ()  # the lines in effect: the undated version's, or the one chosen for a date
    routing: tuple[RoutingLine, ...] = ()
    # Every version as written when there is a dated one (costsheet.versions picks one for a date), else ().
    bom_versions: tuple[BomVersion, ...] = ()
    routing_versions: tuple[RoutingVersion, ...] = ()
    bom_from: dt.date | None = None  # the date of the version ``bom`` holds (None: undated)
    routing_from: dt.date | None = None
    byproducts: tuple[ByProduct, ...] = ()
    coproducts: tuple[CoProduct, ...] = ()
    span: Span | None = _span_field()

    def unit_factor(self, unit: str | None) -> Decimal | None:
        """Base units in one ``unit``: 1 for None or the base unit, None for a unit the item does not have."""
        if unit is None or unit == self.unit:
            return ONE
        return self.units_of_measure.get(unit)

    @property
    def bom_version(self) -> str | None:
        """What the result JSON calls the BOM in effect: its date, ``undated``, or None without BOM lines."""
        return _version_label(self.bom_from, bool(self.bom))

    @property
    def routing_version(self) -> str | None:
        return _version_label(self.routing_from, bool(self.routing))

    @property
    def all_bom_lines(self) -> tuple[BomLine, ...]:
        """The lines of every BOM version (the checker and where-used without a date look at all of them)."""
        if not self.bom_versions:
            return self.bom
        return tuple(line for version in self.bom_versions for line in version.lines)

    @property
    def all_routing_lines(self) -> tuple[RoutingLine, ...]:
        if not self.routing_versions:
            return self.routing
        return tuple(line for version in self.routing_versions for line in version.lines)


def _version_label(starting: dt.date | None, has_lines: bool) -> str | None:
    if starting is not None:
        return starting.isoformat()
    return "undated" if has_lines else None


@attrs.frozen
class WorkCenter:
    code: str
    description: str = ""
    direct_unit_cost: Rate = Rate(ZERO)
    indirect_cost: Decimal = ZERO  # percent
    overhead_rate: Rate = Rate(ZERO)
    condition: str | None = None
    subcontractor: str | None = None
    span: Span | None = _span_field()


@attrs.frozen
class MachineCenter:
    code: str
    work_center: str
    description: str = ""
    direct_unit_cost: Rate = Rate(ZERO)
    indirect_cost: Decimal = ZERO
    overhead_rate: Rate = Rate(ZERO)
    condition: str | None = None  # None: the work center's
    span: Span | None = _span_field()


@attrs.frozen
class Vendor:
    code: str
    name: str = ""
    span: Span | None = _span_field()
    currency: str | None = None  # None: the local currency (setup `currency`)


@attrs.frozen
class ExchangeRate:
    """``exchange-rate CUR from DATE RATE``: one CUR is ``rate`` of the local currency from ``starting`` on."""

    currency: str
    starting: dt.date
    rate: Decimal
    span: Span | None = _span_field()


class _Validity:
    """Shared by price and discount lines: ``from``/``to`` inclusive, ``min-qty`` a lower bound."""

    starting: dt.date | None
    ending: dt.date | None
    min_qty: Decimal

    def valid(self, date: dt.date, quantity: Decimal) -> bool:
        return (
            (self.starting is None or self.starting <= date)
            and (self.ending is None or date <= self.ending)
            and self.min_qty <= quantity
        )


@attrs.frozen
class PriceLine(_Validity):
    item: str
    vendor: str
    unit_cost: Decimal
    starting: dt.date | None = None
    ending: dt.date | None = None
    min_qty: Decimal = ZERO
    span: Span | None = _span_field()
    per: str | None = None  # the unit the line is in: its unit cost (price) and min-qty count it


@attrs.frozen
class DiscountLine(_Validity):
    item: str
    vendor: str
    percent: Decimal
    starting: dt.date | None = None
    ending: dt.date | None = None
    min_qty: Decimal = ZERO
    span: Span | None = _span_field()
    per: str | None = None  # the unit the line is in: its unit cost (price) and min-qty count it


@attrs.frozen
class StandardCostLine:
    """``standard-cost ITEM from DATE AMOUNT [shares {...}]``: the item's standard cost from
    ``starting`` on (inclusive), with its shares by kind when given (None: from the costing
    breakdown, see :func:`costsheet.standards.standard_cost_on`)."""

    item: str
    starting: dt.date
    amount: Decimal
    shares: Mapping[CostKind, Decimal] | None = None
    span: Span | None = _span_field()


@attrs.frozen
class PriceRecordLine:
    """A dated price record (``list-price``, ``unit-price`` or ``sales-price`` ITEM ... from
    DATE AMOUNT): ``sales_type`` and ``sales_code`` are a sales price's (``all-customers`` and
    None for the other two kinds)."""

    kind: str  # list-price | unit-price | sales-price
    item: str
    starting: dt.date
    amount: Decimal
    sales_type: str = "all-customers"
    sales_code: str | None = None
    span: Span | None = _span_field()

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        """What one record is per date: item, kind, sales type and code."""
        return (self.item, self.kind, self.sales_type, self.sales_code)


@attrs.frozen
class Setup:
    cost_base: str = "unit-cost"  # unit-cost | last-direct-cost | direct-unit-cost | unit/direct/last
    copy_standard_cost: str = "single-level"  # single-level | all-levels
    explode_bom: str = "rolled-up"  # single-level | rolled-up
    amount_decimals: tuple[int, int] = (2, 5)
    quantity_decimals: tuple[int, int] = (2, 5)
    default_material: str | None = None
    default_production: str | None = None
    default_capacity: str | None = None
    default_subcontract: str | None = None
    assembly_direct: str | None = None
    assembly_overhead: str | None = None
    average_cost_period: str = "day"  # day | week | month | quarter | year | accounting-period
    average_cost_calc: str = "item"  # item | item-location-variant
    amount_precision: Decimal = Decimal("0.01")
    include_physical_value: bool = False  # F&O: physically updated entries count in running averages
    currency: str | None = None  # the local currency: item amounts are in it


# ---------------------------------------------------------------- ledgers


@attrs.frozen
class LedgerEntry:
    """An item ledger entry; ``number`` is its 1-based posting order in the item's ledger."""

    number: int
    date: dt.date
    type: str  # purchase | sale | positive-adjustment | negative-adjustment | consumption | output | transfer
    quantity: Decimal  # > 0 increase, < 0 decrease
    cost: Decimal | None = None  # total cost amount of an increase
    location: str | None = None
    variant: str | None = None
    applies_to: int | None = None
    order: str | None = None  # the production order of a consumption or output entry
    expected_cost: Decimal | None = None  # received, not invoiced: valued at this until its invoice
    physical: bool = False  # F&O: physically but not financially updated
    applies_from: int | None = None  # an increase that takes the exact cost of this decrease (a return)
    span: Span | None = _span_field()


@attrs.frozen
class Charge:
    """An item charge added to entry ``entry``'s cost, posted on ``date``."""

    date: dt.date
    entry: int
    amount: Decimal
    sequence: int = 0  # position among the ledger's lines (entries, charges, revaluations, invoices)
    span: Span | None = _span_field()


@attrs.frozen
class Invoice:
    """The invoice of entry ``entry`` (an increase with ``expected_cost``): its actual cost from ``date`` on."""

    date: dt.date
    entry: int
    cost: Decimal
    sequence: int = 0
    span: Span | None = _span_field()


@attrs.frozen
class Revaluation:
    """A revaluation to ``unit_cost`` of entry ``entry``'s remaining quantity, or of the whole item."""

    date: dt.date
    unit_cost: Decimal
    entry: int | None = None  # None: per-item revaluation
    sequence: int = 0
    span: Span | None = _span_field()


@attrs.frozen
class CapacityUse:
    """``capacity RESOURCE TIME order CODE``: time a work or machine center spent on a production
    order, in exact seconds (a plain time is run time).  Not an entry: it takes no entry number."""

    date: dt.date
    resource: str
    order: str
    run_seconds: Decimal = ZERO
    setup_seconds: Decimal = ZERO
    sequence: int = 0  # position among the ledger's lines, as for charges
    span: Span | None = _span_field()


@attrs.frozen
class Ledger:
    item: str
    entries: tuple[LedgerEntry, ...] = ()
    charges: tuple[Charge, ...] = ()
    revaluations: tuple[Revaluation, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    span: Span | None = _span_field()
    capacities: tuple[CapacityUse, ...] = ()  # capacity used by production orders producing the item
    # the entries' quantities and costs as exact integers, read once here (costsheet.ledger_columns;
    # None when the valuation's integer loop would not take the ledger); not part of equality
    columns: LedgerColumns | None = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(lambda ledger: ledger_columns(ledger.entries), True)
    )


# ---------------------------------------------------------------- the whole model


@attrs.frozen
class Model:
    setup: Setup = Setup()
    chart: Chart = Chart()
    roundings: Mapping[str, RoundingMethod] = frozen_map()
    conditions: Mapping[str, Condition] = frozen_map()
    items: Mapping[str, Item] = frozen_map()
    work_centers: Mapping[str, WorkCenter] = frozen_map()
    machine_centers: Mapping[str, MachineCenter] = frozen_map()
    vendors: Mapping[str, Vendor] = frozen_map()
    prices: tuple[PriceLine, ...] = ()
    discounts: tuple[DiscountLine, ...] = ()
    ledgers: Mapping[str, Ledger] = frozen_map()
    accounting_periods: tuple[dt.date, ...] = ()
    standard_costs: tuple[StandardCostLine, ...] = ()  # dated standard costs, as written
    price_records: tuple[PriceRecordLine, ...] = ()  # dated list, unit and sales prices, as written
    exchange_rates: tuple[ExchangeRate, ...] = ()  # as written
