"""Units of measure (docs/language.md, "Units of measure"): each item's units once, with a factor
above 0, and every `unit U` of a BOM line and `per U` of a price or discount line a unit of its item
(in a ruleset, and in the ``unit`` and ``per`` cells of CSV master data: references of what ``unit``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Item
from ..resolve import unknown_unit
from ..syntax import nodes as n
from . import values
from .context import Context

__all__ = ["units_of_measure"]


def units_of_measure(ctx: Context) -> Iterator[Diagnostic]:
    items = ctx.model.items
    for decl in ctx.of(n.ItemDecl):
        yield from _own_units(decl)
        for stmt in decl.body:
            if isinstance(stmt, n.BomBlock):
                for entry in stmt.entries:
                    component = items.get(entry.component.text)
                    yield from _known(
                        entry.unit, component, f"the BOM line of {entry.component.text} in item {decl.code.text}", entry
                    )
    for priced in ctx.declarations:
        if isinstance(priced, (n.PriceDecl, n.DiscountDecl)):
            kind = "price" if isinstance(priced, n.PriceDecl) else "discount"
            what = f"the {kind} line of {priced.item.text} for vendor {priced.vendor.text}"
            yield from _known(priced.per, items.get(priced.item.text), what, priced)
    for ref in ctx.master_references:
        if ref.what == "unit":  # ref.kind: the item whose unit it must be
            yield from _known(ref.code, items.get(ref.kind or ""), ref.role, ref)


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
