"""Charge formulas (docs/language.md, "Formulas"): they parse, are not nested too deep, read
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

import attrs

from ..diagnostics import Diagnostic, Span
from ..model import Condition, ConditionKind, ValueKind
from ..syntax.nodes import row_nodes
from .context import Context
from .nearest import nearest

__all__ = ["charge_formulas"]

#: reported by another check of this package
_ELSEWHERE = frozenset({"duplicate-list-price"})


def charge_formulas(ctx: Context) -> Iterator[Diagnostic]:
    from ..costing.charges import plan_charges
    from ..syntax.parser import parse_formula

    for condition in ctx.model.conditions.values():
        if condition.kind is ConditionKind.CHARGE:
            rows_read: dict[Span, str] | None = None
            for diagnostic in plan_charges(condition, parse_formula).diagnostics:
                if diagnostic.code == "empty-row":  # a did-you-mean among the rows that have lines
                    rows_read = _rows_read(condition, parse_formula) if rows_read is None else rows_read
                    row = rows_read.get(diagnostic.span) if diagnostic.span is not None else None
                    diagnostic = _suggest_row(diagnostic, row, condition)
                if diagnostic.code not in _ELSEWHERE:
                    yield diagnostic


def _rows_read(condition: Condition, parse_formula) -> dict[Span, str]:
    """Where each row a formula of ``condition`` reads is written -> its name."""
    found: dict[Span, str] = {}
    for line in condition.lines:
        origin = line.formula_span or line.span
        if line.value_kind is not ValueKind.FORMULA or not isinstance(line.value, str) or origin is None:
            continue
        tree, _ = parse_formula(line.value, origin.file, origin.line, origin.column)
        for row in row_nodes(tree) if tree is not None else ():
            found.setdefault(row.span, row.name)
    return found


def _suggest_row(diagnostic: Diagnostic, row: str | None, condition: Condition) -> Diagnostic:
    close = None if row is None else nearest(row, {line.row for line in condition.lines if line.row})
    return diagnostic if close is None else attrs.evolve(diagnostic, hint=f"did you mean {close}? "
                                                         f"otherwise {diagnostic.hint}")
