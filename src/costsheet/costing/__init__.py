"""The costing engine (docs/costing.md).

``compile_program(model)`` prepares a model once (condition plans, compiled
charge formulas in dependency order, resolved resources, chart totals);
``calculate(model, item, ...)`` costs one item and returns a frozen
:class:`CostResult` whose ``to_json()`` is the JSON of docs/json.md; ``bom_tree(result.bom, ...)``
expands its costing BOM into the rows of a tree, with a row and a depth limit.
"""

from .api import build_result, calculate, calculate_many
from .bomtree import BomTree, TreeRow, bom_tree
from .rollup import Calculator
from .program import Program, compile_program
from .results import (
    BomComponent, BomNode, ChargeValue, CostResult, ElementAmount, ExplainStep, OperationCost, PriceRecord,
)

__all__ = [
    "calculate", "calculate_many", "compile_program", "build_result", "Program", "Calculator", "CostResult",
    "ElementAmount", "ChargeValue", "PriceRecord", "BomNode", "BomComponent", "OperationCost", "ExplainStep",
    "BomTree", "TreeRow", "bom_tree",
]
