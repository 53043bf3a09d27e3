"""Reports from the engines' results: what ``calc``, ``calc --all``, ``value``, ``history diff`` and
``where-used`` write as tables, CSV and workbooks (docs/reports.md lists each part and its columns).

Each function takes results (data, made by the engines) and returns a
:class:`~.model.Report`; nothing here computes a cost.  The one derived figure
is the costing BOM's cost shares (:func:`bom_shares`): each row's unit cost and
elements times its quantity per unit of the top item, as Business Central's
BOM Cost Shares page shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..costing import BomNode, CostResult, bom_tree, joint_rows
from ..model import ChartLineKind, Model
from ..numbers import CONTEXT, HUNDRED, outgoing
from .model import Column, Decimals, Kind, Part, Report, Row, Style

if TYPE_CHECKING:
    from ..valuation import ValuationResult

__all__ = [
    "TREE_ROWS",
    "TREE_FILE_ROWS",
    "decimals_of",
    "calculation_report",
    "bom_shares",
    "price_list_report",
    "valuation_report",
    "diff_report",
    "where_used_report",
]

#: The costing BOM tree (the ``bom`` part) stops after this many rows in the terminal, and after
#: :data:`TREE_FILE_ROWS` in CSV and workbooks, and says how many it left out: a tree repeats shared
#: items under every parent, so it can have far more rows than the BOM has items.
TREE_ROWS = 1_000
TREE_FILE_ROWS = 100_000

A, Q, P, N, T = Kind.AMOUNT, Kind.QUANTITY, Kind.PERCENT, Kind.INTEGER, Kind.TEXT


def decimals_of(model: Model) -> Decimals:
    """The setup's ``decimals amounts`` and ``decimals quantities``."""
    return Decimals(model.setup.amount_decimals, model.setup.quantity_decimals)


def _columns(*specs: tuple[str, str, Kind]) -> tuple[Column, ...]:
    return tuple(Column(key, header, kind) for key, header, kind in specs)


# ---------------------------------------------------------------- calc ITEM


def calculation_report(
    model: Model,
    result: CostResult,
    *,
    explain: bool = False,
    depth: int | None = None,
    tree_rows: int | None = TREE_FILE_ROWS,
) -> Report:
    """``calc ITEM``: the parts ``breakdown``, ``charges`` and ``prices`` (when the item has a charge
    condition), ``bom`` (the costing BOM as a tree of cost shares, at most ``depth`` levels below the
    item and ``tree_rows`` rows, when the item has components) and with ``explain`` ``explain``."""
    decimals = decimals_of(model)
    item = model.items.get(result.item)
    parts = [_breakdown(model, result)]
    if result.charges:
        parts.append(_charges(result))
    if result.prices:
        parts.append(_prices(result))
    if result.bom is not None and result.bom.components:
        levels = [d for d in (depth, result.bom_depth) if d is not None]
        parts.append(bom_shares(model, result.bom, max_depth=min(levels) if levels else None, max_rows=tree_rows))
    if explain:
        parts.append(_explain(result))
    return Report(
        f"{result.item} {item.description if item else ''}".strip(),
        tuple(parts),
        (f"lot size {result.lot_size} · date {result.date.isoformat()}",),
        decimals,
    )


