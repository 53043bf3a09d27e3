"""The order in which the lines of a charge condition are evaluated.

A formula reads rows; it needs every line of those rows evaluated first.
:func:`order_lines` sorts the lines so (a stable topological sort: among the
lines that are ready, the one written first goes first, so a condition
without forward references keeps its order) and names a cycle when there is
one.  The checker reports the cycle (``charge-cycle``); the costing planner
only takes the order of a checked model.  Pure: it reads rows and names.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

import attrs

__all__ = ["LineOrder", "order_lines"]


@attrs.frozen
class LineOrder:
    order: tuple[int, ...]  # indices of the lines, in evaluation order (the lines of a cycle left out)
    cycle: tuple[int, ...] | None = None  # a cycle's line indices, its first line again at the end


def order_lines(rows: Sequence[str | None], reads: Sequence[Iterable[str]]) -> LineOrder:
    """``rows[i]`` is the row line ``i`` adds to (None: none), ``reads[i]`` the rows its formula reads."""
    by_row: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row:
            by_row.setdefault(row, []).append(index)
    needs: list[set[int]] = []
    for wanted_rows in reads:
        wanted: set[int] = set()
        for row in wanted_rows:
            wanted.update(by_row.get(row, ()))
        needs.append(wanted)
    waiting = [len(n) for n in needs]
    dependents: list[list[int]] = [[] for _ in rows]
    for index, wanted in enumerate(needs):
        for other in wanted:
            dependents[other].append(index)
    ready = [index for index, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        index = heapq.heappop(ready)
        order.append(index)
        for dependent in dependents[index]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, dependent)
    if len(order) == len(rows):
        return LineOrder(tuple(order))
    placed = set(order)
    return LineOrder(tuple(order), _find_cycle(needs, {i for i in range(len(rows)) if i not in placed}))


def _find_cycle(needs: list[set[int]], stuck: set[int]) -> tuple[int, ...]:
    """From the first stuck line, follow the first stuck line it needs until one repeats."""
    start = min(stuck)
    path: list[int] = [start]
    position = {start: 0}
    current = start
    while True:
        following = min(n for n in needs[current] if n in stuck)
        if following in position:
            return (*path[position[following] :], following)
        position[following] = len(path)
        path.append(following)
        current = following
