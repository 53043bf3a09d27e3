"""Units of measure (docs/language.md, "Units of measure"): each item's units once, with a factor
above 0, and every `unit U` of a BOM line and `per U` of a price or discount line a unit of its item
(in a ruleset, and in the ``unit`` and ``per`` cells of CSV master data: references of what ``unit``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial

from ..diagnostics import Diagnostic
from ..model import Item
from ..resolve import unknown_unit
from ..syntax import nodes as n
from . import values
from .context import Context

__all__ = ["units_of_measure"]


def units_of_measure(ctx: Context) -> Iterator[Diagnostic]:
    """Found again for the new declarations; for every one when an item's units changed (its BOM
    lines and price lines name other items' units); the ``unit`` and ``per`` cells of CSV master data
    every time."""
    yield from ctx.each(
        "units-of-measure",
        (n.ItemDecl, n.PriceDecl, n.DiscountDecl),
        partial(_units, ctx.model.items),
        unchanged=lambda changes: all(
            _unit_table(changes.previous.model.items.get(code)) == _unit_table(ctx.model.items.get(code))
            for code in changes.items
        ),
    )
    items = ctx.model.items
    for ref in ctx.master_references:
        if ref.what == "unit":  # ref.kind: the item whose unit it must be
            yield from _known(ref.code, items.get(ref.kind or ""), ref.role, ref)


def _unit_table(item: Item | None) -> tuple[str | None, dict[str, object]] | None:
    """What :meth:`Item.unit_factor` reads (None: no such item)."""
    return None if item is None else (item.unit, dict(item.units_of_measure))


def _units(items: Mapping[str, Item], decl: n.ItemDecl | n.PriceDecl | n.DiscountDecl) -> Iterator[Diagnostic]:
    if isinstance(decl, n.ItemDecl):
        yield from _own_units(decl)
        for stmt in decl.body:
            if isinstance(stmt, n.BomBlock):
                for entry in stmt.entries:
                    component = items.get(entry.component.text)
                    yield from _known(
                        entry.unit, component, f"the BOM line of {entry.component.text} in item {decl.code.text}", entry
                    )
        return
    kind = "price" if isinstance(decl, n.PriceDecl) else "discount"
    what = f"the {kind} line of {decl.item.text} for vendor {decl.vendor.text}"
    yield from _known(decl.per, items.get(decl.item.text), what, decl)


def _own_units(decl: n.ItemDecl) -> Iterator[Diagnostic]:
    seen: dict[str, n.UnitOfMeasure] = {}
    for stmt in decl.body:
        if not isinstance(stmt, n.UnitOfMeasure):
            continue
        problem = values.value_problem(
            "unit-of-measure", values.UNIT_FACTOR, stmt.factor, f"unit {stmt.code.text} of item {decl.code.text}"
        )
        if problem:
            yield problem.at(stmt.span)
        first = seen.setdefault(stmt.code.text, stmt)
        if first is not stmt:
            yield Diagnostic.error(
                "duplicate-unit",
                f"item {decl.code.text} declares unit {stmt.code.text} twice",
                stmt.code.span,
                "give each unit of measure once: one CODE is FACTOR base units",
            )


def _known(unit: n.Code | None, item: Item | None, what: str, node: object) -> Iterator[Diagnostic]:
    """``unit`` is the base unit or a unit of measure of ``item`` (an unknown item is reported elsewhere)."""
    if unit is None or item is None or item.unit_factor(unit.text) is not None:
        return
    yield unknown_unit(what, unit.text, item, unit.span)