def _breakdown(model: Model, result: CostResult) -> Part:
    """The chart line by line (headings, begin-totals and totals set off, elements indented by the
    begin/end nesting), the charge elements with the charge condition's values, then the unit cost."""
    charged: dict[str, Decimal] = {}
    for charge in result.charges:
        if charge.element and charge.value is not None:
            charged[charge.element] = charge.value + charged.get(charge.element, 0)
    rows = []
    for line in model.chart.lines:
        if line.kind is ChartLineKind.HEADING:
            rows.append(Row((line.code, line.description, None, None), line.indent, Style.HEADING))
        elif line.kind is ChartLineKind.BEGIN_TOTAL:
            rows.append(Row((line.code, line.description, None, None), line.indent, Style.BOLD))
        elif line.kind is ChartLineKind.ELEMENT:
            values: tuple[Any, ...]
            if line.code in result.rolled_up:
                values = (line.code, line.description, result.single_level.get(line.code), result.rolled_up[line.code])
            else:
                values = (line.code, line.description, None, charged.get(line.code))
            rows.append(Row(values, line.indent))
        else:
            rows.append(Row((line.code, line.description, None, result.totals.get(line.code)), line.indent, Style.BOLD))
    rows.append(Row(("", "Unit cost", result.unit_cost, result.unit_cost), 0, Style.BOLD))
    columns = _columns(
        ("element", "Element", T),
        ("description", "Description", T),
        ("single_level", "Single-level", A),
        ("rolled_up", "Rolled-up", A),
    )
    return Part("breakdown", "Breakdown", columns, tuple(rows), levels=True, indent="description")


def _charges(result: CostResult) -> Part:
    rows = [
        Row(
            (charge.line, charge.row, charge.description, charge.element, charge.value),
            style=Style.BOLD if charge.bold or charge.list_price else Style.PLAIN,
        )
        for charge in result.charges
    ]
    if result.list_price is not None:
        rows.append(Row((None, None, "List price", None, result.list_price), style=Style.BOLD))
    columns = _columns(
        ("line", "Line", N),
        ("row", "Row", T),
        ("description", "Description", T),
        ("element", "Element", T),
        ("value", "Value", A),
    )
    return Part("charges", "Charges", columns, tuple(rows))


def _prices(result: CostResult) -> Part:
    rows = tuple(Row((p.kind, p.sales_type, p.sales_code, p.price, p.starting_date.isoformat())) for p in result.prices)
    columns = _columns(
        ("kind", "Kind", T),
        ("sales_type", "Sales type", T),
        ("sales_code", "Sales code", T),
        ("price", "Price", A),
        ("starting_date", "Starting date", T),
    )
    return Part("prices", "Prices proposed", columns, rows)


def _explain(result: CostResult) -> Part:
    rows = tuple(Row((s.item, s.element, s.amount, s.source, s.detail)) for s in result.explain)
    columns = _columns(
        ("item", "Item", T),
        ("element", "Element", T),
        ("amount", "Amount", A),
        ("source", "Source", T),
        ("detail", "How", T),
    )
    return Part("explain", "Where every amount comes from", columns, rows)


