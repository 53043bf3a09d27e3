"""``costsheet where-used``: every item a code reaches (docs/costing.md, "Where-used").

The answer comes from :mod:`costsheet.whereused`; this module finds what the
code names, says so when it is unknown or ambiguous, and shows the answer as
tables (rich), as the JSON of docs/json.md ("costsheet where-used"), or as
CSV and workbooks (:func:`costsheet.reports.where_used_report`, docs/reports.md).
"""

from __future__ import annotations

import json
import sys

import click

from ..diagnostics import Diagnostic
from .common import load_or_exit, parse_date, report
from .output import report_options

__all__ = ["ROWS", "command", "to_json"]

#: The table of reached items stops after this many rows and says how many it left out.
ROWS = 200
#: Paths shown per row in the table (the JSON has up to costsheet.whereused.MAX_PATHS).
TABLE_PATHS = 3

KINDS = ("item", "resource", "condition", "element", "vendor")


@click.command()
@click.argument("ruleset", type=click.Path())
@click.argument("code")
@click.option("--kind", type=click.Choice(KINDS), help="What CODE is, when it names several things.")
@click.option(
    "--date",
    "date",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Count only the price and discount lines, BOM and routing versions valid on this date (default: all).",
)
@report_options
@click.option(
    "--master-data",
    "master_data",
    type=click.Path(exists=True),
    multiple=True,
    help="CSV master data (a directory or files: items, bom, routing, prices ...).",
)
def command(ruleset, code, kind, date, output, master_data):
    """Every item CODE reaches in RULESET: a component through BOM lines (with the paths and the
    quantity per unit of each item above it), a resource through routings (time per unit), a
    condition through assignments and defaults, an element through the items whose breakdown
    carries it, a vendor through its items.

    \b
      costsheet where-used demo.cost ICO-0005
      costsheet where-used demo.cost WC-100 --format json
      costsheet where-used demo.cost V-3000 --kind vendor --date 2026-06-15
      costsheet where-used demo.cost ICO-0005 --output ico-0005.xlsx

    Exit status: 0 answered, 1 the ruleset has errors or CODE names nothing
    (unknown-code, with a did-you-mean), 2 wrong usage (CODE names several
    kinds of thing and --kind is not given: ambiguous-code).
    """
    from ..whereused import Kind, build_index

    fmt = output.format

    loaded = load_or_exit(ruleset, fmt, master_data=list(master_data) or None)
    index = build_index(loaded.model, date)  # on a date: the BOM and routing versions valid then
    kinds = index.kinds_of(code)
    if kind is not None:
        wanted = Kind(kind)
        if wanted not in kinds:
            report((_unknown(index, code, (wanted,), kinds),), fmt)
            sys.exit(1)
    elif not kinds:
        report((_unknown(index, code, tuple(Kind), ()),), fmt)
        sys.exit(1)
    elif len(kinds) > 1:
        names = ", ".join(k.value for k in kinds)
        report(
            (
                Diagnostic.error(
                    "ambiguous-code",
                    f"{code} names {_listed(kinds, 'and')} in the ruleset",
                    None,
                    f"say which with --kind ({names})",
                ),
            ),
            fmt,
        )
        sys.exit(2)
    else:
        wanted = kinds[0]
    answer = index.where_used(code, wanted, date)
    if fmt == "json":
        output.json(json.dumps(to_json(loaded.model, answer), indent=2))
    elif fmt == "table" and output.part is None and output.path is None:
        _print(loaded.model, answer)
    else:
        from ..reports import where_used_report

        output.report(where_used_report(loaded.model, answer))
    sys.exit(0)


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _listed(kinds, conjunction: str) -> str:
    """``an item, a condition and a vendor`` (or ``or``)."""
    words = [_a(k.value) for k in kinds]
    return ", ".join(words[:-1]) + f" {conjunction} {words[-1]}" if len(words) > 1 else words[0]


def _unknown(index, code: str, wanted, kinds) -> Diagnostic:
    from ..check.nearest import nearest

    candidates = {candidate: None for k in wanted for candidate in index.codes(k)}
    close = nearest(code, candidates)
    if kinds:
        hint = f"{code} is {_listed(kinds, 'and')}: give --kind {kinds[0].value}"
    elif close:
        hint = f"did you mean {close}?"
    else:
        hint = "`costsheet calc RULESET --all` lists every item"
    return Diagnostic.error("unknown-code", f"{code} is not {_listed(wanted, 'or')} of the ruleset", None, hint)


def to_json(model, answer) -> dict:
    """The JSON of docs/json.md, "costsheet where-used"."""
    from ..numbers import to_text

    def number(value):
        return None if value is None else to_text(value)

    return {
        "code": answer.code,
        "kind": answer.kind.value,
        "date": answer.date.isoformat() if answer.date else None,
        "measure": answer.measure,
        "uses": [
            {
                "item": use.item,
                "via": use.via,
                "detail": use.detail,
                "per_unit": number(use.per_unit),
                "rolls_up": use.rolls_up,
            }
            for use in answer.uses
        ],
        "items": [
            {
                "item": row.item,
                "description": _description(model, row.item),
                "depth": row.depth,
                "top": row.top,
                "per_unit": number(row.per_unit),
                "path_count": row.path_count,
                "paths": [list(path) for path in row.paths],
            }
            for row in answer.items
        ],
    }


def _description(model, code: str) -> str:
    item = model.items.get(code)
    return item.description if item is not None else ""


def _print(model, answer) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..numbers import quantize_display

    low, high = model.setup.quantity_decimals

    def measure(value) -> str:
        if value is None:
            return ""
        return quantize_display(value, low, high) + (" s" if answer.measure == "seconds" else "")

    console = Console()
    when = f" on {answer.date.isoformat()}" if answer.date else ""
    console.print(Text(f"Where-used: {answer.kind.value} {answer.code}{when}", style="bold"))
    if not answer.uses:
        console.print(f"No item uses {answer.code}.")
        return
    column = {"quantity": "Quantity per", "seconds": "Time per unit"}.get(answer.measure)
    uses = Table(title="Used directly", show_edge=False, header_style="bold", title_justify="left")
    uses.add_column("Item")
    uses.add_column("How")
    if column:
        uses.add_column(column, justify="right")
    for use in answer.uses:
        uses.add_row(use.item, use.detail, *([measure(use.per_unit)] if column else []))
    console.print(uses)
    reached = Table(title="Items reached", show_edge=False, header_style="bold", title_justify="left")
    for name, right in (("Item", False), ("Description", False), ("Level", True), ("Top", False)):
        reached.add_column(name, justify="right" if right else "left")
    if column:
        reached.add_column(column, justify="right")
    reached.add_column("Paths")
    for row in answer.items[:ROWS]:
        shown = [" -> ".join(path) for path in row.paths[:TABLE_PATHS]]
        more = (row.path_count if row.path_count is not None else len(row.paths)) - len(shown)
        if more > 0:
            shown.append(f"... {more:,} more")
        reached.add_row(
            row.item,
            _description(model, row.item),
            str(row.depth),
            "yes" if row.top else "",
            *([measure(row.per_unit)] if column else []),
            "\n".join(shown),
        )
    console.print(reached)
    if len(answer.items) > ROWS:
        console.print(
            f"{len(answer.items) - ROWS:,} more items not shown: the table stops after {ROWS} rows "
            "(--format json lists every item)"
        )
