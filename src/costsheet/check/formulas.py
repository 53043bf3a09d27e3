"""Charge formulas (docs/language.md, "Formulas"): they parse, are not nested too deep, do not
divide by a constant zero, read rows that have lines, and do not depend on each other in a
cycle.

The parser parsed each formula once (the syntax node holds its tree or its
diagnostics); this check reads those, and orders the lines with the same
function the costing planner uses (:func:`costsheet.formulas.order_lines`).
Two ``list-price`` lines are :func:`.conditions.list_price_lines`'s, which points
at the second flag.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ..diagnostics import Diagnostic, Span
from ..formulas import fold_error, order_lines, rows_of
from ..model import Condition, ConditionKind, ConditionLine, ValueKind
from ..syntax import nodes as n
from .context import Context
from .nearest import nearest

__all__ = ["charge_formulas"]


def charge_formulas(ctx: Context) -> Iterator[Diagnostic]:
    syntax = _formula_diagnostics(ctx)
    for condition in ctx.model.conditions.values():
        if condition.kind is ConditionKind.CHARGE:
            yield from _condition_formulas(condition, syntax)


def _formula_diagnostics(ctx: Context) -> dict[Span, tuple[Diagnostic, ...]]:
    """Condition line (its span) -> the diagnostics of its formula, for formulas that did not parse."""
    found: dict[Span, tuple[Diagnostic, ...]] = {}
    for decl in ctx.of(n.ConditionDecl):
        for stmt in decl.body:
            if isinstance(stmt, n.Line) and stmt.span is not None:
                value = stmt.value
                if value is not None and value.formula_diagnostics:
                    found[stmt.span] = value.formula_diagnostics
    return found


def _where(line: ConditionLine, condition: Condition) -> str:
    return f'line {line.position} "{line.description}" of charge condition {condition.code}'


def _condition_formulas(condition: Condition, syntax: dict[Span, tuple[Diagnostic, ...]]) -> Iterator[Diagnostic]:
    # a text line (no value) adds nothing to its row: a row of text lines only has no lines to sum
    rows_with_lines = {line.row for line in condition.lines if line.row and line.value_kind is not None}
    rows_named = {line.row for line in condition.lines if line.row}
    reads: list[tuple[str, ...]] = []
    for line in condition.lines:
        read: tuple[str, ...] = ()
        if line.value_kind is ValueKind.FORMULA:
            problems = _line_formula(condition, line, syntax.get(line.span, ()) if line.span else ())
            if not problems and line.formula is not None:
                read = rows_of(line.formula)
                problems = list(_empty_rows(condition, line, read, rows_with_lines, rows_named))
            yield from problems
        reads.append(read)
    cycle = order_lines([line.row for line in condition.lines], reads).cycle
    if cycle is not None:
        lines = condition.lines
        names = " -> ".join(f'line {lines[i].position} "{lines[i].description}"' for i in cycle)
        first = lines[cycle[0]]
        yield Diagnostic.error(
            "charge-cycle",
            f"the lines of charge condition {condition.code} depend on each other in a cycle: {names}",
            first.formula_span or first.span,
            "a formula must not read its own row, directly or through other rows; move one line to another row",
        )


def _line_formula(condition: Condition, line: ConditionLine, parsed: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    """The formula's syntax diagnostics, named after its line; else a constant division by zero."""
    if parsed:
        return [attrs.evolve(d, message=f"{d.message} (in the formula of {_where(line, condition)})") for d in parsed]
    if line.formula is None:
        return []
    error = fold_error(line.formula)
    if error is None:
        return []
    return [
        Diagnostic.error(
            error.code, f'{_where(line, condition)}: {error.message} in "{line.value}"', error.span, error.hint
        )
    ]


def _empty_rows(
    condition: Condition, line: ConditionLine, read: tuple[str, ...], rows_with_lines: set[str], rows_named: set[str]
) -> Iterator[Diagnostic]:
    for row in read:
        if row in rows_with_lines:
            continue
        hint = f"give some line of {condition.code} `row {row}`, or correct the row name"
        close = nearest(row, rows_named)
        yield Diagnostic.error(
            "empty-row",
            f"the formula of {_where(line, condition)} reads row {row}, which has no lines with a value",
            _first_row(line.formula, row) or line.formula_span or line.span,
            hint if close is None else f"did you mean {close}? otherwise {hint}",
        )


def _first_row(formula: n.Formula | None, row: str) -> Span | None:
    """Where ``formula`` first names ``row``, left to right."""
    return next((node.span for node in n.row_nodes(formula) if node.name == row), None) if formula else None
