"""Recording a calculation: the one call the CLI, the API and the service make.

The user asked for a result, not for a history entry: a write that fails (a
read-only home directory, a full disk, a locked or corrupt file) prints one
warning on standard error and returns ``None``; it never raises and never
stands between the user and the result.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from .paths import resolve_store_path
from .store import HistoryStore, StoreError

__all__ = ["record_calculation"]


def _as_json(value: Any) -> Any:
    return value.to_dict() if hasattr(value, "to_dict") else value


def record_calculation(
    result: Any,
    diagnostics: Iterable[Any] = (),
    ruleset_path: str | os.PathLike[str] | None = None,
    ruleset_hash: str = "",
    store_path: str | os.PathLike[str] | None = None,
    *,
    item: str | None = None,
    lot_size: object = None,
    date: object = None,
    source: str = "cli",
    inputs: Iterable[Any] | None = None,
    keep: int | None = None,
    stderr: TextIO | None = None,
) -> int | None:
    """Record one calculation in the history; return its id, or ``None`` if it could not be written.

    ``result`` is the calculation's JSON as a dict (or an object with ``to_dict()``,
    such as a ``CostResult``), or ``None`` when the calculation failed; then ``item``
    (and, if known, ``lot_size`` and ``date``) say what was asked for, so the
    log of a failed calculation is kept too.  ``diagnostics`` are
    :class:`~costsheet.diagnostics.Diagnostic` objects or their JSON dicts.
    ``ruleset_hash`` comes from :func:`costsheet.history.ruleset_hash`.
    ``store_path`` defaults to ``$COSTSHEET_HISTORY``, then the per-user data
    directory.  ``source`` says who calculated: ``cli``, ``api`` or ``service``.
    ``inputs`` are the files the calculation read, :class:`~costsheet.inputs.Input`
    values (or their JSON), as :attr:`costsheet.ruleset.Ruleset.inputs` lists them.
    With ``keep``, only the newest ``keep`` records of that source are kept.
    """
    err = stderr if stderr is not None else sys.stderr
    path = None
    try:
        path = resolve_store_path(store_path)
        data = _as_json(result)
        if data is not None and not isinstance(data, Mapping):
            raise TypeError(f"a calculation result must be a JSON object, not {type(data).__name__}")
        what = item if item is not None else (data or {}).get("item")
        if not what:
            raise ValueError("the calculation names no item")
        return HistoryStore(path).add(
            keep=keep,
            item=str(what),
            result=data,
            diagnostics=[_as_json(d) for d in diagnostics],
            ruleset_hash=ruleset_hash,
            ruleset_path=os.fspath(ruleset_path) if ruleset_path is not None else None,
            lot_size=lot_size if lot_size is not None else (data or {}).get("lot_size"),
            date=date if date is not None else (data or {}).get("date"),
            source=source,
            inputs=list(inputs) if inputs is not None else None,
        )
    except (OSError, sqlite3.Error, StoreError, TypeError, ValueError, RecursionError) as exc:
        # RecursionError: a result dict nested thousands of levels deep (the JSON of a costing BOM is
        # flat; only a caller's own data can be that deep)
        where = f" ({path})" if path is not None else ""
        err.write(
            f"costsheet: warning[history-write-failed]: the calculation was not recorded in the history{where}: "
            f"{exc}\n  = hint: set COSTSHEET_HISTORY to a writable file; the result itself is not affected\n"
        )
        return None
