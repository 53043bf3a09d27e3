"""Re-cost after a model edit, only the cone of what changed.

A :class:`Baseline` costs the ruleset once (every item at its own lot size, and the items
asked for at the lot size asked for) and keeps the where-used index.  :func:`recost` takes an
edited model and the codes the edit changed, and costs again only the items those codes reach
(:meth:`~costsheet.whereused.WhereUsedIndex.affected`): every other item keeps its baseline
cost, read from the baseline's memo.  The memo is carried over by
:func:`costsheet.costing.calculator_reusing`, the same seam :class:`costsheet.Session` re-costs
through (there the cone comes from comparing the models; here the edits name it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from ..costing import Calculator, CostResult, Program, build_result, calculator_reusing, replan_program
from ..diagnostics import Diagnostic
from ..model import Model, frozen_map
from ..phantoms import costed_alone
from ..whereused import Kind, WhereUsedIndex, build_index
from .edits import Changed, priced_in

__all__ = ["Baseline", "Costed", "recost", "cost_items"]

#: an item's result: the CostResult (None when it could not be costed) and its diagnostics
Costed = tuple[CostResult | None, tuple[Diagnostic, ...]]


def cost_items(calculator: Calculator, items: Sequence[str], lot_size: Decimal | None) -> dict[str, Costed]:
    """Cost ``items`` (the lot size applies to each of them) with ``calculator``'s memo."""
    results: dict[str, Costed] = {}
    for code in items:
        start = len(calculator.diagnostics)
        cost = calculator.cost(code, lot_size)
        if cost is None:
            results[code] = (None, tuple(calculator.diagnostics[start:]))
            continue
        result, found = build_result(calculator, cost, costing_bom=False)
        results[code] = (result, tuple(calculator.diagnostics[start:]) + found)
    return results


@attrs.frozen(eq=False)
class Baseline:
    """The ruleset costed once, on ``date``, for ``items`` at ``lot_size``."""

    model: Model
    program: Program
    index: WhereUsedIndex
    date: dt.date
    items: tuple[str, ...]
    lot_size: Decimal | None
    results: Mapping[str, Costed]
    calculator: Calculator  # its memo holds every item at its own lot size; only read after the build

    @classmethod
    def build(
        cls, model: Model, program: Program, items: Sequence[str], date: dt.date, lot_size: Decimal | None = None
    ) -> Baseline:
        calculator = Calculator(program, date)
        index = build_index(model)
        for code in index.costing_order(costed_alone(model.items)):  # a phantom is never costed alone
            calculator.cost(code)
        results = cost_items(calculator, items, lot_size)
        return cls(model, program, index, date, tuple(items), lot_size, frozen_map(results), calculator)

    def cone(self, changed: Changed) -> frozenset[str]:
        """The items a change of those codes re-costs."""
        index = self.index
        cone = set(index.affected(changed.items | priced_in(self.model, changed.currencies)))
        for code in changed.resources:
            cone |= index.affected_by(code, Kind.RESOURCE)
        for code in changed.conditions:
            cone |= index.affected_by(code, Kind.CONDITION)
        return frozenset(cone)


def recost(base: Baseline, edited: Model, changed: Changed) -> dict[str, Costed]:
    """The baseline's items costed on ``edited`` (``base.model`` edited in ``changed``), re-costing
    only the cone of ``changed``: the same results as costing ``edited`` from scratch."""
    cone = base.cone(changed)
    calculator = calculator_reusing(base.calculator, replan_program(base.program, edited), cone)
    for code in base.index.costing_order(cone & set(costed_alone(edited.items))):
        calculator.cost(code)
    kept = {code: base.results[code] for code in base.items if code not in cone}
    fresh = cost_items(calculator, [code for code in base.items if code in cone], base.lot_size)
    return {code: kept[code] if code in kept else fresh[code] for code in base.items}
