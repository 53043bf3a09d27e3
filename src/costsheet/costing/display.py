"""Tables for ``costsheet calc`` (rich): the breakdown in chart order, charges, explain, summaries.

Imported only by the command line, so the engine itself does not load rich."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import ChartLineKind, Model
from ..numbers import quantize_display, to_text
from .bomtree import bom_tree
from .results import BomNode

__all__ = ["print_result", "print_bom", "print_summary", "progress", "BOM_ROWS"]

#: More items than this get a progress bar for --all (when stderr is a terminal).
PROGRESS_THRESHOLD = 500
#: The costing BOM tree in the terminal stops after this many rows and says how many it left out.
BOM_ROWS = 50
#: Deeper levels are not indented further (the Level column still tells).
_MAX_INDENT = 8


def _amount(model: Model, value: Decimal | None) -> str:
    if value is None:
        return ""
    low, high = model.setup.amount_decimals
    return quantize_display(value, low, high)


def _quantity(model: Model, value: Decimal) -> str:
    low, high = model.setup.quantity_decimals
    return quantize_display(value, low, high)


def print_result(model: Model, result, *, explain: bool = False, console: Console | None = None) -> None:
    console = console or Console()
    item = model.items.get(result.item)
    title = f"{result.item} {item.description if item else ''}".strip()
    console.print(Text(title, style="bold"))
    console.print(f"lot size {_quantity(model, result.lot_size)} · date {result.date.isoformat()}")
    table = Table(show_edge=False, header_style="bold")
    table.add_column("Element")
    table.add_column("Description")
    table.add_column("Single-level", justify="right")
    table.add_column("Rolled-up", justify="right")
    charge_by_element: dict[str, Decimal] = {}
    for charge in result.charges:
        if charge.element and charge.value is not None:
            charge_by_element[charge.element] = charge.value + charge_by_element.get(charge.element, 0)
    for line in model.chart.lines:
        caption = "  " * line.indent + line.description
        if line.kind is ChartLineKind.HEADING:
            table.add_row(line.code, Text(caption, style="bold underline"), "", "")
        elif line.kind is ChartLineKind.BEGIN_TOTAL:
            table.add_row(line.code, Text(caption, style="bold"), "", "")
        elif line.kind is ChartLineKind.ELEMENT:
            if line.code in result.rolled_up:
                table.add_row(
                    line.code,
                    caption,
                    _amount(model, result.single_level.get(line.code)),
                    _amount(model, result.rolled_up[line.code]),
                )
            else:
                table.add_row(line.code, caption, "", _amount(model, charge_by_element.get(line.code)))
        else:
            total = result.totals.get(line.code)
            table.add_row(
                Text(line.code, style="bold"),
                Text(caption, style="bold"),
                "",
                Text(_amount(model, total), style="bold"),
            )
    table.add_section()
    unit_cost = _amount(model, result.unit_cost)
    table.add_row("", Text("Unit cost", style="bold"), Text(unit_cost, style="bold"), Text(unit_cost, style="bold"))
    console.print(table)
    if result.charges:
        _print_charges(model, result, console)
    if result.bom is not None and result.bom.components:
        print_bom(
            result.bom,
            console,
            max_depth=result.bom_depth,
            amount=lambda value: _amount(model, value),
            quantity=lambda value: _quantity(model, value),
        )
    if explain:
        _print_explain(model, result, console)


def _print_charges(model: Model, result, console: Console) -> None:
    item = model.items[result.item]
    condition = model.conditions.get(item.charge_condition or "")
    title = f"Charges: {condition.code} {condition.description}" if condition else "Charges"
    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for name, justify in (
        ("Line", "right"),
        ("Row", "left"),
        ("Description", "left"),
        ("Element", "left"),
        ("Value", "right"),
    ):
        table.add_column(name, justify=justify)
    for charge in result.charges:
        style = "bold" if charge.bold or charge.list_price else ""
        table.add_row(
            str(charge.line),
            charge.row or "",
            Text(charge.description, style=style),
            charge.element or "",
            Text(_amount(model, charge.value), style=style),
        )
    console.print(table)
    if result.list_price is not None:
        console.print(Text(f"List price {_amount(model, result.list_price)}", style="bold"))
    for price in result.prices:
        target = (
            f" ({price.sales_type}{' ' + price.sales_code if price.sales_code else ''})" if price.sales_type else ""
        )
        console.print(f"  proposes {price.kind}{target} {_amount(model, price.price)} from {price.starting_date}")


def _print_explain(model: Model, result, console: Console) -> None:
    table = Table(title="Where every amount comes from", title_justify="left", show_edge=False, header_style="bold")
    for name in ("Item", "Element", "Amount", "Source", "How"):
        table.add_column(name, justify="right" if name == "Amount" else "left")
    for step in result.explain:
        table.add_row(step.item, step.element or "", _amount(model, step.amount), step.source, step.detail)
    console.print(table)


def print_bom(
    bom: BomNode,
    console: Console,
    *,
    max_rows: int = BOM_ROWS,
    max_depth: int | None = None,
    amount: Callable[[Decimal], str] = to_text,
    quantity: Callable[[Decimal], str] = to_text,
) -> None:
    """The costing BOM as an indented tree: the first ``max_rows`` rows, then how many were left out."""
    tree = bom_tree(bom, max_rows=max_rows, max_depth=max_depth)
    table = Table(title="Costing BOM", title_justify="left", show_edge=False, header_style="bold")
    for name, justify in (
        ("Level", "right"),
        ("Item", "left"),
        ("Description", "left"),
        ("Quantity", "right"),
        ("Lot size", "right"),
        ("Unit cost", "right"),
    ):
        table.add_column(name, justify=justify)
    for row in tree.rows:
        node = row.node
        table.add_row(
            str(row.level),
            "  " * min(row.level, _MAX_INDENT) + node.item + (" +" if row.cut else ""),
            node.description,
            "" if row.quantity is None else quantity(row.quantity),
            quantity(node.lot_size),
            amount(node.unit_cost),
        )
    console.print(table)
    if any(row.cut for row in tree.rows):
        console.print("  + the item has components below the levels shown")
    if tree.left_out:
        console.print(
            f"  {tree.left_out:,} more rows not shown: the tree stops after {max_rows} rows "
            "(--format json lists every item once)"
        )


def print_summary(model: Model, results: Iterable, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(show_edge=False, header_style="bold")
    for name, justify in (
        ("Item", "left"),
        ("Description", "left"),
        ("Lot size", "right"),
        ("Unit cost", "right"),
        ("List price", "right"),
    ):
        table.add_column(name, justify=justify)
    for result in results:
        item = model.items[result.item]
        table.add_row(
            result.item,
            item.description,
            _quantity(model, result.lot_size),
            _amount(model, result.unit_cost),
            _amount(model, result.list_price),
        )
    console.print(table)


def progress(iterable: Iterable, total: int) -> Iterator:
    """``iterable`` with a progress bar on stderr when there are many items."""
    if total < PROGRESS_THRESHOLD:
        yield from iterable
        return
    from rich.progress import track

    yield from track(iterable, total=total, description="costing", console=Console(stderr=True), transient=True)
