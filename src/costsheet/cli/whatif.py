"""``costsheet whatif``: a scenario's unit costs and list prices next to the ruleset's own
(docs/scenarios.md).  The JSON is the result's ``to_json()`` (docs/json.md, "costsheet whatif")."""

from __future__ import annotations

import datetime as dt
import sys

import click

from .calc import _lot_size
from .common import load_or_exit, parse_date, report
from .output import report_options
from .scenario_common import items_or_exit, named

__all__ = ["command"]


@click.command()
@click.argument("ruleset", type=click.Path())
@click.argument("scenario")
@click.argument("items", nargs=-1)
@click.option("--all", "all_items", is_flag=True, help="Every item of the ruleset.")
@click.option("--lot-size", callback=_lot_size, metavar="N", help="Lot size of the items named (default: their own).")
@click.option("--date", "date", callback=parse_date, metavar="YYYY-MM-DD", help="Calculation date (default: today).")
@report_options
def command(ruleset, scenario, items, all_items, lot_size, date, output):
    """Cost ITEMs (or --all) of RULESET with SCENARIO applied: base, scenario, difference, %.

    \b
      costsheet whatif demo.cost STEEL-UP ICO-0001
      costsheet whatif demo.cost STEEL-UP --all --date 2026-11-22 --format json
    """
    fmt = output.format
    from ..scenarios import Baseline, read_definitions, run_whatif

    loaded = load_or_exit(ruleset, fmt)
    chosen = named(read_definitions(loaded.files).scenarios, scenario, "scenario", fmt)
    codes = items_or_exit(loaded.model, items, all_items, fmt)
    base = Baseline.build(loaded.model, loaded.program, codes, date or dt.date.today(), lot_size)
    result = run_whatif(base, chosen)
    failed = any(d.is_error for d in result.diagnostics)
    report((*loaded.diagnostics, *result.diagnostics), "table")  # warnings (and failed items) to stderr
    if fmt == "json":
        output.json(result.to_json())
    elif fmt == "table" and output.part is None and output.path is None:
        from rich.console import Console

        from .scenario_tables import whatif_table

        Console().print(whatif_table(loaded.model, result))
    else:
        from ..reports import whatif_report

        output.report(whatif_report(loaded.model, result))
    sys.exit(1 if failed else 0)
