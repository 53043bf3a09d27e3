"""What a calculation returns: frozen, Decimal-valued, and its JSON (docs/json.md, "costsheet calc").

These are where amounts leave the engine (docs/costing.md, "Amounts that leave
the engine"): every Decimal a result holds has passed
:func:`costsheet.numbers.outgoing` (at most 12 decimal places), either as the
object was made (the attrs converters below) or, for amounts that must add up
(a breakdown and its unit cost), together in :func:`outgoing_breakdown`.  So
the Decimal fields, the JSON and the history hold the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from ..diagnostics import Diagnostic, Span, render_json
from ..jsontext import json_text
from ..numbers import ZERO, D, outgoing, outgoing_parts, to_text

__all__ = [
    "ElementAmount",
    "ChargeValue",
    "PriceRecord",
    "OperationCost",
    "ByProductCredit",
    "CoProductShare",
    "JointProducts",
    "BomComponent",
    "BomNode",
    "ExplainStep",
    "CostResult",
    "CostResults",
    "outgoing_breakdown",
]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else to_text(value)


def _outgoing_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else outgoing(value)


def outgoing_breakdown(
    unit_cost: Decimal, codes: Sequence[str], single: Mapping[str, Decimal], rolled: Mapping[str, Decimal]
) -> tuple[Decimal, dict[str, Decimal], dict[str, Decimal]]:
    """The unit cost and both breakdowns (``codes`` in order, missing ones 0) as they leave the engine.

    Each breakdown goes through :func:`~costsheet.numbers.outgoing_parts`
    against the same outgoing unit cost, so both still add up to it exactly.
    """
    out_cost, out_single = outgoing_parts(unit_cost, [single.get(code, ZERO) for code in codes])
    _, out_rolled = outgoing_parts(unit_cost, [rolled.get(code, ZERO) for code in codes])
    return out_cost, dict(zip(codes, out_single, strict=True)), dict(zip(codes, out_rolled, strict=True))


@attrs.frozen
class ElementAmount:
    code: str
    single_level: Decimal
    rolled_up: Decimal

    def to_dict(self) -> dict[str, object]:
        return {"single_level": to_text(self.single_level), "rolled_up": to_text(self.rolled_up)}


@attrs.frozen
class ChargeValue:
    """One line of the charge condition; ``value`` is None for a text line."""

    line: int
    description: str
    row: str | None = None
    element: str | None = None
    value: Decimal | None = attrs.field(default=None, converter=_outgoing_or_none)
    bold: bool = False
    list_price: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "row": self.row,
            "description": self.description,
            "element": self.element,
            "value": _text(self.value),
        }


@attrs.frozen
class PriceRecord:
    """A price the charge condition's ``copy-price`` proposes, starting on the calculation date."""

    kind: str  # list-price | unit-price | sales-price
    price: Decimal = attrs.field(converter=outgoing)
    starting_date: dt.date
    sales_type: str | None = None
    sales_code: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "sales_type": self.sales_type,
            "sales_code": self.sales_code,
            "price": to_text(self.price),
            "starting_date": self.starting_date.isoformat(),
        }


@attrs.frozen
class OperationCost:
    """One routing operation of an item, per unit of the item."""

    operation: str
    resource: str
    seconds: Decimal = attrs.field(converter=outgoing)  # time per unit, setup spread over the lot included
    direct: Decimal = attrs.field(converter=outgoing)
    overhead: Decimal = attrs.field(converter=outgoing)

    @property
    def cost(self) -> Decimal:
        return self.direct + self.overhead

    def to_dict(self) -> dict[str, object]:
        return {
            "operation": self.operation,
            "resource": self.resource,
            "seconds": to_text(self.seconds),
            "direct": to_text(self.direct),
            "overhead": to_text(self.overhead),
        }


@attrs.frozen
class ByProductCredit:
    """One by-product of an item: ``quantity`` units per unit of the item, each worth ``value`` (its
    ``value N``, else its own unit cost: ``valued_at`` says which); ``credit`` = quantity x value, the
    amount taken off the item's direct element per unit."""

    item: str
    quantity: Decimal = attrs.field(converter=outgoing)
    value: Decimal = attrs.field(converter=outgoing)
    valued_at: str  # "value" | "cost"
    credit: Decimal = attrs.field(converter=outgoing)
    element: str | None = None  # the element the credit is taken off (None: read from older JSON)

    def to_dict(self) -> dict[str, object]:
        return {
            "item": self.item,
            "quantity": to_text(self.quantity),
            "value": to_text(self.value),
            "valued_at": self.valued_at,
            "credit": to_text(self.credit),
            "element": self.element,
        }


