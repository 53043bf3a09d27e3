"""What the editor says of costing realism (docs/editors.md, "Versions, phantoms, units,
currencies, co- and by-products"): the BOM and routing versions an item's costing used, that a
phantom has no cost of its own and where it is exploded, an item's by-product credits and
co-product shares (and, for a co-product, its producer), a BOM line's unit conversion and a
foreign-currency price line's rate.  Each function returns Markdown lines (none: nothing to say),
read from the loaded model and the costing the other hovers use; nothing here costs anew.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from ..costing import CostResult
from ..diagnostics import Span
from ..model import Item, Model
from ..numbers import CONTEXT, quantize_display, to_text
from ..phantoms import PHANTOM
from ..syntax import nodes as n
from ..versions import on_date
from .amounts import shown
from .analysis import Analysis

__all__ = [
    "Note",
    "costing_date",
    "item_notes",
    "bom_entry_notes",
    "conversion",
    "vendor_notes",
    "price_notes",
    "line_notes",
    "note_at",
]


def costing_date(analysis: Analysis, result: CostResult | None = None) -> dt.date:
    """The date the editor's costings are for: the result's, the session's, else today."""
    if result is not None:
        return result.date
    return analysis.date or dt.date.today()


def _model(analysis: Analysis) -> Model | None:
    return analysis.ruleset.model if analysis.ruleset is not None else None


def _parents(model: Model, code: str) -> tuple[str, ...]:
    """The items with a BOM line (in any version) of ``code``."""
    return tuple(c for c, item in model.items.items() if any(line.component == code for line in item.all_bom_lines))


def _versions(result: CostResult) -> str | None:
    parts = [
        f"{what} version {version}"
        for what, version in (("BOM", result.bom_version), ("routing", result.routing_version))
        if version is not None
    ]
    return f"{' · '.join(parts)} (valid on {result.date})" if parts else None


def _joint(analysis: Analysis, result: CostResult) -> Iterator[str]:
    for credit in result.byproducts:
        valued = "its value" if credit.valued_at == "value" else "its own unit cost"
        yield (
            f"by-product {credit.item}: {to_text(credit.quantity)} × {shown(analysis, credit.value)} ({valued})"
            f" = credit −{shown(analysis, credit.credit)} on the direct element"
        )
    for share in result.coproducts:
        yield (
            f"co-product {share.item} ({to_text(share.quantity)} per unit) takes {to_text(share.share)}%"
            f" = {shown(analysis, share.amount)}"
        )
    of = result.coproduct_of
    if of is not None:
        yield (
            f"co-product of **{of.producer}**: share {to_text(of.share)}% of its unit cost ="
            f" {shown(analysis, of.amount)} per {of.producer}, ÷ {to_text(of.quantity)}"
            f" = {shown(analysis, of.unit_cost)} per unit"
        )


def item_notes(analysis: Analysis, code: str) -> list[str]:
    """A phantom's nature, else the versions, by-products and co-products of ``code``'s costing."""
    model = _model(analysis)
    item = model.items.get(code) if model is not None else None
    if model is None or item is None:
        return []
    if item.replenishment == PHANTOM:
        parents = ", ".join(_parents(model, code)) or "no item yet"
        return [
            "**phantom**: no cost of its own and never costed alone; its BOM lines and operations are"
            f" exploded into each parent (quantities and run times multiplied): {parents}"
        ]
    result, _ = analysis.summary(code)
    if result is None:
        return []
    versions = _versions(result)
    return ([versions] if versions else []) + list(_joint(analysis, result))


def _conversion(entry: n.BomEntry, component: Item) -> str | None:
    unit = None if entry.unit is None else entry.unit.text
    factor = component.unit_factor(unit)
    if unit is None or unit == component.unit or factor is None:
        return None
    base = CONTEXT.multiply(entry.quantity, factor)
    return (
        f"{to_text(entry.quantity)} {unit} = {to_text(base)} {component.unit or 'base units'}"
        f" (1 {unit} = {to_text(factor)})"
    )


def _exploded(model: Model, phantom: Item, quantity, date: dt.date) -> str:
    """``RIM 2 · SPOKE 0.72 BOX · operation WHEELSET 50``: what a phantom line brings into its parent."""
    phantom, _ = on_date(phantom, date)
    lines = [
        f"{line.component} {to_text(CONTEXT.multiply(line.quantity, quantity))}{' ' + line.unit if line.unit else ''}"
        for line in phantom.bom
    ]
    operations = [f"operation {phantom.code} {op.operation} (run × {to_text(quantity)})" for op in phantom.routing]
    return " · ".join(lines + operations) or "nothing"


