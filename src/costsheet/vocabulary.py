"""The words of the language: every word a ruleset may write where the grammar
takes a code, as an enum, and the rule tables built on them.

This is the bottom module of costsheet: the syntax layer, the model, the
checker and the engines all read the words from here, and it imports nothing
of costsheet.  Each enum is a :class:`enum.StrEnum`, so a member equals its
text (``CostingMethod.FIFO == "fifo"``) and prints as it.  The members are in
the order docs/language.md lists them, which is the order the checker offers
them in its hints.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "CostGroup",
    "CostKind",
    "KIND_OF_GROUP",
    "ChartLineKind",
    "ConditionKind",
    "ValueKind",
    "Replenishment",
    "CostBase",
    "CostingMethod",
    "AverageCostPeriod",
    "AverageCostCalc",
    "RoundingDirection",
    "CopyPrice",
    "SalesTypeKind",
    "EntryType",
    "CopyStandardCost",
    "ExplodeBom",
    "YesNo",
    "ScenarioItemField",
    "ScenarioCenterField",
    "DistributionKind",
    "PERCENTAGE_FIELDS",
    "SCENARIO_FIELDS",
    "scenario_value_role",
    "ACCEPTED_GROUPS",
    "CHARGE_GROUPS",
    "SALES_TYPE_TAKES_CODE",
    "PER_ITEM_METHODS",
    "PERIODIC_METHODS",
    "words",
]


class CostGroup(enum.StrEnum):
    """The cost group of a chart element (``1110 element "..." material``)."""

    MATERIAL = "material"
    MATERIAL_OVERHEAD = "material-overhead"
    CAPACITY = "capacity"
    CAPACITY_OVERHEAD = "capacity-overhead"
    SUBCONTRACTED = "subcontracted"
    SUBCONTRACTED_OVERHEAD = "subcontracted-overhead"
    MFG_OVERHEAD = "mfg-overhead"
    SALES_OVERHEAD = "sales-overhead"
    ADMIN_OVERHEAD = "admin-overhead"
    GAIN_LOSS = "gain-loss"
    COMMISSION_DISCOUNT = "commission-discount"


class CostKind(enum.StrEnum):
    """The kinds of cost a standard cost is split into and a production order's actual cost is
    counted in (Business Central's cost shares and production variances)."""

    MATERIAL = "material"
    CAPACITY = "capacity"
    SUBCONTRACTED = "subcontracted"
    CAPACITY_OVERHEAD = "capacity-overhead"
    MFG_OVERHEAD = "mfg-overhead"


class ChartLineKind(enum.StrEnum):
    HEADING = "heading"
    ELEMENT = "element"
    BEGIN_TOTAL = "begin-total"
    END_TOTAL = "end-total"
    TOTAL = "total"


class ConditionKind(enum.StrEnum):
    MATERIAL = "material"
    PRODUCTION = "production"
    CAPACITY = "capacity"
    CHARGE = "charge"


class ValueKind(enum.StrEnum):
    """What a condition line's value is: ``percent N``, ``amount N``, ``element E``, ``formula "..."``."""

    PERCENT = "percent"
    AMOUNT = "amount"
    ELEMENT = "element"
    FORMULA = "formula"


class Replenishment(enum.StrEnum):
    PURCHASE = "purchase"
    PROD_ORDER = "prod-order"
    ASSEMBLY = "assembly"
    PHANTOM = "phantom"  # never costed alone: its BOM and routing are exploded into each parent


class CostBase(enum.StrEnum):
    UNIT_COST = "unit-cost"
    LAST_DIRECT_COST = "last-direct-cost"
    DIRECT_UNIT_COST = "direct-unit-cost"
    UNIT_DIRECT_LAST = "unit/direct/last"


class CostingMethod(enum.StrEnum):
    """An item's inventory costing method (docs/valuation.md, "The methods")."""

    FIFO = "fifo"
    LIFO = "lifo"
    AVERAGE = "average"
    MOVING_AVERAGE = "moving-average"
    WEIGHTED_AVERAGE = "weighted-average"
    SPECIFIC = "specific"
    STANDARD = "standard"
    PERIODIC_LIFO = "periodic-lifo"
    LIFO_DATE = "lifo-date"
    WEIGHTED_AVERAGE_DATE = "weighted-average-date"


class AverageCostPeriod(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ACCOUNTING_PERIOD = "accounting-period"


class AverageCostCalc(enum.StrEnum):
    ITEM = "item"
    ITEM_LOCATION_VARIANT = "item-location-variant"


class RoundingDirection(enum.StrEnum):
    NEAREST = "nearest"
    UP = "up"
    DOWN = "down"


class CopyPrice(enum.StrEnum):
    """What a charge condition's ``copy-price`` copies into the item card."""

    NO = "no"
    LIST_PRICE = "list-price"
    UNIT_PRICE = "unit-price"
    SALES_PRICE = "sales-price"
    LIST_PRICE_AND_SALES_PRICE = "list-price+sales-price"


class SalesTypeKind(enum.StrEnum):
    ALL_CUSTOMERS = "all-customers"
    CUSTOMER = "customer"
    CUSTOMER_PRICE_GROUP = "customer-price-group"
    CAMPAIGN = "campaign"


class EntryType(enum.StrEnum):
    """The type of an item ledger entry."""

    PURCHASE = "purchase"
    SALE = "sale"
    POSITIVE_ADJUSTMENT = "positive-adjustment"
    NEGATIVE_ADJUSTMENT = "negative-adjustment"
    CONSUMPTION = "consumption"
    OUTPUT = "output"
    TRANSFER = "transfer"


class YesNo(enum.StrEnum):
    """The words of a yes-or-no setting (``include-physical-value yes``)."""

    YES = "yes"
    NO = "no"


class CopyStandardCost(enum.StrEnum):
    SINGLE_LEVEL = "single-level"
    ALL_LEVELS = "all-levels"


class ExplodeBom(enum.StrEnum):
    SINGLE_LEVEL = "single-level"
    ROLLED_UP = "rolled-up"


class ScenarioItemField(enum.StrEnum):
    """The fields of an item a scenario or simulation changes (``item CODE FIELD``)."""

    UNIT_COST = "unit-cost"
    LAST_DIRECT_COST = "last-direct-cost"
    STANDARD_COST = "standard-cost"
    INDIRECT_COST = "indirect-cost"
    OVERHEAD_RATE = "overhead-rate"
    SCRAP = "scrap"
    LOT_SIZE = "lot-size"


class ScenarioCenterField(enum.StrEnum):
    """The fields of a work or machine center a scenario or simulation changes."""

    DIRECT_UNIT_COST = "direct-unit-cost"
    INDIRECT_COST = "indirect-cost"
    OVERHEAD_RATE = "overhead-rate"


class DistributionKind(enum.StrEnum):
    """A simulation's distributions, with their parameters: MIN MAX, MIN MODE MAX, MEAN SD."""

    UNIFORM = "uniform"
    TRIANGULAR = "triangular"
    NORMAL = "normal"


#: Fields that hold a percentage: a percentage written on them is the new value, never a change.
PERCENTAGE_FIELDS: frozenset[str] = frozenset({"indirect-cost", "scrap", "percent"})


def words(kind: type[enum.StrEnum]) -> tuple[str, ...]:
    """The words of an enum as text, in the order of the language reference."""
    return tuple(member.value for member in kind)


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


#: sales-type kind -> whether it takes a code (``sales-type customer C-1``)
SALES_TYPE_TAKES_CODE: Mapping[SalesTypeKind, bool] = _frozen(
    {
        SalesTypeKind.ALL_CUSTOMERS: False,
        SalesTypeKind.CUSTOMER: True,
        SalesTypeKind.CUSTOMER_PRICE_GROUP: True,
        SalesTypeKind.CAMPAIGN: True,
    }
)

#: Cost groups that only charge conditions use; they carry no part of the unit cost.
CHARGE_GROUPS: frozenset[CostGroup] = frozenset(
    {CostGroup.SALES_OVERHEAD, CostGroup.ADMIN_OVERHEAD, CostGroup.GAIN_LOSS, CostGroup.COMMISSION_DISCOUNT}
)

#: costing methods that value an item as a whole (a revaluation of one entry is one of the item)
PER_ITEM_METHODS: frozenset[CostingMethod] = frozenset(
    {
        CostingMethod.AVERAGE,
        CostingMethod.MOVING_AVERAGE,
        CostingMethod.WEIGHTED_AVERAGE,
        CostingMethod.WEIGHTED_AVERAGE_DATE,
    }
)
#: costing methods that value by the setup's average-cost periods: Business Central's average
#: and the Finance & Operations inventory close models, which settle at each period's close
PERIODIC_METHODS: frozenset[CostingMethod] = frozenset(
    {
        CostingMethod.AVERAGE,
        CostingMethod.WEIGHTED_AVERAGE,
        CostingMethod.WEIGHTED_AVERAGE_DATE,
        CostingMethod.PERIODIC_LIFO,
        CostingMethod.LIFO_DATE,
    }
)

#: the kind of cost an element's amount is (docs/valuation.md, "Production orders"); the
#: charge groups (sales overhead, profit ...) are no part of a cost and have no kind
KIND_OF_GROUP: Mapping[CostGroup, CostKind] = _frozen(
    {
        CostGroup.MATERIAL: CostKind.MATERIAL,
        CostGroup.MATERIAL_OVERHEAD: CostKind.MATERIAL,
        CostGroup.CAPACITY: CostKind.CAPACITY,
        CostGroup.SUBCONTRACTED: CostKind.SUBCONTRACTED,
        CostGroup.CAPACITY_OVERHEAD: CostKind.CAPACITY_OVERHEAD,
        CostGroup.SUBCONTRACTED_OVERHEAD: CostKind.CAPACITY_OVERHEAD,
        CostGroup.MFG_OVERHEAD: CostKind.MFG_OVERHEAD,
    }
)

_G = CostGroup
#: condition kind -> role -> cost groups accepted (the table in docs/language.md, "Cost conditions");
#: role "line" for line elements
ACCEPTED_GROUPS: Mapping[ConditionKind, Mapping[str, frozenset[CostGroup]]] = _frozen(
    {
        ConditionKind.MATERIAL: _frozen(
            {
                "direct": frozenset({_G.MATERIAL}),
                "overhead": frozenset({_G.MATERIAL_OVERHEAD}),
                "line": frozenset({_G.MATERIAL, _G.MATERIAL_OVERHEAD}),
            }
        ),
        ConditionKind.PRODUCTION: _frozen(
            {
                "direct": frozenset({_G.MATERIAL}),
                "overhead": frozenset({_G.MFG_OVERHEAD}),
                "line": frozenset({_G.MATERIAL, _G.MFG_OVERHEAD}),
            }
        ),
        ConditionKind.CAPACITY: _frozen(
            {
                "direct": frozenset({_G.CAPACITY, _G.SUBCONTRACTED}),
                "overhead": frozenset({_G.CAPACITY_OVERHEAD, _G.SUBCONTRACTED_OVERHEAD}),
                "line": frozenset({_G.CAPACITY, _G.SUBCONTRACTED, _G.CAPACITY_OVERHEAD, _G.SUBCONTRACTED_OVERHEAD}),
            }
        ),
        ConditionKind.CHARGE: _frozen(
            {
                "line": CHARGE_GROUPS,
            }
        ),
    }
)


#: the fields a scenario or simulation line of each target kind may name (price and discount
#: targets name none; a condition line names its value kind)
SCENARIO_FIELDS: Mapping[str, tuple[str, ...]] = _frozen(
    {
        "item": words(ScenarioItemField),
        "workcenter": words(ScenarioCenterField),
        "machinecenter": words(ScenarioCenterField),
        "condition": ("amount", "percent", "formula"),
    }
)
_RATE_FIELDS = frozenset({ScenarioCenterField.DIRECT_UNIT_COST, ScenarioCenterField.OVERHEAD_RATE})


def scenario_value_role(kind: str, field: str | None) -> str:
    """What a scenario line's value means for a target: ``percentage`` (a percentage is the
    new value), ``rate`` (a center's rate: a rate or a plain number per hour replaces it),
    ``formula`` (a string), or ``amount`` (a number replaces it, a percentage changes it)."""
    if kind == "discount" or field in PERCENTAGE_FIELDS:
        return "percentage"
    if kind == "condition" and field == "formula":
        return "formula"
    if kind in ("workcenter", "machinecenter") and field in _RATE_FIELDS:
        return "rate"
    return "amount"
