"""``costsheet history``: list, show and compare recorded calculations.

The store is the one every calculation is recorded in (``--store``, else
``$COSTSHEET_HISTORY``, else the per-user data directory).  Amounts are shown
exactly as they were recorded, with no display rounding: the history is the
place to see every digit of what was calculated.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .output import report_options

if TYPE_CHECKING:
    from rich.console import JustifyMethod

__all__ = ["command"]


def _store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """The option every history subcommand takes: where the store (handed on as ``store``) is."""

    @click.option(
        "--store",
        "store_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="History database (default: $COSTSHEET_HISTORY, else ~/.local/share/costsheet/history.sqlite3).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..history import HistoryStore, StoreError

        store = HistoryStore.open(kwargs.pop("store_path"))
        try:
            return func(*args, store=store, **kwargs)
        except (StoreError, sqlite3.Error, OSError) as exc:
            click.echo(f"error[history-unreadable]: {exc}", err=True)
            click.echo(f"  = hint: check the history file {store.path} (or point --store elsewhere)", err=True)
            raise SystemExit(1) from None

    return wrapper


def _store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The store and ``--format table|json``: the options of ``list`` and ``show``."""
    return _store_option(
        click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)(func)
    )


def _print_json(data: object) -> None:
    from ..jsontext import json_text

    click.echo(json_text(data))


def _console():
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:  # piped or captured: do not squeeze tables into 80 columns
        console.width = max(console.width, 120)
    return console


def _short(ruleset_hash: str) -> str:
    return ruleset_hash[:8]


def _errors(diagnostics: Any) -> int:
    return sum(1 for d in diagnostics if d.get("severity") == "error")


def _no_history(store: Any) -> str:
    return f"no history at {store.path}: no calculation has been recorded there"


def _get(store: Any, calculation_id: int) -> Any:
    if not store.path.exists():
        click.echo(f"error[history-not-found]: there is {_no_history(store)}", err=True)
        click.echo("  = hint: check --store and $COSTSHEET_HISTORY; `costsheet calc` records calculations", err=True)
        raise SystemExit(1)
    calc = store.get(calculation_id)
    if calc is None:
        click.echo(f"error[history-not-found]: no calculation {calculation_id} in {store.path}", err=True)
        click.echo("  = hint: `costsheet history list` shows the recorded ids", err=True)
        raise SystemExit(1)
    return calc


@click.group(name="history")
def command() -> None:
    """List, show and compare recorded calculations.

    Every calculation made with `costsheet calc` (and through the service) is
    recorded with its inputs, its full result and its log.
    """


@command.command(name="list")
@click.option("--item", default=None, help="Only the calculations of this item.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many, newest first."
)
@_store_options
def list_command(item: str | None, limit: int, fmt: str, store: Any) -> None:
    """List recorded calculations, newest first."""
    calcs = store.list(item=item, limit=limit)
    if fmt == "json":
        rows = []
        for calc in calcs:
            row = calc.to_dict()
            row.pop("result")
            diagnostics = row.pop("diagnostics")
            row.update(ok=calc.ok, errors=_errors(diagnostics), warnings=len(diagnostics) - _errors(diagnostics))
            rows.append(row)
        _print_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"Calculations in {store.path}", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("id", "right"),
        ("recorded (UTC)", "left"),
        ("item", "left"),
        ("lot", "right"),
        ("date", "left"),
        ("unit cost", "right"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=True)
    table.add_column("ruleset", overflow="fold", min_width=12)
    table.add_column("log", no_wrap=True)
    for calc in calcs:
        errors = _errors(calc.diagnostics)
        log = f"{errors} error" if errors else (f"{len(calc.diagnostics)} warn" if calc.diagnostics else "ok")
        ruleset = f"{_short(calc.ruleset_hash)} {Path(calc.ruleset_path).name if calc.ruleset_path else ''}".strip()
        table.add_row(
            str(calc.id),
            calc.recorded_at.replace("T", " ")[:16],
            calc.item,
            calc.lot_size or "",
            calc.date or "",
            calc.unit_cost or "-",
            ruleset,
            log,
        )
    if not store.path.exists():  # a new path (or a typo): say so, and create nothing
        click.echo(f"There is {_no_history(store)} (nothing was created; check --store and $COSTSHEET_HISTORY).")
        return
    if not calcs:
        click.echo("No calculations recorded" + (f" for {item}" if item else "") + f" in {store.path}.")
        return
    _console().print(table)


