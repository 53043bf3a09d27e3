"""The numbers an editor shows beside the text: the amount of a condition line, a charge line
or a BOM line for the item in context, an item's unit cost and list price, and where an amount
comes from (the costing engine's explain trace, as ``costsheet calc --explain`` shows it).

The item in context of a condition is the item named by the ``costsheet.item`` setting when
the condition is used by it, else the first item it is assigned to (its own or the setup's
default, or through a resource of its routing, in the order ``costsheet where-used`` lists
them).  A BOM line's item is the item the BOM belongs to.  Amounts are shown with the setup's
``decimals amounts``, as ``costsheet calc`` shows them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from ..numbers import quantize_display
from ..syntax import nodes as n
from .analysis import Analysis

__all__ = ["LineAmount", "context_item", "line_amounts", "item_summary", "explain_text", "step_rows", "shown"]


@attrs.frozen
class LineAmount:
    """The amount of one line (``node``: a condition line or a BOM entry) for ``item``; the
    explain steps it sums (none for a charge line, whose value is the charge's own)."""

    node: object
    item: str
    amount: Decimal
    steps: tuple = ()


def shown(analysis: Analysis, value: Decimal) -> str:
    """An amount with the setup's decimals (``decimals amounts``)."""
    low, high = analysis.ruleset.model.setup.amount_decimals if analysis.ruleset else (2, 5)
    return quantize_display(value, low, high)


def _users(analysis: Analysis, condition: str) -> tuple[str, ...]:
    """The items a condition is used by, as where-used lists them."""
    from ..whereused import Kind, build_index

    memo = analysis.memo
    if "where-used" not in memo:
        memo["where-used"] = build_index(analysis.ruleset.model)
    uses = memo["where-used"].uses(condition, Kind.CONDITION)
    return tuple(dict.fromkeys(use.item for use in uses))


def context_item(analysis: Analysis, condition: str, preferred: str | None) -> str | None:
    """The item whose costing shows condition ``condition``'s amounts (see the module docstring)."""
    if analysis.ruleset is None or condition not in analysis.ruleset.model.conditions:
        return None
    users = _users(analysis, condition)
    if preferred in users:
        return preferred
    return users[0] if users else None


def _condition_lines(decl: n.ConditionDecl) -> Iterator[tuple[int, n.Line]]:
    lines = [stmt for stmt in decl.body if isinstance(stmt, n.Line)]
    return iter(enumerate(lines, start=1))


def _condition_amounts(analysis: Analysis, decl: n.ConditionDecl, preferred: str | None) -> Iterator[LineAmount]:
    item = context_item(analysis, decl.code.text, preferred)
    if item is None:
        return
    result, _ = analysis.costing(item)
    if result is None:
        return
    if decl.kind == "charge":
        values = {charge.line: charge.value for charge in result.charges}
        for position, line in _condition_lines(decl):
            if values.get(position) is not None:
                yield LineAmount(line, item, values[position])
        return
    for position, line in _condition_lines(decl):
        prefix = f'{decl.code.text} line {position} "'
        steps = tuple(s for s in result.explain if s.item == item and s.source.startswith(prefix))
        if steps:
            yield LineAmount(line, item, sum((s.amount for s in steps), Decimal(0)), steps)


def _bom_amounts(analysis: Analysis, decl: n.ItemDecl) -> Iterator[LineAmount]:
    entries = [e for block in decl.body if isinstance(block, n.BomBlock) for e in block.entries]
    if not entries or analysis.ruleset is None or decl.code.text not in analysis.ruleset.model.items:
        return
    item = decl.code.text
    result, _ = analysis.costing(item)
    if result is None:
        return
    for entry in entries:
        source = f"BOM line {entry.component.text}"
        steps = tuple(s for s in result.explain if s.item == item and s.source == source)
        if steps:
            yield LineAmount(entry, item, sum((s.amount for s in steps), Decimal(0)), steps)


def line_amounts(
    analysis: Analysis, tree: n.SourceFile, preferred: str | None = None, lines: tuple[int, int] | None = None
) -> Iterator[LineAmount]:
    """The amounts of every condition line, charge line and BOM line of one file (of the
    declarations that overlap ``lines``, first and last, 1-based, when given: only the items
    an editor shows are costed)."""
    if analysis.ruleset is None:
        return
    for decl in tree.declarations:
        if lines is not None and decl.span and (decl.span.end_line < lines[0] or decl.span.line > lines[1]):
            continue
        if isinstance(decl, n.ConditionDecl):
            yield from _condition_amounts(analysis, decl, preferred)
        elif isinstance(decl, n.ItemDecl):
            yield from _bom_amounts(analysis, decl)


def item_summary(analysis: Analysis, item: str) -> str | None:
    """``unit cost 382.07 · list price 511.80`` (the list price when the item has one)."""
    result, diagnostics = analysis.summary(item)
    if result is None:
        errors = [d for d in diagnostics if d.is_error]
        return f"cannot be costed: {errors[0].message}" if errors else None
    text = f"unit cost {shown(analysis, result.unit_cost)}"
    if result.list_price is not None:
        text += f" · list price {shown(analysis, result.list_price)}"
    return text


def explain_text(analysis: Analysis, item: str, steps: tuple | None = None) -> str | None:
    """Markdown: where the amounts come from (``steps``, or every step of ``item``'s costing)."""
    result, _ = analysis.costing(item)
    if result is None:
        return None
    if steps is None:
        steps = tuple(s for s in result.explain if s.item == item)
        heading = f"**{item}**: {item_summary(analysis, item)}"
    else:
        heading = f"**{item}**: {shown(analysis, sum((s.amount for s in steps), Decimal(0)))}"
    return "\n".join([heading, "", *step_rows(analysis, steps)])


def step_rows(analysis: Analysis, steps: tuple) -> list[str]:
    """One Markdown list entry per explain step: element, amount, source and how it was made."""
    return [
        f"- {s.element or ''} **{shown(analysis, s.amount)}** — {s.source}: {s.detail}".replace("-  **", "- **")
        for s in steps
    ]
