"""``costsheet value``: value inventory ledgers with each item's costing method.

A readable table per item, then the production orders, by default (:mod:`costsheet.cli.tables`);
``--format json`` prints the result's own ``ValuationResult.to_json()``, the
valuation JSON of docs/json.md, "costsheet value", the warnings included; CSV and
workbooks are :func:`costsheet.reports.valuation_report` (docs/reports.md).
Ledgers come from the ruleset's ``ledger`` blocks and from ``--ledger-csv`` files (a CSV ledger for an item
that also has one in the ruleset replaces it, with a warning).
"""

from __future__ import annotations

import sys

import click

from .common import parse_date, report
from .output import report_options

__all__ = ["command"]


@click.command()
@click.argument("ruleset", type=click.Path())
@click.option("--item", metavar="ITEM", help="Value this item only.")
@click.option(
    "--as-of",
    "as_of",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Inventory value as of this date (entries, charges, revaluations dated on or before it).",
)
@report_options
@click.option("--adjustments", is_flag=True, help="Show how each decrease's cost came about.")
@click.option(
    "--ledger-csv",
    "ledger_csv",
    type=click.Path(dir_okay=False),
    multiple=True,
    metavar="FILE",
    help="Ledger CSV (item,date,type,quantity,cost,location,variant,applies_to).",
)
def command(ruleset, item, as_of, output, adjustments, ledger_csv):
    """Value the inventory ledgers of RULESET with each item's costing method.

    \b
      costsheet value demo.cost
      costsheet value demo.cost --item ITEM-A --as-of 2020-03-31
      costsheet value demo.cost --format json --adjustments
      costsheet value demo.cost --ledger-csv ledgers.csv
      costsheet value demo.cost --output valuation.xlsx
    """
    fmt = output.format
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
        output.json(result.to_json(adjustments=adjustments, diagnostics=found))
    elif fmt == "table" and output.part is None:
        from .tables import valuation

        report(tuple(found), "table")
        if result.items or not failed:  # with nothing valued, the errors are the whole answer
            output.rich(valuation(model, result, adjustments=adjustments))
    else:
        from ..reports import valuation_report

        report(tuple(found), "table")
        output.report(valuation_report(model, result, adjustments=adjustments))
    sys.exit(1 if failed else 0)
