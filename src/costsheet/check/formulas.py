"""Charge formulas (LANGUAGE.md section 7.3): they parse, are not nested too deep, read
rows that have lines, and do not depend on each other in a cycle.

The charge planner of the costing engine (:func:`costsheet.costing.charges.plan_charges`)
already parses, compiles and orders the formulas of a charge condition and
reports exactly these problems with located diagnostics; the checker runs it
so that `costsheet check` and a calculation report them in the same words.
Its list-price count is left to :func:`.conditions.list_price_lines`, which
points at the second ``list-price`` flag rather than at the condition.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import ConditionKind
from .context import Context

__all__ = ["charge_formulas"]

#: reported by another check of this package
_ELSEWHERE = frozenset({"duplicate-list-price"})


def charge_formulas(ctx: Context) -> Iterator[Diagnostic]:
    from ..costing.charges import plan_charges
    from ..syntax.parser import parse_formula

    for condition in ctx.model.conditions.values():
        if condition.kind is ConditionKind.CHARGE:
            for diagnostic in plan_charges(condition, parse_formula).diagnostics:
                if diagnostic.code not in _ELSEWHERE:
                    yield diagnostic
