"""The data of each page of ``costsheet web``, made from one :class:`~.project.Snapshot`.

Plain functions from the loaded ruleset (and its results) to JSON-ready data; no HTTP
here.  Every amount goes out twice: ``value``, the exact decimal string of the JSON of
``costsheet calc --format json``, and ``shown``, the same number with the setup's
``decimals amounts`` (what the page prints; the exact value is in its tooltip).  Amounts
``per lot`` are the per-unit amounts times the lot size, multiplied exactly here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ...costing import bom_tree, joint_rows
from ...diagnostics import Diagnostic, Span
from ...model import ChartLineKind, Model
from ...numbers import CONTEXT, HUNDRED, ZERO, outgoing, quantize_display, to_text
from ...reports import Kind
from .project import Snapshot

__all__ = [
    "Table",
    "Scale",
    "where",
    "excerpt",
    "item_rows",
    "select_rows",
    "items_page",
    "costing_view",
    "explain_view",
    "valuation_view",
    "diagnostics_view",
    "history_list",
    "history_diff",
]

#: the most rows of a costing BOM tree (a shared subassembly is shown under every parent)
MAX_TREE_ROWS = 5000
#: the most items a page of the item list holds
MAX_PAGE = 500
SORTS = ("code", "description", "replenishment", "unit_cost", "list_price")


@attrs.frozen
class Table:
    """A view as rows (what a download holds): column names and one tuple of texts per row.

    ``kinds`` names the columns that hold numbers (exact decimal texts, or whole numbers) and what
    kind each is: a workbook gets them as numeric cells; every other column is text."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    kinds: tuple[tuple[str, Kind], ...] = ()

    def kind(self, column: str) -> Kind:
        return dict(self.kinds).get(column, Kind.TEXT)


@attrs.frozen
class Scale:
    """How amounts are shown: per unit (``factor`` 1) or per lot (``factor`` the lot size), with ``places``."""

    factor: Decimal
    places: tuple[int, int]

    def amount(self, value: Decimal | None) -> dict[str, str] | None:
        if value is None:
            return None
        scaled = value if self.factor == 1 else outgoing(CONTEXT.multiply(value, self.factor))
        return {"value": to_text(scaled), "shown": quantize_display(scaled, *self.places)}


def _share(part: Decimal, whole: Decimal) -> str | None:
    """``part`` as a percentage of ``whole``, two decimals (None when ``whole`` is 0)."""
    if not whole:
        return None
    return quantize_display(CONTEXT.divide(CONTEXT.multiply(part, HUNDRED), whole), 1, 1)


def where(span: Span | None) -> dict[str, object] | None:
    """``{"file", "line", "column", "text"}`` of a ruleset position (None when there is none)."""
    if span is None:
        return None
    return {"file": span.file, "line": span.line, "column": span.column, "label": f"{span.file}:{span.line}"}


def excerpt(span: Span | None, sources: Mapping[str, str], around: int = 2) -> list[dict[str, object]]:
    """The lines of ``span`` with ``around`` lines either side: ``[{"line", "text", "marked"}]``."""
    if span is None or span.file not in sources:
        return []
    lines = sources[span.file].splitlines()
    first, last = max(1, span.line - around), min(len(lines), min(span.end_line, span.line + 6) + around)
    return [
        {"line": number, "text": lines[number - 1], "marked": span.line <= number <= span.end_line}
        for number in range(first, last + 1)
    ]


def _source_line(span: Span | None, sources: Mapping[str, str]) -> str | None:
    if span is None or span.file not in sources:
        return None
    lines = sources[span.file].splitlines()
    return lines[span.line - 1].strip() if 0 < span.line <= len(lines) else None


# ---------------------------------------------------------------- the item list


def item_rows(snapshot: Snapshot, summary: Mapping[str, tuple[Decimal | None, Decimal | None]]) -> list[dict]:
    """Every item with its replenishment, unit cost and list price (``summary``: code -> (cost, price))."""
    assert snapshot.ruleset is not None
    model = snapshot.ruleset.model
    rows = []
    for code, item in model.items.items():
        cost, price = summary.get(code, (None, None))
        rows.append(
            {
                "code": code,
                "description": item.description,
                "replenishment": item.replenishment,
                "unit_cost": cost,
                "list_price": price,
            }
        )
    return rows


