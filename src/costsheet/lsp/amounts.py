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

from ..diagnostics import Span, located
from ..numbers import quantize_display
from ..syntax import nodes as n
from .analysis import Analysis

__all__ = [
    "LineAmount",
    "context_item",
    "line_amounts",
    "used_bom_block",
    "item_summary",
    "explain_text",
    "step_rows",
    "shown",
]


@attrs.frozen
class LineAmount:
    """The amount of one line (``node``: a condition line or a BOM entry) for ``item``; the
    explain steps it sums (none for a charge line, whose value is the charge's own)."""

    node: n.Line | n.BomEntry
    item: str
    amount: Decimal
    steps: tuple = ()

    @property
    def span(self) -> Span:
        """Where the line is (a line of a parsed file: always known)."""
        return located(self.node.span)


def shown(analysis: Analysis, value: Decimal) -> str:
    """An amount with the setup's decimals (``decimals amounts``)."""
    low, high = analysis.ruleset.model.setup.amount_decimals if analysis.ruleset else (2, 5)
    return quantize_display(value, low, high)


def _users(analysis: Analysis, condition: str) -> tuple[str, ...]:
    """The items a condition is used by, as where-used lists them."""
    from ..whereused import Kind, build_index

    ruleset = analysis.ruleset
    assert ruleset is not None, "asked only of a ruleset that loaded"
    memo = analysis.memo
    if "where-used" not in memo:
        memo["where-used"] = build_index(ruleset.model)
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


def used_bom_block(decl: n.ItemDecl, bom_version: str | None) -> n.BomBlock | None:
    """The ``bom`` block of ``decl`` a costing with that ``bom_version`` used (dated or ``undated``)."""
    for block in decl.body:
        if (
            isinstance(block, n.BomBlock)
            and ("undated" if block.starting is None else str(block.starting)) == bom_version
        ):
            return block
    return None


def _sources(analysis: Analysis, owner, entry: n.BomEntry) -> tuple[frozenset[str], tuple[str, ...]]:
    """The explain sources of a BOM line once its phantoms are exploded: ``BOM line C`` of the
    components it brings and ``operation P OP on R`` of the operations (a plain line: itself)."""
    from ..phantoms import explode

    assert analysis.ruleset is not None, "asked only of a ruleset that loaded"
    items = analysis.ruleset.model.items
    line = next((b for b in owner.all_bom_lines if b.span == entry.span), None)
    if line is None:
        return frozenset({f"BOM line {entry.component.text}"}), ()
    exploded = explode(attrs.evolve(owner, bom=(line,), routing=()), items)
    components = tuple(f"BOM line {b.component}" for b in exploded.bom)
    operations = tuple(f"operation {op.phantom} {op.operation} on {op.resource}" for op in exploded.routing)
    return frozenset(components), operations


def _bom_amounts(analysis: Analysis, decl: n.ItemDecl) -> Iterator[LineAmount]:
    """A BOM line's amount for its item, from the BOM version the costing used.  A phantom's
    line brings its components' and operations' steps; a component a phantom brings as well as
    another line of the same BOM gets no amount (the explain trace does not tell them apart)."""
    from ..phantoms import PHANTOM

    model = analysis.ruleset.model if analysis.ruleset is not None else None
    owner = model.items.get(decl.code.text) if model is not None else None
    if (
        model is None
        or owner is None
        or owner.replenishment == PHANTOM
        or not any(isinstance(b, n.BomBlock) for b in decl.body)
    ):
        return  # a phantom is never costed alone: its lines show in its parents
    item = decl.code.text
    result, _ = analysis.costing(item)
    if result is None:
        return
    block = used_bom_block(decl, result.bom_version)
    if block is None:
        return
    brought = [_sources(analysis, owner, entry) for entry in block.entries]
    counts: dict[str, int] = {}
    for components, _ in brought:
        for source in components:
            counts[source] = counts.get(source, 0) + 1
    for entry, (components, operations) in zip(block.entries, brought, strict=True):
        component = model.items.get(entry.component.text)
        phantom = component is not None and component.replenishment == PHANTOM
        if phantom and any(counts[source] > 1 for source in components):
            continue
        wanted = components | set(operations)
        steps = tuple(s for s in result.explain if s.item == item and s.source in wanted)
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
