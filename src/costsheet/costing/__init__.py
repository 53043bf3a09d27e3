"""The costing engine (docs/costing.md).

``plan_program(model)`` prepares a model once (condition plans, compiled
charge formulas in dependency order, resolved resources, chart totals);
``calculate(model, item, ...)`` costs one item and returns a frozen
:class:`CostResult` (``to_dict()``: its JSON (docs/json.md) as data, ``to_json()``: as the text
``costsheet calc --format json`` prints); ``bom_tree(result.bom, ...)``
expands its costing BOM into the rows of a tree, with a row and a depth limit.
The engine returns data only: the command line's tables are in
:mod:`costsheet.cli.tables`.
"""

from .api import build_result, calculate, calculate_many, calculator_reusing, cost_each
from .bomtree import BomTree, JointRow, TreeRow, bom_tree, joint_rows
from .program import Program, plan_program, replan_program
from .results import (
    BomComponent,
    BomNode,
    ChargeValue,
    CostResult,
    CostResults,
    ElementAmount,
    ExplainStep,
    OperationCost,
    PriceRecord,
)
from .rollup import Calculator, CostingError
from .scale import internal

__all__ = [
    "calculate",
    "calculate_many",
    "calculator_reusing",
    "cost_each",
    "plan_program",
    "replan_program",
    "build_result",
    "Program",
    "Calculator",
    "CostingError",
    "internal",
    "CostResult",
    "CostResults",
    "ElementAmount",
    "ChargeValue",
    "PriceRecord",
    "BomNode",
    "BomComponent",
    "OperationCost",
    "ExplainStep",
    "BomTree",
    "TreeRow",
    "JointRow",
    "joint_rows",
    "bom_tree",
]
