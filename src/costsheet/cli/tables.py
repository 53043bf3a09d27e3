"""The command line's tables (rich): a calculation's breakdown, charges and explain steps, the costing BOM
tree, the ``--all`` summary, a valuation.

Each function takes results (data from the engines, which import no rich) and
returns a rich renderable; the commands print it.  Amounts are shown with the
setup's ``decimals amounts`` (min:max) and quantities with ``decimals
quantities``, through a :class:`NumberFormat`; in every column of numbers the
decimal points line up (:func:`align_on_point`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs
from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from ..costing import BomNode, CostResult, bom_tree, joint_rows
from ..model import ChartLineKind, Model, Setup
from ..numbers import quantize_display, to_text
from ..reports import PlainTable, align_on_point

if TYPE_CHECKING:
    from ..valuation import ValuationResult

__all__ = ["BOM_ROWS", "NumberFormat", "align_on_point", "calculation", "bom_view", "summary", "valuation"]

#: The costing BOM tree in the terminal stops after this many rows and says how many it left out.
BOM_ROWS = 50
#: Deeper levels are not indented further (the Level column still tells).
_MAX_INDENT = 8

_T = TypeVar("_T")

#: A cell: its text, or (text, rich style).
Cell = str | tuple[str, str]
#: A column: (header, "left" | "right" | "number"); a number column is right-aligned on the decimal point.
Column = tuple[str, Literal["left", "right", "number"]]


@attrs.frozen
class NumberFormat:
    """How a table shows numbers: at least ``low`` and at most ``high`` decimals (``(low, high)``) for
    amounts and for quantities; ``None`` shows every digit the value has (the history's exact amounts)."""

    amounts: tuple[int, int] | None = None
    quantities: tuple[int, int] | None = None

    @classmethod
    def of(cls, setup: Setup) -> NumberFormat:
        """The setup's ``decimals amounts`` and ``decimals quantities``."""
        return cls(setup.amount_decimals, setup.quantity_decimals)

    def amount(self, value: Decimal | None) -> str:
        return _shown(value, self.amounts)

    def quantity(self, value: Decimal | None) -> str:
        return _shown(value, self.quantities)


def _shown(value: Decimal | None, places: tuple[int, int] | None) -> str:
    if value is None:
        return ""
    return to_text(value) if places is None else quantize_display(value, *places)


def _table(
    columns: Sequence[Column], rows: Iterable[Sequence[Cell] | None], title: str | None = None, **options: object
) -> Table:
    """A rich table of plain text (no markup is read from the cells); a row ``None`` starts a new section."""
    texts = [None if row is None else [cell if isinstance(cell, tuple) else (cell, "") for cell in row] for row in rows]
    body = [row for row in texts if row is not None]
    headers = []
    for index, (header, justify) in enumerate(columns):
        if justify == "number":
            aligned, header = align_on_point([row[index][0] for row in body], header)
            for cells, text in zip(body, aligned, strict=True):
                cells[index] = (text, cells[index][1])
        headers.append(header)
    settings: dict[str, Any] = {"show_edge": False, "header_style": "bold"}  # keyword arguments of Table
    settings.update(options)
    table = Table(title=title, title_justify="left", **settings)
    for header, (_, justify) in zip(headers, columns, strict=True):
        aligned_as: JustifyMethod = "left" if justify == "number" else justify
        table.add_column(header, justify=aligned_as)
    for row in texts:
        if row is None:
            table.add_section()
        else:
            table.add_row(*(Text(text, style=style) for text, style in row))
    return table


# ---------------------------------------------------------------- costsheet calc ITEM


def calculation(model: Model, result: CostResult, *, explain: bool = False) -> Group:
    """What ``costsheet calc ITEM`` shows: the breakdown in chart order, the charges, the costing BOM,
    and with ``explain`` where every amount came from."""
    numbers = NumberFormat.of(model.setup)
    item = model.items.get(result.item)
    title = f"{result.item} {item.description if item else ''}".strip()
    parts: list[RenderableType] = [
        Text(title, style="bold"),
        Text(f"lot size {numbers.quantity(result.lot_size)} · date {result.date.isoformat()}"),
        breakdown(model, result, numbers),
    ]
    if result.charges:
        parts.append(charges(model, result, numbers))
    if result.bom is not None and result.bom.components:
        parts.append(bom_view(result.bom, max_depth=result.bom_depth, numbers=numbers))
    if explain:
        parts.append(explanation(result, numbers))
    return Group(*parts)


def breakdown(model: Model, result: CostResult, numbers: NumberFormat) -> Table:
    """The chart line by line: headings, begin-totals, elements (single-level and rolled-up), totals,
    charge elements with the charge condition's values; then the unit cost."""
    charge_by_element: dict[str, Decimal] = {}
    for charge in result.charges:
        if charge.element and charge.value is not None:
            charge_by_element[charge.element] = charge.value + charge_by_element.get(charge.element, 0)
    rows: list[Sequence[Cell] | None] = []
    for line in model.chart.lines:
        caption = "  " * line.indent + line.description
        if line.kind is ChartLineKind.HEADING:
            rows.append((line.code, (caption, "bold underline"), "", ""))
        elif line.kind is ChartLineKind.BEGIN_TOTAL:
            rows.append((line.code, (caption, "bold"), "", ""))
        elif line.kind is ChartLineKind.ELEMENT:
            if line.code in result.rolled_up:
                rows.append(
                    (
                        line.code,
                        caption,
                        numbers.amount(result.single_level.get(line.code)),
                        numbers.amount(result.rolled_up[line.code]),
                    )
                )
            else:
                rows.append((line.code, caption, "", numbers.amount(charge_by_element.get(line.code))))
        else:
            rows.append(
                ((line.code, "bold"), (caption, "bold"), "", (numbers.amount(result.totals.get(line.code)), "bold"))
            )
    rows.append(None)
    unit_cost = numbers.amount(result.unit_cost)
    rows.append(("", ("Unit cost", "bold"), (unit_cost, "bold"), (unit_cost, "bold")))
    return _table(
        (("Element", "left"), ("Description", "left"), ("Single-level", "number"), ("Rolled-up", "number")), rows
    )


def charges(model: Model, result: CostResult, numbers: NumberFormat) -> Group:
    """The charge condition line by line (bold lines bold), the list price and the prices it proposes."""
    item = model.items[result.item]
    condition = model.conditions.get(item.charge_condition or "")
    title = f"Charges: {condition.code} {condition.description}" if condition else "Charges"
    rows = []
    for charge in result.charges:
        style = "bold" if charge.bold or charge.list_price else ""
        rows.append(
            (
                str(charge.line),
                charge.row or "",
                (charge.description, style),
                charge.element or "",
                (numbers.amount(charge.value), style),
            )
        )
    parts: list[RenderableType] = [
        _table(
            (("Line", "right"), ("Row", "left"), ("Description", "left"), ("Element", "left"), ("Value", "number")),
            rows,
            title,
        )
    ]
    if result.list_price is not None:
        parts.append(Text(f"List price {numbers.amount(result.list_price)}", style="bold"))
    for price in result.prices:
        code = f" {price.sales_code}" if price.sales_code else ""
        target = f" ({price.sales_type}{code})" if price.sales_type else ""
        parts.append(Text(f"  proposes {price.kind}{target} {numbers.amount(price.price)} from {price.starting_date}"))
    return Group(*parts)


def explanation(result: CostResult, numbers: NumberFormat) -> Table:
    """Where every amount came from: item, element, amount, source and how it was found."""
    rows = [
        (step.item, step.element or "", numbers.amount(step.amount), step.source, step.detail)
        for step in result.explain
    ]
    return _table(
        (("Item", "left"), ("Element", "left"), ("Amount", "number"), ("Source", "left"), ("How", "left")),
        rows,
        "Where every amount comes from",
    )


_BomRow = tuple[str, str, str, str, str, str]


def _joint_rows(node: BomNode, level: int, numbers: NumberFormat) -> list[_BomRow]:
    """A node's by-product credits and co-product shares (:func:`costsheet.costing.joint_rows`), each
    a line of its own under it."""
    indent = "  " * min(level, _MAX_INDENT)
    return [
        (
            str(level),
            f"{indent}{joint.item}",
            f"{joint.label} -{numbers.amount(joint.amount)}",
            numbers.quantity(joint.quantity),
            "",
            numbers.amount(joint.value),
        )
        for joint in joint_rows(node)
    ]


def bom_view(
    bom: BomNode, *, max_rows: int = BOM_ROWS, max_depth: int | None = None, numbers: NumberFormat = NumberFormat()
) -> Group:
    """The costing BOM as an indented tree: the first ``max_rows`` rows, then how many were left out
    (the rows are :func:`costsheet.costing.bom_tree`'s)."""
    tree = bom_tree(bom, max_rows=max_rows, max_depth=max_depth)
    rows = []
    for row in tree.rows:
        node = row.node
        rows.append(
            (
                str(row.level),
                "  " * min(row.level, _MAX_INDENT) + node.item + (" +" if row.cut else ""),
                row.label,
                "" if row.quantity is None else numbers.quantity(row.quantity),
                numbers.quantity(node.lot_size),
                numbers.amount(node.unit_cost),
            )
        )
        rows.extend(_joint_rows(node, row.level + 1, numbers))
    parts: list[RenderableType] = [
        _table(
            (
                ("Level", "right"),
                ("Item", "left"),
                ("Description", "left"),
                ("Quantity", "number"),
                ("Lot size", "number"),
                ("Unit cost", "number"),
            ),
            rows,
            "Costing BOM",
        )
    ]
    if any(row.cut for row in tree.rows):
        parts.append(Text("  + the item has components below the levels shown"))
    if tree.left_out:
        parts.append(
            Text(
                f"  {tree.left_out:,} more rows not shown: the tree stops after {max_rows} rows "
                "(--format json lists every item once)"
            )
        )
    return Group(*parts)


# ---------------------------------------------------------------- costsheet calc --all


def summary(model: Model, results: Iterable[CostResult]) -> PlainTable:
    """One row per item: lot size, unit cost and list price (a :class:`PlainTable`: it may hold every
    item of a large ruleset, and prints line by line)."""
    numbers = NumberFormat.of(model.setup)
    rows = [
        (
            result.item,
            model.items[result.item].description,
            numbers.quantity(result.lot_size),
            numbers.amount(result.unit_cost),
            numbers.amount(result.list_price),
        )
        for result in results
    ]
    headers = ["Item", "Description"]
    columns: list[Sequence[str]] = [[row[0] for row in rows], [row[1] for row in rows]]
    for index, header in enumerate(("Lot size", "Unit cost", "List price"), start=2):
        aligned, header = align_on_point([row[index] for row in rows], header)
        headers.append(header)
        columns.append(aligned)
    return PlainTable(tuple(headers), list(zip(*columns, strict=True)) if rows else [])


# ---------------------------------------------------------------- costsheet value


def valuation(model: Model, result: ValuationResult, *, adjustments: bool = False) -> Group:
    """A table per valued item (entries, with ``adjustments`` how each decrease's cost came about, and
    what is on hand), then its physically updated part, variances, rounding entries and revaluations;
    then the production orders.  The columns "Expected cost" (what is received and not invoiced) and
    "Posted at" (what an entry was posted at before a close settled it) are shown for the items that
    have such entries."""
    _, most = model.setup.quantity_decimals  # quantities of entries as written: no padding zeros
    numbers = attrs.evolve(NumberFormat.of(model.setup), quantities=(0, most))
    parts: list[RenderableType] = [] if result.items else [Text("no ledgers to value")]
    for key, item in result.items.items():
        title = f"{key}  ({item.costing_method})" + (f"  as of {result.as_of}" if result.as_of else "")
        # the expected cost and what a close settled only for the items that have them
        shown = (
            any(e.expected_cost_amount for e in item.entries),
            any(e.running_cost_amount is not None for e in item.entries),
        )
        rows: list[Sequence[Cell] | None] = []
        for entry in item.entries:
            rows.append(
                (
                    str(entry.entry),
                    entry.date.isoformat(),
                    f"{entry.type} (physical)" if entry.physical else entry.type,
                    numbers.quantity(entry.quantity),
                    numbers.amount(entry.cost_amount),
                    *_optional(
                        shown, numbers.amount(entry.expected_cost_amount), numbers.amount(entry.running_cost_amount)
                    ),
                )
            )
            if adjustments:
                for a in entry.adjustments:
                    source = f" from entry {a.source}" if a.source is not None else ""
                    rows.append(
                        (
                            "",
                            a.date.isoformat(),
                            f"  {a.kind}{source}",
                            "",
                            (numbers.amount(a.amount), "dim"),
                            *_optional(shown, "", ""),
                        )
                    )
        rows.append(None)
        rows.append(
            (
                "",
                "",
                ("On hand", "bold"),
                (numbers.quantity(item.quantity_on_hand), "bold"),
                (numbers.amount(item.inventory_value), "bold"),
                *_optional(shown, "", ""),
            )
        )
        columns: list[Column] = [
            ("Entry", "right"),
            ("Date", "left"),
            ("Type", "left"),
            ("Quantity", "number"),
            ("Cost amount", "number"),
        ]
        columns += _optional(shown, ("Expected cost", "number"), ("Posted at", "number"))
        parts.append(_table(columns, rows, title, show_edge=True, header_style="bold"))
        if item.physical_quantity or item.physical_value:
            parts.append(
                Text(
                    f"  physically updated only: {numbers.quantity(item.physical_quantity)} on hand, "
                    f"{numbers.amount(item.physical_value)}"
                )
            )
        parts.extend(
            Text(f"  variance {v.kind} on entry {v.entry}: {numbers.amount(v.amount)}") for v in item.variances
        )
        parts.extend(Text(f"  rounding on entry {r.entry}: {numbers.amount(r.amount)}") for r in item.rounding)
        for r in item.revaluations:
            target = f"entry {r.entry}" if r.entry is not None else "the item"
            parts.append(Text(f"  revaluation of {target} on {r.date}: {numbers.amount(r.amount)}"))
    if result.orders:
        parts.extend(_orders(result, numbers))
    return Group(*parts)


def _optional(shown: tuple[bool, ...], *cells: _T) -> list[_T]:
    """The cells of the optional columns that are shown."""
    return [cell for cell, wanted in zip(cells, shown, strict=True) if wanted]


def _orders(result: ValuationResult, numbers: NumberFormat) -> list[RenderableType]:
    """The production orders: actual cost by source, what the outputs carry, work in process,
    then each order's production variances."""
    title = "Production orders" + (f"  as of {result.as_of}" if result.as_of else "")
    rows: list[Sequence[Cell] | None] = [
        (
            code,
            order.item or "-",
            numbers.amount(order.consumption),
            numbers.amount(order.capacity),
            numbers.amount(order.overhead),
            numbers.quantity(order.output_quantity),
            numbers.amount(order.output),
            numbers.amount(order.wip),
        )
        for code, order in result.orders.items()
    ]
    parts: list[RenderableType] = [
        _table(
            (
                ("Order", "left"),
                ("Item", "left"),
                ("Consumption", "number"),
                ("Capacity", "number"),
                ("Overhead", "number"),
                ("Output qty", "number"),
                ("Output", "number"),
                ("WIP", "number"),
            ),
            rows,
            title,
            show_edge=True,
            header_style="bold",
        )
    ]
    for code, order in result.orders.items():
        parts.extend(Text(f"  variance {v.kind} of order {code}: {numbers.amount(v.amount)}") for v in order.variances)
    return parts