def _read_only(parts: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    return MappingProxyType(dict(parts))


@attrs.frozen
class CoProductShare:
    """What co-product ``item`` takes of ``producer``: ``share`` percent of its unit cost, ``amount``
    per unit of the producer, ``unit_cost`` per unit of the co-product (``amount / quantity``);
    ``elements``: the amount element by element (rolled up, per unit of the producer), adding up to it."""

    producer: str
    item: str
    quantity: Decimal = attrs.field(converter=outgoing)
    share: Decimal = attrs.field(converter=outgoing)  # percent
    amount: Decimal = attrs.field(converter=outgoing)
    unit_cost: Decimal = attrs.field(converter=outgoing)
    elements: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_read_only)

    def to_dict(self) -> dict[str, object]:
        return {
            "producer": self.producer,
            "item": self.item,
            "quantity": to_text(self.quantity),
            "share": to_text(self.share),
            "amount": to_text(self.amount),
            "unit_cost": to_text(self.unit_cost),
            "elements": {code: to_text(amount) for code, amount in self.elements.items()},
        }


@attrs.frozen
class JointProducts:
    """An item's by-products, its co-products and, for a co-product, its share of its producer."""

    byproducts: tuple[ByProductCredit, ...] = ()
    coproducts: tuple[CoProductShare, ...] = ()
    coproduct_of: CoProductShare | None = None

    def put(self, data: dict[str, object]) -> None:
        """``byproducts``, ``coproducts`` and ``coproduct_of`` into ``data``: each absent when empty."""
        if self.byproducts:
            data["byproducts"] = [b.to_dict() for b in self.byproducts]
        if self.coproducts:
            data["coproducts"] = [c.to_dict() for c in self.coproducts]
        if self.coproduct_of is not None:
            data["coproduct_of"] = self.coproduct_of.to_dict()


NO_JOINT_PRODUCTS = JointProducts()


def _node_repr(node: BomNode) -> str:
    return f"<BomNode {node.item}>"  # not the node's own repr: that would descend the whole BOM


@attrs.frozen
class BomComponent:
    """A component as it enters its parent: quantity per parent unit (scrap included) and its node;
    ``phantom``: the phantom (path, ``A/B``) the line was exploded from, None for the parent's own line."""

    quantity: Decimal = attrs.field(converter=outgoing)
    node: BomNode = attrs.field(repr=_node_repr)
    phantom: str | None = None

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"component": self.node.item, "quantity": to_text(self.quantity)}
        if self.phantom is not None:
            data["phantom"] = self.phantom
        return data