def select_rows(rows: Sequence[dict], query: str = "", sort: str = "code", descending: bool = False) -> list[dict]:
    """The rows whose code or description contains ``query`` (any case), sorted by ``sort``
    (items without a value last, whichever the direction)."""
    needle = query.strip().casefold()
    found = [r for r in rows if needle in r["code"].casefold() or needle in r["description"].casefold()]
    key = sort if sort in SORTS else "code"
    present = [r for r in found if r[key] is not None]
    missing = [r for r in found if r[key] is None]
    present.sort(key=lambda r: r[key].casefold() if isinstance(r[key], str) else r[key], reverse=descending)
    return present + missing


def items_page(
    snapshot: Snapshot,
    ordered: Sequence[dict],
    *,
    all_items: int,
    sort: str = "code",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, object]:
    """One page of the item list: ``limit`` rows from ``offset`` of ``ordered`` (what :func:`select_rows`
    chose, out of ``all_items``)."""
    assert snapshot.ruleset is not None
    scale = Scale(Decimal(1), snapshot.ruleset.model.setup.amount_decimals)
    limit = max(1, min(limit, MAX_PAGE))
    page = ordered[offset : offset + limit]
    return {
        "total": len(ordered),
        "all": all_items,
        "offset": offset,
        "limit": limit,
        "sort": sort if sort in SORTS else "code",
        "descending": descending,
        "rows": [
            {**r, "unit_cost": scale.amount(r["unit_cost"]), "list_price": scale.amount(r["list_price"])} for r in page
        ],
    }


def items_table(rows: Sequence[dict]) -> Table:
    return Table(
        "items",
        ("code", "description", "replenishment", "unit_cost", "list_price"),
        tuple(
            (
                r["code"],
                r["description"],
                r["replenishment"],
                None if r["unit_cost"] is None else to_text(r["unit_cost"]),
                None if r["list_price"] is None else to_text(r["list_price"]),
            )
            for r in rows
        ),
        (("unit_cost", Kind.AMOUNT), ("list_price", Kind.AMOUNT)),
    )


# ---------------------------------------------------------------- costing


def _chart_rows(model: Model, result, scale: Scale, sources: Mapping[str, str]) -> list[dict]:
    """The chart line by line with the result's amounts and shares; totals from the rolled-up amounts;
    the elements of the charge condition with its values (as ``costsheet calc`` shows them)."""
    unit = result.unit_cost
    charged: dict[str, tuple[Decimal, int]] = {}  # element -> (sum of the charge lines on it, first line)
    for charge in result.charges:
        if charge.element and charge.value is not None:
            total, first = charged.get(charge.element, (ZERO, charge.line))
            charged[charge.element] = (total + charge.value, first)
    rows = []
    for line in model.chart.lines:
        row: dict[str, object] = {
            "code": line.code,
            "kind": line.kind.value,
            "description": line.description,
            "indent": line.indent,
            "bold": line.kind is not ChartLineKind.ELEMENT,
            "where": where(line.span),
        }
        if line.kind is ChartLineKind.ELEMENT:
            if line.code not in result.rolled_up:
                if line.code in charged:  # an element of the charge condition (sales overhead ...)
                    total, first = charged[line.code]
                    row.update(charge=scale.amount(total), charge_line=first)
                    rows.append(row)
                continue
            single = result.single_level.get(line.code, ZERO)
            rolled = result.rolled_up[line.code]
            row.update(
                single_level=scale.amount(single),
                rolled_up=scale.amount(rolled),
                single_share=_share(single, unit),
                rolled_share=_share(rolled, unit),
            )
        elif line.code in result.totals:
            total = result.totals[line.code]
            row.update(total=scale.amount(total), total_share=_share(total, unit))
        rows.append(row)
    return rows