def bom_shares(
    model: Model, bom: BomNode, *, max_depth: int | None = None, max_rows: int | None = TREE_FILE_ROWS
) -> Part:
    """The costing BOM as a tree of cost shares (the ``bom`` part): a row per path from the item, with
    the quantity per parent and per unit of the item (``Qty per top``), the unit cost, the cost share
    (unit cost × qty per top), its percentage of the item's unit cost and each element's rolled-up
    amount × qty per top (one column per element any row carries, in chart order).  The rows of the
    top item add up: the shares of its direct components and its own single-level amounts make its
    unit cost.  A node's by-product credits and co-product shares are rows under it, with negative
    cost shares (:func:`_joint_rows`).  At most ``max_rows`` rows (None: every path) and ``max_depth`` levels
    (:func:`costsheet.costing.bom_tree`)."""
    tree = bom_tree(bom, max_rows=max_rows, max_depth=max_depth)
    carried = {e.code for row in tree.rows for e in row.node.elements if e.rolled_up}
    carried |= {code for row in tree.rows for code in _joint_elements(row.node)}
    codes = [line.code for line in model.chart.lines if line.code in carried]
    codes += sorted(carried - set(codes))
    multiply, divide = CONTEXT.multiply, CONTEXT.divide
    top = bom.unit_cost
    rows = []
    for row in tree.rows:
        node, per_top = row.node, row.total_quantity
        amounts = {e.code: e.rolled_up for e in node.elements}
        share = outgoing(multiply(node.unit_cost, per_top))
        percent = outgoing(multiply(divide(share, top), HUNDRED)) if top else None
        values: tuple[Any, ...] = (
            row.level,
            node.item,
            row.label,
            row.quantity,
            per_top,
            node.unit_cost,
            share,
            percent,
            *(outgoing(multiply(amounts[c], per_top)) if c in amounts else None for c in codes),
        )
        rows.append(Row(values, row.level, Style.BOLD if row.level == 0 else Style.PLAIN))
        rows.extend(_joint_rows(node, row.level + 1, per_top, top, codes))
    notes = []
    cut = sum(1 for row in tree.rows if row.cut)
    if cut:
        notes.append(f"{cut:,} rows at the depth limit have components below it (a larger --depth shows them)")
    if tree.left_out:
        notes.append(
            f"{tree.left_out:,} more rows not shown: the tree stops after {max_rows:,} rows "
            "(--format json has the costing BOM as a graph, each item once)"
        )
    columns = (
        *_columns(
            ("level", "Level", N),
            ("item", "Item", T),
            ("description", "Description", T),
            ("quantity_per", "Qty per", Q),
            ("quantity_per_top", "Qty per top", Q),
            ("unit_cost", "Unit cost", A),
            ("cost_share", "Cost share", A),
            ("share_percent", "Share %", P),
        ),
        *(Column(code, code, A, optional=True) for code in codes),
    )
    return Part("bom", "Costing BOM: cost shares", columns, tuple(rows), tuple(notes), outline=True)


def _joint_elements(node: BomNode) -> Iterator[str]:
    """The elements a node's by-product credits and co-product shares leave from."""
    for joint in joint_rows(node):
        yield from joint.elements


def _joint_rows(node: BomNode, level: int, per_top: Decimal, top: Decimal, codes: list[str]) -> Iterator[Row]:
    """A node's by-product credits and co-product shares (:func:`costsheet.costing.joint_rows`), each a
    row under it: quantity per unit of the node and per top, the by-product's value or the co-product's
    unit cost, and a negative cost share (what leaves one unit of the node, × its qty per top) carried
    by the elements it leaves from (the credit's element, the share's elements), so the row's element
    columns add up to it too."""
    multiply = CONTEXT.multiply
    for joint in joint_rows(node):
        share = outgoing(multiply(joint.amount.copy_negate(), per_top))
        elements = joint.elements
        yield Row(
            (
                level,
                joint.item,
                joint.label,
                joint.quantity,
                outgoing(multiply(joint.quantity, per_top)),
                joint.value,
                share,
                outgoing(multiply(CONTEXT.divide(share, top), HUNDRED)) if top else None,
                *(outgoing(multiply(elements[c].copy_negate(), per_top)) if c in elements else None for c in codes),
            ),
            level,
            Style.PLAIN,
        )


# ---------------------------------------------------------------- calc --all


def price_list_report(model: Model, results: Iterable[CostResult]) -> Report:
    """``calc --all``: one part ``prices``, a row per item costed, read from ``results`` as they come
    (a generator streams: the rows are not held)."""
    items = model.items

    def rows() -> Iterator[Row]:
        for result in results:
            yield Row(
                (result.item, items[result.item].description, result.lot_size, result.unit_cost, result.list_price)
            )

    columns = _columns(
        ("item", "Item", T),
        ("description", "Description", T),
        ("lot_size", "Lot size", Q),
        ("unit_cost", "Unit cost", A),
        ("list_price", "List price", A),
    )
    return Report(
        "Price list", (Part("prices", "Unit costs and list prices", columns, rows()),), (), decimals_of(model)
    )


# ---------------------------------------------------------------- value


