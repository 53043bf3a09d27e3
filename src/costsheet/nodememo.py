"""Values computed from syntax nodes, kept from one load of a ruleset to the next.

Re-parsing a changed file keeps the very node objects of the declarations the
change did not touch (:func:`costsheet.syntax.reparse`), so what a load
computed from a node (its model object, its diagnostics) holds for the same
object in the next load.  :class:`NodeMemo` remembers those values by the
node's identity, never by equality: nodes compare equal without their spans,
and a value from a node written elsewhere would point at the wrong place.
A session (:class:`costsheet.Session`) passes one to each load; a plain load
passes none and computes everything.  A memo also carries whole values from
one load to the next by name (:meth:`NodeMemo.kept`, :meth:`NodeMemo.keep`):
what the checks found, so that the next load re-checks only what changed
(:mod:`costsheet.check.incremental`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["NodeMemo", "memoized"]

T = TypeVar("T")


class NodeMemo:
    """One load's values by (what, node); it starts from the values of the ``previous`` load's nodes.

    Only the nodes asked about in this load are kept, so values of nodes that are gone are dropped."""

    def __init__(self, previous: NodeMemo | None = None):
        self._previous = previous._values if previous is not None else {}
        #: what -> node id -> (the node, its value)
        self._values: dict[str, dict[int, tuple[object, object]]] = {}
        self._kept_before = previous._kept if previous is not None else {}
        self._kept: dict[str, object] = {}

    def get(self, what: str, node: object, compute: Callable[[], T]) -> T:
        """``compute()``, or its value from the previous load when ``node`` is the same object."""
        values = self._values.get(what)
        if values is None:
            values = self._values[what] = {}
        key = id(node)
        found = values.get(key) or self._previous.get(what, {}).get(key)
        value = found[1] if found is not None and found[0] is node else compute()
        values[key] = (node, value)  # the node is kept alive with it: its id is not reused meanwhile
        return value  # type: ignore[return-value]

    def kept(self, what: str) -> object | None:
        """The value the previous load kept as ``what`` (None: none)."""
        return self._kept_before.get(what)

    def keep(self, what: str, value: object) -> None:
        """Keep ``value`` as ``what`` for the next load."""
        self._kept[what] = value


def memoized(memo: NodeMemo | None, what: str, node: object, compute: Callable[[], T]) -> T:
    """``compute()`` through ``memo`` when there is one."""
    return compute() if memo is None else memo.get(what, node, compute)