def bom_entry_notes(analysis: Analysis, owner: str, entry: n.BomEntry) -> list[str]:
    """A BOM line's unit conversion and, for a line of a phantom, what it explodes into."""
    model = _model(analysis)
    component = model.items.get(entry.component.text) if model is not None else None
    if model is None or component is None:
        return []
    notes = []
    conversion = _conversion(entry, component)
    if conversion:
        notes.append(f"unit: {conversion}")
    if component.replenishment == PHANTOM:
        factor = component.unit_factor(None if entry.unit is None else entry.unit.text)
        quantity = CONTEXT.multiply(entry.quantity, factor or 1)
        exploded = _exploded(model, component, quantity, costing_date(analysis))
        notes.append(f"**phantom** {component.code} (no cost of its own), exploded here: {exploded}")
    item = model.items.get(owner)
    if item is not None and item.replenishment == PHANTOM:
        notes.append(f"a line of phantom {owner}: costed in its parents ({', '.join(_parents(model, owner))})")
    return notes


def conversion(analysis: Analysis, entry: n.BomEntry) -> str | None:
    """``0.36 BOX = 36 PCS (1 BOX = 100)`` for a line in another unit than its component's base unit."""
    model = _model(analysis)
    component = model.items.get(entry.component.text) if model is not None else None
    return None if component is None else _conversion(entry, component)


@attrs.frozen
class Note:
    """What the editor says of one line that has no amount of its own: ``label`` beside it
    (an inlay hint; none when empty), ``notes`` when hovered."""

    span: Span
    label: str
    notes: tuple[str, ...]


def line_notes(analysis: Analysis, tree: n.SourceFile, lines: tuple[int, int] | None = None) -> Iterator[Note]:
    """The lines of a phantom's BOM in another unit and the price lines of a vendor in a foreign
    currency, in the declarations that overlap ``lines`` (first and last, 1-based)."""
    model = _model(analysis)
    if model is None:
        return
    for decl in tree.declarations:
        if decl.span is None or (lines is not None and (decl.span.end_line < lines[0] or decl.span.line > lines[1])):
            continue
        if isinstance(decl, n.PriceDecl):
            price = price_notes(analysis, decl)
            if price is not None:
                yield Note(decl.span, f"= {price[0]}", tuple(price[1]))
        elif isinstance(decl, n.ItemDecl) and (item := model.items.get(decl.code.text)) is not None:
            if item.replenishment != PHANTOM:
                continue
            for block in decl.body:
                for entry in block.entries if isinstance(block, n.BomBlock) else ():
                    converted = conversion(analysis, entry)
                    if entry.span is not None:
                        yield Note(entry.span, converted or "", tuple(bom_entry_notes(analysis, item.code, entry)))


def note_at(analysis: Analysis, path: str, line: int, column: int | None = None) -> Note | None:
    """The :class:`Note` at line ``line`` of ``path`` (1-based): of several, the one under ``column``."""
    tree = analysis.trees.get(path)
    if tree is None:
        return None
    found = [note for note in line_notes(analysis, tree, (line, line)) if note.span.line <= line <= note.span.end_line]
    under = [
        note
        for note in found
        if column is not None
        and (note.span.line, note.span.column) <= (line, column) <= (note.span.end_line, note.span.end_column)
    ]
    chosen = under or found
    return chosen[0] if chosen else None


def vendor_notes(analysis: Analysis, code: str) -> list[str]:
    """A vendor in a foreign currency: the rate its prices are converted at on the costing date."""
    model = _model(analysis)
    vendor = model.vendors.get(code) if model is not None else None
    if analysis.ruleset is None or vendor is None or vendor.currency is None:
        return []
    date = costing_date(analysis)
    return [_rate_text(analysis, vendor.currency, date, "prices and discounts")]


def _rate_text(analysis: Analysis, currency: str, date: dt.date, what: str) -> str:
    assert analysis.ruleset is not None, "asked only of a ruleset that loaded"
    local = analysis.ruleset.model.setup.currency or "the local currency"
    rate = analysis.ruleset.program.rate_on(currency, date)
    if rate is None:
        return f"{what} in {currency}: no exchange rate of {currency} valid on {date}"
    since = f"exchange-rate from {rate.starting}"
    return f"{what} in {currency}: 1 {currency} = {to_text(rate.rate)} {local} on {date} ({since})"


def price_notes(analysis: Analysis, decl: n.PriceDecl) -> tuple[str, list[str]] | None:
    """For a price line of a vendor in a foreign currency: ``(the converted price, notes)``."""
    model = _model(analysis)
    vendor = model.vendors.get(decl.vendor.text) if model is not None else None
    if analysis.ruleset is None or vendor is None or vendor.currency is None or decl.unit_cost is None:
        return None
    date = costing_date(analysis)
    rate = analysis.ruleset.program.rate_on(vendor.currency, date)
    notes = [_rate_text(analysis, vendor.currency, date, f"vendor {vendor.code}'s prices")]
    if rate is None:
        return None
    local = analysis.ruleset.model.setup.currency or ""
    per = f" per {decl.per.text}" if decl.per else ""
    converted = CONTEXT.multiply(decl.unit_cost, rate.rate)
    low, high = analysis.ruleset.model.setup.amount_decimals
    label = f"{quantize_display(converted, low, high)} {local}{per}".replace("  ", " ").strip()
    notes.insert(0, f"{to_text(decl.unit_cost)} {vendor.currency}{per} × {to_text(rate.rate)} = **{label}**")
    return label, notes
