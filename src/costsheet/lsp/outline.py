"""The outline of a file (document symbols) and its folding ranges, from its syntax tree (for a
file with syntax errors, the declarations that parse on their own)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ..diagnostics import Span
from ..syntax import nodes as n

__all__ = ["Symbol", "outline", "folds"]


@attrs.frozen
class Symbol:
    """One entry of the outline: ``kind`` is a word the server maps to the protocol's kinds
    (``chart``, ``element``, ``condition``, ``line``, ``item`` ...)."""

    name: str
    detail: str
    kind: str
    span: Span
    selection: Span
    children: tuple[Symbol, ...] = ()


def _named(kind: str, code: n.Code, description: str | None, span: Span, children=()) -> Symbol:
    return Symbol(code.text, description or "", kind, span, code.span or span, tuple(children))


def _condition(decl: n.ConditionDecl) -> Symbol:
    lines = [stmt for stmt in decl.body if isinstance(stmt, n.Line) and stmt.span]
    children = [
        Symbol(
            f"line {position}", line.description, "line", line.span, line.span
        )  # the line's element and row are in the text beside it
        for position, line in enumerate(lines, start=1)
    ]
    symbol = _named("condition", decl.code, decl.description, decl.span, children)
    return attrs.evolve(symbol, detail=f"{decl.kind} · {decl.description or ''}".rstrip(" ·"))


def _symbol(decl) -> Symbol | None:
    span = decl.span
    if span is None:
        return None
    if isinstance(decl, n.ChartBlock):
        entries = [_named("element", e.code, f"{e.kind} {e.description}", e.span) for e in decl.entries if e.span]
        return Symbol("chart", f"{len(entries)} lines", "chart", span, span, tuple(entries))
    if isinstance(decl, n.SetupBlock):
        return Symbol("setup", f"{len(decl.settings)} settings", "setup", span, span)
    if isinstance(decl, n.ConditionDecl):
        return _condition(decl)
    if isinstance(decl, n.ItemDecl):
        return _named("item", decl.code, decl.description, span)
    if isinstance(decl, n.WorkCenterDecl):
        return _named("workcenter", decl.code, decl.description, span)
    if isinstance(decl, n.MachineCenterDecl):
        return _named("machinecenter", decl.code, decl.description, span)
    if isinstance(decl, n.VendorDecl):
        return _named("vendor", decl.code, decl.name, span)
    if isinstance(decl, n.RoundingDecl):
        return _named("rounding", decl.code, f"{decl.direction} {decl.precision}", span)
    if isinstance(decl, n.LedgerDecl):
        return Symbol(f"ledger {decl.item.text}", f"{len(decl.lines)} lines", "ledger", span, decl.item.span or span)
    if isinstance(decl, n.PriceDecl | n.DiscountDecl):
        word = "price" if isinstance(decl, n.PriceDecl) else "discount"
        return Symbol(f"{word} {decl.item.text}", f"vendor {decl.vendor.text}", word, span, decl.item.span or span)
    if isinstance(decl, n.StandardCostDecl):
        return Symbol(f"standard-cost {decl.item.text}", str(decl.starting), "standard-cost", span, span)
    if isinstance(decl, n.Include):
        return Symbol(f"include {decl.path}", "", "include", span, span)
    if isinstance(decl, n.AccountingPeriods):
        return Symbol("accounting-periods", f"{len(decl.dates)} dates", "accounting-periods", span, span)
    return None


def outline(tree: n.SourceFile) -> list[Symbol]:
    """The file's declarations in order, a chart with its lines and a condition with its lines."""
    return [symbol for decl in tree.declarations if (symbol := _symbol(decl)) is not None]


def folds(tree: n.SourceFile) -> Iterator[tuple[int, int]]:
    """``(first line, last line)`` (1-based) of every block that spans lines: declarations and
    the BOM, routing and shares blocks inside them."""
    for decl in tree.declarations:
        for node in (decl, *getattr(decl, "body", ()), getattr(decl, "shares", None)):
            span = getattr(node, "span", None)
            if span is not None and span.end_line > span.line and not isinstance(node, n.Line):
                yield span.line, span.end_line
