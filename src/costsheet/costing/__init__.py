"""The costing engine (docs/costing.md).

``plan_program(model)`` prepares a model once (condition plans, compiled
charge formulas in dependency order, resolved resources, chart totals);
``calculate(model, item, ...)`` costs one item and returns a frozen
:class:`CostResult` whose ``to_json()`` is section 9's JSON; ``bom_tree(result.bom, ...)``
expands its costing BOM into the rows of a tree, with a row and a depth limit.
"""

from .api import build_result, calculate, calculate_many
from .bomtree import BomTree, TreeRow, bom_tree
from .engine import Calculator
from .program import Program, plan_program
from .results import (
    BomComponent, BomNode, ChargeValue, CostResult, ElementAmount, ExplainStep, OperationCost, PriceRecord,
)

__all__ = [
    "calculate", "calculate_many", "plan_program", "build_result", "Program", "Calculator", "CostResult",
    "ElementAmount", "ChargeValue", "PriceRecord", "BomNode", "BomComponent", "OperationCost", "ExplainStep",
    "BomTree", "TreeRow", "bom_tree",
]
