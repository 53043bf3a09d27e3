"""BOM cycles (docs/costing.md, "Calculation"): an item may not contain itself, directly or not."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ..diagnostics import Diagnostic
from ..model import Item
from .context import Context
from .incremental import Changes

__all__ = ["bom_cycles"]


def bom_cycles(ctx: Context) -> Iterator[Diagnostic]:
    """Found again when an item's components changed (or an item came or went)."""
    return iter(ctx.whole("bom-cycles", partial(_bom_cycles, ctx), unchanged=partial(_same_graph, ctx)))


def _same_graph(ctx: Context, changes: Changes) -> bool:
    old, new = changes.previous.model.items, ctx.model.items
    return all(_edges(old.get(code)) == _edges(new.get(code)) for code in changes.items)


def _edges(item: Item | None) -> tuple[str, ...] | None:
    return None if item is None else tuple(line.component for line in item.all_bom_lines)


def _bom_cycles(ctx: Context) -> Iterator[Diagnostic]:
    """Each cycle once, named from its smallest code round to it again (A -> B -> A),
    at the BOM line of the first item that names the next one.  Iterative depth-first
    search: a generated BOM 100,000 levels deep must not exhaust the stack."""
    items = ctx.model.items
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[tuple[str, ...]] = set()
    for root in sorted(items):
        if root in state:
            continue
        path: list[str] = [root]
        state[root] = 1
        iterators = [iter(items[root].all_bom_lines)]
        while iterators:
            line = next(iterators[-1], None)
            if line is None:
                iterators.pop()
                state[path.pop()] = 2
                continue
            child = line.component
            if child not in items:
                continue  # an unknown item, reported by the reference checks
            if state.get(child) == 1:
                cycle = path[path.index(child) :]
                start = cycle.index(min(cycle))
                canonical = tuple(cycle[start:] + cycle[:start])
                if canonical not in reported:
                    reported.add(canonical)
                    yield _cycle(ctx, canonical)
            elif child not in state:
                state[child] = 1
                path.append(child)
                iterators.append(iter(items[child].all_bom_lines))


def _cycle(ctx: Context, cycle: tuple[str, ...]) -> Diagnostic:
    names = " -> ".join((*cycle, cycle[0]))
    first, following = cycle[0], cycle[1 % len(cycle)]
    line = next(b for b in ctx.model.items[first].all_bom_lines if b.component == following)
    return Diagnostic.error(
        "bom-cycle",
        f"the bills of materials form a cycle: {names}",
        line.span,
        "an item cannot contain itself, directly or through its components; remove one BOM line of the cycle",
    )