@attrs.frozen(eq=False)
class BomNode:
    """One item of the costing BOM: its cost, its components (shared nodes: a DAG) and operations.

    A node is an item's place in one graph, so nodes compare by identity
    (structural equality would walk the whole BOM below them).  ``elements``
    lists the elements with an amount other than zero, in chart order.  The
    unit cost and the elements are made outgoing together as the node is made
    (:func:`outgoing_breakdown`): the node's elements add up to its unit cost
    and are those of the item's own :class:`CostResult`.
    """

    item: str
    description: str
    replenishment: str
    lot_size: Decimal = attrs.field(converter=outgoing)
    unit_cost: Decimal
    components: tuple[BomComponent, ...] = ()
    operations: tuple[OperationCost, ...] = ()
    elements: tuple[ElementAmount, ...] = ()
    bom_version: str | None = None  # the date of the BOM version used, "undated", or None without BOM lines
    routing_version: str | None = None
    joint: JointProducts = NO_JOINT_PRODUCTS  # by-product credits and co-product shares

    def __attrs_post_init__(self) -> None:
        elements = self.elements
        codes = [e.code for e in elements]
        unit_cost, single, rolled = outgoing_breakdown(
            self.unit_cost, codes, {e.code: e.single_level for e in elements}, {e.code: e.rolled_up for e in elements}
        )
        object.__setattr__(self, "unit_cost", unit_cost)  # frozen: set once, while the node is made
        object.__setattr__(
            self,
            "elements",
            tuple(ElementAmount(code, single[code], rolled[code]) for code in codes if single[code] or rolled[code]),
        )

    def to_dict(self, depth: int | None = None) -> dict[str, object]:
        """The costing BOM from this node as a graph: ``{"root": ITEM, "nodes": {ITEM: node, ...}}``.

        Each item appears once, however many paths lead to it, so the size
        grows with the number of distinct items, never with the number of
        paths.  ``depth`` limits the nodes to those at most that many BOM
        lines below this one (0: this node alone; None: all); a node at the
        limit has no ``lines`` and ``operations`` (it is not expanded), so
        every component a ``lines`` entry names is among ``nodes``.
        """
        return {
            "root": self.item,
            "nodes": {node.item: node.node_dict(expanded) for node, expanded in self.levels(depth)},
        }

    def node_dict(self, expanded: bool = True) -> dict[str, object]:
        """This node's entry in the graph: its components by item code."""
        data: dict[str, object] = {
            "description": self.description,
            "replenishment": self.replenishment,
            "lot_size": to_text(self.lot_size),
            "unit_cost": to_text(self.unit_cost),
            "elements": {e.code: e.to_dict() for e in self.elements},
        }
        _put_versions(data, self.bom_version, self.routing_version)
        self.joint.put(data)
        if expanded:
            data["lines"] = [c.to_dict() for c in self.components]
            data["operations"] = [o.to_dict() for o in self.operations]
        return data

    def levels(self, depth: int | None = None) -> tuple[tuple[BomNode, bool], ...]:
        """``(node, expanded)`` for every distinct node at most ``depth`` lines below this one, breadth first
        (this one first); ``expanded`` is False for the nodes at the limit."""
        found: dict[int, tuple[BomNode, bool]] = {id(self): (self, depth is None or depth > 0)}
        frontier = [self]
        level = 0
        while frontier and (depth is None or level < depth):
            level += 1
            expanded = depth is None or level < depth
            following = []
            for node in frontier:
                for component in node.components:
                    child = component.node
                    if id(child) not in found:
                        found[id(child)] = (child, expanded)
                        following.append(child)
            frontier = following
        return tuple(found.values())

    def walk(self) -> tuple[BomNode, ...]:
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

    @classmethod
    def from_json(cls, data: object) -> BomNode:
        """The graph :meth:`to_dict` wrote, read back (e.g. from the history); ``ValueError`` if it is not one.

        Nodes left unexpanded by a depth limit come back without components.
        """
        if not isinstance(data, Mapping) or not isinstance(data.get("nodes"), Mapping):
            raise ValueError('a costing BOM is {"root": ITEM, "nodes": {...}}')
        entries: Mapping[str, object] = data["nodes"]
        root = data.get("root")
        if not isinstance(root, str) or root not in entries:
            raise ValueError(f"the root {root} of the costing BOM is not among its nodes")
        built: dict[str, BomNode] = {}
        on_path: set[str] = set()
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:  # post-order without recursion: components are built before their parents
            code, done = stack.pop()
            if code in built:
                continue
            entry = entries.get(code)
            if not isinstance(entry, Mapping):
                raise ValueError(f"the costing BOM names {code}, which is not among its nodes")
            lines = entry.get("lines") or []
            if not isinstance(lines, list) or not all(isinstance(line, Mapping) for line in lines):
                raise ValueError(f"the lines of {code} in the costing BOM are not a list of objects")
            if done:
                on_path.discard(code)
                built[code] = _node_from_json(code, entry, lines, built)
                continue
            if code in on_path:
                raise ValueError(f"the costing BOM contains {code} inside itself")
            on_path.add(code)
            stack.append((code, True))
            for line in reversed(lines):
                child = line.get("component")
                if child in on_path:
                    raise ValueError(f"the costing BOM contains {child} inside itself")
                if child not in built:
                    stack.append((child, False))
        return built[root]


