"""Material, production and capacity conditions, prepared once per model.

A :class:`ConditionPlan` sorts a condition's lines into the roles of
docs/costing.md, "Condition lines": *direct* lines (amount lines on a direct-cost element,
which replace the master data's direct cost) and *overhead* lines (every other
line with a value).  :func:`overhead_values` then evaluates the overhead lines
for one item or one operation in two passes: amount lines first (they build
the row bases), percent lines second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import NamedTuple

import attrs

from ..diagnostics import Span
from ..model import Condition, ConditionKind, ConditionLine, CostGroup, Rate, ValueKind, frozen_map
from ..numbers import CONTEXT, HUNDRED, ZERO
from .scale import internal

__all__ = ["PlanLine", "ConditionPlan", "OperationTime", "plan_condition", "overhead_values", "per_time"]

#: Cost groups whose amount lines replace the master data's direct cost, per condition kind.
DIRECT_GROUPS: Mapping[ConditionKind, frozenset[CostGroup]] = {
    ConditionKind.MATERIAL: frozenset({CostGroup.MATERIAL}),
    ConditionKind.PRODUCTION: frozenset({CostGroup.MATERIAL}),
    ConditionKind.CAPACITY: frozenset({CostGroup.CAPACITY, CostGroup.SUBCONTRACTED}),
}


@attrs.frozen
class PlanLine:
    """One condition line with its element resolved (the condition's overhead when it names none)."""

    position: int
    description: str
    element: str | None  # None: the condition's overhead element (resolved by the caller)
    percent: bool  # percent N (else amount N)
    value: Decimal
    row: str | None
    setup_only: bool
    allocation: Decimal | None  # factor k/100, None when not given
    round: bool
    round_method: str | None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)
    #: ``value / 100`` for a percent line, divided once here rather than per item or operation
    fraction: Decimal = attrs.field(eq=False, repr=False)

    @fraction.default
    def _fraction(self) -> Decimal:
        return CONTEXT.divide(self.value, HUNDRED)

    @classmethod
    def of(cls, line: ConditionLine) -> PlanLine:
        allocation = None if line.allocation is None else CONTEXT.divide(line.allocation, HUNDRED)
        return cls(
            position=line.position,
            description=line.description,
            element=line.element,
            percent=line.value_kind is ValueKind.PERCENT,
            value=_number(line),
            row=line.row,
            setup_only=line.setup_only,
            allocation=allocation,
            round=line.round,
            round_method=line.round_method,
            span=line.span,
        )


def _number(line: ConditionLine) -> Decimal:
    """The number of a percent or amount line (the model holds an element code in ``value`` too)."""
    if not isinstance(line.value, Decimal):
        raise TypeError(f"line {line.position} of a condition plan has no number: {line.value!r}")
    return line.value


@attrs.frozen
class ConditionPlan:
    code: str
    kind: ConditionKind
    description: str
    direct: str | None
    overhead: str | None
    direct_lines: tuple[PlanLine, ...]
    overhead_lines: tuple[PlanLine, ...]
    direct_sum: Decimal | None  # sum of the direct lines' amounts; None when there are none
    direct_rows: Mapping[str, Decimal]  # the direct lines' amounts per row (they are row bases too)
    has_rows: bool
    rounds: bool  # some overhead line says `round`
    setup_percent: bool  # some percent line without a row says `setup-only` (needs the setup part's direct cost)
    amount_lines: tuple[tuple[int, PlanLine], ...] = ()  # (index in overhead_lines, line), evaluated first
    percent_lines: tuple[tuple[int, PlanLine], ...] = ()  # evaluated second: rows are complete by then
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


