"""The report options every report command takes, and writing what it answers where they say.

``--format table|json|csv|xlsx`` (default ``table``, or the format ``--output``'s
extension names), ``--output FILE`` (default standard output; a workbook needs
a file) and ``--part NAME`` (one part of the report: one table, one CSV, one
sheet).  The table and the JSON are each command's own; CSV and workbooks go
through :func:`costsheet.reports.write_report` (docs/reports.md).  A bad
``--output`` is a located diagnostic on standard error, never a traceback:
``output-format-unknown``, ``output-needs-file``, ``unknown-part`` (exit 2),
``output-unwritable``, ``xlsx-unavailable`` (exit 1).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from ..diagnostics import Diagnostic, render_text

__all__ = ["report_options", "Output"]

FORMATS = ("table", "json", "csv", "xlsx")
#: the exit status of each output diagnostic: 2 wrong usage, 1 the file could not be written
_STATUS = {
    "output-format-unknown": 2,
    "output-needs-file": 2,
    "unknown-part": 2,
    "output-unwritable": 1,
    "xlsx-unavailable": 1,
}


class Output:
    """Where a command's answer goes and as what; made by :func:`report_options` from the options."""

    def __init__(self, fmt: str, path: str | None, part: str | None) -> None:
        self.format = fmt
        self.path = path
        self.part = part

    @property
    def is_json(self) -> bool:
        return self.format == "json"

    def fail(self, error: Any) -> None:
        """Report a :class:`costsheet.reports.ReportError` on standard error and exit."""
        diagnostic = Diagnostic.error(error.code, error.message, None, error.hint)
        click.echo(render_text((diagnostic,), {}), err=True, nl=False)
        sys.exit(_STATUS.get(error.code, 1))

    def json(self, chunks: str | Iterable[str]) -> None:
        """The command's JSON text (or its pieces, in order) and a line end, to ``--output`` or stdout."""
        pieces = [chunks] if isinstance(chunks, str) else chunks
        if self.path is None:
            for piece in pieces:
                click.echo(piece, nl=False)
            click.echo()
            return
        from ..reports import ReportError, replacing

        try:
            with replacing(Path(self.path), binary=False) as stream:
                for piece in pieces:
                    stream.write(piece)
                stream.write("\n")
        except ReportError as error:
            self.fail(error)

    def rich(self, renderable: Any) -> None:
        """A command's own rich table, to the terminal or as plain text to ``--output``."""
        from rich.console import Console

        from ..reports import TABLE_WIDTH, PlainTable, ReportError, replacing

        def show(console: Console) -> None:
            if isinstance(renderable, PlainTable):
                renderable.print(console)  # line by line: it may have a row per item of a large ruleset
            else:
                console.print(renderable)

        if self.path is None:
            show(Console())
            return
        try:
            with replacing(Path(self.path), binary=False) as stream:
                show(Console(file=stream, width=TABLE_WIDTH, no_color=True, highlight=False))
        except ReportError as error:
            self.fail(error)

    def report(self, report: Any, default_part: str | None = None) -> None:
        """Write a :class:`costsheet.reports.Report` as ``table``, ``csv`` or ``xlsx``.

        CSV to standard output is one table: ``--part`` (else ``default_part``, else the first part);
        the parts left out are named on standard error, and so are the notes of the parts written (a
        CSV has no room for them).
        """
        from ..reports import ReportError, write_report

        part = self.part or default_part
        if self.format == "csv" and self.path is None and part is None and len(report.parts) > 1:
            part = report.parts[0].name
            others = ", ".join(report.names[1:])
            click.echo(
                f"note: CSV is one table: wrote the part {part}; --part NAME writes another ({others}), "
                "--output FILE.csv writes each to its own file",
                err=True,
            )
        try:
            written = write_report(report, self.format, self.path, part=part)
        except ReportError as error:
            self.fail(error)
        if len(written) > 1:  # one file per part: say where they went
            click.echo(f"note: wrote {', '.join(str(path) for path in written)}", err=True)
        if self.format == "csv":  # a CSV is the table alone: what a limit left out is said here
            for written in report.parts:
                if part is None or written.name == part:
                    for note in written.notes:
                        click.echo(f"note: {written.name}: {note}", err=True)


def _resolve(fmt: str | None, path: str | None) -> Output:
    from ..reports import ReportError, format_of

    output = Output(fmt or "table", path, None)
    if path is None:
        if fmt == "xlsx":
            output.fail(
                ReportError("output-needs-file", "a workbook is not written to the terminal", "give --output FILE.xlsx")
            )
        return output
    try:
        if fmt is None:
            output.format = format_of(path)
        target = Path(path)
        parent = target.parent if str(target.parent) else Path(".")
        if target.is_dir():
            raise ReportError("output-unwritable", f"cannot write {path}: it is a directory", "name a file")
        if not parent.is_dir():
            raise ReportError(
                "output-unwritable",
                f"cannot write {path}: the folder {parent} does not exist",
                "create the folder first, or name a file in one that exists",
            )
        if not os.access(parent, os.W_OK):
            raise ReportError(
                "output-unwritable",
                f"cannot write {path}: the folder {parent} is not writable",
                "name a file in a folder you may write to",
            )
    except ReportError as error:
        output.fail(error)
    return output


def report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--format``, ``--output`` and ``--part``, handed to the command as one ``output`` argument; the
    format and the path are checked before the command runs (a bad one exits at once)."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="table, json, csv or xlsx (default: table, or what --output's extension names).",
    )
    @click.option(
        "--output",
        "output_path",
        type=click.Path(),
        default=None,
        metavar="FILE",
        help="Write to FILE instead of standard output (.txt, .json, .csv or .xlsx).",
    )
    @click.option("--part", default=None, metavar="NAME", help="Write only this part of the report (one table).")
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        output = _resolve(kwargs.pop("fmt"), kwargs.pop("output_path"))
        output.part = kwargs.pop("part")
        return func(*args, output=output, **kwargs)

    return wrapper
