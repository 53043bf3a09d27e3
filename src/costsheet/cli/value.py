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

from .common import load_or_exit, parse_date, report
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
@click.option(
    "--watch",
    is_flag=True,
    help="Value again on every save of the ruleset's files and print the items whose value moved "
    "(needs the watch extra; Ctrl-C stops, exit code 0; --output FILE is written again on every save).",
)
def command(ruleset, item, as_of, output, adjustments, ledger_csv, watch):
    """Value the inventory ledgers of RULESET with each item's costing method.

    \b
      costsheet value demo.cost
      costsheet value demo.cost --item ITEM-A --as-of 2020-03-31
      costsheet value demo.cost --format json --adjustments
      costsheet value demo.cost --ledger-csv ledgers.csv
      costsheet value demo.cost --output valuation.xlsx
      costsheet value demo.cost --watch
    """
    fmt = output.format
    if watch:
        from .watch import check_watch_output

        check_watch_output(output)

    if watch:
        sys.exit(_watch(ruleset, item, as_of, output, adjustments, ledger_csv))
    loaded = load_or_exit(ruleset, fmt, ledger_csv=ledger_csv)
    sys.exit(_show(loaded, item, as_of, output, adjustments)[0])


def _show(loaded, item, as_of, output, adjustments):
    """``(exit code, result or None)``: the valuation written as ``--format`` and ``--output`` say."""
    fmt = output.format
    model = loaded.model
    result, found = loaded.value_with_diagnostics(item, as_of)
    if result is None:
        report(found, fmt)
        return 1, None
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
    sys.stdout.flush()
    return 1 if failed else 0, result


def _watch(ruleset, item, as_of, output, adjustments, ledger_csv) -> int:
    """``--watch``: the valuation once, then the items whose quantity or value moved after each save
    (with ``--output``, the file is written again first; the moves go to the terminal as text)."""
    fmt = output.format
    from ..diagnostics import RulesetError
    from ..session import Session
    from .watch import watch

    try:
        session = Session(ruleset, ledger_csv=ledger_csv)
    except RulesetError as error:
        report(error.diagnostics, fmt, error.sources or None)
        return 1
    last = [_show(session.ruleset, item, as_of, output, adjustments)[1]]

    def on_update(update, seconds: float) -> None:
        import json

        from ..numbers import to_text

        if output.path is not None:  # the file kept current; _show reported what valuing found
            result, found = _show(session.ruleset, item, as_of, output, adjustments)[1], ()
        else:
            result, found = session.ruleset.value_with_diagnostics(item, as_of)
            if result is None:
                report(found, fmt)
        if result is None:
            return
        before = last[0].items if last[0] is not None else {}
        moved = {}
        for key in sorted(before.keys() | result.items.keys()):
            old, new = before.get(key), result.items.get(key)
            pair = [
                None if v is None else (to_text(v.quantity_on_hand), to_text(v.inventory_value)) for v in (old, new)
            ]
            if pair[0] != pair[1]:
                moved[key] = pair
        last[0] = result
        if fmt == "json" and output.path is None:
            click.echo(
                json.dumps(
                    {
                        "moved": {
                            k: [None if p is None else {"quantity_on_hand": p[0], "inventory_value": p[1]} for p in v]
                            for k, v in moved.items()
                        }
                    }
                )
            )
        else:
            report(found, "table")
            for key, (old, new) in moved.items():
                shown = [("-" if p is None else f"{p[0]} on hand, value {p[1]}") for p in (old, new)]
                click.echo(f"{key}  {shown[0]} -> {shown[1]}")
            click.echo(f"{len(moved)} moved in {seconds * 1000:.0f} ms", err=True)
        sys.stdout.flush()

    return watch(session, on_update, fmt)