def valuation_report(model: Model, result: ValuationResult, *, adjustments: bool = False) -> Report:
    """``value``: the parts ``items`` (on hand per valued item), ``entries``, with ``adjustments``
    ``adjustments``, ``variances`` (variances, rounding and revaluations of items, production variances
    of orders) and ``orders`` (when there are production orders)."""
    items = result.items
    on_hand = tuple(
        Row(
            (
                key,
                v.item,
                v.location,
                v.variant,
                v.costing_method,
                v.quantity_on_hand,
                v.inventory_value,
                v.physical_quantity,
                v.physical_value,
            )
        )
        for key, v in items.items()
    )
    entries = (
        Row(
            (
                key,
                e.entry,
                e.date.isoformat(),
                e.type,
                e.quantity,
                e.cost_amount,
                e.expected_cost_amount,
                e.running_cost_amount,
                "yes" if e.physical else None,
            )
        )
        for key, v in items.items()
        for e in v.entries
    )
    variances: list[Row] = []
    for key, v in items.items():
        variances.extend(Row(("item", key, x.kind, x.entry, None, x.amount)) for x in v.variances)
        variances.extend(Row(("item", key, "rounding", x.entry, None, x.amount)) for x in v.rounding)
        variances.extend(
            Row(("item", key, "revaluation", x.entry, x.date.isoformat(), x.amount)) for x in v.revaluations
        )
    for code, order in result.orders.items():
        variances.extend(Row(("order", code, x.kind, None, None, x.amount)) for x in order.variances)
    parts = [
        Part(
            "items",
            "On hand" + (f" as of {result.as_of}" if result.as_of else ""),
            _columns(
                ("key", "Key", T),
                ("item", "Item", T),
                ("location", "Location", T),
                ("variant", "Variant", T),
                ("costing_method", "Costing method", T),
                ("quantity_on_hand", "On hand", Q),
                ("inventory_value", "Inventory value", A),
                ("physical_quantity", "Physical qty", Q),
                ("physical_value", "Physical value", A),
            ),
            on_hand,
        ),
        Part(
            "entries",
            "Entries",
            _columns(
                ("key", "Key", T),
                ("entry", "Entry", N),
                ("date", "Date", T),
                ("type", "Type", T),
                ("quantity", "Quantity", Q),
                ("cost_amount", "Cost amount", A),
                ("expected_cost_amount", "Expected cost", A),
                ("running_cost_amount", "Posted at", A),
                ("physical", "Physical", T),
            ),
            entries,
        ),
    ]
    if adjustments:
        parts.append(
            Part(
                "adjustments",
                "How each decrease's cost came about",
                _columns(
                    ("key", "Key", T),
                    ("entry", "Entry", N),
                    ("date", "Date", T),
                    ("kind", "Kind", T),
                    ("source", "From entry", N),
                    ("amount", "Amount", A),
                ),
                (
                    Row((key, e.entry, a.date.isoformat(), a.kind, a.source, a.amount))
                    for key, v in items.items()
                    for e in v.entries
                    for a in e.adjustments
                ),
            )
        )
    parts.append(
        Part(
            "variances",
            "Variances, rounding and revaluations",
            _columns(
                ("of", "Of", T),
                ("key", "Key", T),
                ("kind", "Kind", T),
                ("entry", "Entry", N),
                ("date", "Date", T),
                ("amount", "Amount", A),
            ),
            tuple(variances),
        )
    )
    if result.orders:
        parts.append(
            Part(
                "orders",
                "Production orders",
                _columns(
                    ("order", "Order", T),
                    ("item", "Item", T),
                    ("consumption", "Consumption", A),
                    ("capacity", "Capacity", A),
                    ("overhead", "Overhead", A),
                    ("output_quantity", "Output qty", Q),
                    ("output", "Output", A),
                    ("wip", "WIP", A),
                ),
                tuple(
                    Row((code, o.item, o.consumption, o.capacity, o.overhead, o.output_quantity, o.output, o.wip))
                    for code, o in result.orders.items()
                ),
            )
        )
    _, most = model.setup.quantity_decimals  # quantities of entries as written: no padding zeros
    decimals = Decimals(model.setup.amount_decimals, (0, most))
    title = "Inventory valuation" + (f" as of {result.as_of}" if result.as_of else "")
    return Report(title, tuple(parts), (), decimals)


