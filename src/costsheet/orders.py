"""The production orders the ledgers name (docs/valuation.md, "Production orders"): each
order's lines, and the graph of which items are made from which.

Read by the checker (the rules of orders that span ledgers, :mod:`costsheet.check.ledgers`)
and by the valuation engine (:mod:`costsheet.valuation.orders`, which costs the orders); it
needs only the model.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping

import attrs

from .model import CapacityUse, Ledger, LedgerEntry, Model
from .vocabulary import EntryType

__all__ = [
    "OrderLines",
    "naming_orders",
    "collect_orders",
    "production_graph",
    "cycles",
    "on_cycles",
    "CONSUMPTION",
    "OUTPUT",
]

_ORDER = operator.attrgetter("order")

#: the entry types that name an order
CONSUMPTION = EntryType.CONSUMPTION.value
OUTPUT = EntryType.OUTPUT.value


@attrs.frozen
class OrderLines:
    """What the ledgers say about one production order: its consumption entries (with the item
    of the ledger each is in), its outputs and its capacity lines (each with its ledger's item).
    ``item`` is the item it produces: the ledger of its first output or capacity line."""

    code: str
    item: str | None
    consumption: tuple[tuple[str, LedgerEntry], ...] = ()
    outputs: tuple[tuple[str, LedgerEntry], ...] = ()
    capacities: tuple[tuple[str, CapacityUse], ...] = ()
    components: tuple[str, ...] = ()  # the items it consumes, each once, in the order first consumed


def naming_orders(ledgers: Iterable[Ledger]) -> list[Ledger]:
    """The ledgers that name a production order (an entry's `order`, a capacity line): one
    C-level pass over a column of each ledger that names none, the usual ledger."""
    return [ledger for ledger in ledgers if ledger.capacities or any(map(_ORDER, ledger.entries))]


def collect_orders(model: Model, ledgers: Iterable[Ledger] | None = None) -> dict[str, OrderLines]:
    """Every production order named in the model's ledgers (or in ``ledgers``, those of them that
    name orders: :func:`naming_orders`), in the order first named; an order's item is the item
    of the first ledger (in the model's order) with its output or capacity."""
    found: dict[str, tuple[list, list, list, list]] = {}  # consumption, outputs, capacities, produced items

    def lines_of(code: str) -> tuple[list, list, list, list]:
        lines = found.get(code)
        if lines is None:
            lines = found[code] = ([], [], [], [])
        return lines

    for ledger in naming_orders(model.ledgers.values()) if ledgers is None else ledgers:
        item = ledger.item
        for entry in ledger.entries:
            if entry.order is None:
                continue
            if entry.type == CONSUMPTION:
                lines_of(entry.order)[0].append((item, entry))
            elif entry.type == OUTPUT:
                lines = lines_of(entry.order)
                lines[1].append((item, entry))
                lines[3].append(item)
        for use in ledger.capacities:
            lines = lines_of(use.order)
            lines[2].append((item, use))
            lines[3].append(item)
    return {
        code: OrderLines(
            code,
            produced[0] if produced else None,
            tuple(consumption),
            tuple(outputs),
            tuple(capacities),
            tuple(dict.fromkeys(item for item, _ in consumption)),
        )
        for code, (consumption, outputs, capacities, produced) in found.items()
    }


def production_graph(orders: Mapping[str, OrderLines]) -> dict[str, tuple[str, ...]]:
    """Produced item -> the items its orders consume (each once, in order)."""
    graph: dict[str, dict[str, None]] = {}
    for order in orders.values():
        if order.item is not None:
            graph.setdefault(order.item, {}).update(dict.fromkeys(order.components))
    return {item: tuple(made_from) for item, made_from in graph.items()}


def cycles(graph: Mapping[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Cycles of ``graph`` to report (each as its items, the first one repeated at the end), found
    by one depth-first walk without recursion: at least one in every set of items made from
    each other (:func:`on_cycles` gives all the items of those sets)."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    found: list[tuple[str, ...]] = []
    for root in graph:
        if root in state:
            continue
        path: list[str] = [root]
        state[root] = 1
        stack = [iter(graph.get(root, ()))]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                state[path.pop()] = 2
                continue
            if state.get(child) == 1:
                found.append((*path[path.index(child) :], child))
            elif child not in state:
                state[child] = 1
                path.append(child)
                stack.append(iter(graph.get(child, ())))
    return found


def on_cycles(graph: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every item on a cycle of ``graph``: the strongly connected components of more than one
    item, and items made from themselves (Kosaraju's two walks, without recursion)."""
    finished: list[str] = []
    seen: set[str] = set()
    for root in graph:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(graph.get(root, ())))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                finished.append(node)
            elif child not in seen:
                seen.add(child)
                stack.append((child, iter(graph.get(child, ()))))
    reverse: dict[str, list[str]] = {}
    for node, components in graph.items():
        for child in components:
            reverse.setdefault(child, []).append(node)
    placed: set[str] = set()
    found: set[str] = set()
    for root in reversed(finished):
        if root in placed:
            continue
        component = [root]
        placed.add(root)
        index = 0
        while index < len(component):
            for parent in reverse.get(component[index], ()):
                if parent not in placed:
                    placed.add(parent)
                    component.append(parent)
            index += 1
        if len(component) > 1 or root in graph.get(root, ()):
            found.update(component)
    return found
