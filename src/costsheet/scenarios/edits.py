"""A scenario is a model edit: :func:`apply_edits` turns a frozen model into the edited one
(``attrs.evolve``), the lines in the order written, and says which codes it changed.

Nothing here reads text: the edited model is what a ruleset edited by hand the same way
builds into, so costing it gives what ``calc`` gives on that ruleset (docs/scenarios.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from ..model import Model, Rate, frozen_map
from ..numbers import CONTEXT, HUNDRED, ONE, ZERO
from .definitions import Edit, Target

__all__ = ["apply_edits", "Changed", "changed_by", "priced_in"]

_FIELD_ATTRIBUTES = {
    "unit-cost": "unit_cost",
    "last-direct-cost": "last_direct_cost",
    "standard-cost": "standard_cost",
    "indirect-cost": "indirect_cost",
    "overhead-rate": "overhead_rate",
    "scrap": "scrap",
    "lot-size": "lot_size",
    "direct-unit-cost": "direct_unit_cost",
}


def _changed_number(old: Decimal | None, edit: Edit) -> Decimal:
    assert edit.value is not None, "a number's edit has its value (only a formula edit has none)"
    if edit.relative:
        factor = CONTEXT.add(ONE, CONTEXT.divide(edit.value, HUNDRED))
        value = CONTEXT.multiply(old if old is not None else ZERO, factor)
    else:
        value = edit.value
    return value if edit.floor is None or value >= edit.floor else edit.floor


def _changed(old, edit: Edit):
    """The new value of a field (a Decimal or a Rate) after ``edit``."""
    if isinstance(old, Rate):
        if edit.relative:
            return Rate(_changed_number(old.amount, edit), old.per_seconds)
        assert edit.value is not None, "a rate's edit has its value (only a formula edit has none)"
        return Rate(edit.value, edit.per_seconds)
    return _changed_number(old, edit)


def _edit_record(record, attribute: str, edit: Edit):
    return attrs.evolve(record, **{attribute: _changed(getattr(record, attribute), edit)})


def _condition_line(line, edit: Edit):
    if edit.formula is not None:
        from ..syntax import parse_formula

        formula, _ = parse_formula(edit.formula, "<scenario>")
        return attrs.evolve(line, value=edit.formula, formula=formula, formula_span=None)
    return attrs.evolve(line, value=_changed(line.value, edit))  # a percent line's edit is never relative


def _field(target: Target) -> str:
    assert target.field is not None, "an item, work center or machine center target names its field"
    return target.field


def apply_edits(model: Model, edits: Iterable[Edit]) -> Model:
    """``model`` with ``edits`` applied in order (each edit sees the ones before it)."""
    items = work_centers = machine_centers = conditions = None
    prices, discounts, rates = model.prices, model.discounts, model.exchange_rates
    for edit in edits:
        target = edit.target
        kind = target.kind
        if kind == "item":
            items = dict(model.items) if items is None else items
            items[target.code] = _edit_record(items[target.code], _FIELD_ATTRIBUTES[_field(target)], edit)
        elif kind == "workcenter":
            work_centers = dict(model.work_centers) if work_centers is None else work_centers
            code = target.code
            work_centers[code] = _edit_record(work_centers[code], _FIELD_ATTRIBUTES[_field(target)], edit)
        elif kind == "machinecenter":
            machine_centers = dict(model.machine_centers) if machine_centers is None else machine_centers
            code = target.code
            machine_centers[code] = _edit_record(machine_centers[code], _FIELD_ATTRIBUTES[_field(target)], edit)
        elif kind == "price":
            prices = tuple(
                _edit_record(p, "unit_cost", edit) if (p.item, p.vendor) == (target.code, target.vendor) else p
                for p in prices
            )
        elif kind == "discount":
            discounts = tuple(
                _edit_record(d, "percent", edit) if (d.item, d.vendor) == (target.code, target.vendor) else d
                for d in discounts
            )
        elif kind == "exchange-rate":  # every line of the currency, as `price` edits every line of its pair
            rates = tuple(_edit_record(r, "rate", edit) if r.currency == target.code else r for r in rates)
        elif kind == "condition":
            conditions = dict(model.conditions) if conditions is None else conditions
            condition = conditions[target.code]
            lines = tuple(
                _condition_line(line, edit) if line.position == target.line else line for line in condition.lines
            )
            conditions[target.code] = attrs.evolve(condition, lines=lines)
        else:  # the checker accepts no other kind
            raise ValueError(f"unknown target kind {kind!r}")
    changes: dict[str, Any] = {}  # keyword arguments of Model
    for name, value in (
        ("items", items),
        ("work_centers", work_centers),
        ("machine_centers", machine_centers),
        ("conditions", conditions),
    ):
        if value is not None:
            changes[name] = frozen_map(value)
    if prices is not model.prices:
        changes["prices"] = prices
    if discounts is not model.discounts:
        changes["discounts"] = discounts
    if rates is not model.exchange_rates:
        changes["exchange_rates"] = rates
    return attrs.evolve(model, **changes) if changes else model


@attrs.frozen
class Changed:
    """The codes a set of edits touches, by kind: what re-costing has to start from
    (``currencies``: the items with a price or discount line of a vendor in that currency)."""

    items: frozenset[str] = frozenset()
    resources: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    currencies: frozenset[str] = frozenset()


def changed_by(targets: Iterable[Target]) -> Changed:
    items, resources, conditions, currencies = set(), set(), set(), set()
    for target in targets:
        if target.kind in ("item", "price", "discount"):
            items.add(target.code)
        elif target.kind in ("workcenter", "machinecenter"):
            resources.add(target.code)
        elif target.kind == "exchange-rate":
            currencies.add(target.code)
        else:
            conditions.add(target.code)
    return Changed(frozenset(items), frozenset(resources), frozenset(conditions), frozenset(currencies))


def priced_in(model: Model, currencies: frozenset[str]) -> frozenset[str]:
    """The items with a price or discount line of a vendor whose currency is one of ``currencies``."""
    vendors = {code for code, vendor in model.vendors.items() if vendor.currency in currencies}
    priced = {line.item for line in model.prices if line.vendor in vendors}
    return frozenset(priced | {line.item for line in model.discounts if line.vendor in vendors})
