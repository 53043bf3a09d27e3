"""Inventory valuation (docs/valuation.md): ten costing methods over item ledgers.

Public API::

    result, diagnostics = costsheet.valuation.value(model, item=None, as_of=None)
    result.to_dict()        # the valuation JSON as data (docs/json.md, "costsheet value")
    print(result.to_json())  # byte for byte what `costsheet value --format json` prints

The model is a checked one (the ledger rules are the checker's,
:mod:`costsheet.check.ledgers`).  :mod:`.prepare` splits each ledger into
groups (item, or item/location/variant) and filters by date, and the item's
costing method (:mod:`.methods`) values each group into a :class:`Book` that
freezes into an :class:`ItemValuation`.  The methods are registered in
:data:`.methods.METHODS`, the enum -> function table.  When ledgers name
production orders, :mod:`.orders` puts components before the items made from
them and costs each order (:class:`OrderValuation`) before its outputs are valued.
"""

from __future__ import annotations

from ..vocabulary import CostingMethod
from .result import (
    Adjustment,
    EntryValue,
    ItemValuation,
    OrderValuation,
    ProductionVariance,
    RevaluationAmount,
    RoundingEntry,
    ValuationResult,
    Variance,
)
from .valuate import value

__all__ = [
    "value",
    "CostingMethod",
    "ValuationResult",
    "ItemValuation",
    "EntryValue",
    "Adjustment",
    "Variance",
    "RoundingEntry",
    "RevaluationAmount",
    "OrderValuation",
    "ProductionVariance",
]
