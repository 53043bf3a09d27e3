"""The compiled program: everything about a model that does not depend on the item.

Built once per model by :func:`plan_program` (inside the load, for a
:class:`costsheet.Ruleset`) and reused for every calculation: condition
plans, resolved resources (rate, condition, elements), charge plans with
their formulas as Python functions in dependency order, the chart's totals as
element lists, and price lines indexed by item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from ..diagnostics import Span
from ..model import (
    ChartLineKind,
    ConditionKind,
    CostGroup,
    DiscountLine,
    ExchangeRate,
    Model,
    PriceLine,
    Rate,
    frozen_map,
)
from ..phantoms import PHANTOM
from ..resolve import resource_condition
from ..vocabulary import CHARGE_GROUPS
from .charges import ChargePlan, plan_charges
from .plans import ConditionPlan, plan_condition, rate_of

__all__ = ["ResourcePlan", "Program", "plan_program", "replan_program"]


@attrs.frozen
class ResourcePlan:
    """A work center or machine center, resolved for costing."""

    code: str
    description: str
    rate: Rate  # per its own time unit; the condition's direct lines override the master's
    rate_from_condition: bool
    condition: ConditionPlan | None
    indirect_cost: Decimal  # percent
    overhead_rate: Rate
    subcontracted: bool
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Program:
    model: Model
    element_codes: tuple[str, ...]  # cost elements in chart order (charge groups excluded)
    groups: Mapping[str, CostGroup | None]
    totals: tuple[tuple[str, tuple[str, ...]], ...]  # (total or end-total code, element codes it sums)
    begin_totals: Mapping[str, str]  # begin-total code -> its end-total code
    conditions: Mapping[str, ConditionPlan]
    charges: Mapping[str, ChargePlan]
    resources: Mapping[str, ResourcePlan]
    prices: Mapping[str, tuple[PriceLine, ...]]
    discounts: Mapping[str, tuple[DiscountLine, ...]]
    versioned: tuple[str, ...] = ()  # the items with dated BOM or routing versions
    rates: Mapping[str, tuple[ExchangeRate, ...]] = frozen_map()  # currency -> its rates, newest first
    phantoms: frozenset[str] = frozenset()  # the phantom items: exploded into their parents
    producers: Mapping[str, str] = frozen_map()  # co-product -> its producing item (the first: check reports others)
    joint: frozenset[str] = frozenset()  # the items costed after a by-product or a producer (costing-order edges)

    def rate_on(self, currency: str, date: dt.date) -> ExchangeRate | None:
        """The newest exchange rate of ``currency`` valid on ``date`` (``from`` inclusive), else None."""
        return next((rate for rate in self.rates.get(currency, ()) if rate.starting <= date), None)

    def chart_order(self, *vectors: Mapping[str, Decimal]) -> tuple[str, ...]:
        """Every element code of the chart, then any other code the vectors hold, each once."""
        known = set(self.element_codes)
        extra = {code: None for vector in vectors for code in vector if code not in known}
        return self.element_codes + tuple(extra)


def _rates(model: Model) -> dict[str, tuple[ExchangeRate, ...]]:
    """Each currency's rates, newest first (the first written of two on one date: the checker reports it)."""
    rates: dict[str, list[ExchangeRate]] = {}
    for rate in model.exchange_rates:
        rates.setdefault(rate.currency, []).append(rate)
    return {
        currency: tuple(sorted(found, key=lambda rate: rate.starting, reverse=True))
        for currency, found in rates.items()
    }


def _resources(model: Model, conditions: Mapping[str, ConditionPlan]) -> dict[str, ResourcePlan]:
    resources: dict[str, ResourcePlan] = {}
    for code, wc in model.work_centers.items():
        subcontracted = wc.subcontractor is not None
        plan = conditions.get(resource_condition(model, code)[0] or "")
        rate, overridden = rate_of(plan, wc.direct_unit_cost)
        resources[code] = ResourcePlan(
            code, wc.description, rate, overridden, plan, wc.indirect_cost, wc.overhead_rate, subcontracted, wc.span
        )
    for code, mc in model.machine_centers.items():
        parent = model.work_centers.get(mc.work_center)
        subcontracted = parent is not None and parent.subcontractor is not None
        plan = conditions.get(resource_condition(model, code)[0] or "")
        rate, overridden = rate_of(plan, mc.direct_unit_cost)
        resources[code] = ResourcePlan(
            code, mc.description, rate, overridden, plan, mc.indirect_cost, mc.overhead_rate, subcontracted, mc.span
        )
    return resources


