"""``costsheet calc``: cost one item (or all) and show the breakdown as a table, JSON, CSV or a workbook.

The table follows the chart: headings, indentation from the begin/end
nesting, totals in bold, amounts with the setup's ``decimals amounts``
(:mod:`costsheet.cli.tables`); ``--tree`` shows the costing BOM as a tree of
cost shares instead.  The JSON is docs/json.md, "costsheet calc": the
result's own ``to_json()`` (``CostResult``, ``CostResults`` for ``--all``); the
command adds nothing to it.  CSV and workbooks are the reports of
:mod:`costsheet.reports` (docs/reports.md).  ``--all`` streams: each item's
row or JSON is written as it is costed, and no result is kept.  ``--all
--watch`` costs through a :class:`costsheet.Session` and writes the same price
list once (and to ``--output`` again on every save), then what moved
(:mod:`costsheet.cli.watch`).
"""

from __future__ import annotations

import re
import sys

import click

from ..diagnostics import Diagnostic
from .common import load_or_exit, parse_date, progress, report
from .output import report_options

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
@report_options
@click.option("--explain", is_flag=True, help="Show where every amount came from.")
@click.option(
    "--tree", is_flag=True, help="Show the costing BOM as a tree of cost shares (levels, quantities, shares)."
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Show the costing BOM at most N levels below the item (tree, CSV, workbook and JSON).",
)
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
@click.option(
    "--watch",
    is_flag=True,
    help="With --all: cost again on every save of the ruleset's files and print what moved "
    "(needs the watch extra; Ctrl-C stops, exit code 0; --output FILE is written again on every save).",
)
def command(ruleset, item, lot_size, date, output, explain, tree, depth, all_items, master_data, history, watch):
    """Cost ITEM of RULESET: element breakdown, totals, item charges, list price.

    \b
      costsheet calc demo.cost ICO-0001
      costsheet calc demo.cost ICO-0001 --lot-size 25 --date 2026-11-22 --format json
      costsheet calc demo.cost ICO-0001 --explain
      costsheet calc demo.cost ICO-0001 --tree --depth 2
      costsheet calc demo.cost ICO-0001 --output ico.xlsx
      costsheet calc demo.cost --all --output prices.csv
      costsheet calc demo.cost --all --watch
    """
    if all_items == (item is not None):
        raise click.UsageError("name one ITEM, or give --all (not both)")
    if all_items and (lot_size is not None or explain or tree or depth is not None):
        raise click.UsageError("--lot-size, --explain, --tree and --depth apply to one ITEM, not to --all")
    if tree and output.format == "json":
        raise click.UsageError("--tree is a view of the costing BOM; the JSON has it as a graph (--depth limits it)")
    if watch:
        from .watch import check_watch_output

        if not all_items:
            raise click.UsageError("--watch applies to --all")
        check_watch_output(output)
    fmt = output.format

    if watch:
        sys.exit(_watch(ruleset, list(master_data) or None, date, output))
    loaded = load_or_exit(ruleset, fmt, master_data=list(master_data) or None)
    if all_items:
        sys.exit(_all(loaded, date, output))
    sys.exit(_one(loaded, item, lot_size, date, output, explain, tree, depth, history))


def _one(loaded, item, lot_size, date, output, explain, tree, depth, history) -> int:
    fmt = output.format
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
    if depth is not None and result.bom is not None:
        import attrs

        result = attrs.evolve(result, bom_depth=depth if result.bom_depth is None else min(depth, result.bom_depth))
    if fmt == "json":
        output.json(result.to_json(explain=explain))
    elif fmt == "table" and not tree and output.part is None:
        from .tables import calculation

        output.rich(calculation(model, result, explain=explain))
    else:
        from ..reports import TREE_FILE_ROWS, TREE_ROWS, calculation_report

        rows = TREE_ROWS if fmt == "table" else TREE_FILE_ROWS
        made = calculation_report(model, result, explain=explain, tree_rows=rows)
        output.report(made, default_part="bom" if tree else None)
    return 0


def _all(loaded, date, output) -> int:
    """Every item's unit cost and list price (a price-list run: not recorded in the history); the
    results are written as they come and not kept (the table collects them: it aligns its columns)."""
    codes = [code for code, item in loaded.model.items.items() if item.replenishment != "phantom"]  # never alone
    diagnostics = list(loaded.diagnostics)  # the ruleset's warnings, once

    def results():
        for _, result, reported in progress(loaded.calculate_many(codes, date=date), len(codes)):
            diagnostics.extend(reported)
            if result is not None:
                yield result

    _write_all(loaded.model, results(), diagnostics, output)
    return 1 if any(d.is_error for d in diagnostics) else 0


def _write_all(model, results, diagnostics, output, sources=None) -> None:
    """A run over every item as ``--format``, ``--output`` and ``--part`` say, each result written as
    ``results`` yields it; ``diagnostics`` (which may grow while they are yielded) go into the JSON, or
    to standard error once the results are written or collected (``sources``: the texts they point into)."""
    if output.format == "json":
        from ..costing import CostResults

        output.json(CostResults.json_chunks(results, diagnostics))  # the warnings are in it
    elif output.format == "table" and output.part is None:
        from .tables import summary

        shown = summary(model, results)
        report(diagnostics, "table", sources)
        output.rich(shown)
    else:
        from ..reports import price_list_report

        output.report(price_list_report(model, results))
        report(diagnostics, "table", sources)
    sys.stdout.flush()


def _watch(ruleset, master_data, date, output) -> int:
    """``--all --watch``: every item once, then what moved after each save (docs/cli.md, "Watching").
    With ``--output``, the file is written again on every save and the moves go to the terminal as text."""
    from ..diagnostics import RulesetError
    from ..session import Session
    from .watch import watch

    fmt = output.format
    try:
        session = Session(ruleset, master_data=master_data, date=date)
    except RulesetError as error:
        report(error.diagnostics, fmt, error.sources or None)
        return 1
    costing = session.costing
    _write_all(costing.model, costing.results.values(), costing.diagnostics, output, costing.ruleset.sources)

    def on_update(update, seconds: float) -> None:
        costing = session.costing
        if output.path is not None:  # the file kept current; the warnings are reported with it
            _write_all(costing.model, costing.results.values(), costing.diagnostics, output, update.sources)
        if fmt == "json" and output.path is None:
            import json

            moved = {
                move.item: {
                    "unit_cost": [_text(move.old_unit_cost), _text(move.new_unit_cost)],
                    "list_price": [_text(move.old_list_price), _text(move.new_list_price)],
                }
                for move in update.moves
            }
            click.echo(json.dumps({"moved": moved, "recosted": len(update.recosted)}))  # one line per save
        else:
            from .tables import NumberFormat

            numbers = NumberFormat.of(costing.model.setup)
            if output.path is None:
                report(update.diagnostics, "table", update.sources)
            for move in update.moves:
                parts = [
                    f"{label} {numbers.amount(old)} -> {numbers.amount(new)}"
                    for label, old, new in (
                        ("unit cost", move.old_unit_cost, move.new_unit_cost),
                        ("list price", move.old_list_price, move.new_list_price),
                    )
                    if old != new
                ]
                click.echo(f"{move.item}  " + "  ".join(parts))
            click.echo(
                f"{len(update.moves)} moved, {len(update.recosted)} re-costed in {seconds * 1000:.0f} ms", err=True
            )
        sys.stdout.flush()

    return watch(session, on_update, fmt)


def _text(value) -> str | None:
    from ..numbers import to_text

    return None if value is None else to_text(value)