def _node_from_json(
    code: str, entry: Mapping[str, object], lines: list[Mapping[str, Any]], built: dict[str, BomNode]
) -> BomNode:
    """One node read back; ``lines`` are JSON objects whose components are all in ``built``."""
    elements = entry.get("elements") or {}
    operations = entry.get("operations") or []
    if not isinstance(elements, Mapping) or not isinstance(operations, list):
        raise ValueError(f"the elements or operations of {code} in the costing BOM are malformed")
    try:
        return BomNode(
            item=code,
            description=str(entry.get("description") or ""),
            replenishment=str(entry.get("replenishment") or ""),
            lot_size=D(entry["lot_size"]),
            unit_cost=D(entry["unit_cost"]),
            components=tuple(
                BomComponent(D(line["quantity"]), built[line["component"]], _optional_text(line.get("phantom")))
                for line in lines
            ),
            operations=tuple(
                OperationCost(
                    str(op["operation"]), str(op["resource"]), D(op["seconds"]), D(op["direct"]), D(op["overhead"])
                )
                for op in operations
            ),
            elements=tuple(
                ElementAmount(str(element), D(amounts["single_level"]), D(amounts["rolled_up"]))
                for element, amounts in elements.items()
            ),
            bom_version=_optional_text(entry.get("bom_version")),
            routing_version=_optional_text(entry.get("routing_version")),
            joint=_joint_from_json(entry),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"the node {code} of the costing BOM is malformed ({type(error).__name__}: {error})") from None


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _share_from_json(data: Mapping[str, Any]) -> CoProductShare:
    return CoProductShare(
        str(data["producer"]),
        str(data["item"]),
        D(data["quantity"]),
        D(data["share"]),
        D(data["amount"]),
        D(data["unit_cost"]),
        {str(code): D(amount) for code, amount in (data.get("elements") or {}).items()},
    )


def _joint_from_json(entry: Mapping[str, Any]) -> JointProducts:
    """A node's ``byproducts``, ``coproducts`` and ``coproduct_of``, read back (absent: none)."""
    byproducts = entry.get("byproducts") or []
    coproducts = entry.get("coproducts") or []
    coproduct_of = entry.get("coproduct_of")
    if not (byproducts or coproducts or coproduct_of):
        return NO_JOINT_PRODUCTS
    return JointProducts(
        tuple(
            ByProductCredit(
                str(b["item"]),
                D(b["quantity"]),
                D(b["value"]),
                str(b["valued_at"]),
                D(b["credit"]),
                _optional_text(b.get("element")),
            )
            for b in byproducts
        ),
        tuple(_share_from_json(c) for c in coproducts),
        None if coproduct_of is None else _share_from_json(coproduct_of),
    )


@attrs.frozen
class ExplainStep:
    """Where one amount came from: which item, element, line, base, rate, time or quantity.

    ``span`` is the ruleset (or CSV) line that produced it: the condition line, BOM line,
    resource or item definition; not part of the JSON (``costsheet web`` shows it)."""

    item: str
    element: str | None
    amount: Decimal
    source: str
    detail: str
    span: Span | None = attrs.field(default=None, eq=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "item": self.item,
            "element": self.element,
            "amount": to_text(self.amount),
            "source": self.source,
            "detail": self.detail,
        }


