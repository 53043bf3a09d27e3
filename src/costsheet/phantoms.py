"""Phantom items (docs/costing.md, "Phantoms"): never costed alone, their BOM and routing are
exploded into each parent.

A parent's BOM line for a phantom P (quantity q, line scrap s) is replaced by
P's BOM lines with their quantities multiplied by q x (1 + s/100) (P's own
line units converted to P's base unit first), and P's routing operations join
the parent's with their run times multiplied the same way and their setup
once per parent lot.  Phantoms inside phantoms explode the same way; a cycle
of phantoms is reported by naming it.  A phantom's own fields (costs,
overhead, scrap, lot size, conditions) are not used.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from .model import BomLine, Item, RoutingLine
from .numbers import CONTEXT, ONE
from .resolve import base_quantity, scrap_factor
from .vocabulary import Replenishment

__all__ = ["PhantomCycleError", "has_phantoms", "explode", "costed_alone", "PHANTOM"]

PHANTOM = Replenishment.PHANTOM.value


class PhantomCycleError(Exception):
    """Phantoms contain each other: ``cycle`` names them in order, the first again at the end."""

    def __init__(self, cycle: tuple[str, ...], line: BomLine):
        super().__init__(" -> ".join(cycle))
        self.cycle = cycle
        self.line = line


def costed_alone(items: Mapping[str, Item]) -> tuple[str, ...]:
    """The codes of ``items`` that are costed on their own (every one but the phantoms): what ``--all`` costs."""
    return tuple(code for code, item in items.items() if item.replenishment != PHANTOM)


def has_phantoms(item: Item, items: Mapping[str, Item]) -> bool:
    return any((c := items.get(line.component)) is not None and c.replenishment == PHANTOM for line in item.bom)


def explode(item: Item, items: Mapping[str, Item]) -> Item:
    """``item`` with every phantom of its BOM (at any depth) replaced by the phantom's lines and operations."""
    bom: list[BomLine] = []
    routing: list[RoutingLine] = list(item.routing)
    _explode(item.bom, ONE, (item.code,), None, items, bom, routing)
    return attrs.evolve(item, bom=tuple(bom), routing=tuple(routing))


def _explode(
    lines: tuple[BomLine, ...],
    factor: Decimal,
    path: tuple[str, ...],
    via: str | None,
    items: Mapping[str, Item],
    bom: list[BomLine],
    routing: list[RoutingLine],
) -> None:
    for line in lines:
        component = items.get(line.component)
        if component is None or component.replenishment != PHANTOM:
            if via is None:
                bom.append(line)
            else:
                quantity = line.quantity if factor == ONE else CONTEXT.multiply(line.quantity, factor)
                bom.append(attrs.evolve(line, quantity=quantity, phantom=_within(via, line.phantom)))
            continue
        if component.code in path:
            start = path.index(component.code)
            raise PhantomCycleError((*path[start:], component.code), line)
        per_unit = base_quantity(line, items) or line.quantity  # an unknown unit is reported by bom_of's caller
        if line.scrap:
            per_unit = CONTEXT.multiply(per_unit, scrap_factor(line.scrap))
        inner = CONTEXT.multiply(factor, per_unit)
        name = component.code if via is None else f"{via}/{component.code}"
        routing.extend(
            attrs.evolve(
                operation,
                run_seconds=CONTEXT.multiply(operation.run_seconds, inner),
                phantom=_within(name, operation.phantom),
            )
            for operation in component.routing
        )
        _explode(component.bom, inner, (*path, component.code), name, items, bom, routing)


def _within(outer: str, inner: str | None) -> str:
    """The phantom path of a line or operation of phantom ``outer`` that ``inner`` (a phantom already
    exploded into ``outer``, when the items are exploded in place one by one) brought in."""
    return outer if inner is None else f"{outer}/{inner}"
