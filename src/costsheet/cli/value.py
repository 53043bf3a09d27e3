"""``costsheet value``: value inventory ledgers with each item's costing method.

A readable table per item, then the production orders, by default; ``--format json``
prints exactly the valuation JSON of docs/json.md, "costsheet value".  Ledgers come from the ruleset's
``ledger`` blocks and from ``--ledger-csv`` files (a CSV ledger for an item
that also has one in the ruleset replaces it, with a warning).
"""

from __future__ import annotations

import json
import sys

import click

from ..diagnostics import render_json
from .common import parse_date, report

__all__ = ["command"]


@click.command()
@click.argument("ruleset", type=click.Path())
@click.option("--item", metavar="ITEM", help="Value this item only.")
@click.option("--as-of", "as_of", callback=parse_date, metavar="YYYY-MM-DD",
              help="Inventory value as of this date (entries, charges, revaluations dated on or before it).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--adjustments", is_flag=True, help="Show how each decrease's cost came about.")
@click.option("--ledger-csv", "ledger_csv", type=click.Path(dir_okay=False), multiple=True,
              metavar="FILE", help="Ledger CSV (item,date,type,quantity,cost,location,variant,applies_to).")
def command(ruleset, item, as_of, fmt, adjustments, ledger_csv):
    """Value the inventory ledgers of RULESET with each item's costing method.

    \b
      costsheet value demo.cost
      costsheet value demo.cost --item ITEM-A --as-of 2020-03-31
      costsheet value demo.cost --format json --adjustments
      costsheet value demo.cost --ledger-csv ledgers.csv
    """
    from ..diagnostics import RulesetError
    from ..ruleset import load

    try:
        loaded = load(ruleset, ledger_csv=ledger_csv)
    except RulesetError as error:
        report(error.diagnostics, fmt, error.sources or None)
        sys.exit(1)
    model = loaded.model
    result, found = loaded.value_with_diagnostics(item, as_of)
    if result is None:
        report(found, fmt)
        sys.exit(1)
    failed = any(d.is_error for d in found)
    if fmt == "json":
        data = result.to_json(adjustments=adjustments)
        if found:
            data["diagnostics"] = render_json(found)
        click.echo(json.dumps(data, indent=2))
    else:
        report(tuple(found), "table")
        if result.items or not failed:  # with nothing valued, the errors are the whole answer
            _print(model, result, adjustments)
    sys.exit(1 if failed else 0)


def _print(model, result, adjustments: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..numbers import quantize_display

    low, high = model.setup.amount_decimals
    qlow, qhigh = model.setup.quantity_decimals

    def money(amount) -> str:
        return quantize_display(amount, low, high)

    def qty(amount) -> str:
        return quantize_display(amount, 0, qhigh)

    console = Console()
    if not result.items:
        console.print("no ledgers to value")
    for key, item in result.items.items():
        title = f"{key}  ({item.costing_method})" + (f"  as of {result.as_of}" if result.as_of else "")
        table = Table(title=title, title_justify="left")
        table.add_column("Entry", justify="right")
        table.add_column("Date")
        table.add_column("Type")
        table.add_column("Quantity", justify="right")
        table.add_column("Cost amount", justify="right")
        for entry in item.entries:
            table.add_row(str(entry.entry), entry.date.isoformat(), entry.type, qty(entry.quantity),
                          money(entry.cost_amount))
            if adjustments:
                for a in entry.adjustments:
                    source = f" from entry {a.source}" if a.source is not None else ""
                    table.add_row("", a.date.isoformat(), f"  {a.kind}{source}", "", f"[dim]{money(a.amount)}[/dim]")
        table.add_section()
        table.add_row("", "", "[bold]On hand[/bold]", f"[bold]{qty(item.quantity_on_hand)}[/bold]",
                      f"[bold]{money(item.inventory_value)}[/bold]")
        console.print(table)
        for v in item.variances:
            console.print(f"  variance {v.kind} on entry {v.entry}: {money(v.amount)}")
        for r in item.rounding:
            console.print(f"  rounding on entry {r.entry}: {money(r.amount)}")
        for r in item.revaluations:
            target = f"entry {r.entry}" if r.entry is not None else "the item"
            console.print(f"  revaluation of {target} on {r.date}: {money(r.amount)}")
    if result.orders:
        _print_orders(console, result, money, qty)


def _print_orders(console, result, money, qty) -> None:
    """The production orders: actual cost by source, what the outputs carry, work in process,
    then each order's production variances."""
    from rich.table import Table

    title = "Production orders" + (f"  as of {result.as_of}" if result.as_of else "")
    table = Table(title=title, title_justify="left")
    table.add_column("Order")
    table.add_column("Item")
    for heading in ("Consumption", "Capacity", "Overhead", "Output qty", "Output", "WIP"):
        table.add_column(heading, justify="right")
    for code, order in result.orders.items():
        table.add_row(code, order.item or "-", money(order.consumption), money(order.capacity), money(order.overhead),
                      qty(order.output_quantity), money(order.output), money(order.wip))
    console.print(table)
    for code, order in result.orders.items():
        for v in order.variances:
            console.print(f"  variance {v.kind} of order {code}: {money(v.amount)}")
