"""The words the language allows where it asks for a word, as the checker compares
them: the text of the enums of :mod:`costsheet.vocabulary` (docs/language.md lists
them with each declaration), and the helpers that offer them in a hint.

The grammar accepts any code in these places; the checker compares against
these tables so that a misspelt word gets a message listing the right ones.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import vocabulary as v
from ..model import frozen_map
from ..vocabulary import ACCEPTED_GROUPS, words
from .nearest import nearest

__all__ = [
    "SETTING_WORDS",
    "REPLENISHMENTS",
    "COSTING_METHODS",
    "COST_BASES",
    "ROUNDING_DIRECTIONS",
    "COPY_PRICES",
    "SALES_TYPES",
    "ENTRY_TYPES",
    "COST_GROUPS",
    "COST_KINDS",
    "ACCEPTED_GROUPS",
    "CONDITION_KINDS_TEXT",
    "one_of",
    "suggest",
]

COST_BASES = words(v.CostBase)
REPLENISHMENTS = words(v.Replenishment)
COSTING_METHODS = words(v.CostingMethod)
ROUNDING_DIRECTIONS = words(v.RoundingDirection)
COPY_PRICES = words(v.CopyPrice)
#: sales-type kind -> whether it takes a code
SALES_TYPES: Mapping[str, bool] = frozen_map({kind.value: takes for kind, takes in v.SALES_TYPE_TAKES_CODE.items()})
ENTRY_TYPES = words(v.EntryType)

#: setup settings whose value is a word -> the words allowed
SETTING_WORDS: Mapping[str, tuple[str, ...]] = frozen_map(
    {
        "cost-base": COST_BASES,
        "copy-standard-cost": words(v.CopyStandardCost),
        "explode-bom": words(v.ExplodeBom),
        "average-cost-period": words(v.AverageCostPeriod),
        "average-cost-calc": words(v.AverageCostCalc),
        "include-physical-value": words(v.YesNo),
    }
)

#: the cost groups of chart elements, in the order of the language reference
COST_GROUPS = words(v.CostGroup)
#: the kinds of cost of a standard cost's shares (and of production variances)
COST_KINDS = words(v.CostKind)

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