def _tree(result, scale: Scale, model: Model) -> tuple[list[dict], bool]:
    """The costing BOM as rows of a tree table (parent before children, ``depth`` and ``parent`` index)
    and whether the row limit cut it.  Each node's row names the BOM and routing versions costed and the
    phantom its line was exploded from; its by-product credits and co-product shares follow it as rows of
    their own (``kind``), with a negative extended amount: what leaves the item, per unit of the top."""
    rows: list[dict] = []
    if result.bom is None:
        return rows, False
    unit = result.unit_cost
    tree = bom_tree(result.bom, max_rows=MAX_TREE_ROWS)
    parents: list[int] = []  # the index of the last node row at each depth
    for row in tree.rows:
        node, depth = row.node, row.level
        del parents[depth:]
        index = len(rows)
        extended = outgoing(CONTEXT.multiply(node.unit_cost, row.total_quantity))
        item = model.items.get(node.item)
        rows.append(
            {
                "kind": "item",
                "item": node.item,
                "description": node.description,
                "replenishment": node.replenishment,
                "depth": depth,
                "parent": parents[-1] if parents else -1,
                "quantity_per": None if row.quantity is None else to_text(row.quantity),
                "quantity": to_text(row.total_quantity),
                "unit": item.unit if item is not None else None,
                "unit_cost": scale.amount(node.unit_cost),
                "extended": scale.amount(extended),
                "share": _share(extended, unit),
                "has_children": bool(node.components) or bool(node.joint.byproducts or node.joint.coproducts),
                "phantom": row.phantom,
                "bom_version": node.bom_version,
                "routing_version": node.routing_version,
                "where": where(item.span) if item is not None else None,
            }
        )
        parents.append(index)
        rows.extend(_joint_rows(node, row.total_quantity, index, depth + 1, scale, unit, model))
    return rows, tree.left_out > 0


def _joint_rows(node, per_top: Decimal, parent: int, depth: int, scale: Scale, unit: Decimal, model: Model):
    """A node's by-product credits and co-product shares (:func:`costsheet.costing.joint_rows`) as tree
    rows under it: quantity per unit of the node and of the top, the by-product's value or the
    co-product's unit cost, and the negative extended amount (the credit or share per unit of the node,
    times its quantity per top)."""
    multiply = CONTEXT.multiply
    for joint in joint_rows(node):
        extended = outgoing(multiply(joint.amount.copy_negate(), per_top))
        item = model.items.get(joint.item)
        yield {
            "kind": joint.kind,
            "item": joint.item,
            "description": joint.label,
            "replenishment": item.replenishment if item is not None else None,
            "depth": depth,
            "parent": parent,
            "quantity_per": to_text(joint.quantity),
            "quantity": to_text(outgoing(multiply(joint.quantity, per_top))),
            "unit": item.unit if item is not None else None,
            "unit_cost": scale.amount(joint.value),
            "extended": scale.amount(extended),
            "share": _share(extended, unit),
            "has_children": False,
            "phantom": None,
            "bom_version": None,
            "routing_version": None,
            "where": where(item.span) if item is not None else None,
        }


def _coproduct_of(share, scale: Scale) -> dict[str, object]:
    """What a co-product takes of its producer: the share in percent, the amount per unit of the producer
    and, as the page shows amounts (per unit or per lot of the co-product), what that makes of the co-product."""
    return {
        "producer": share.producer,
        "share": to_text(share.share),
        "quantity": to_text(share.quantity),
        "amount": Scale(Decimal(1), scale.places).amount(share.amount),
        "unit_cost": scale.amount(share.unit_cost),
    }


def _charges(model: Model, result, scale: Scale, sources: Mapping[str, str]) -> list[dict]:
    item = model.items[result.item]
    condition = model.conditions.get(item.charge_condition or "")
    lines = condition.lines if condition is not None else ()
    rows = []
    for charge in result.charges:
        line = lines[charge.line - 1] if 0 < charge.line <= len(lines) else None
        span = line.span if line is not None else None
        rows.append(
            {
                "line": charge.line,
                "row": charge.row,
                "description": charge.description,
                "element": charge.element,
                "value": scale.amount(charge.value),
                "formula": _source_line(span, sources),
                "bold": bool(line and line.bold),
                "list_price": bool(line and line.list_price),
                "where": where(span),
            }
        )
    return rows


def costing_view(snapshot: Snapshot, result, *, per_lot: bool = False) -> dict[str, object]:
    """The costing page of one calculation: chart breakdown, costing BOM tree, charges, list price."""
    assert snapshot.ruleset is not None
    model = snapshot.ruleset.model
    places = model.setup.amount_decimals
    scale = Scale(result.lot_size if per_lot else Decimal(1), places)
    item = model.items[result.item]
    tree, limited = _tree(result, scale, model)
    joint = result.joint
    return {
        "item": result.item,
        "description": item.description,
        "replenishment": item.replenishment,
        "where": where(item.span),
        "lot_size": to_text(result.lot_size),
        "date": result.date.isoformat(),
        "per": "lot" if per_lot else "unit",
        "unit_cost": scale.amount(result.unit_cost),
        "chart": _chart_rows(model, result, scale, snapshot.sources),
        "currency": model.setup.currency,
        "bom_version": result.bom_version,
        "routing_version": result.routing_version,
        "coproduct_of": None if joint.coproduct_of is None else _coproduct_of(joint.coproduct_of, scale),
        "bom": tree,
        "bom_limited": limited,
        "charges": _charges(model, result, scale, snapshot.sources),
        "list_price": scale.amount(result.list_price),
        "prices": [p.to_dict() for p in result.prices],
    }


