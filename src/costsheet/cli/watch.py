"""``--watch`` of ``costsheet calc --all`` and ``costsheet value``: run again on every save.

The files the ruleset was read from (its own, included ones, CSV files) are
watched with the ``watchfiles`` library (the ``watch`` extra, imported only
here); each save updates a :class:`costsheet.Session`, which re-parses and
re-costs only what changed, and the command prints what moved.  A save that
no longer checks clean prints its diagnostics; the last good results stay.
Ctrl-C stops watching with exit code 0.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import click

from .common import report

__all__ = ["check_watch_output", "watch"]


def watch(session, on_update: Callable[[object, float], None], fmt: str) -> int:
    """Update ``session`` on every save of one of its files, calling ``on_update(update, seconds)``
    with the time from noticing the save to the update's end; returns the exit code (0 on Ctrl-C)."""
    try:
        from watchfiles import watch as changes
    except ImportError:
        raise click.UsageError("--watch needs the watchfiles library: pip install 'costsheet[watch]'") from None
    try:
        _loop(session, on_update, fmt, changes)
    except KeyboardInterrupt:  # Ctrl-C between two waits (while an update runs or prints) stops too
        pass
    return 0


def _loop(session, on_update, fmt: str, changes) -> None:
    files = _files(session)
    folders = sorted({os.path.dirname(path) or "." for path in files})
    ready = False
    # yield_on_timeout: an empty set once the watcher runs (so "watching" is said only when a save
    # is seen), then every 200 ms while nothing changes
    for found in changes(
        *folders, debounce=50, step=10, raise_interrupt=False, recursive=False, yield_on_timeout=True, rust_timeout=200
    ):
        if not ready:
            click.echo(f"watching {len(files)} file{'s' if len(files) != 1 else ''}; Ctrl-C stops", err=True)
            ready = True
        if not {os.path.abspath(path) for _, path in found} & files:
            continue
        start = time.perf_counter()
        update = session.update()
        if not update.ok:
            report(update.diagnostics, fmt, update.sources)
            click.echo("the last good results stay until the files check clean again", err=True)
            continue
        on_update(update, time.perf_counter() - start)
        files = _files(session)  # an include may have been added or removed


def _files(session) -> set[str]:
    return {os.path.abspath(name) for name in session.ruleset.sources} | {
        os.path.abspath(entry.path) for entry in session.ruleset.inputs if os.path.exists(entry.path)
    }


def check_watch_output(output) -> None:
    """``--watch`` writes the whole answer once, then what moved after each save: a CSV on standard
    output would mix two tables, so CSV needs ``--output FILE`` (written again on every save)."""
    if output.format == "csv" and output.path is None:
        raise click.UsageError("--watch with --format csv needs --output FILE.csv (written again on every save)")
