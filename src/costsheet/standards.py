"""The standard cost of an item on a date, and its shares by kind of cost (docs/valuation.md,
"Standard costs by date").

One rule, read by everything that needs a standard: the ``standard`` costing method, the
production variances of an order, and the standard cost worksheet.

- The standard cost of an item on a date is the newest ``standard-cost ITEM from DATE AMOUNT``
  declaration valid on that date (``from`` inclusive), else the item's ``standard-cost`` field.
- Its shares split it by kind (:class:`~costsheet.model.CostKind`): the declaration's
  ``shares { ... }`` when it gives them (the checker holds them to adding up to the amount
  exactly), else the item's single-level breakdown (docs/costing.md) on the declaration's
  ``from`` date (the date asked for, for the item's field) at its own lot size, each element
  counted in the kind of its cost group (:data:`~costsheet.model.KIND_OF_GROUP`) and scaled to
  the standard cost.

:func:`standard_cost_on` is the public entry point; :func:`standard_tables` indexes every
item's declarations once, for callers that ask about many entries (the valuation engine).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from .diagnostics import Diagnostic
from .model import KIND_OF_GROUP, CostGroup, CostKind, Model, StandardCostLine, frozen_map
from .numbers import CONTEXT, ZERO

__all__ = [
    "StandardCost",
    "StandardTable",
    "standard_cost_on",
    "standard_table",
    "standard_tables",
    "shares_from_breakdown",
]


@attrs.frozen
class StandardCost:
    """An item's standard cost on a date: ``amount`` and its ``shares`` by kind (every kind, in
    :class:`~costsheet.model.CostKind` order, adding up to ``amount`` exactly).

    ``starting`` is the ``from`` date of the declaration it comes from, None for the item's
    ``standard-cost`` field; ``declared`` says whether the shares were written (else they come
    from the costing breakdown)."""

    item: str
    amount: Decimal
    shares: Mapping[CostKind, Decimal]
    starting: dt.date | None = None
    declared: bool = False

    def to_dict(self) -> dict[str, object]:
        from .numbers import to_text

        return {
            "item": self.item,
            "amount": to_text(self.amount),
            "from": None if self.starting is None else self.starting.isoformat(),
            "shares": {kind.value: to_text(amount) for kind, amount in self.shares.items()},
        }


@attrs.frozen
class StandardTable:
    """One item's standard costs by date: its dated declarations (the first one written of each
    date, oldest first) and its ``standard-cost`` field."""

    item: str
    field: Decimal | None
    lines: tuple[StandardCostLine, ...] = ()
    starts: tuple[dt.date, ...] = ()

    def line_on(self, date: dt.date) -> StandardCostLine | None:
        """The newest declaration valid on ``date`` (``from`` inclusive), or None."""
        index = bisect.bisect_right(self.starts, date)
        return self.lines[index - 1] if index else None

    def amount_on(self, date: dt.date) -> Decimal | None:
        """The standard cost on ``date``: the newest declaration valid then, else the field (None: neither)."""
        index = bisect.bisect_right(self.starts, date)
        return self.lines[index - 1].amount if index else self.field


def _table(item: str, field: Decimal | None, lines) -> StandardTable:
    first: dict[dt.date, StandardCostLine] = {}
    for line in lines:
        first.setdefault(line.starting, line)  # two of one date: duplicate-date, the first written counts
    ordered = tuple(first[day] for day in sorted(first))
    return StandardTable(item, field, ordered, tuple(line.starting for line in ordered))


def standard_table(model: Model, item: str) -> StandardTable:
    """The standard costs of ``item`` by date (an item that is not declared has only its declarations)."""
    declared = model.items.get(item)
    return _table(
        item,
        declared.standard_cost if declared is not None else None,
        (line for line in model.standard_costs if line.item == item),
    )


def standard_tables(model: Model) -> Mapping[str, StandardTable]:
    """Every item's :class:`StandardTable`, built in one pass over the declarations."""
    by_item: dict[str, list[StandardCostLine]] = {}
    for line in model.standard_costs:
        by_item.setdefault(line.item, []).append(line)
    return frozen_map(
        {code: _table(code, item.standard_cost, by_item.get(code, ())) for code, item in model.items.items()}
    )


def standard_cost_on(
    model: Model, item: str, date: dt.date, *, program=None, table: StandardTable | None = None
) -> tuple[StandardCost | None, tuple[Diagnostic, ...]]:
    """The standard cost of ``item`` on ``date`` with its shares by kind (see the module docstring).

    Returns ``(None, ())`` when the item has no standard cost on that date, and ``(None,
    diagnostics)`` when its shares come from a breakdown that cannot be costed (the costing
    engine's diagnostics say why).  ``program`` (:func:`costsheet.costing.plan_program`)
    and ``table`` (:func:`standard_table`) may be passed to reuse them across calls.
    """
    table = table if table is not None else standard_table(model, item)
    line = table.line_on(date)
    amount = line.amount if line is not None else table.field
    if amount is None:
        return None, ()
    starting = line.starting if line is not None else None
    if line is not None and line.shares is not None:
        shares = frozen_map({kind: line.shares.get(kind, ZERO) for kind in CostKind})
        return StandardCost(item, amount, shares, starting, declared=True), ()
    from .costing import calculate, plan_program

    if program is None:
        program = plan_program(model)
    result, diagnostics = calculate(model, item, date=starting or date, program=program)
    if result is None:
        return None, diagnostics
    shares = shares_from_breakdown(result.single_level, program.groups, amount)
    return StandardCost(item, amount, shares, starting), ()


def shares_from_breakdown(
    single_level: Mapping[str, Decimal], groups: Mapping[str, CostGroup | None], amount: Decimal
) -> Mapping[CostKind, Decimal]:
    """A single-level breakdown (element -> amount) as shares by kind, scaled to ``amount``.

    Each share is the kind's part of the breakdown times ``amount``, at the costing engine's
    internal scale (20 places); what the rounding leaves goes to the largest share, so the
    shares add up to ``amount`` exactly.  A breakdown that adds up to 0 puts the whole amount
    in ``material`` (there is nothing to scale).
    """
    from .costing import internal

    parts = {kind: ZERO for kind in CostKind}
    for element, part in single_level.items():
        group = groups.get(element)
        kind = KIND_OF_GROUP.get(group) if group is not None else None
        if kind is not None:
            parts[kind] = CONTEXT.add(parts[kind], part)
    total = ZERO
    for part in parts.values():
        total = CONTEXT.add(total, part)
    if not total:
        return frozen_map({kind: amount if kind is CostKind.MATERIAL else ZERO for kind in CostKind})
    shares = {kind: internal(CONTEXT.divide(CONTEXT.multiply(part, amount), total)) for kind, part in parts.items()}
    left = amount
    for share in shares.values():
        left = CONTEXT.subtract(left, share)
    if left:
        largest = max(shares, key=lambda kind: abs(shares[kind]))
        shares[largest] = CONTEXT.add(shares[largest], left)
    return frozen_map(shares)
