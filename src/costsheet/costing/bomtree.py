"""The costing BOM expanded into a tree: the rows a renderer shows (the terminal, a spreadsheet, a web view).

The costing BOM is a graph, each item once (:class:`~.results.BomNode`).
A tree repeats a shared item under every parent that uses it, so its number
of rows is the number of paths, which can grow exponentially with the depth
(a diamond of 20 levels, each using the next twice, has a million rows).
:func:`bom_tree` therefore walks the graph iteratively, depth first in BOM
line order, and stops at ``max_rows`` rows (and at ``max_depth`` levels);
:attr:`BomTree.left_out` says how many rows the row limit kept out, counted
over the graph without expanding them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..numbers import CONTEXT, ONE
from .results import BomNode

__all__ = ["BomTree", "TreeRow", "JointRow", "bom_tree", "joint_rows"]


@attrs.frozen
class TreeRow:
    """One row of the tree: a node on one path from the root.

    ``quantity`` is per unit of the parent (None for the root), ``total_quantity``
    per unit of the root (the product of the quantities on the path).  ``cut``
    is True when the node has components that the depth limit keeps out.
    ``phantom`` names the phantom the parent's line was exploded from (None: the
    parent's own line, and the root).
    """

    level: int
    node: BomNode = attrs.field(repr=lambda node: node.item)
    quantity: Decimal | None
    total_quantity: Decimal
    cut: bool = False
    phantom: str | None = None

    @property
    def label(self) -> str:
        """The node's description with what the tree adds to it: the phantom the line came from and the
        BOM and routing versions costed when they are dated (``City bike [BOM 2026-07-01]``)."""
        node = self.node
        versions = (("BOM", node.bom_version), ("routing", node.routing_version))
        dated = [f"{kind} {version}" for kind, version in versions if version not in (None, "undated")]
        text = node.description + (f" [{', '.join(dated)}]" if dated else "")
        return text if self.phantom is None else f"{text} (from phantom {self.phantom})"


@attrs.frozen
class JointRow:
    """What leaves one unit of a node besides its cost, as a row under it: a by-product's credit or a
    co-product's share.  ``quantity`` per unit of the node; ``value`` the by-product's value per unit
    or the co-product's unit cost; ``amount`` the credit or the share taken; ``share`` the co-product's
    percent (None for a by-product); ``elements`` the amount by the elements it leaves from."""

    kind: str  # "byproduct" | "coproduct"
    item: str
    quantity: Decimal
    value: Decimal
    amount: Decimal
    share: Decimal | None
    elements: Mapping[str, Decimal]

    @property
    def label(self) -> str:
        """``by-product credit`` or ``co-product share 10%``."""
        if self.share is None:
            return "by-product credit"
        return f"co-product share {format(self.share.normalize(CONTEXT), 'f')}%"


def joint_rows(node: BomNode) -> tuple[JointRow, ...]:
    """The by-product credits, then the co-product shares, of ``node`` (what every costing BOM shows
    under it: the terminal, the report's parts, the web view)."""
    credits = (
        JointRow("byproduct", b.item, b.quantity, b.value, b.credit, None, {b.element: b.credit} if b.element else {})
        for b in node.joint.byproducts
    )
    shares = (
        JointRow("coproduct", c.item, c.quantity, c.unit_cost, c.amount, c.share, dict(c.elements))
        for c in node.joint.coproducts
    )
    return (*credits, *shares)


@attrs.frozen
class BomTree:
    """The first rows of the tree and how many more there are within the depth limit."""

    rows: tuple[TreeRow, ...]
    left_out: int = 0  # rows within the depth limit that the row limit kept out

    @property
    def total_rows(self) -> int:
        return len(self.rows) + self.left_out


def bom_tree(root: BomNode, *, max_rows: int | None, max_depth: int | None = None) -> BomTree:
    """The tree rows of the costing BOM from ``root``: at most ``max_rows`` (None: all, which can be
    astronomically many), at most ``max_depth`` levels below the root (None: every level)."""
    if (max_rows is not None and max_rows < 0) or (max_depth is not None and max_depth < 0):
        raise ValueError("max_rows and max_depth must be at least 0")
    rows: list[TreeRow] = []
    multiply = CONTEXT.multiply
    stack: list[tuple[BomNode, int, Decimal | None, Decimal, str | None]] = [(root, 0, None, ONE, None)]
    while stack:
        if max_rows is not None and len(rows) >= max_rows:
            return BomTree(tuple(rows), _count(root, max_depth) - len(rows))
        node, level, quantity, total, phantom = stack.pop()
        deeper = max_depth is None or level < max_depth
        rows.append(TreeRow(level, node, quantity, total, not deeper and bool(node.components), phantom))
        if deeper:
            stack.extend(
                (c.node, level + 1, c.quantity, multiply(total, c.quantity), c.phantom)
                for c in reversed(node.components)
            )
    return BomTree(tuple(rows))


def _count(root: BomNode, max_depth: int | None) -> int:
    """The number of rows of the whole tree within ``max_depth``, counted once per (node, depth left).

    rows(node, d) = 1 + the sum of rows(component, d - 1) over its lines (1 at d = 0); without a depth
    limit d is None throughout, so each distinct node is counted once.
    """
    counts: dict[tuple[int, int | None], int] = {}
    stack: list[tuple[BomNode, int | None, bool]] = [(root, max_depth, False)]
    while stack:  # post-order without recursion
        node, left, done = stack.pop()
        key = (id(node), left)
        if key in counts:
            continue
        below = None if left is None else left - 1
        if left == 0 or not node.components:
            counts[key] = 1
        elif done:
            counts[key] = 1 + sum(counts[(id(c.node), below)] for c in node.components)
        else:
            stack.append((node, left, True))
            stack.extend((c.node, below, False) for c in node.components if (id(c.node), below) not in counts)
    return counts[(id(root), max_depth)]
