"""``costsheet calc``: cost one item (or all) and show the breakdown as a table or JSON.

The table follows the chart: headings, indentation from the begin/end
nesting, totals in bold, amounts with the setup's ``decimals amounts``
(:mod:`costsheet.cli.tables`).  The JSON is docs/json.md, "costsheet calc": the
result's own ``to_json()`` (``CostResult``, ``CostResults`` for ``--all``); the
command adds nothing to it.
"""

from __future__ import annotations

import re
import sys

import click

from ..diagnostics import Diagnostic
from .common import parse_date, progress, report

__all__ = ["command"]


_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,12}(?:\.\d{1,12})?")


def _lot_size(ctx, param, value):
    if value is None:
        return None
    from ..numbers import D

    text = value.strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        raise click.BadParameter(f"{value!r} is not a plain number (write e.g. 10 or 2.5)")
    lot = D(text)
    if lot <= 0:
        raise click.BadParameter(f"the lot size must be greater than 0, not {text} (write e.g. 10 or 2.5)")
    return lot


@click.command()
@click.argument("ruleset", type=click.Path())
@click.argument("item", required=False)
@click.option("--lot-size", callback=_lot_size, metavar="N", help="Lot size (default: the item's lot-size).")
@click.option("--date", "date", callback=parse_date, metavar="YYYY-MM-DD", help="Calculation date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--explain", is_flag=True, help="Show where every amount came from.")
@click.option("--all", "all_items", is_flag=True, help="Cost every item: unit costs and list prices.")
@click.option(
    "--master-data",
    "master_data",
    type=click.Path(exists=True),
    multiple=True,
    help="CSV master data (a directory or files: items, bom, routing, prices ...).",
)
@click.option(
    "--history/--no-history",
    "history",
    default=True,
    show_default=True,
    help="Record the calculation in the history (see `costsheet history`; "
    "the file is $COSTSHEET_HISTORY or ~/.local/share/costsheet/history.sqlite3).",
)
def command(ruleset, item, lot_size, date, fmt, explain, all_items, master_data, history):
    """Cost ITEM of RULESET: element breakdown, totals, item charges, list price.

    \b
      costsheet calc demo.cost ICO-0001
      costsheet calc demo.cost ICO-0001 --lot-size 25 --date 2026-11-22 --format json
      costsheet calc demo.cost ICO-0001 --explain
      costsheet calc demo.cost --all
    """
    if all_items == (item is not None):
        raise click.UsageError("name one ITEM, or give --all (not both)")
    if all_items and (lot_size is not None or explain):
        raise click.UsageError("--lot-size and --explain apply to one ITEM, not to --all")
    from ..diagnostics import RulesetError
    from ..ruleset import load

    try:
        loaded = load(ruleset, master_data=list(master_data) or None)
    except RulesetError as error:
        report(error.diagnostics, fmt, error.sources or None)
        sys.exit(1)
    if all_items:
        sys.exit(_all(loaded, date, fmt))
    sys.exit(_one(loaded, item, lot_size, date, fmt, explain, history))


def _one(loaded, item, lot_size, date, fmt, explain, history) -> int:
    model = loaded.model
    if item not in model.items:
        from ..check import nearest

        close = nearest(item, model.items)
        hint = f"did you mean {close}?" if close else "`costsheet calc RULESET --all` lists every item"
        report((Diagnostic.error("unknown-item", f"item {item} is not defined in the ruleset", None, hint),), fmt)
        return 1
    result, diagnostics = loaded.calculate_with_diagnostics(
        item, lot_size, date, explain=explain, record=history, source="cli"
    )
    if result is None:
        report(diagnostics, fmt)
        return 1
    report(diagnostics, "table")  # warnings only: to stderr
    if fmt == "json":
        click.echo(result.to_json(explain=explain))
    else:
        from rich.console import Console

        from .tables import calculation

        Console().print(calculation(model, result, explain=explain))
    return 0


def _all(loaded, date, fmt) -> int:
    """Every item's unit cost and list price (a price-list run: not recorded in the history)."""
    from ..costing import CostResults

    codes = [code for code, item in loaded.model.items.items() if item.replenishment != "phantom"]  # never alone
    run = CostResults.collect(
        progress(loaded.calculate_many(codes, date=date), len(codes)), loaded.diagnostics
    )  # the ruleset's warnings, once
    if fmt == "json":
        click.echo(run.to_json())
    else:
        from rich.console import Console

        from .tables import summary

        report(run.diagnostics, "table")
        Console().print(summary(loaded.model, run.items.values()))
    return 1 if run.failed else 0
