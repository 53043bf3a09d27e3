"""What the commands share: option parsing and how diagnostics are shown."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

import click

from ..diagnostics import Diagnostic, render_json, render_text
from ..jsontext import json_text

__all__ = ["parse_date", "report", "sources_of", "progress", "load_or_exit", "PROGRESS_THRESHOLD"]

#: More items than this get a progress bar (``calc --all``, when standard error is a terminal).
PROGRESS_THRESHOLD = 500

T = TypeVar("T")


def parse_date(ctx, param, value):
    """A click callback: ``YYYY-MM-DD`` → date, or a usage error (exit 2) that shows the form."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-22") from None


def sources_of(diagnostics: Iterable[Diagnostic]) -> dict[str, str]:
    """The texts of the files the diagnostics point into, for the source excerpts."""
    from ..files import read_text

    sources: dict[str, str] = {}
    for d in diagnostics:
        if d.span and d.span.file not in sources:
            try:
                sources[d.span.file] = read_text(d.span.file)
            except (OSError, UnicodeDecodeError):
                pass
    return sources


def report(diagnostics: Iterable[Diagnostic], fmt: str, sources: Mapping[str, str] | None = None) -> None:
    """Errors as ``{"diagnostics": [...]}`` on stdout under ``--format json``; otherwise
    (and for warnings that accompany a result) as text on stderr."""
    diagnostics = tuple(diagnostics)
    if not diagnostics:
        return
    if fmt == "json" and any(d.is_error for d in diagnostics):
        click.echo(json_text({"diagnostics": render_json(diagnostics)}))
    else:
        text = render_text(diagnostics, sources if sources is not None else sources_of(diagnostics))
        click.echo(text, err=True, nl=False)


def load_or_exit(path: str, fmt: str, *, paused_to_the_end: bool = True, **options):
    """The loaded ruleset (:func:`costsheet.load` with ``options``), or exit 1 with its diagnostics
    shown as ``fmt`` says.

    A command that loads this way loads once, answers and exits, so the garbage collector stays
    paused from here to the command's end (:class:`costsheet.gcpause.paused_gc`, ended when the
    command's click context closes): the syntax trees, the model and the results hold no reference
    cycles, and the collector's passes over them took a fifth of a large ``calc --all``.  With
    ``paused_to_the_end=False`` only the load is paused: for a command whose work runs in other
    processes or threads (``simulate``: forked workers would inherit the pause, a Dask client makes
    cycles).  The commands that stay (``--watch``, ``serve``, ``web``, ``lsp``) do not load this way."""
    from ..diagnostics import RulesetError
    from ..gcpause import paused_gc
    from ..ruleset import load

    try:
        if paused_to_the_end:
            click.get_current_context().with_resource(paused_gc())
            return load(path, **options)
        with paused_gc():
            return load(path, **options)
    except RulesetError as error:
        report(error.diagnostics, fmt, error.sources or None)
        sys.exit(1)


def progress(iterable: Iterable[T], total: int) -> Iterator[T]:
    """``iterable`` with a progress bar on standard error when there are many items."""
    if total < PROGRESS_THRESHOLD:
        yield from iterable
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(iterable, total=total, description="costing", console=Console(stderr=True), transient=True)
