"""Inventory valuation (docs/valuation.md): seven costing methods over item ledgers.

Public API::

    result, diagnostics = costsheet.valuation.value(model, item=None, as_of=None)
    diagnostics = costsheet.valuation.validate(model)
    result.to_json()        # the valuation JSON (docs/valuation.md, "The JSON")

The pipeline: :mod:`.rules` checks each ledger, :mod:`.prepare` splits it into
groups (item, or item/location/variant) and filters by date, and the item's
costing method (:mod:`.methods`) values each group into a :class:`Book` that
freezes into an :class:`ItemValuation`.  The methods are registered in
:data:`.methods.METHODS`, the enum -> function table.  When ledgers name
production orders, :mod:`.orders` puts components before the items made from
them and costs each order (:class:`OrderValuation`) before its outputs are valued.
"""

from __future__ import annotations

from .engine import value
from .methods import CostingMethod
from .result import (Adjustment, EntryValue, ItemValuation, OrderValuation, ProductionVariance, RevaluationAmount,
                     RoundingEntry, ValuationResult, Variance)
from .rules import validate

__all__ = ["value", "validate", "CostingMethod", "ValuationResult", "ItemValuation", "EntryValue",
           "Adjustment", "Variance", "RoundingEntry", "RevaluationAmount", "OrderValuation", "ProductionVariance"]
