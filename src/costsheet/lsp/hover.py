"""What a hover shows: over a code, its declaration as written and what it is (an item's
unit cost and list price too); over a condition, charge or BOM line, its amount for the item
in context with the explain steps it sums.  Markdown text, without the protocol."""

from __future__ import annotations

from ..diagnostics import Span
from ..syntax import nodes as n
from . import amounts, realism
from .analysis import Analysis
from .symbols import Kind, Occurrence, SymbolIndex

__all__ = ["code_hover", "amount_at", "amount_hover", "note_hover"]


def _declaration_line(analysis: Analysis, occurrence: Occurrence | None) -> str:
    if occurrence is None:
        return ""
    text = analysis.sources.get(occurrence.span.file, "").split("\n")
    line = text[occurrence.span.line - 1] if occurrence.span.line <= len(text) else ""
    return line.split("#", 1)[0].strip() if '"' not in line.split("#", 1)[0] else line.strip()


_MEANINGS = {
    Kind.ELEMENT: "a line of the chart of cost elements",
    Kind.CONDITION: "a cost condition",
    Kind.ITEM: "an item",
    Kind.RESOURCE: "a capacity resource",
    Kind.VENDOR: "a vendor: its price and discount lines give purchased items their direct cost",
    Kind.ROUNDING: "a rounding method",
    Kind.ROW: "a row of a condition: the sum of the lines that name it, read by the rows and formulas after it",
}


def _item_facts(model, code: str) -> str:
    """``prod-order, lot size 10, costing method standard`` from the loaded model."""
    item = model.items.get(code) if model is not None else None
    if item is None:
        return "an item"
    return f"{item.replenishment}, lot size {item.lot_size}, costing method {item.costing_method}"


def _meaning(occurrence: Occurrence, declaration: Occurrence | None, model=None) -> str:
    node = declaration.node if declaration else None
    if isinstance(node, n.ChartEntry):
        group = f", cost group {node.cost_group.text}" if node.cost_group else ""
        if node.kind == "element":
            return f"cost element {node.code.text} “{node.description}”{group}: conditions post amounts to it"
        if node.kind == "total" or node.kind == "end-total":
            return f"{node.kind} {node.code.text} “{node.description}”: a sum of elements, read by charge lines"
        return f"{node.kind} {node.code.text} “{node.description}”"
    if isinstance(node, n.ConditionDecl):
        lines = sum(1 for stmt in node.body if isinstance(stmt, n.Line))
        return f"{node.kind} condition {node.code.text} “{node.description or ''}” with {lines} lines"
    if isinstance(node, n.WorkCenterDecl):
        return f"work center {node.code.text} “{node.description or ''}”"
    if isinstance(node, n.MachineCenterDecl):
        return f"machine center {node.code.text} “{node.description or ''}” in work center {node.work_center.text}"
    if isinstance(node, n.RoundingDecl):
        limit = f", amounts of {node.min_amount} and more" if node.min_amount is not None else ""
        return f"rounding method: {node.direction} to a multiple of {node.precision}{limit}"
    if isinstance(node, n.ItemDecl):
        return f"item {node.code.text} “{node.description or ''}”: {_item_facts(model, node.code.text)}"
    if isinstance(node, n.VendorDecl):
        return f"vendor {node.code.text} “{node.name or ''}”"
    if occurrence.kind is Kind.ROW:
        return f"row {occurrence.code} of condition {occurrence.scope}: {_MEANINGS[Kind.ROW]}"
    return _MEANINGS[occurrence.kind]


def code_hover(analysis: Analysis, index: SymbolIndex, occurrence: Occurrence) -> str:
    declaration = index.declaration(occurrence.key)
    parts = []
    written = _declaration_line(analysis, declaration)
    if written:
        parts.append(f"```costsheet\n{written}\n```")
    elif occurrence.kind is Kind.ITEM and analysis.ruleset and occurrence.code in analysis.ruleset.model.items:
        parts.append(f"item {occurrence.code} (CSV master data)")
    else:
        parts.append(f"{occurrence.kind.value} {occurrence.code}: not declared")
    parts.append(_meaning(occurrence, declaration, analysis.ruleset.model if analysis.ruleset else None))
    if occurrence.kind is Kind.ITEM and analysis.ruleset is not None:
        summary = amounts.item_summary(analysis, occurrence.code)
        if summary:
            parts.append(summary)
        parts.extend(realism.item_notes(analysis, occurrence.code))
    if occurrence.kind is Kind.VENDOR:
        parts.extend(realism.vendor_notes(analysis, occurrence.code))
    return "\n\n".join(parts)


def _covers(span: Span, line: int, column: int) -> bool:
    after_start = (line, column) >= (span.line, span.column)
    return after_start and (line, column) <= (span.end_line, span.end_column)


def amount_at(
    analysis: Analysis, path: str, line: int, item: str | None, column: int | None = None
) -> amounts.LineAmount | None:
    """The amount of the line at ``line`` (1-based); of several on one line (a BOM written on
    one line) the one under ``column``, else the first."""
    tree = analysis.trees.get(path)
    if tree is None:
        return None
    found = [
        a for a in amounts.line_amounts(analysis, tree, item, (line, line)) if a.span.line <= line <= a.span.end_line
    ]
    under = [a for a in found if column is not None and _covers(a.span, line, column)]
    chosen = under or found
    return chosen[0] if chosen else None


def amount_hover(analysis: Analysis, found: amounts.LineAmount) -> str:
    text = f"**{amounts.shown(analysis, found.amount)}** for {found.item}"
    if isinstance(found.node, n.BomEntry):
        text += "".join(f"\n\n{note}" for note in realism.bom_entry_notes(analysis, found.item, found.node))
    if found.steps:
        text += "\n\n" + "\n".join(amounts.step_rows(analysis, found.steps))
    return text


def note_hover(note: realism.Note) -> str:
    """A line without an amount of its own: a phantom's BOM line, a foreign-currency price line."""
    return "\n\n".join(note.notes) or note.label