def plan_condition(condition: Condition, groups: Mapping[str, CostGroup | None]) -> ConditionPlan:
    """Sort ``condition``'s lines into direct and overhead roles; ``groups`` maps element to cost group."""
    direct_groups = DIRECT_GROUPS.get(condition.kind, frozenset())
    direct_lines: list[PlanLine] = []
    overhead_lines: list[PlanLine] = []
    for line in condition.lines:
        if line.value_kind not in (ValueKind.PERCENT, ValueKind.AMOUNT):
            continue  # a text line
        plan_line = PlanLine.of(line)
        if line.value_kind is ValueKind.AMOUNT and groups.get(line.element or "") in direct_groups:
            direct_lines.append(plan_line)
        else:
            overhead_lines.append(plan_line)
    direct_sum = None
    if direct_lines:
        direct_sum = ZERO
        for direct in direct_lines:
            direct_sum = CONTEXT.add(direct_sum, direct.value)
    direct_rows: dict[str, Decimal] = {}
    for direct in direct_lines:
        if direct.row:
            direct_rows[direct.row] = CONTEXT.add(direct_rows.get(direct.row, ZERO), direct.value)
    return ConditionPlan(
        code=condition.code,
        kind=condition.kind,
        description=condition.description,
        direct=condition.direct,
        overhead=condition.overhead,
        direct_lines=tuple(direct_lines),
        overhead_lines=tuple(overhead_lines),
        direct_sum=direct_sum,
        direct_rows=frozen_map(direct_rows),
        has_rows=any(line.row for line in overhead_lines + direct_lines),
        rounds=any(line.round for line in overhead_lines),
        setup_percent=any(line.percent and line.setup_only and not line.row for line in overhead_lines),
        amount_lines=tuple((i, line) for i, line in enumerate(overhead_lines) if not line.percent),
        percent_lines=tuple((i, line) for i, line in enumerate(overhead_lines) if line.percent),
        span=condition.span,
    )


#: Seconds per hour: amount lines of capacity conditions are per hour.
_HOUR = Decimal(3600)


class OperationTime(NamedTuple):
    """The time of one routing operation for a lot, in seconds: ``numerator / lot`` per unit."""

    numerator: Decimal  # run x lot + setup: the whole lot's time (divided by the lot only at the end)
    setup: Decimal  # the setup part (`setup-only` lines)
    lot: Decimal


def per_time(amount: Decimal, per_seconds: int, time_numerator: Decimal, lot: Decimal) -> Decimal:
    """``amount`` per ``per_seconds`` for ``time_numerator / lot`` seconds: one division, at the end."""
    seconds = _HOUR if per_seconds == 3600 else Decimal(per_seconds)  # the usual rate: no Decimal made per call
    return CONTEXT.divide(CONTEXT.multiply(amount, time_numerator), CONTEXT.multiply(seconds, lot))


def overhead_values(
    plan: ConditionPlan,
    base: Decimal,
    *,
    base_setup: Decimal = ZERO,
    time: OperationTime | None = None,
    rounder: Callable[[PlanLine, Decimal], Decimal] | None = None,
    row_base_extra: Mapping[str, Decimal] | None = None,
) -> list[tuple[PlanLine, Decimal]]:
    """The value of every overhead line of ``plan``, in line order.

    ``base`` is what a percent line without a row applies to (the direct cost
    B, the production base, or the operation's direct capacity cost);
    ``base_setup`` is that base for the setup part only (``setup-only``).
    ``time`` is the operation's time for capacity conditions: amount lines
    are then per hour of it.  ``row_base_extra``
    adds the direct lines' values to their rows (they are amount lines too).

    Each value is an amount: it is rounded to the internal scale
    (:mod:`.scale`) after `allocation` and `round`, before it joins a row.
    """
    lines = plan.overhead_lines
    values: list[Decimal] = [ZERO] * len(lines)
    rows: dict[str, Decimal] = dict(row_base_extra) if row_base_extra else {}
    add, multiply, divide = CONTEXT.add, CONTEXT.multiply, CONTEXT.divide
    if time is not None:
        per_hour_lot = multiply(_HOUR, time.lot)
    for index, line in plan.amount_lines:
        if time is None:
            value = line.value
        else:
            value = divide(multiply(line.value, time.setup if line.setup_only else time.numerator), per_hour_lot)
        if line.allocation is not None:
            value = multiply(value, line.allocation)
        if line.round and rounder is not None:
            value = rounder(line, value)
        value = values[index] = internal(value)
        if line.row:
            rows[line.row] = add(rows[line.row], value) if line.row in rows else value
    for index, line in plan.percent_lines:
        line_base = rows.get(line.row, ZERO) if line.row else (base_setup if line.setup_only else base)
        value = multiply(line.fraction, line_base)
        if line.allocation is not None:
            value = multiply(value, line.allocation)
        if line.round and rounder is not None:
            value = rounder(line, value)
        values[index] = internal(value)
    return list(zip(lines, values, strict=True))


def rate_of(plan: ConditionPlan | None, master: Rate) -> tuple[Rate, bool]:
    """The hourly rate of a resource: the condition's direct lines replace the master's rate."""
    if plan is not None and plan.direct_sum is not None:
        return Rate(plan.direct_sum, 3600), True
    return master, False