def costing_table(view: Mapping[str, Any]) -> Table:
    """The chart breakdown of a costing page (the amounts as the page's unit or lot)."""

    def value(cell) -> str | None:
        return cell["value"] if cell else None

    rows = tuple(
        (
            r["code"],
            r["kind"],
            r["description"],
            value(r.get("single_level")),
            value(r.get("rolled_up")),
            value(r.get("total")),
            value(r.get("charge")),
        )
        for r in view["chart"]
    )
    amounts = ("single_level", "rolled_up", "total", "charge")
    return Table("costing", ("code", "kind", "description", *amounts), rows, tuple((c, Kind.AMOUNT) for c in amounts))


def explain_view(snapshot: Snapshot, result, code: str, level: str) -> dict[str, object]:
    """Where one amount of the costing page came from: the provenance steps of ``--explain`` with the
    ruleset line of each (``level``: ``single``, ``rolled`` or ``total``, ``code`` a chart line code;
    ``charge:N`` the Nth charge line)."""
    assert snapshot.ruleset is not None
    model = snapshot.ruleset.model
    places = model.setup.amount_decimals
    scale = Scale(Decimal(1), places)
    sources = snapshot.sources
    steps: list[dict] = []

    def step(source: str, detail: str, amount: Decimal | None, span: Span | None) -> None:
        steps.append(
            {
                "source": source,
                "detail": detail,
                "amount": scale.amount(amount),
                "where": where(span),
                "excerpt": excerpt(span, sources, around=0),
            }
        )

    item = model.items[result.item]
    if code.startswith("charge:"):
        number = int(code.partition(":")[2]) if code.partition(":")[2].isdigit() else 0
        charges = [c for c in _charges(model, result, scale, sources) if c["line"] == number]
        if not charges:
            return {"title": f"no charge line {number}", "amount": None, "steps": []}
        charge = charges[0]
        condition = model.conditions[item.charge_condition or ""]
        span = condition.lines[number - 1].span
        value = result.charges[[c.line for c in result.charges].index(number)].value
        step(f'{condition.code} line {number} "{charge["description"]}"', charge["formula"] or "", value, span)
        return {
            "title": f"{charge['description']} (charge line {number})",
            "amount": scale.amount(value),
            "steps": steps,
        }
    line = model.chart.line(code)
    if line is None:
        return {"title": f"no chart line {code}", "amount": None, "steps": []}
    if line.kind is not ChartLineKind.ELEMENT:
        total = result.totals.get(code)
        for element in model.chart.elements:
            if line.totals(element.code) and element.code in result.rolled_up:
                step(
                    f"element {element.code} {element.description}",
                    "rolled-up amount, summed by the total",
                    result.rolled_up[element.code],
                    element.span,
                )
        step(f"chart line {code}", f'{line.kind.value} "{line.description}"', total, line.span)
        return {"title": f"{code} {line.description}", "amount": scale.amount(total), "steps": steps}
    bom_spans = {b.span for b in item.bom if b.span is not None}
    own = [s for s in result.explain if s.item == result.item and s.element == code]
    if level == "single":
        for s in own:
            step(s.source, s.detail, s.amount, s.span)
        amount = result.single_level.get(code, ZERO)
    else:
        for s in own:
            if s.span not in bom_spans:
                step(s.source, s.detail, s.amount, s.span)
        lines = {b.component: b for b in item.bom}
        for component in result.bom.components if result.bom is not None else ():
            node = component.node
            rolled = next((e.rolled_up for e in node.elements if e.code == code), ZERO)
            if not rolled:
                continue
            bom_line = lines.get(node.item)
            step(
                f"BOM line {node.item}",
                f"quantity {to_text(component.quantity)} x rolled-up {code} of {node.item} {to_text(rolled)}",
                CONTEXT.multiply(component.quantity, rolled),
                bom_line.span if bom_line is not None else None,
            )
        amount = result.rolled_up.get(code, ZERO)
    label = "single-level" if level == "single" else "rolled-up"
    return {
        "title": f"{code} {line.description}, {label}, {result.item}",
        "amount": scale.amount(amount),
        "steps": steps,
    }


