"""The typed syntax tree of a ruleset: what the user wrote, with positions.

Every node is a frozen attrs class whose children are tuples.  ``span`` is
excluded from equality, so a ruleset that is printed and parsed again
compares equal to the original (``parse(print(ast)) == ast``); so are
``value_span`` of a field and ``amount_span`` of a dated standard cost, a share
and a price record: where a value without a span of its own (a number) is
written (``costsheet worksheet --implement`` edits the amounts there).

Codes that refer to something (an element, an item, a vendor …) are
:class:`Code` nodes so that a diagnostic can point at the code itself.
Words of the language written where the grammar takes any word (a setting's
value, ``replenishment purchase``, an element's cost group) are :class:`Word`
nodes: they name nothing, so the limits on codes do not apply to them, and
the checker compares them with the words allowed there.
Keyword options of a line (``from``, ``min-qty``, ``unit-cost`` of a price
line, ``scrap`` of a BOM line, ``setup``/``run`` of a routing line, ``row``,
the value and the flags of a condition line) may come in any order and are
kept in the order written, repeats included, in the line's ``options``; the
line's properties read the first of each.
Statements inside blocks are kept in the order written, duplicates included:
the checker, not the parser, decides what is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import attrs

from ..diagnostics import Diagnostic, Span

__all__ = [
    "Code",
    "Word",
    "Percent",
    "Duration",
    "RateValue",
    "DecimalsRange",
    "AssemblyElements",
    "Num",
    "Row",
    "Unary",
    "Binary",
    "Formula",
    "row_nodes",
    "Include",
    "Setting",
    "SetupBlock",
    "FilterPart",
    "ChartEntry",
    "ChartBlock",
    "RoundingDecl",
    "Header",
    "CopyPrice",
    "SalesTypeStmt",
    "LineValue",
    "Flag",
    "Line",
    "ConditionDecl",
    "Field",
    "ConditionRef",
    "UnitOfMeasure",
    "ByProductLine",
    "CoProductLine",
    "BomEntry",
    "BomBlock",
    "RoutingEntry",
    "RoutingBlock",
    "ItemDecl",
    "WorkCenterDecl",
    "MachineCenterDecl",
    "VendorDecl",
    "ExchangeRateDecl",
    "PriceDecl",
    "DiscountDecl",
    "EntryLine",
    "LedgerCharge",
    "LedgerRevaluation",
    "LedgerInvoice",
    "CapacityLine",
    "LedgerDecl",
    "AccountingPeriods",
    "Share",
    "SharesBlock",
    "StandardCostDecl",
    "Target",
    "Change",
    "Distribution",
    "Variation",
    "ScenarioDecl",
    "SimulationDecl",
    "PriceRecordDecl",
    "Comment",
    "SourceFile",
    "Declaration",
]


def _span() -> Any:  # what attrs.field returns: the field's default to the type checker
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- small values


@attrs.frozen
class Code:
    """A code as written (bare or quoted); compares by text only."""

    text: str
    span: Span | None = _span()

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Word:
    """A word of the language where the grammar takes any word (``cost-base unit-cost``,
    ``replenishment purchase``, an element's cost group); compares by text only."""

    text: str
    span: Span | None = _span()

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Percent:
    value: Decimal


@attrs.frozen
class Duration:
    """``30s``, ``12min``, ``1.5h``, ``1d``."""

    value: Decimal
    unit: str  # s | min | h | d


@attrs.frozen
class RateValue:
    """``42.00/h``."""

    value: Decimal
    unit: str


@attrs.frozen
class DecimalsRange:
    """``decimals amounts 2:5``; a single number has ``low == high`` and ``single=True``."""

    low: int
    high: int
    single: bool = False


@attrs.frozen
class AssemblyElements:
    direct: Code
    overhead: Code


# ---------------------------------------------------------------- formulas


@attrs.frozen
class Num:
    value: Decimal
    span: Span | None = _span()


@attrs.frozen
class Row:
    name: str
    span: Span | None = _span()


@attrs.frozen
class Unary:
    op: str  # "-" (typographic minus and en dash are normalised to "-")
    operand: Formula
    span: Span | None = _span()


@attrs.frozen
class Binary:
    op: str  # + - * / % §
    left: Formula
    right: Formula
    span: Span | None = _span()


Formula = Num | Row | Unary | Binary


def row_nodes(formula: Formula) -> Iterator[Row]:
    """The Row nodes of a formula, left to right, without recursion (formulas can be deep)."""
    stack = [formula]
    while stack:
        node = stack.pop()
        if isinstance(node, Row):
            yield node
        elif isinstance(node, Binary):
            stack.append(node.right)
            stack.append(node.left)
        elif isinstance(node, Unary):
            stack.append(node.operand)


# ---------------------------------------------------------------- declarations


class _Options:
    """Keyword options of a line, in the order written (see the module docstring)."""

    __slots__ = ()
    options: tuple[Field, ...]

    def option(self, name: str) -> object:
        """The value of the first option called ``name``, or None.  Its type follows from the name
        (the grammar gives ``scrap`` a Percent, ``from`` a date ...): the properties that read
        options state it."""
        for option in self.options:
            if option.name == name:
                return option.value
        return None


@attrs.frozen
class Include:
    path: str
    span: Span | None = _span()


@attrs.frozen
class Setting:
    """One setup setting.  ``key`` is the setting's words: ``cost-base``,
    ``decimals amounts``, ``default material``, ``assembly``, ``amount-precision`` …
    ``value`` is a Code, Decimal, DecimalsRange or AssemblyElements."""

    key: str
    value: object
    span: Span | None = _span()


@attrs.frozen
class SetupBlock:
    settings: tuple[Setting, ...]
    span: Span | None = _span()


@attrs.frozen
class FilterPart:
    """``low..high`` or a single code (``high`` is None)."""

    low: Code
    high: Code | None = None
    span: Span | None = _span()


@attrs.frozen
class ChartEntry:
    code: Code
    kind: str  # heading | element | begin-total | end-total | total
    description: str
    cost_group: Word | None = None  # as written: the checker says whether it is a cost group
    totaling: tuple[FilterPart, ...] | None = None
    span: Span | None = _span()


@attrs.frozen
class ChartBlock:
    entries: tuple[ChartEntry, ...]
    span: Span | None = _span()


@attrs.frozen
class RoundingDecl:
    code: Code
    direction: str  # nearest | up | down
    precision: Decimal
    min_amount: Decimal | None = None
    span: Span | None = _span()


@attrs.frozen
class Header:
    """``direct E`` or ``overhead E`` in a condition."""

    role: str
    element: Code
    span: Span | None = _span()


@attrs.frozen
class CopyPrice:
    value: str
    span: Span | None = _span()


@attrs.frozen
class SalesTypeStmt:
    kind: str
    code: Code | None = None
    span: Span | None = _span()


@attrs.frozen
class LineValue:
    """``percent N`` | ``amount N`` | ``element E`` | ``formula "..."``.

    For a formula, ``value`` is the formula text (verbatim, for ``fmt``) and
    ``span`` covers the string literal including its quotes; the parser parses
    the formula once, into ``formula`` (its spans in the file) or, when it does
    not parse, into ``formula_diagnostics`` (which the checker reports).  Both
    follow from ``value``, so they take no part in equality."""

    kind: str
    value: object  # Decimal | Code | str
    span: Span | None = _span()
    formula: Formula | None = attrs.field(default=None, eq=False, repr=False)
    formula_diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class Flag:
    """``setup-only`` | ``allocation N%`` | ``round [METHOD]`` | ``list-price`` | ``bold``."""

    name: str
    argument: object = None  # Percent for allocation, Code for round METHOD
    span: Span | None = _span()


@attrs.frozen
class Line:
    """``line [ELEMENT] "DESCRIPTION" OPTION*``: the options (``row R`` as a Field,
    the value as a LineValue, the flags) in the order written."""

    element: Code | None
    description: str
    options: tuple[Field | LineValue | Flag, ...] = ()
    span: Span | None = _span()

    @property
    def row(self) -> Code | None:
        """The first ``row R``."""
        return next((o.value for o in self.options if isinstance(o, Field) and isinstance(o.value, Code)), None)

    @property
    def value(self) -> LineValue | None:
        """The first value (``percent N``, ``amount N``, ``element E``, ``formula "..."``)."""
        return next((o for o in self.options if isinstance(o, LineValue)), None)

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(o for o in self.options if isinstance(o, Flag))


@attrs.frozen
class ConditionDecl:
    kind: str  # material | production | capacity | charge
    code: Code
    description: str | None
    body: tuple[Header | CopyPrice | SalesTypeStmt | Line, ...]
    span: Span | None = _span()


@attrs.frozen
class Field:
    """A ``name value`` statement in an item, work center or machine center, or a
    keyword option of a line (``from 2026-01-01``, ``scrap 5%``, ``row A``, ``cost 10``)."""

    name: str
    value: object  # Code | Word | Decimal | Percent | RateValue | Duration | date | int
    span: Span | None = _span()
    value_span: Span | None = _span()  # where the value is written (fields of items and centers, line options)


@attrs.frozen
class ConditionRef:
    """``condition KIND CODE`` in an item; ``condition CODE`` in a work/machine center (kind None)."""

    kind: str | None
    code: Code
    span: Span | None = _span()


@attrs.frozen
class UnitOfMeasure:
    """``unit-of-measure CODE FACTOR`` in an item: one CODE is FACTOR base units."""

    code: Code
    factor: Decimal
    span: Span | None = _span()


@attrs.frozen
class ByProductLine(_Options):
    """``byproduct CODE QUANTITY [value N]`` in an item: QUANTITY units of CODE per unit of the item."""

    item: Code
    quantity: Decimal
    options: tuple[Field, ...] = ()
    span: Span | None = _span()

    @property
    def value(self) -> Decimal | None:
        """``value N``: the credit per unit of the by-product (None: its own calculated unit cost)."""
        return cast("Decimal | None", self.option("value"))


@attrs.frozen
class CoProductLine(_Options):
    """``coproduct CODE QUANTITY share P%`` in an item: QUANTITY units of CODE take P% of its cost."""

    item: Code
    quantity: Decimal
    options: tuple[Field, ...] = ()
    span: Span | None = _span()

    @property
    def share(self) -> Percent | None:
        return cast("Percent | None", self.option("share"))


@attrs.frozen
class BomEntry(_Options):
    """``COMPONENT QUANTITY OPTION*`` with the option ``scrap P%``."""

    component: Code
    quantity: Decimal
    options: tuple[Field, ...] = ()
    span: Span | None = _span()

    @property
    def scrap(self) -> Percent | None:
        return cast("Percent | None", self.option("scrap"))

    @property
    def unit(self) -> Code | None:
        """``unit U``: the quantity counts U of the component (None: its base unit)."""
        return cast("Code | None", self.option("unit"))


@attrs.frozen
class BomBlock:
    """``bom [from DATE] { ... }``: ``version`` is the ``from`` option (None: undated)."""

    entries: tuple[BomEntry, ...]
    version: Field | None = None
    span: Span | None = _span()

    @property
    def starting(self) -> dt.date | None:
        return None if self.version is None else self.version.value  # type: ignore[return-value]


@attrs.frozen
class RoutingEntry(_Options):
    """``OPERATION RESOURCE OPTION*`` with the options ``setup TIME`` and ``run TIME``."""

    operation: Code
    resource: Code
    options: tuple[Field, ...] = ()
    span: Span | None = _span()

    @property
    def setup(self) -> Duration | None:
        return cast("Duration | None", self.option("setup"))

    @property
    def run(self) -> Duration | None:
        return cast("Duration | None", self.option("run"))


@attrs.frozen
class RoutingBlock:
    """``routing [from DATE] { ... }``: ``version`` is the ``from`` option (None: undated)."""

    entries: tuple[RoutingEntry, ...]
    version: Field | None = None
    span: Span | None = _span()

    @property
    def starting(self) -> dt.date | None:
        return None if self.version is None else self.version.value  # type: ignore[return-value]


#: A statement in an item's braces.
ItemStatement = Field | ConditionRef | UnitOfMeasure | ByProductLine | CoProductLine | BomBlock | RoutingBlock


@attrs.frozen
class ItemDecl:
    code: Code
    description: str | None
    body: tuple[ItemStatement, ...]
    span: Span | None = _span()


@attrs.frozen
class WorkCenterDecl:
    code: Code
    description: str | None
    body: tuple[Field | ConditionRef, ...]
    span: Span | None = _span()


@attrs.frozen
class MachineCenterDecl:
    code: Code
    description: str | None
    work_center: Code
    body: tuple[Field | ConditionRef, ...]
    span: Span | None = _span()


@attrs.frozen
class VendorDecl:
    """``vendor CODE ["NAME"] [{ currency CUR }]``: ``body`` holds the block's fields (``currency``)."""

    code: Code
    name: str | None = None
    span: Span | None = _span()
    body: tuple[Field, ...] = ()

    @property
    def currency(self) -> Code | None:
        return next((f.value for f in self.body if f.name == "currency"), None)  # type: ignore[return-value]


@attrs.frozen
class ExchangeRateDecl:
    """``exchange-rate CUR from DATE RATE``: one CUR is RATE of the local currency from DATE on."""

    currency: Code
    starting: dt.date
    rate: Decimal
    span: Span | None = _span()


class _Validity(_Options):
    """The options price and discount lines share: ``from DATE``, ``to DATE``, ``min-qty N``."""

    __slots__ = ()

    @property
    def starting(self) -> dt.date | None:
        return cast("dt.date | None", self.option("from"))

    @property
    def ending(self) -> dt.date | None:
        return cast("dt.date | None", self.option("to"))

    @property
    def min_qty(self) -> Decimal | None:
        return cast("Decimal | None", self.option("min-qty"))

    @property
    def per(self) -> Code | None:
        """``per U``: the unit cost is per U and ``min-qty`` counts U (None: the base unit)."""
        return cast("Code | None", self.option("per"))


@attrs.frozen
class PriceDecl(_Validity):
    """``price ITEM vendor VENDOR OPTION*``: ``from``, ``to``, ``min-qty`` and ``unit-cost N``
    (which the checker requires)."""

    item: Code
    vendor: Code
    options: tuple[Field, ...] = ()
    span: Span | None = _span()

    @property
    def unit_cost(self) -> Decimal | None:
        return cast("Decimal | None", self.option("unit-cost"))


@attrs.frozen
class DiscountDecl(_Validity):
    """``discount ITEM vendor VENDOR OPTION*``: ``from``, ``to``, ``min-qty`` and the
    percentage ``P%`` (kept as the option ``percent``, which the checker requires)."""

    item: Code
    vendor: Code
    options: tuple[Field, ...] = ()
    span: Span | None = _span()

    @property
    def percent(self) -> Percent | None:
        return cast("Percent | None", self.option("percent"))


@attrs.frozen
class EntryLine:
    """``DATE TYPE QUANTITY [cost N] [expected-cost N] [location L] [variant V] [applies-to N]
    [applies-from N] [physical] [order CODE]``; the options are kept in the order written as
    :class:`Field` nodes (``physical`` with the value True)."""

    date: dt.date
    type: str
    quantity: Decimal
    options: tuple[Field, ...] = ()
    span: Span | None = _span()


@attrs.frozen
class LedgerCharge:
    """``DATE charge ENTRY amount N`` in a ledger: an item charge on an entry."""

    date: dt.date
    entry: int
    amount: Decimal
    span: Span | None = _span()


@attrs.frozen
class LedgerRevaluation:
    """``DATE revaluation [ENTRY] unit-cost N`` in a ledger."""

    date: dt.date
    entry: int | None
    unit_cost: Decimal
    span: Span | None = _span()


@attrs.frozen
class LedgerInvoice:
    """``DATE invoice ENTRY cost N``: the actual cost of an increase received with ``expected-cost``."""

    date: dt.date
    entry: int
    cost: Decimal
    span: Span | None = _span()


@attrs.frozen
class CapacityLine(_Options):
    """``DATE capacity RESOURCE [TIME] OPTION*``: capacity used by a production order, with the
    options ``setup TIME``, ``run TIME`` and ``order CODE`` (which the checker requires).
    ``time`` is a time written without a keyword: the run time."""

    date: dt.date
    resource: Code
    time: Duration | None = None
    options: tuple[Field, ...] = ()
    span: Span | None = _span()

    @property
    def setup(self) -> Duration | None:
        return cast("Duration | None", self.option("setup"))

    @property
    def run(self) -> Duration | None:
        return cast("Duration | None", self.option("run"))

    @property
    def order(self) -> Code | None:
        return cast("Code | None", self.option("order"))


@attrs.frozen
class LedgerDecl:
    item: Code
    lines: tuple[EntryLine | LedgerCharge | LedgerRevaluation | LedgerInvoice | CapacityLine, ...]
    span: Span | None = _span()


@attrs.frozen
class AccountingPeriods:
    dates: tuple[dt.date, ...]
    span: Span | None = _span()


@attrs.frozen
class Share:
    """``KIND AMOUNT`` in a standard cost's shares; the kind is a word (the checker knows the kinds)."""

    kind: Word
    amount: Decimal
    span: Span | None = _span()
    amount_span: Span | None = _span()  # where the amount is written


@attrs.frozen
class SharesBlock:
    shares: tuple[Share, ...]
    span: Span | None = _span()


@attrs.frozen
class StandardCostDecl:
    """``standard-cost ITEM from DATE AMOUNT [shares { KIND AMOUNT ... }]``: a dated standard cost."""

    item: Code
    starting: dt.date
    amount: Decimal
    shares: SharesBlock | None = None
    span: Span | None = _span()
    amount_span: Span | None = _span()  # where the amount is written


@attrs.frozen
class Target:
    """What a scenario or simulation line changes: ``item CODE FIELD``, ``workcenter CODE
    FIELD``, ``machinecenter CODE FIELD`` (``field`` a word, ``vendor`` and ``line`` None);
    ``price ITEM vendor V`` or ``discount ITEM vendor V`` (``field`` None); ``condition CODE
    line N KIND`` (``line`` N, ``field`` the value kind: amount, percent or formula);
    ``exchange-rate CUR`` (``code`` the currency, ``field`` None)."""

    kind: str  # item | workcenter | machinecenter | price | discount | condition | exchange-rate
    code: Code
    field: Word | None = None
    vendor: Code | None = None
    line: int | None = None
    span: Span | None = _span()


@attrs.frozen
class PriceRecordDecl:
    """``list-price ITEM from DATE AMOUNT``, ``unit-price ITEM from DATE AMOUNT`` or
    ``sales-price ITEM SALES-TYPE [CODE] from DATE AMOUNT``: a dated price record."""

    kind: str  # list-price | unit-price | sales-price
    item: Code
    starting: dt.date
    amount: Decimal
    sales_type: SalesTypeStmt | None = None  # sales-price only
    span: Span | None = _span()
    amount_span: Span | None = _span()  # where the amount is written


@attrs.frozen
class Change:
    """``TARGET VALUE`` in a scenario: a number, a percentage, a rate or (formula lines) a string."""

    target: Target
    value: object  # Decimal | Percent | RateValue | str
    span: Span | None = _span()


@attrs.frozen
class Distribution:
    """``uniform MIN MAX`` | ``triangular MIN MODE MAX`` | ``normal MEAN SD``, as written
    (the checker counts the parameters)."""

    kind: str
    parameters: tuple[object, ...] = ()  # Decimal | Percent | RateValue
    span: Span | None = _span()


@attrs.frozen
class Variation:
    """``TARGET DISTRIBUTION`` in a simulation."""

    target: Target
    distribution: Distribution
    span: Span | None = _span()


@attrs.frozen
class ScenarioDecl:
    """``scenario CODE ["DESCRIPTION"] { CHANGE* }``: changes applied in the order written."""

    code: Code
    description: str | None
    changes: tuple[Change, ...] = ()
    span: Span | None = _span()


@attrs.frozen
class SimulationDecl:
    """``simulation CODE ["DESCRIPTION"] { (runs N | seed N | VARIATION)* }``; ``runs`` and
    ``seed`` are :class:`Field` statements (repeats kept for the checker)."""

    code: Code
    description: str | None
    body: tuple[Field | Variation, ...] = ()
    span: Span | None = _span()

    def setting(self, name: str) -> Decimal | None:
        """The number of the first setting ``name`` (``runs``, ``seed``), or None."""
        for s in self.body:
            if isinstance(s, Field) and s.name == name and isinstance(s.value, Decimal):
                return s.value
        return None

    @property
    def variations(self) -> tuple[Variation, ...]:
        return tuple(s for s in self.body if isinstance(s, Variation))


@attrs.frozen
class Comment:
    """A ``# ...`` comment, kept for ``costsheet fmt``; not part of equality of a SourceFile."""

    text: str
    span: Span | None = _span()


Declaration = (
    Include
    | SetupBlock
    | ChartBlock
    | RoundingDecl
    | ConditionDecl
    | ItemDecl
    | WorkCenterDecl
    | MachineCenterDecl
    | VendorDecl
    | PriceDecl
    | DiscountDecl
    | LedgerDecl
    | AccountingPeriods
    | StandardCostDecl
    | ScenarioDecl
    | SimulationDecl
    | PriceRecordDecl
    | ExchangeRateDecl
)


@attrs.frozen
class SourceFile:
    """One parsed file."""

    declarations: tuple[Declaration, ...]
    file: str = attrs.field(default="<text>", eq=False)
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False, repr=False)
