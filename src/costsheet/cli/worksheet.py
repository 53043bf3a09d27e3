"""``costsheet worksheet``: the standard cost worksheet, and with ``--implement`` its write-back.

The worksheet is :func:`costsheet.worksheet.standard_cost_worksheet` (frozen data; the JSON is
its ``to_dict()``, docs/json.md, "costsheet worksheet"); :func:`table` presents it; the
write-back is :mod:`costsheet.writeback`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic
from .common import load_or_exit, parse_date, report
from .output import report_options

__all__ = ["command", "table"]


def table(model, worksheet):
    """The worksheet as rich tables: per item its standard cost and each share by kind, current
    beside new, the difference and the percentage; then the prices proposed."""
    from rich.console import Group
    from rich.text import Text

    from ..model import CostKind
    from .tables import Column, NumberFormat, _table

    numbers = NumberFormat.of(model.setup)
    rows: list = []
    for line in worksheet.lines:
        if rows:
            rows.append(None)
        mark = "*" if line.changed else ""
        current = None if line.current is None else line.current.amount
        percent = "" if line.percent is None else f"{line.percent}%"
        rows.append(
            (
                (line.item, "bold"),
                "standard cost",
                numbers.amount(current),
                (numbers.amount(line.new_amount), "bold"),
                numbers.amount(line.difference),
                percent,
                mark,
            )
        )
        for kind in CostKind:
            old, new = line.current_share(kind), line.new_shares[kind]
            if old or new:
                rows.append(
                    ("", f"  {kind.value}", numbers.amount(old), numbers.amount(new), numbers.amount(new - old), "", "")
                )
    columns: tuple[Column, ...] = (
        ("Item", "left"),
        ("", "left"),
        ("Current", "number"),
        ("New", "number"),
        ("Difference", "number"),
        ("%", "right"),
        ("", "left"),
    )
    parts: list = [_table(columns, rows, title=f"Standard cost worksheet · {worksheet.date}")]
    if worksheet.prices:
        price_rows = [
            (
                price.item,
                price.kind,
                " ".join(filter(None, (price.sales_type, price.sales_code))) if price.kind == "sales-price" else "",
                numbers.amount(None if price.current is None else price.current.amount),
                numbers.amount(price.new_amount),
                numbers.amount(price.difference),
                "*" if price.changed else "",
            )
            for price in worksheet.prices
        ]
        price_columns: tuple[Column, ...] = (
            ("Item", "left"),
            ("Price", "left"),
            ("Sales type", "left"),
            ("Current", "number"),
            ("New", "number"),
            ("Difference", "number"),
            ("", "left"),
        )
        parts.append(_table(price_columns, price_rows, title="Prices"))
    changed = sum(line.changed for line in worksheet.lines) + sum(price.changed for price in worksheet.prices)
    parts.append(Text(f"{changed} to change (*)" if changed else "no differences"))
    return Group(*parts)


@click.command()
@click.argument("ruleset", type=click.Path())
@click.argument("items", nargs=-1)
@click.option("--all", "all_items", is_flag=True, help="Every item of the ruleset.")
@click.option("--date", "date", callback=parse_date, metavar="YYYY-MM-DD", help="Calculation date (default: today).")
@report_options
@click.option(
    "--implement", is_flag=True, help="Write the new standard costs and prices back where each item is declared."
)
@click.option(
    "--from",
    "starting",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="With --implement: write dated `standard-cost ITEM from DATE` declarations, with shares.",
)
@click.option(
    "--prices-csv",
    "prices_csv",
    type=click.Path(dir_okay=False),
    help="Write the proposed prices as a CSV file for the ERP's sales price import.",
)
@click.option(
    "--master-data",
    "master_data",
    type=click.Path(exists=True),
    multiple=True,
    help="CSV master data (a directory or files); default: the ruleset's setup master-data.",
)
def command(ruleset, items, all_items, date, output, implement, starting, prices_csv, master_data):
    """The standard cost worksheet of ITEMs (or --all): current and new standard costs.

    \b
      costsheet worksheet demo.cost ICO-0001 --date 2026-12-01
      costsheet worksheet demo.cost --all --implement
      costsheet worksheet demo.cost --all --implement --from 2027-01-01 --prices-csv prices.csv
      costsheet worksheet demo.cost --all --output worksheet.xlsx

    Exit status: 0, also when there are differences; 1 when the ruleset or an item's
    calculation has errors (then nothing is written).
    """
    if all_items == bool(items):
        raise click.UsageError("name one or more ITEMs, or give --all (not both)")
    if starting is not None and not implement:
        raise click.UsageError("--from applies to --implement")
    import datetime as dt

    fmt = output.format
    from ..worksheet import standard_cost_worksheet

    loaded = load_or_exit(ruleset, fmt, master_data=list(master_data) or None)
    unknown = [code for code in items if code not in loaded.model.items]
    if unknown:
        from ..check import nearest

        found = []
        for code in unknown:
            close = nearest(code, loaded.model.items)
            hint = f"did you mean {close}?" if close else "`costsheet worksheet RULESET --all` shows every item"
            found.append(Diagnostic.error("unknown-item", f"item {code} is not defined in the ruleset", None, hint))
        report(found, fmt)
        sys.exit(1)
    worksheet = standard_cost_worksheet(loaded, None if all_items else items, date or dt.date.today())
    if worksheet.failed:
        report(worksheet.diagnostics, fmt)
        sys.exit(1)
    report(worksheet.diagnostics, "table")  # warnings only: to stderr
    written = None
    if implement:
        from ..writeback import WriteBackError, plan_write_back, write_files

        written = plan_write_back(loaded, worksheet, starting=starting)
        try:
            write_files(written)
        except (WriteBackError, OSError) as error:
            report((Diagnostic.error("write-back-failed", str(error), None, "run the worksheet again"),), fmt)
            sys.exit(1)
    if prices_csv:
        from ..writeback import prices_csv as price_file

        Path(prices_csv).write_text(price_file(worksheet, starting), encoding="utf-8")
    wrote = [*(sorted(written.files) if written is not None else ()), *([prices_csv] if prices_csv else ())]
    if fmt == "json":
        from ..jsontext import json_text

        data = worksheet.to_dict()
        if written is not None:
            data["implemented"] = written.to_dict()
        output.json(json_text(data))
    elif fmt == "table" and output.part is None and output.path is None:
        from rich.console import Console

        console = Console()
        console.print(table(loaded.model, worksheet))
        for name in wrote:
            console.print(f"wrote {name}", highlight=False)
        sys.exit(0)
    else:
        from ..reports import worksheet_report

        output.report(worksheet_report(loaded.model, worksheet))
    for name in wrote:  # the answer went to a file or is CSV: what was written is said on stderr
        click.echo(f"note: wrote {name}", err=True)
    sys.exit(0)
