"""BOM and routing versions: the one valid on a date (docs/costing.md, "BOM and routing versions").

An item may hold several ``bom from DATE`` / ``routing from DATE`` blocks and
at most one undated block of each (valid from the beginning).  On a date the
newest version whose ``from`` is on or before it wins; the undated one is
valid from the beginning, so it is chosen only when no dated one is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

import attrs

from .model import BomVersion, Item, Model, RoutingVersion, frozen_map

__all__ = ["valid_version", "on_date", "model_on"]

V = TypeVar("V", BomVersion, RoutingVersion)


def valid_version(versions: Sequence[V], date: dt.date) -> V | None:
    """The newest version valid on ``date`` (``from`` inclusive), else the undated one, else None."""
    best: V | None = None
    best_date: dt.date | None = None
    undated: V | None = None
    for version in versions:
        starting = version.starting
        if starting is None:
            undated = undated or version
        elif starting <= date and (best_date is None or starting > best_date):
            best, best_date = version, starting
    return best or undated


def on_date(item: Item, date: dt.date) -> tuple[Item, tuple[str, ...]]:
    """``item`` with the BOM and routing valid on ``date`` in effect, and the kinds (``bom``,
    ``routing``) that have versions but none valid on ``date`` (the caller reports them).
    ``item`` itself when what it holds is in effect already (the undated version, as built)."""
    missing: list[str] = []
    changes: dict[str, Any] = {}  # keyword arguments of Item
    if item.bom_versions:
        bom = valid_version(item.bom_versions, date)
        if bom is None:
            missing.append("bom")
        lines, since = (bom.lines, bom.starting) if bom else ((), None)
        if lines is not item.bom or since != item.bom_from:
            changes.update(bom=lines, bom_from=since)
    if item.routing_versions:
        routing = valid_version(item.routing_versions, date)
        if routing is None:
            missing.append("routing")
        operations, since = (routing.lines, routing.starting) if routing else ((), None)
        if operations is not item.routing or since != item.routing_from:
            changes.update(routing=operations, routing_from=since)
    return (attrs.evolve(item, **changes) if changes else item), tuple(missing)


def model_on(model: Model, date: dt.date) -> Model:
    """``model`` with every item's BOM and routing the versions valid on ``date`` and no other
    version left (where-used on a date); an item with none valid has no BOM (routing) then."""
    if not any(item.bom_versions or item.routing_versions for item in model.items.values()):
        return model
    items = {}
    for code, item in model.items.items():
        if item.bom_versions or item.routing_versions:
            item = attrs.evolve(on_date(item, date)[0], bom_versions=(), routing_versions=())
        items[code] = item
    return attrs.evolve(model, items=frozen_map(items))
