"""The words the language allows where it asks for a word (docs/language.md lists
them with each declaration).

The grammar accepts any code in these places; the checker compares against
these tables so that a misspelt word gets a message listing the right ones.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import ConditionKind, CostGroup, CostKind, frozen_map
from ..valuation.methods import CostingMethod
from ..valuation.periods import PERIOD_KINDS
from .nearest import nearest

__all__ = [
    "SETTING_WORDS", "REPLENISHMENTS", "COSTING_METHODS", "COST_BASES", "ROUNDING_DIRECTIONS",
    "COPY_PRICES", "SALES_TYPES", "ENTRY_TYPES", "COST_GROUPS", "COST_KINDS", "ACCEPTED_GROUPS",
    "CONDITION_KINDS_TEXT",
    "one_of", "suggest",
]

COST_BASES = ("unit-cost", "last-direct-cost", "direct-unit-cost", "unit/direct/last")
REPLENISHMENTS = ("purchase", "prod-order", "assembly")
COSTING_METHODS = tuple(method.value for method in CostingMethod)  # the valuation engine's table
ROUNDING_DIRECTIONS = ("nearest", "up", "down")
COPY_PRICES = ("no", "list-price", "unit-price", "sales-price", "list-price+sales-price")
#: sales-type kind -> whether it takes a code
SALES_TYPES: Mapping[str, bool] = frozen_map(
    {"all-customers": False, "customer": True, "customer-price-group": True, "campaign": True})
ENTRY_TYPES = ("purchase", "sale", "positive-adjustment", "negative-adjustment", "consumption", "output",
               "transfer")

#: setup settings whose value is a word -> the words allowed
SETTING_WORDS: Mapping[str, tuple[str, ...]] = frozen_map({
    "cost-base": COST_BASES,
    "copy-standard-cost": ("single-level", "all-levels"),
    "explode-bom": ("single-level", "rolled-up"),
    "average-cost-period": PERIOD_KINDS,
    "average-cost-calc": ("item", "item-location-variant"),
})

#: the cost groups of chart elements, in the order of the language reference
COST_GROUPS = tuple(group.value for group in CostGroup)
#: the kinds of cost of a standard cost's shares (and of production variances)
COST_KINDS = tuple(kind.value for kind in CostKind)

_G = CostGroup
#: condition kind -> role -> cost groups accepted (the table in docs/language.md, "Cost conditions");
#: role "line" for line elements
ACCEPTED_GROUPS: Mapping[ConditionKind, Mapping[str, frozenset[CostGroup]]] = frozen_map({
    ConditionKind.MATERIAL: frozen_map({
        "direct": frozenset({_G.MATERIAL}),
        "overhead": frozenset({_G.MATERIAL_OVERHEAD}),
        "line": frozenset({_G.MATERIAL, _G.MATERIAL_OVERHEAD}),
    }),
    ConditionKind.PRODUCTION: frozen_map({
        "direct": frozenset({_G.MATERIAL}),
        "overhead": frozenset({_G.MFG_OVERHEAD}),
        "line": frozenset({_G.MATERIAL, _G.MFG_OVERHEAD}),
    }),
    ConditionKind.CAPACITY: frozen_map({
        "direct": frozenset({_G.CAPACITY, _G.SUBCONTRACTED}),
        "overhead": frozenset({_G.CAPACITY_OVERHEAD, _G.SUBCONTRACTED_OVERHEAD}),
        "line": frozenset({_G.CAPACITY, _G.SUBCONTRACTED, _G.CAPACITY_OVERHEAD, _G.SUBCONTRACTED_OVERHEAD}),
    }),
    ConditionKind.CHARGE: frozen_map({
        "line": frozenset({_G.SALES_OVERHEAD, _G.ADMIN_OVERHEAD, _G.GAIN_LOSS, _G.COMMISSION_DISCOUNT}),
    }),
})

CONDITION_KINDS_TEXT = "material, production and capacity"


def one_of(words) -> str:
    """``a, b or c`` in the order given (the order of the language reference)."""
    words = [str(w) for w in words]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def suggest(word: str, words) -> str:
    """A hint for a misspelt word: the closest allowed word (:func:`.nearest.nearest`), then the whole list."""
    close = nearest(word, words)
    listing = f"write one of {one_of(words)}"
    return f"did you mean {close}? {listing}" if close else listing
