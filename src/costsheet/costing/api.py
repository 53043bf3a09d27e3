"""The costing entry points: one item (:func:`calculate`) or many sharing one memo (:func:`calculate_many`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

import attrs

from ..diagnostics import Diagnostic
from ..formulas import FormulaError
from ..model import Model
from ..numbers import CONTEXT, ZERO, D, outgoing, outgoing_parts
from .charges import evaluate_charges
from .program import Program, plan_program
from .results import ChargeValue, CostResult, ExplainStep, PriceRecord, outgoing_breakdown
from .rollup import Calculator, CostingError, ItemCost, Key

__all__ = ["calculate", "calculate_many", "calculator_reusing", "cost_each", "build_result"]


def _program(model: Model, program: Program | None) -> Program:
    return program if program is not None else plan_program(model)


def calculate(
    model: Model,
    item: str,
    *,
    lot_size: Decimal | None = None,
    date: dt.date | None = None,
    program: Program | None = None,
    explain: bool = False,
) -> tuple[CostResult | None, tuple[Diagnostic, ...]]:
    """Cost ``item`` for ``lot_size`` (its own when None) on ``date`` (today when None).

    Pass ``program`` (from :func:`plan_program`) to reuse compiled
    formulas across calls.  Returns ``(None, diagnostics)`` when the
    calculation has errors; the diagnostics say which.
    """
    calculator = Calculator(_program(model, program), date or dt.date.today(), explain=explain)
    return _one(calculator, item, None if lot_size is None else D(lot_size))


def calculate_many(
    model: Model,
    items: Iterable[str] | None = None,
    *,
    date: dt.date | None = None,
    program: Program | None = None,
    costing_bom: bool = False,
) -> Iterator[tuple[str, CostResult | None, tuple[Diagnostic, ...]]]:
    """Cost several items (all of the model's but the phantoms when None), each for its own lot size.

    The items share one memo, so a component is costed once for all of them.
    Yields ``(item, result or None, diagnostics)`` in the order asked.  The
    costing BOM (``result.bom``) is left out unless ``costing_bom``: across
    thousands of items it is rarely wanted and costs a node per BOM line.
    """
    program = _program(model, program)
    calculator = Calculator(program, date or dt.date.today())
    every = (code for code in model.items if code not in program.phantoms)  # phantoms are never costed alone
    return cost_each(calculator, every if items is None else items, costing_bom=costing_bom)


def cost_each(
    calculator: Calculator, items: Iterable[str], *, costing_bom: bool = False
) -> Iterator[tuple[str, CostResult | None, tuple[Diagnostic, ...]]]:
    """``(item, result or None, diagnostics)`` for each of ``items`` at its own lot size, on ``calculator``'s memo."""
    for code in items:
        result, found = _one(calculator, code, None, costing_bom)
        yield code, result, found


def calculator_reusing(previous: Calculator, program: Program, stale: Container[str]) -> Calculator:
    """A calculator for ``program`` on ``previous``'s date, starting with the costs (and failures)
    ``previous`` found for every item of ``program``'s model that is not in ``stale``.

    Sound when every item whose cost could differ under ``program`` is in ``stale``: the items
    changed and every item above them (:meth:`costsheet.whereused.WhereUsedIndex.affected`)."""
    calculator = Calculator(program, previous.date, explain=previous.explain)
    items = program.model.items

    def kept(key: Key) -> bool:
        code = key if isinstance(key, str) else key[0]
        return code in items and code not in stale

    calculator.memo.update((key, cost) for key, cost in previous.memo.items() if kept(key))
    calculator.failures.update((key, failure) for key, failure in previous.failures.items() if kept(key))
    return calculator


def _one(
    calculator: Calculator,
    code: str,
    lot: Decimal | None,
    costing_bom: bool = True,
) -> tuple[CostResult | None, tuple[Diagnostic, ...]]:
    start = len(calculator.diagnostics)
    cost = calculator.cost(code, lot)
    if cost is None:
        return None, tuple(calculator.diagnostics[start:])
    result, found = build_result(calculator, cost, costing_bom=costing_bom)
    return result, tuple(calculator.diagnostics[start:]) + found


def build_result(
    calculator: Calculator,
    cost: ItemCost,
    *,
    costing_bom: bool = True,
) -> tuple[CostResult | None, tuple[Diagnostic, ...]]:
    """Totals, charges, prices, standard costs and the costing BOM of a costed item.

    This is where amounts leave the engine (docs/costing.md, "Amounts that
    leave the engine"): the unit cost and both breakdowns are made outgoing
    together (at most 12 decimal places, still adding up exactly); the totals
    are the sums of the outgoing rolled-up amounts, and the charge condition
    reads those, so every number of the result agrees with every other.
    """
    program = calculator.program
    setup = program.model.setup
    codes = program.chart_order(cost.rolled, cost.single)  # the chart's elements, zeros too: the same keys always
    unit_cost, single, rolled = outgoing_breakdown(cost.unit_cost, codes, cost.single, cost.rolled)
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
    list_price = None if list_price is None else outgoing(list_price)
    prices = _prices(program, cost, list_price, calculator.date)
    key = calculator.key(cost.item.code, cost.lot)
    bom = calculator.node(key) if costing_bom else None
    if setup.copy_standard_cost == "all-levels":
        standard_costs = {c.item.code: outgoing(c.unit_cost) for c in _visited_costs(calculator, key)}
    else:
        standard_costs = {cost.item.code: unit_cost}
    explain: tuple[ExplainStep, ...] = ()
    if calculator.explain:
        explain = tuple(step for c in _visited_costs(calculator, key) for step in _outgoing_steps(c))
    result = CostResult(
        item=cost.item.code,
        lot_size=outgoing(cost.lot),
        date=calculator.date,
        unit_cost=unit_cost,
        single_level=MappingProxyType(single),
        rolled_up=MappingProxyType(rolled),
        totals=MappingProxyType(totals),
        charges=charges,
        list_price=list_price,
        prices=prices,
        standard_costs=MappingProxyType(standard_costs),
        bom=bom,
        bom_depth=1 if setup.explode_bom == "single-level" else None,
        explain=explain,
        bom_version=cost.item.bom_version,
        routing_version=cost.item.routing_version,
        joint=cost.joint,
    )
    return result, diagnostics


def _outgoing_steps(cost: ItemCost) -> tuple[ExplainStep, ...]:
    """An item's explain steps with outgoing amounts: those on an element still add up to its unit cost."""
    steps = cost.steps
    on_element = [index for index, step in enumerate(steps) if step.element]
    _, amounts = outgoing_parts(cost.unit_cost, [steps[index].amount for index in on_element])
    made = {index: amount for index, amount in zip(on_element, amounts, strict=True)}
    return tuple(
        attrs.evolve(step, amount=made[index] if index in made else outgoing(step.amount))
        for index, step in enumerate(steps)
    )


def _visited_costs(calculator: Calculator, key: Key) -> Iterator[ItemCost]:
    """The costs of every item the calculation of ``key`` visited, ``key`` first; each one is
    in the memo, since ``key`` could be costed only once all of them were."""
    for visited in calculator.visited(key):
        cost = calculator.memo[visited]
        if cost is None:
            raise AssertionError(f"{visited!r} failed, yet {key!r} was costed")
        yield cost


def _charges(
    calculator: Calculator, cost: ItemCost, rolled: Mapping[str, Decimal], totals: Mapping[str, Decimal]
) -> tuple[tuple[ChargeValue, ...], Decimal | None, tuple[Diagnostic, ...]]:
    program = calculator.program
    code = cost.item.charge_condition
    if not code:
        return (), None, ()
    plan = program.charges.get(code)
    if plan is None:
        return (
            (),
            None,
            (
                Diagnostic.error(
                    "no-condition",
                    f"charge condition {code} of item {cost.item.code} is not defined",
                    cost.item.span,
                    "declare `condition charge CODE { ... }` or correct the item's `condition charge`",
                ),
            ),
        )

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
        return (
            (),
            None,
            (Diagnostic.error(error.code, f"{error.message} while costing {cost.item.code}", error.span, error.hint),),
        )
    except CostingError as error:
        assert error.diagnostic is not None, "charges fail with a diagnostic of their own"
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
            records.append(
                PriceRecord(
                    kind,
                    list_price,
                    date,
                    sales_type.kind if sales_type else "all-customers",
                    sales_type.code if sales_type else None,
                )
            )
        else:
            records.append(PriceRecord(kind, list_price, date))
    return tuple(records)