# ---------------------------------------------------------------- history diff


def diff_report(result: Any) -> Report:
    """``history diff``: the parts ``inputs`` (what went in differently) and ``changes`` (every value
    that moved: before, after, delta and percent; amounts as numbers, codes and texts as text)."""
    from ..numbers import D

    def number(text: str | None, numeric: bool) -> Any:
        if text is None or not numeric:
            return text
        try:
            return D(text)
        except (TypeError, ValueError, ArithmeticError):
            return text

    inputs = tuple(Row((c.section, c.key, c.field, c.before, c.after)) for c in result.inputs)
    changes = tuple(
        Row(
            (
                c.section,
                c.key,
                c.field,
                number(c.before, c.numeric),
                number(c.after, c.numeric),
                c.delta,
                c.percent,
            )
        )
        for c in result.changes
    )
    title = f"Calculation {result.a} → {result.b}" if result.a is not None else "Calculation diff"
    return Report(
        title,
        (
            Part(
                "inputs",
                "Inputs",
                _columns(
                    ("section", "Section", T),
                    ("key", "Key", T),
                    ("field", "Field", T),
                    ("before", "Before", T),
                    ("after", "After", T),
                ),
                inputs,
            ),
            Part(
                "changes",
                "Changes",
                _columns(
                    ("section", "Section", T),
                    ("key", "Key", T),
                    ("field", "Field", T),
                    ("before", "Before", A),
                    ("after", "After", A),
                    ("delta", "Change", A),
                    ("percent", "%", P),
                ),
                changes,
            ),
        ),
        (),
        Decimals((2, 12), (0, 12)),
    )


# ---------------------------------------------------------------- where-used


def where_used_report(model: Model, answer: Any) -> Report:
    """``where-used``: the parts ``uses`` (what uses the code directly) and ``items`` (every item it
    reaches: depth, whether it is a top item, the measure per unit, the number of paths and the paths,
    each ``A > B > C``, separated by `` | ``)."""
    measure = {"quantity": ("Quantity per", Kind.QUANTITY), "seconds": ("Seconds per unit", Kind.QUANTITY)}.get(
        answer.measure or "", ("Per unit", Kind.QUANTITY)
    )

    def description(code: str) -> str:
        item = model.items.get(code)
        return item.description if item is not None else ""

    uses = tuple(Row((u.item, u.via, u.detail, u.per_unit, "yes" if u.rolls_up else "no")) for u in answer.uses)
    items = tuple(
        Row(
            (
                r.item,
                description(r.item),
                r.depth,
                "yes" if r.top else "no",
                r.per_unit,
                r.path_count,
                " | ".join(" > ".join(path) for path in r.paths),
            )
        )
        for r in answer.items
    )
    when = f" on {answer.date.isoformat()}" if answer.date else ""
    return Report(
        f"Where-used: {answer.kind.value} {answer.code}{when}",
        (
            Part(
                "uses",
                "Used directly",
                _columns(
                    ("item", "Item", T),
                    ("via", "Via", T),
                    ("detail", "How", T),
                    ("per_unit", measure[0], measure[1]),
                    ("rolls_up", "Rolls up", T),
                ),
                uses,
            ),
            Part(
                "items",
                "Items reached",
                _columns(
                    ("item", "Item", T),
                    ("description", "Description", T),
                    ("depth", "Level", N),
                    ("top", "Top", T),
                    ("per_unit", measure[0], measure[1]),
                    ("path_count", "Paths", N),
                    ("paths", "Paths shown", T),
                ),
                items,
            ),
        ),
        (),
        decimals_of(model),
    )