def _chart(
    model: Model,
) -> tuple[tuple[str, ...], dict[str, CostGroup | None], tuple[tuple[str, tuple[str, ...]], ...], dict[str, str]]:
    """The chart's costed element codes, every element's cost group, each total's elements and
    the end total of each begin total."""
    lines = model.chart.lines
    groups = {line.code: line.cost_group for line in lines if line.kind is ChartLineKind.ELEMENT}
    element_codes = tuple(code for code, group in groups.items() if group not in CHARGE_GROUPS)
    all_elements = tuple(groups)
    totals = tuple(
        (line.code, tuple(code for code in all_elements if line.totals(code)))
        for line in lines
        if line.kind in (ChartLineKind.TOTAL, ChartLineKind.END_TOTAL)
    )
    begin_totals: dict[str, str] = {}
    open_begins: list[str] = []
    for line in lines:
        if line.kind is ChartLineKind.BEGIN_TOTAL:
            open_begins.append(line.code)
        elif line.kind is ChartLineKind.END_TOTAL and open_begins:
            begin_totals[open_begins.pop()] = line.code
    return element_codes, groups, totals, begin_totals


def _conditions(
    model: Model, groups: Mapping[str, CostGroup | None], before: Program | None = None
) -> tuple[dict[str, ConditionPlan], dict[str, ChargePlan]]:
    """The condition and charge plans; a condition that ``before`` planned from the same object keeps its plan."""
    conditions: dict[str, ConditionPlan] = {}
    charges: dict[str, ChargePlan] = {}
    for code, condition in model.conditions.items():
        if condition.kind is ConditionKind.CHARGE:
            charge = None if before is None else before.charges.get(code)
            charges[code] = charge if charge is not None and charge.condition is condition else plan_charges(condition)
        else:
            old = None if before is None else before.conditions.get(code)
            same = old is not None and before is not None and before.model.conditions.get(code) is condition
            conditions[code] = old if same and old is not None else plan_condition(condition, groups)
    return conditions, charges


_Line = TypeVar("_Line", PriceLine, DiscountLine)


def _by_item(lines: Iterable[_Line]) -> Mapping[str, tuple[_Line, ...]]:
    grouped: dict[str, list[_Line]] = {}
    for line in lines:
        grouped.setdefault(line.item, []).append(line)
    return frozen_map({k: tuple(v) for k, v in grouped.items()})


def plan_program(model: Model) -> Program:
    """Prepare ``model`` (a checked one) for costing: everything that does not depend on the item."""
    element_codes, groups, totals, begin_totals = _chart(model)
    conditions, charges = _conditions(model, groups)
    return Program(
        model=model,
        element_codes=element_codes,
        groups=frozen_map(groups),
        totals=totals,
        begin_totals=frozen_map(begin_totals),
        conditions=frozen_map(conditions),
        charges=frozen_map(charges),
        resources=frozen_map(_resources(model, conditions)),
        prices=_by_item(model.prices),
        discounts=_by_item(model.discounts),
        rates=frozen_map(_rates(model)),
        **_item_plans(model),
    )


def _item_plans(model: Model) -> dict[str, Any]:
    """The parts of a program that depend on the items alone (keyword arguments of Program)."""
    producers: dict[str, str] = {}
    joint: set[str] = set()
    for code, item in model.items.items():
        for coproduct in item.coproducts:
            producers.setdefault(coproduct.item, code)
            joint.add(coproduct.item)
        if any(byproduct.value is None for byproduct in item.byproducts):
            joint.add(code)
    return {
        "versioned": tuple(code for code, item in model.items.items() if item.bom_versions or item.routing_versions),
        "phantoms": frozenset(code for code, item in model.items.items() if item.replenishment == PHANTOM),
        "producers": frozen_map(producers),
        "joint": frozenset(joint),
    }


def replan_program(program: Program, model: Model) -> Program:
    """The program of ``model``, an edit of ``program.model`` with the same chart: what the edit
    left alone (the same objects) keeps its plan, so a small edit replans little.  It costs
    every item as :func:`plan_program` of ``model`` does (tests/scenarios hold them equal)."""
    before = program.model
    if model.chart is not before.chart:
        return plan_program(model)
    changes: dict[str, Any] = {"model": model}  # keyword arguments of Program
    if model.conditions is not before.conditions:
        conditions, charges = _conditions(model, program.groups, program)
        changes["conditions"] = frozen_map(conditions)
        changes["charges"] = frozen_map(charges)
    if any(
        getattr(model, name) is not getattr(before, name) for name in ("conditions", "work_centers", "machine_centers")
    ):
        plans: Mapping[str, ConditionPlan] = changes.get("conditions", program.conditions)
        changes["resources"] = frozen_map(_resources(model, plans))
    if model.prices is not before.prices:
        changes["prices"] = _by_item(model.prices)
    if model.discounts is not before.discounts:
        changes["discounts"] = _by_item(model.discounts)
    if model.exchange_rates is not before.exchange_rates:
        changes["rates"] = frozen_map(_rates(model))
    if model.items is not before.items:
        changes.update(_item_plans(model))
    return attrs.evolve(program, **changes)
