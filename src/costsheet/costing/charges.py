"""Charge conditions: item charges and the list price (docs/costing.md, "Charges and list price").

:func:`plan_charges` runs once per model: it turns every formula (parsed by
the syntax stage) into a Python function and sorts the lines into
dependency order (:func:`costsheet.formulas.order_lines`: a formula needs
every line of the rows it names).  The model is a checked one, so no
formula fails to parse and no lines form a cycle: the checker reported those
(:mod:`costsheet.check.formulas`).  :func:`evaluate_charges` then runs per
item with no parsing and no sorting left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs

from ..formulas import CompiledFormula, FormulaError, order_lines, to_function
from ..model import Condition, ConditionLine, ValueKind
from ..numbers import CONTEXT, ZERO
from .results import ChargeValue

__all__ = ["PlannedChargeLine", "ChargePlan", "plan_charges", "evaluate_charges"]


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


def _where(line: ConditionLine, condition: Condition) -> str:
    return f'line {line.position} "{line.description}" of charge condition {condition.code}'


def _formula_failed(condition: Condition, line: ConditionLine, error: FormulaError) -> FormulaError:
    """``error`` of the formula of ``line``, its message naming the line and quoting the formula (same span)."""
    message = f'{_where(line, condition)}: {error.message} in "{line.value}"'
    return FormulaError(error.code, message, error.span, error.hint)


def _planned(line: ConditionLine) -> PlannedChargeLine:
    if line.value_kind is ValueKind.FORMULA and line.formula is not None:
        return PlannedChargeLine(line, to_function(line.formula))  # spans already in the file
    return PlannedChargeLine(line)


def plan_charges(condition: Condition) -> ChargePlan:
    """Plan ``condition`` (a charge condition of a checked model) once; see the module docstring."""
    lines = tuple(_planned(line) for line in condition.lines)
    order = order_lines([c.line.row for c in lines], [c.formula.rows if c.formula else () for c in lines]).order
    return ChargePlan(condition, lines, order)


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
            assert isinstance(line.value, str), "an element line holds the element's code"
            value = element_value(line.value)
        else:
            assert isinstance(line.value, Decimal), "a percent or amount line holds its number"
            value = line.value
        if line.round:
            value = rounder(line, value)
        values[index] = value
        if line.row:
            rows[line.row] = CONTEXT.add(rows.get(line.row, ZERO), value)
        if line.list_price:
            list_price = value
    charges = tuple(
        ChargeValue(
            line=c.line.position,
            description=c.line.description,
            row=c.line.row,
            element=c.line.element,
            value=values[i],
            bold=c.line.bold,
            list_price=c.line.list_price,
        )
        for i, c in enumerate(plan.lines)
    )
    return charges, list_price
