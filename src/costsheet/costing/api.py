"""The costing entry points: one item (:func:`calculate`) or many sharing one memo (:func:`calculate_many`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from types import MappingProxyType

from ..diagnostics import Diagnostic
from ..formulas import FormulaError
from ..model import Model
from ..numbers import CONTEXT, D, ZERO
from .charges import evaluate_charges
from .rollup import Calculator, CostingError, ItemCost
from .program import Program, compile_program
from .results import CostResult, PriceRecord

__all__ = ["calculate", "calculate_many", "build_result"]


def _program(model: Model, program: Program | None) -> tuple[Program, tuple[Diagnostic, ...]]:
    if program is not None:
        return program, ()
    return compile_program(model)


def calculate(model: Model, item: str, *, lot_size: Decimal | None = None, date: dt.date | None = None,
              program: Program | None = None, explain: bool = False,
              ) -> tuple[CostResult | None, tuple[Diagnostic, ...]]:
    """Cost ``item`` for ``lot_size`` (its own when None) on ``date`` (today when None).

    Pass ``program`` (from :func:`compile_program`) to reuse compiled
    formulas across calls.  Returns ``(None, diagnostics)`` when the
    calculation has errors; the diagnostics say which.
    """
    program, diagnostics = _program(model, program)
    calculator = Calculator(program, date or dt.date.today(), explain=explain)
    result, found = _one(calculator, item, None if lot_size is None else D(lot_size))
    return result, tuple(diagnostics) + found


def calculate_many(model: Model, items: Iterable[str] | None = None, *, date: dt.date | None = None,
                   program: Program | None = None, costing_bom: bool = False,
                   ) -> Iterator[tuple[str, CostResult | None, tuple[Diagnostic, ...]]]:
    """Cost several items (all of the model's when None), each for its own lot size.

    The items share one memo, so a component is costed once for all of them.
    Yields ``(item, result or None, diagnostics)`` in the order asked.  The
    costing BOM (``result.bom``) is left out unless ``costing_bom``: across
    thousands of items it is rarely wanted and costs a node per BOM line.
    """
    program, diagnostics = _program(model, program)
    calculator = Calculator(program, date or dt.date.today())
    first = True
    for code in (model.items if items is None else items):
        result, found = _one(calculator, code, None, costing_bom)
        yield code, result, (tuple(diagnostics) + found if first else found)
        first = False


def _one(calculator: Calculator, code: str, lot: Decimal | None, costing_bom: bool = True,
         ) -> tuple[CostResult | None, tuple[Diagnostic, ...]]:
    start = len(calculator.diagnostics)
    cost = calculator.cost(code, lot)
    if cost is None:
        return None, tuple(calculator.diagnostics[start:])
    result, found = build_result(calculator, cost, costing_bom=costing_bom)
    return result, tuple(calculator.diagnostics[start:]) + found


def _chart_order(program: Program, vector: dict) -> dict[str, Decimal]:
    """Every element of the chart (zeros included, so every result has the same keys), then any other."""
    return {code: vector.get(code, ZERO) for code in program.chart_order(vector)}


def build_result(calculator: Calculator, cost: ItemCost, *, costing_bom: bool = True,
                 ) -> tuple[CostResult | None, tuple[Diagnostic, ...]]:
    """Totals, charges, prices, standard costs and the costing BOM of a costed item."""
    program = calculator.program
    setup = program.model.setup
    rolled = _chart_order(program, cost.rolled)
    single = _chart_order(program, cost.single)
    totals: dict[str, Decimal] = {}
    add = CONTEXT.add
    for code, elements in program.totals:
        value = ZERO
        for element in elements:
            amount = rolled.get(element)
            if amount is not None:
                value = add(value, amount)
        totals[code] = value
    charges, list_price, diagnostics = _charges(calculator, cost, rolled, totals)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    prices = _prices(program, cost, list_price, calculator.date)
    key = calculator.key(cost.item.code, cost.lot)
    bom = calculator.node(key) if costing_bom else None
    memo = calculator.memo
    if setup.copy_standard_cost == "all-levels":
        standard_costs = {memo[k].item.code: memo[k].unit_cost for k in calculator.visited(key)}
    else:
        standard_costs = {cost.item.code: cost.unit_cost}
    explain = ()
    if calculator.explain:
        explain = tuple(step for k in calculator.visited(key) for step in memo[k].steps)
    result = CostResult(
        item=cost.item.code, lot_size=cost.lot, date=calculator.date, unit_cost=cost.unit_cost,
        single_level=MappingProxyType(single), rolled_up=MappingProxyType(rolled), totals=MappingProxyType(totals),
        charges=charges, list_price=list_price, prices=prices, standard_costs=MappingProxyType(standard_costs),
        bom=bom, bom_depth=1 if setup.explode_bom == "single-level" else None, explain=explain)
    return result, diagnostics


def _charges(calculator: Calculator, cost: ItemCost, rolled: dict, totals: dict):
    program = calculator.program
    code = cost.item.charge_condition
    if not code:
        return (), None, ()
    plan = program.charges.get(code)
    if plan is None:
        return (), None, (Diagnostic.error(
            "no-condition", f"charge condition {code} of item {cost.item.code} is not defined", cost.item.span,
            "declare `condition charge CODE { ... }` or correct the item's `condition charge`"),)
    if not plan.ok:
        return (), None, plan.diagnostics

    def element_value(element: str) -> Decimal:
        if element in rolled:
            return rolled[element]
        if element in totals:
            return totals[element]
        end = program.begin_totals.get(element)
        return totals.get(end, ZERO) if end else ZERO

    rounder = calculator._rounder(cost.item)
    try:
        charges, list_price = evaluate_charges(plan, element_value, rounder)
    except FormulaError as error:
        return (), None, (Diagnostic.error(error.code, f"{error.message} while costing {cost.item.code}",
                                           error.span, error.hint),)
    except CostingError as error:
        return (), None, (error.diagnostic,)
    return charges, list_price, ()


_COPY_KINDS = {
    "list-price": ("list-price",),
    "unit-price": ("unit-price",),
    "sales-price": ("sales-price",),
    "list-price+sales-price": ("list-price", "sales-price"),
}


def _prices(program: Program, cost: ItemCost, list_price: Decimal | None, date: dt.date) -> tuple[PriceRecord, ...]:
    if list_price is None or not cost.item.charge_condition:
        return ()
    plan = program.charges[cost.item.charge_condition]
    condition = plan.condition
    records = []
    for kind in _COPY_KINDS.get(condition.copy_price, ()):
        if kind == "sales-price":
            sales_type = condition.sales_type
            records.append(PriceRecord(kind, list_price, date, sales_type.kind if sales_type else "all-customers",
                                       sales_type.code if sales_type else None))
        else:
            records.append(PriceRecord(kind, list_price, date))
    return tuple(records)
