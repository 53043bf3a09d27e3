"""The model's rules for what applies to an item, shared by the costing engine and where-used
(docs/costing.md, "The model as implemented"): scrap factors, BOM line quantities, and which
condition a work center or machine center costs with.

Depends on the model only, so that code which reads a model without costing it
(:mod:`costsheet.whereused`) applies the very rules the engine applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from .diagnostics import Diagnostic, Span
from .model import BomLine, Item, Model
from .numbers import CONTEXT, HUNDRED, ONE

__all__ = ["base_quantity", "line_quantity", "resource_condition", "scrap_factor", "unknown_unit"]


def base_quantity(line: BomLine, items: Mapping[str, Item]) -> Decimal | None:
    """A BOM line's quantity in its component's base unit: ``quantity x factor`` of the line's
    ``unit`` (exact: both are finite decimals); None for a unit the component does not have.
    A component that is not an item counts in its base unit (it fails as unknown-item)."""
    if line.unit is None:
        return line.quantity
    component = items.get(line.component)
    if component is None:
        return line.quantity
    factor = component.unit_factor(line.unit)
    return None if factor is None else CONTEXT.multiply(line.quantity, factor)


def scrap_factor(percent: Decimal) -> Decimal:
    """``1 + percent/100``: what a quantity or a run time is multiplied by for ``percent``% scrap."""
    return CONTEXT.add(ONE, CONTEXT.divide(percent, HUNDRED))


def line_quantity(
    quantity: Decimal, line_scrap: Decimal, item_scrap: Decimal, factor: Callable[[Decimal], Decimal] = scrap_factor
) -> Decimal:
    """A BOM line's quantity per unit of its item: q x (1 + line scrap/100) x (1 + item scrap/100),
    a factor applied only when its scrap is not 0.  ``factor`` may be a cached :func:`scrap_factor`."""
    if line_scrap:
        quantity = CONTEXT.multiply(quantity, factor(line_scrap))
    if item_scrap:
        quantity = CONTEXT.multiply(quantity, factor(item_scrap))
    return quantity


def resource_condition(model: Model, code: str) -> tuple[str | None, str]:
    """``(condition code or None, where it comes from)`` for the work center or machine center ``code``.

    The resource's own condition; else (a machine center) its work center's; else the setup's
    ``default subcontract`` when the work center has a subcontractor, ``default capacity`` otherwise.
    Where it comes from is ``"own"``, ``"work-center"``, ``"default-subcontract"`` or ``"default-capacity"``.
    """
    setup = model.setup
    machine = model.machine_centers.get(code)
    center = model.work_centers.get(machine.work_center if machine is not None else code)
    if machine is not None and machine.condition:
        return machine.condition, "own"
    if center is not None and center.condition:
        return center.condition, "own" if machine is None else "work-center"
    if center is not None and center.subcontractor is not None:
        return setup.default_subcontract, "default-subcontract"
    return setup.default_capacity, "default-capacity"


def unknown_unit(what: str, unit: str, item: Item, span: Span | None) -> Diagnostic:
    """``unit`` is neither the base unit of ``item`` nor one of its units of measure."""
    units = [item.unit or "(base unit)", *item.units_of_measure]
    return Diagnostic.error(
        "unknown-unit",
        f"{what} is in {unit}, which is not a unit of item {item.code} (its units: {', '.join(units)})",
        span,
        f"use one of {', '.join(units)}, or give item {item.code} `unit-of-measure {unit} FACTOR`",
    )