@attrs.frozen
class CostResult:
    """The cost of one item for a lot size on a date: per unit of the item's base unit.

    ``single_level`` and ``rolled_up`` map element codes (chart order) to
    amounts; both sum to ``unit_cost`` exactly.  ``totals`` maps every
    ``total`` and ``end-total`` code of the chart to its value from the
    rolled-up amounts.  Every amount has at most 12 decimal places (see the
    module's docstring); :func:`costsheet.costing.build_result` makes them so.
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
    bom_version: str | None = None  # the date of the BOM version used, "undated", or None without BOM lines
    routing_version: str | None = None
    joint: JointProducts = attrs.field(default=NO_JOINT_PRODUCTS)  # by-product credits and co-product shares

    @property
    def byproducts(self) -> tuple[ByProductCredit, ...]:
        return self.joint.byproducts

    @property
    def coproducts(self) -> tuple[CoProductShare, ...]:
        return self.joint.coproducts

    @property
    def coproduct_of(self) -> CoProductShare | None:
        """For a co-product: its producer and what it takes of it (None for any other item)."""
        return self.joint.coproduct_of

    @property
    def elements(self) -> tuple[ElementAmount, ...]:
        return tuple(
            ElementAmount(code, self.single_level.get(code, ZERO), amount) for code, amount in self.rolled_up.items()
        )

    def element(self, code: str) -> ElementAmount:
        return ElementAmount(code, self.single_level[code], self.rolled_up[code])

    def to_dict(self, *, explain: bool = False) -> dict[str, object]:
        """The JSON of docs/json.md, "costsheet calc", as data: with ``bom`` (the costing BOM as a
        graph, see :meth:`BomNode.to_dict`) and, with ``explain``, ``explain``."""
        single = self.single_level
        data: dict[str, object] = {
            "item": self.item,
            "lot_size": to_text(self.lot_size),
            "date": self.date.isoformat(),
            "unit_cost": to_text(self.unit_cost),
            "elements": {
                code: {"single_level": to_text(single.get(code, ZERO)), "rolled_up": to_text(amount)}
                for code, amount in self.rolled_up.items()
            },
            "totals": {code: to_text(value) for code, value in self.totals.items()},
            "charges": [c.to_dict() for c in self.charges],
            "list_price": _text(self.list_price),
            "prices": [p.to_dict() for p in self.prices],
            "standard_costs": {code: to_text(value) for code, value in self.standard_costs.items()},
        }
        _put_versions(data, self.bom_version, self.routing_version)
        self.joint.put(data)
        if self.bom is not None:
            data["bom"] = self.bom.to_dict(self.bom_depth)
        if explain:
            data["explain"] = [step.to_dict() for step in self.explain]
        return data

    def to_json(self, *, explain: bool = False) -> str:
        """:meth:`to_dict` as text (:func:`costsheet.jsontext.json_text`): ``costsheet calc ITEM --format
        json`` (``--explain``: ``explain=True``) prints it and a line end, so ``print(result.to_json())``
        writes the same bytes."""
        return json_text(self.to_dict(explain=explain))


@attrs.frozen
class CostResults:
    """Several items costed in one run (``costsheet calc --all``): each result, and what the run reported.

    ``items`` maps item codes (in the order costed) to their results; an item
    that could not be costed is missing from it and ``diagnostics`` say why
    (they also hold the ruleset's warnings and the calculations' warnings).
    """

    items: Mapping[str, CostResult]
    diagnostics: tuple[Diagnostic, ...] = ()

    @classmethod
    def collect(
        cls, run: Iterable[tuple[str, CostResult | None, Sequence[Diagnostic]]], diagnostics: Iterable[Diagnostic] = ()
    ) -> CostResults:
        """The results of a ``calculate_many`` run (``(item, result or None, diagnostics)`` triples), after
        ``diagnostics`` reported before it (the ruleset's warnings)."""
        found = list(diagnostics)
        items: dict[str, CostResult] = {}
        for code, result, reported in run:
            found.extend(reported)
            if result is not None:
                items[code] = result
        return cls(MappingProxyType(items), tuple(found))

    @property
    def failed(self) -> bool:
        """Whether any diagnostic is an error (an item that could not be costed)."""
        return any(d.is_error for d in self.diagnostics)

    def to_dict(self) -> dict[str, object]:
        """The JSON of ``costsheet calc --all --format json`` as data: ``items`` (each item's
        :meth:`CostResult.to_dict`, with its ``bom`` when it was costed with one) and, when there
        are any, ``diagnostics``."""
        data: dict[str, object] = {"items": {code: result.to_dict() for code, result in self.items.items()}}
        if self.diagnostics:
            data["diagnostics"] = render_json(self.diagnostics)
        return data

    def to_json(self) -> str:
        """:meth:`to_dict` as text: ``costsheet calc --all --format json`` prints it and a line end, so
        ``print(results.to_json())`` writes the same bytes."""
        return json_text(self.to_dict())

    @staticmethod
    def json_chunks(results: Iterable[CostResult], diagnostics: Sequence[Diagnostic]) -> Iterator[str]:
        """The text of :meth:`to_json`, in pieces, for results that come one by one: each result is
        serialised as it comes and need not be kept, so a run of 100,000 items streams.

        ``diagnostics`` is read after the last result, so a list that the run fills as it goes is read
        whole.  The pieces joined are byte for byte ``CostResults(items, diagnostics).to_json()``.
        """
        yield '{\n  "items": {'
        first = True
        for result in results:
            body = json_text(result.to_dict(), "    ")
            yield f"{'' if first else ','}\n    {json_text(result.item)}: {body}"
            first = False
        yield "}" if first else "\n  }"
        if diagnostics:
            body = json_text(render_json(tuple(diagnostics)), "  ")
            yield f',\n  "diagnostics": {body}'
        yield "\n}"


def _put_versions(data: dict[str, object], bom: str | None, routing: str | None) -> None:
    """``bom_version`` and ``routing_version``: absent for an item without BOM lines or operations."""
    if bom is not None:
        data["bom_version"] = bom
    if routing is not None:
        data["routing_version"] = routing
