"""Charge conditions: item charges and the list price (docs/costing.md, "Charges and list price").

:func:`plan_charges` runs once per model: it compiles every formula, checks
that each row a formula reads has lines, and sorts the lines into dependency
order (a formula needs every line of the rows it names), naming the lines of
a cycle.  :func:`evaluate_charges` then runs per item with no parsing and no
sorting left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs

from ..diagnostics import Diagnostic, Span
from ..formulas import CompiledFormula, FormulaError, compile_formula, locate
from ..model import Condition, ConditionLine, ValueKind
from ..numbers import CONTEXT, ZERO
from .results import ChargeValue

__all__ = ["PlannedChargeLine", "ChargePlan", "plan_charges", "evaluate_charges"]

#: parse_formula(text, file, line, column) -> (Formula | None, diagnostics)
FormulaParser = Callable[..., tuple[object, tuple[Diagnostic, ...]]]


@attrs.frozen
class PlannedChargeLine:
    """A line of a charge condition as planned: the line and its compiled formula (None unless a formula)."""

    line: ConditionLine
    formula: CompiledFormula | None = None

    @property
    def position(self) -> int:
        return self.line.position


@attrs.frozen
class ChargePlan:
    condition: Condition
    lines: tuple[PlannedChargeLine, ...]  # as written
    order: tuple[int, ...]  # indices into lines, in evaluation order
    diagnostics: tuple[Diagnostic, ...] = ()  # errors make every item using this condition fail

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def _where(line: ConditionLine, condition: Condition) -> str:
    return f"line {line.position} \"{line.description}\" of charge condition {condition.code}"


def _formula_failed(condition: Condition, line: ConditionLine, error: FormulaError) -> FormulaError:
    """``error`` of the formula of ``line``, its message naming the line and quoting the formula (same span)."""
    message = f"{_where(line, condition)}: {error.message} in \"{line.value}\""
    return FormulaError(error.code, message, error.span, error.hint)


def _formula_origin(line: ConditionLine) -> Span | None:
    return line.formula_span or line.span


def _compile_line(condition: Condition, line: ConditionLine, parse: FormulaParser,
                  rows_with_lines: set[str]) -> tuple[PlannedChargeLine, list[Diagnostic]]:
    origin = _formula_origin(line)
    file = origin.file if origin else "<formula>"
    tree, parse_diagnostics = parse(line.value, file)
    diagnostics: list[Diagnostic] = []
    for d in parse_diagnostics:
        span = locate(d.span, origin)
        diagnostics.append(attrs.evolve(d, span=span, message=f"{d.message} (in the formula of {_where(line, condition)})"))
    if tree is None:
        if not diagnostics:
            diagnostics.append(Diagnostic.error("formula-syntax", f"the formula of {_where(line, condition)} does not parse",
                                                origin, "write numbers, row names, + - * / % § and parentheses"))
        return PlannedChargeLine(line), diagnostics
    try:
        compiled = compile_formula(tree, origin)
    except FormulaError as error:
        failed = _formula_failed(condition, line, error)
        diagnostics.append(Diagnostic.error(failed.code, failed.message, failed.span, failed.hint))
        return PlannedChargeLine(line), diagnostics
    for row in compiled.rows:
        if row not in rows_with_lines:
            span = _row_span(tree, row, origin)
            diagnostics.append(Diagnostic.error(
                "empty-row", f"the formula of {_where(line, condition)} reads row {row}, which has no lines with a value",
                span, f"give some line of {condition.code} `row {row}`, or correct the row name"))
    return PlannedChargeLine(line, compiled), diagnostics


def _row_span(tree, row: str, origin: Span | None) -> Span | None:
    from ..syntax import nodes

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Row) and node.name == row:
            return locate(node.span, origin)
        if isinstance(node, nodes.Unary):
            stack.append(node.operand)
        elif isinstance(node, nodes.Binary):
            stack.extend((node.right, node.left))
    return origin


def _dependency_order(condition: Condition, lines: tuple[PlannedChargeLine, ...]) -> tuple[tuple[int, ...], list[Diagnostic]]:
    """Lines in an order where every formula comes after all lines of the rows it reads.

    Among lines that are ready, the one written first goes first (a stable
    topological sort), so a condition without forward references keeps its order.
    """
    by_row: dict[str, list[int]] = {}
    for index, charge_line in enumerate(lines):
        if charge_line.line.row:
            by_row.setdefault(charge_line.line.row, []).append(index)
    needs: list[set[int]] = []
    for index, charge_line in enumerate(lines):
        wanted: set[int] = set()
        if charge_line.formula is not None:
            for row in charge_line.formula.rows:
                wanted.update(by_row.get(row, ()))
        needs.append(wanted)
    import heapq

    waiting = [len(n) for n in needs]
    dependents: list[list[int]] = [[] for _ in lines]
    for index, wanted in enumerate(needs):
        for other in wanted:
            dependents[other].append(index)
    ready = [index for index, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        index = heapq.heappop(ready)
        order.append(index)
        for dependent in dependents[index]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, dependent)
    if len(order) == len(lines):
        return tuple(order), []
    cycle = _find_cycle(needs, {i for i in range(len(lines)) if i not in set(order)})
    names = " -> ".join(f"line {lines[i].position} \"{lines[i].line.description}\"" for i in cycle)
    first = lines[cycle[0]].line
    return tuple(order), [Diagnostic.error(
        "charge-cycle", f"the lines of charge condition {condition.code} depend on each other in a cycle: {names}",
        first.formula_span or first.span,
        "a formula must not read its own row, directly or through other rows; move one line to another row")]


def _find_cycle(needs: list[set[int]], stuck: set[int]) -> list[int]:
    start = min(stuck)
    path: list[int] = [start]
    position = {start: 0}
    current = start
    while True:
        following = min(n for n in needs[current] if n in stuck)
        if following in position:
            return path[position[following]:] + [following]
        position[following] = len(path)
        path.append(following)
        current = following


def plan_charges(condition: Condition, parse: FormulaParser) -> ChargePlan:
    """Compile ``condition`` (a charge condition) once; see the module docstring."""
    # a text line (no value) adds nothing to its row: a row of text lines only has no lines to sum
    rows_with_lines = {line.row for line in condition.lines if line.row and line.value_kind is not None}
    compiled: list[PlannedChargeLine] = []
    diagnostics: list[Diagnostic] = []
    for line in condition.lines:
        if line.value_kind is ValueKind.FORMULA:
            charge_line, found = _compile_line(condition, line, parse, rows_with_lines)
            compiled.append(charge_line)
            diagnostics.extend(found)
        else:
            compiled.append(PlannedChargeLine(line))
    lines = tuple(compiled)
    order, found = _dependency_order(condition, lines)
    diagnostics.extend(found)
    if sum(1 for line in condition.lines if line.list_price) > 1:
        diagnostics.append(Diagnostic.error(
            "duplicate-list-price", f"charge condition {condition.code} has more than one list-price line",
            condition.span, "flag exactly one line `list-price`"))
    return ChargePlan(condition, lines, order, tuple(diagnostics))


def evaluate_charges(
    plan: ChargePlan,
    element_value: Callable[[str], Decimal],
    rounder: Callable[[ConditionLine, Decimal], Decimal],
) -> tuple[tuple[ChargeValue, ...], Decimal | None]:
    """The charge lines' values and the list price, for one item.

    ``element_value(code)`` gives the item's rolled-up amount of an element
    or total; ``rounder(line, value)`` applies the line's rounding method.
    Raises :class:`FormulaError` (division by zero) with the failing span
    inside the formula and a message naming the condition line and quoting
    its formula (the caller adds which item was being costed).
    """
    values: list[Decimal | None] = [None] * len(plan.lines)
    rows: dict[str, Decimal] = {}
    list_price = None
    for index in plan.order:
        charge_line = plan.lines[index]
        line = charge_line.line
        kind = line.value_kind
        if kind is None:
            continue
        if kind is ValueKind.FORMULA:
            if charge_line.formula is None:
                continue
            try:
                value = charge_line.formula(rows)
            except FormulaError as error:
                raise _formula_failed(plan.condition, line, error) from None
        elif kind is ValueKind.ELEMENT:
            value = element_value(line.value)
        else:
            value = line.value
        if line.round:
            value = rounder(line, value)
        values[index] = value
        if line.row:
            rows[line.row] = CONTEXT.add(rows.get(line.row, ZERO), value)
        if line.list_price:
            list_price = value
    charges = tuple(
        ChargeValue(line=c.line.position, description=c.line.description, row=c.line.row, element=c.line.element,
                    value=values[i], bold=c.line.bold, list_price=c.line.list_price)
        for i, c in enumerate(plan.lines))
    return charges, list_price