def _kv_table(title: str, rows: list[tuple[str, str]]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("", overflow="fold")
    for key, value in rows:
        table.add_row(key, value)
    return table


def _result_tables(result: Mapping[str, Any]) -> list[Any]:
    from rich.table import Table

    from ..model import code_sort_key as code_key

    tables = []
    elements = result.get("elements") or {}
    if elements:
        table = Table(title="Cost elements", title_justify="left")
        table.add_column("element")
        table.add_column("single-level", justify="right")
        table.add_column("rolled-up", justify="right")
        for code in sorted(elements, key=code_key):
            table.add_row(code, str(elements[code].get("single_level", "")), str(elements[code].get("rolled_up", "")))
        tables.append(table)
    totals = result.get("totals") or {}
    if totals:
        tables.append(_kv_table("Totals", [(code, str(totals[code])) for code in sorted(totals, key=code_key)]))
    charges = result.get("charges") or []
    if charges:
        table = Table(title="Charges", title_justify="left")
        columns: tuple[tuple[str, JustifyMethod], ...] = (
            ("line", "right"),
            ("row", "left"),
            ("description", "left"),
            ("element", "left"),
            ("value", "right"),
        )
        for name, justify in columns:
            table.add_column(name, justify=justify)
        for line in charges:
            table.add_row(
                *(
                    str(line.get(k) if line.get(k) is not None else "")
                    for k in ("line", "row", "description", "element", "value")
                )
            )
        tables.append(table)
    prices = result.get("prices") or []
    if prices:
        table = Table(title="Prices", title_justify="left")
        for name in ("kind", "sales type", "sales code", "price", "starting date"):
            table.add_column(name, justify="right" if name == "price" else "left")
        for price in prices:
            table.add_row(
                *(str(price.get(k) or "") for k in ("kind", "sales_type", "sales_code", "price", "starting_date"))
            )
        tables.append(table)
    return tables


def _print_bom(console: Any, data: object) -> None:
    """The recorded costing BOM as the tree `costsheet calc` shows (exact amounts, at most BOM_ROWS rows)."""
    from ..costing import BomNode
    from .tables import bom_view

    try:
        root = BomNode.from_json(data)
    except ValueError as error:
        click.echo(f"Costing BOM not shown: {error}; `--format json` shows it as recorded.")
        return
    if root.components:
        console.print(bom_view(root))


def _inputs_table(inputs: Any) -> Any:
    """Every file the calculation read, with its content hash (or why there is no list)."""
    from rich.table import Table

    if inputs is None:
        return (
            "Input files: not recorded for this calculation (records from before costsheet kept a file list have none)"
        )
    table = Table(title="Input files", title_justify="left")
    for name in ("kind", "file", "sha256"):
        table.add_column(name, overflow="fold")
    for given in inputs:
        table.add_row(given.kind, given.path, given.sha256)
    return table


@command.command(name="show")
@click.argument("calculation_id", metavar="ID", type=int)
@_store_options
def show_command(calculation_id: int, fmt: str, store: Any) -> None:
    """Show one recorded calculation: its inputs, result and log."""
    calc = _get(store, calculation_id)
    if fmt == "json":
        click.echo(calc.to_json())
        return
    result = calc.result or {}
    console = _console()
    console.print(
        _kv_table(
            f"Calculation {calc.id}",
            [
                ("recorded (UTC)", calc.recorded_at),
                ("source", calc.source),
                ("ruleset", calc.ruleset_path or "(submitted text)"),
                ("ruleset hash", calc.ruleset_hash),
                ("item", calc.item),
                ("lot size", calc.lot_size or ""),
                ("date", calc.date or ""),
                ("unit cost", calc.unit_cost or "(no result)"),
                ("list price", str(result.get("list_price") or "")),
            ],
        )
    )
    console.print(_inputs_table(calc.inputs))
    for table in _result_tables(result):
        console.print(table)
    if result.get("bom") is not None:
        _print_bom(console, result["bom"])
    if calc.diagnostics:
        from ..diagnostics import Diagnostic, Severity, Span, render_text

        def rebuild(d: Mapping[str, Any]) -> Diagnostic:
            span = Span(d["file"], d["line"], d["column"], d["end_line"], d["end_column"]) if d.get("file") else None
            return Diagnostic(Severity(d["severity"]), d["code"], d["message"], span, d.get("hint"))

        click.echo("Log:")
        click.echo(render_text([rebuild(d) for d in calc.diagnostics]))


def _hash(value: str | None) -> str:
    """A content hash as the diff table shows it: its first 12 digits (JSON has all 64)."""
    return value[:12] if value else "-"


def _amount(value, numeric: bool) -> str:
    """An amount as the tables show it: 2 to 5 decimals (the default `decimals amounts`).

    ``--format json`` keeps the exact values."""
    from ..numbers import D, quantize_display

    if value is None:
        return "-"
    if not numeric:
        return str(value)
    try:
        return quantize_display(D(value), 2, 5)
    except (TypeError, ValueError):
        return str(value)


@command.command(name="diff")
@click.argument("before_id", metavar="ID", type=int)
@click.argument("after_id", metavar="ID", type=int)
@_store_option
@report_options
def diff_command(before_id: int, after_id: int, output: Any, store: Any) -> None:
    """Compare two calculations: which inputs changed, and every amount that moved, by how much.

    The table shows amounts with 2 to 5 decimals; --format json (or csv, xlsx) has the exact values."""
    from ..history import diff

    before, after = _get(store, before_id), _get(store, after_id)
    result = diff(before, after)
    if output.format == "json":
        output.json(result.to_json())
        return
    if output.format != "table" or output.part is not None or output.path is not None:
        from ..reports import diff_report

        output.report(diff_report(result))
        return
    from rich.table import Table

    console = _console()
    inputs = Table(title=f"Inputs: {before_id} → {after_id}", title_justify="left")
    for name in ("input", "before", "after", "change"):
        inputs.add_column(name, overflow="fold")
    for change in result.inputs:
        if change.section == "file":  # before/after are content hashes; None where the file was not read
            status = "added" if change.before is None else "removed" if change.after is None else "changed"
            inputs.add_row(f"{change.field} file {change.key}", _hash(change.before), _hash(change.after), status)
        else:
            inputs.add_row(change.key.replace("_", " "), change.before or "", change.after or "", "")
    if result.inputs:
        console.print(inputs)
    else:
        what = (
            "ruleset, input files, item, lot size, date" if result.files_compared else "ruleset, item, lot size, date"
        )
        click.echo(f"Same inputs ({what}) in {before_id} and {after_id}.")
    if not result.files_compared:
        click.echo(
            "Input files not compared: they were not recorded for "
            + " and ".join(str(i) for i, c in ((before_id, before), (after_id, after)) if c.inputs is None)
            + "."
        )
    if result.same:
        click.echo("Same results.")
    else:
        changes = Table(title="Changes", title_justify="left")
        columns: tuple[tuple[str, JustifyMethod], ...] = (
            ("what", "left"),
            ("before", "right"),
            ("after", "right"),
            ("change", "right"),
            ("%", "right"),
        )
        for name, justify in columns:
            changes.add_column(name, justify=justify)
        for change in result.changes:
            what = " ".join(
                part
                for part in (
                    change.section.replace("_", " "),
                    change.key,
                    "" if change.field == "value" else change.field.replace("_", "-"),
                )
                if part
            )
            delta, percent = change.delta, change.percent
            changes.add_row(
                what,
                _amount(change.before, change.numeric),
                _amount(change.after, change.numeric),
                ("+" if delta is not None and delta > 0 else "") + _amount(delta, delta is not None),
                (f"{percent:+f}" if percent is not None else ""),
            )
        console.print(changes)
    for label, diagnostics in (
        ("New in the log", result.diagnostics_added),
        ("Gone from the log", result.diagnostics_removed),
    ):
        for d in diagnostics:
            click.echo(f"{label}: {d.get('severity')}[{d.get('code')}]: {d.get('message')}")
