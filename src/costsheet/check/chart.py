"""The chart of cost elements (docs/language.md, "Chart of cost elements"): nesting, cost groups, totaling filters."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import CodeRange, compare_codes
from ..syntax import nodes as n
from .context import Context
from .vocabulary import COST_GROUPS, one_of, suggest

__all__ = ["chart_nesting", "chart_cost_groups", "chart_filters"]


def chart_nesting(ctx: Context) -> Iterator[Diagnostic]:
    """Each ``end-total`` closes the innermost open ``begin-total``; every one is closed."""
    open_totals: list[n.ChartEntry] = []
    for entry in ctx.chart_entries:
        if entry.kind == "begin-total":
            open_totals.append(entry)
        elif entry.kind == "end-total":
            if open_totals:
                open_totals.pop()
            else:
                yield Diagnostic.error(
                    "unbalanced-total",
                    f"end-total {entry.code.text} has no begin-total to close",
                    entry.code.span,
                    "add a `begin-total` line before it, or remove this end-total",
                )
    for entry in open_totals:
        yield Diagnostic.error(
            "unbalanced-total",
            f"begin-total {entry.code.text} is never closed by an end-total",
            entry.code.span,
            "add an `end-total` line after the lines it totals",
        )


def chart_cost_groups(ctx: Context) -> Iterator[Diagnostic]:
    """Only ``element`` lines have a cost group, every one has, and it is one of the language's."""
    for entry in ctx.chart_entries:
        group = entry.cost_group
        if entry.kind == "element" and group is None:
            yield Diagnostic.error(
                "missing-cost-group",
                f"element {entry.code.text} has no cost group",
                entry.code.span,
                "end the line with its cost group, e.g. `material` or `capacity-overhead`",
            )
        elif entry.kind != "element" and group is not None:
            yield Diagnostic.error(
                "unexpected-cost-group",
                f"{entry.kind} {entry.code.text} has the cost group {group.text}; only `element` lines have one",
                entry.span,
                f"remove `{group.text}`, or make the line an `element`",
            )
        elif group is not None and group.text not in COST_GROUPS:
            yield Diagnostic.error(
                "unknown-cost-group",
                f"{group.text} is not a cost group (element {entry.code.text})",
                group.span,
                suggest(group.text, COST_GROUPS),
            )


def chart_filters(ctx: Context) -> Iterator[Diagnostic]:
    """A ``total``'s filter parts run low to high and each takes in at least one element."""
    elements = [line.code for line in ctx.model.chart.elements]
    for entry in ctx.chart_entries:
        for part in entry.totaling or ():
            high = part.high or part.low
            written = part.low.text if part.high is None else f"{part.low.text}..{part.high.text}"
            if compare_codes(part.low.text, high.text) > 0:
                yield Diagnostic.error(
                    "malformed-filter",
                    f"the range {written} of total {entry.code.text} runs from high to low",
                    part.low.span,
                    f"write the lower code first: {high.text}..{part.low.text}",
                )
            elif not any(CodeRange(part.low.text, high.text).contains(code) for code in elements):
                what = "the code" if part.high is None else "the range"
                yield Diagnostic.error(
                    "filter-names-no-element",
                    f"{what} {written} in the filter of total {entry.code.text} takes in no element of the chart",
                    part.low.span,
                    "name element codes of the chart, joined with | "
                    f"(elements: {one_of(elements[:8]) if elements else 'none yet'}"
                    f"{' …' if len(elements) > 8 else ''})",
                )