# ---------------------------------------------------------------- valuation


def valuation_view(snapshot: Snapshot, code: str, valuation, diagnostics: Sequence[Diagnostic]) -> dict:
    """The valuation of one item: entries with their final costs and adjustments, variances, rounding,
    revaluations, value on hand over time (one point per entry date), and its production orders."""
    assert snapshot.ruleset is not None
    places = snapshot.ruleset.model.setup.amount_decimals
    if valuation is None:
        return {"item": code, "valued": False, "diagnostics": diagnostics_list(diagnostics, snapshot.sources)}
    data = valuation.to_dict(adjustments=True)
    item = data["items"].get(code)
    orders = {k: v for k, v in data.get("orders", {}).items() if v.get("item") == code}
    if item is None:
        return {"item": code, "valued": False, "orders": orders, "diagnostics": []}
    quantity, value = ZERO, ZERO
    series: list[dict[str, str]] = []
    for entry in item["entries"]:
        quantity += Decimal(entry["quantity"])
        value += Decimal(entry["cost_amount"])
        point = {"date": entry["date"], "quantity": to_text(quantity), "value": to_text(value)}
        if series and series[-1]["date"] == entry["date"]:
            series[-1] = point
        else:
            series.append(point)
    return {
        "item": code,
        "valued": True,
        "places": list(places),
        **item,
        "series": series,
        "orders": orders,
        "diagnostics": diagnostics_list(diagnostics, snapshot.sources),
    }


def valuation_table(view: Mapping[str, Any]) -> Table:
    entries = view.get("entries") or []
    columns = ("entry", "date", "type", "quantity", "cost_amount")
    return Table(
        "valuation",
        columns,
        tuple(tuple(None if e.get(c) is None else str(e.get(c)) for c in columns) for e in entries),
        (("entry", Kind.INTEGER), ("quantity", Kind.QUANTITY), ("cost_amount", Kind.AMOUNT)),
    )


# ---------------------------------------------------------------- diagnostics


def diagnostics_list(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str]) -> list[dict]:
    return [{**d.to_dict(), "where": where(d.span), "excerpt": excerpt(d.span, sources)} for d in diagnostics]


def diagnostics_view(snapshot: Snapshot) -> dict[str, object]:
    """The ruleset's diagnostics, each with the source lines it points at."""
    return {
        "clean": not snapshot.diagnostics,
        "errors": snapshot.errors,
        "warnings": snapshot.warnings,
        "diagnostics": diagnostics_list(snapshot.diagnostics, snapshot.sources),
    }


def diagnostics_table(view: Mapping[str, Any]) -> Table:
    columns = ("severity", "code", "file", "line", "column", "message", "hint")
    return Table(
        "diagnostics",
        columns,
        tuple(tuple(None if d.get(c) is None else str(d.get(c)) for c in columns) for d in view["diagnostics"]),
        (("line", Kind.INTEGER), ("column", Kind.INTEGER)),
    )


# ---------------------------------------------------------------- history


def history_list(records: Iterable) -> list[dict[str, object]]:
    return [
        {
            "id": r.id,
            "recorded_at": r.recorded_at,
            "source": r.source,
            "item": r.item,
            "lot_size": r.lot_size,
            "date": r.date,
            "unit_cost": r.unit_cost,
            "ok": r.ok,
            "ruleset_path": r.ruleset_path,
        }
        for r in records
    ]


def history_diff(before, after) -> dict[str, object]:
    """Two recorded calculations side by side: their inputs, then every amount that changed (with % change)."""
    from ...history import diff

    compared = diff(before, after).to_dict()
    return {**compared, "records": {"a": history_list([before])[0], "b": history_list([after])[0]}}


def history_diff_table(view: Mapping[str, Any]) -> Table:
    columns = ("section", "key", "field", "before", "after", "delta", "percent")
    changes = [*view["inputs"], *view["changes"]]
    return Table(
        "history-diff",
        columns,
        tuple(tuple(None if c.get(k) is None else str(c.get(k)) for k in columns) for c in changes),
        (("delta", Kind.AMOUNT), ("percent", Kind.PERCENT)),  # before and after may be codes or texts
    )
