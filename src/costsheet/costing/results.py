"""What a calculation returns: frozen, Decimal-valued, and its JSON (LANGUAGE.md section 9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..numbers import to_text

__all__ = ["ElementAmount", "ChargeValue", "PriceRecord", "OperationCost", "BomComponent", "BomNode",
           "ExplainStep", "CostResult"]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else to_text(value)


@attrs.frozen
class ElementAmount:
    code: str
    single_level: Decimal
    rolled_up: Decimal


@attrs.frozen
class ChargeValue:
    """One line of the charge condition; ``value`` is None for a text line."""

    line: int
    description: str
    row: str | None = None
    element: str | None = None
    value: Decimal | None = None
    bold: bool = False
    list_price: bool = False

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "row": self.row, "description": self.description,
                "element": self.element, "value": _text(self.value)}


@attrs.frozen
class PriceRecord:
    """A price the charge condition's ``copy-price`` proposes, starting on the calculation date."""

    kind: str  # list-price | unit-price | sales-price
    price: Decimal
    starting_date: dt.date
    sales_type: str | None = None
    sales_code: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "sales_type": self.sales_type, "sales_code": self.sales_code,
                "price": to_text(self.price), "starting_date": self.starting_date.isoformat()}


@attrs.frozen
class OperationCost:
    """One routing operation of an item, per unit of the item."""

    operation: str
    resource: str
    seconds: Decimal  # time per unit, setup spread over the lot included
    direct: Decimal
    overhead: Decimal

    @property
    def cost(self) -> Decimal:
        return self.direct + self.overhead

    def to_json(self) -> dict[str, object]:
        return {"operation": self.operation, "resource": self.resource, "seconds": to_text(self.seconds),
                "direct": to_text(self.direct), "overhead": to_text(self.overhead)}


@attrs.frozen
class BomComponent:
    """A component as it enters its parent: quantity per parent unit (scrap included) and its cost."""

    quantity: Decimal
    node: "BomNode"

    def to_json(self, depth: int | None) -> dict[str, object]:
        data = self.node.to_json(depth)
        data["quantity"] = to_text(self.quantity)
        return data


@attrs.frozen
class BomNode:
    """The costing BOM: an item, its components (shared nodes: a DAG) and operations."""

    item: str
    description: str
    replenishment: str
    lot_size: Decimal
    unit_cost: Decimal
    components: tuple[BomComponent, ...] = ()
    operations: tuple[OperationCost, ...] = ()

    def to_json(self, depth: int | None = None) -> dict[str, object]:
        """The tree as JSON; ``depth`` 0 stops below this node, None expands everything."""
        data: dict[str, object] = {"item": self.item, "description": self.description,
                                   "replenishment": self.replenishment, "lot_size": to_text(self.lot_size),
                                   "unit_cost": to_text(self.unit_cost)}
        if depth is None or depth > 0:
            child_depth = None if depth is None else depth - 1
            data["components"] = [c.to_json(child_depth) for c in self.components]
            data["operations"] = [o.to_json() for o in self.operations]
        return data

    def walk(self) -> tuple["BomNode", ...]:
        """Every distinct node reachable from this one (this one first), each once."""
        seen: dict[int, BomNode] = {}
        stack = [self]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen[id(node)] = node
            stack.extend(c.node for c in reversed(node.components))
        return tuple(seen.values())


@attrs.frozen
class ExplainStep:
    """Where one amount came from: which item, element, line, base, rate, time or quantity."""

    item: str
    element: str | None
    amount: Decimal
    source: str
    detail: str

    def to_json(self) -> dict[str, object]:
        return {"item": self.item, "element": self.element, "amount": to_text(self.amount),
                "source": self.source, "detail": self.detail}


@attrs.frozen
class CostResult:
    """The cost of one item for a lot size on a date: per unit of the item's base unit.

    ``single_level`` and ``rolled_up`` map element codes (chart order) to
    amounts; both sum to ``unit_cost``.  ``totals`` maps every ``total`` and
    ``end-total`` code of the chart to its value from the rolled-up amounts.
    """

    item: str
    lot_size: Decimal
    date: dt.date
    unit_cost: Decimal
    single_level: Mapping[str, Decimal]
    rolled_up: Mapping[str, Decimal]
    totals: Mapping[str, Decimal]
    charges: tuple[ChargeValue, ...] = ()
    list_price: Decimal | None = None
    prices: tuple[PriceRecord, ...] = ()
    standard_costs: Mapping[str, Decimal] = attrs.field(factory=dict)
    bom: BomNode | None = attrs.field(default=None, eq=False)
    bom_depth: int | None = None  # explode-bom: 1 for single-level, None for rolled-up
    explain: tuple[ExplainStep, ...] = attrs.field(default=(), eq=False)

    @property
    def elements(self) -> tuple[ElementAmount, ...]:
        return tuple(ElementAmount(code, self.single_level.get(code, 0), amount)
                     for code, amount in self.rolled_up.items())

    def element(self, code: str) -> ElementAmount:
        return ElementAmount(code, self.single_level[code], self.rolled_up[code])

    def to_json(self, *, explain: bool = False) -> dict[str, object]:
        """Exactly LANGUAGE.md section 9, plus ``bom`` (the costing BOM) and optionally ``explain``."""
        data: dict[str, object] = {
            "item": self.item,
            "lot_size": to_text(self.lot_size),
            "date": self.date.isoformat(),
            "unit_cost": to_text(self.unit_cost),
            "elements": {code: {"single_level": to_text(self.single_level.get(code, 0)),
                                "rolled_up": to_text(amount)}
                         for code, amount in self.rolled_up.items()},
            "totals": {code: to_text(value) for code, value in self.totals.items()},
            "charges": [c.to_json() for c in self.charges],
            "list_price": _text(self.list_price),
            "prices": [p.to_json() for p in self.prices],
            "standard_costs": {code: to_text(value) for code, value in self.standard_costs.items()},
        }
        if self.bom is not None:
            data["bom"] = self.bom.to_json(self.bom_depth)
        if explain:
            data["explain"] = [step.to_json() for step in self.explain]
        return data
