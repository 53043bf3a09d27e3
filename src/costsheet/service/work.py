"""What each endpoint does, in plain functions over the public API (no FastAPI here).

The endpoints in :mod:`costsheet.service.app` only decode the request and
call one of these: formula validation inline, the others in a worker process
(:mod:`costsheet.service.worker`), which encodes the answer; keeping
the work here makes it testable without HTTP and keeps the service a thin
client of :mod:`costsheet.ruleset`, like the command line.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostic, Span, has_errors, render_json
from ..syntax import nodes as n
from .errors import ServiceError
from .limits import position, too_deep
from .settings import ServiceSettings
from .worker import encode

__all__ = ["check_formula", "check_ruleset", "calculate", "value", "ruleset_sources", "parse_date", "DEFAULT_FILE"]

#: the file name given to a ruleset submitted as one `text`
DEFAULT_FILE = "ruleset.cost"
FORMULA_FILE = "<formula>"


def _too_deep_error(file: str, text: str, offset: int, limit: int, what: str) -> ServiceError:
    line, column = position(text, offset)
    diagnostic = Diagnostic.error(
        "too-deeply-nested",
        f"the {what} is nested more than {limit} levels deep here",
        Span(file, line, column, line, column + 1),
        "split it: compute a part in its own row and name that row",
    )
    return ServiceError(
        422, "too-deeply-nested", f"{file}:{line}:{column}: {diagnostic.message}", render_json([diagnostic])
    )


def parse_date(text: str | None, field: str) -> dt.date | None:
    """An ISO date from the request (its shape is checked by the schema, its day here)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ServiceError(422, "invalid-date", f"{field}: {text[:20]!r} is not a day of the calendar") from None


def check_formula(text: str, rows: list[str] | None, settings: ServiceSettings) -> dict[str, object]:
    """Validate one formula: 422 past the length or depth limit, else diagnostics with columns in ``text``."""
    from ..ruleset import parse_formula

    if len(text) > settings.max_formula_chars:
        raise ServiceError(
            422,
            "formula-too-long",
            f"the formula has {len(text)} characters; at most {settings.max_formula_chars} are accepted",
        )
    offset = too_deep(text, settings.max_nesting_depth, operators=True)
    if offset is not None:
        raise _too_deep_error(FORMULA_FILE, text, offset, settings.max_nesting_depth, "formula")
    try:
        formula, diagnostics = parse_formula(text, rows)
    except RecursionError:
        raise _too_deep_error(FORMULA_FILE, text, 0, settings.max_nesting_depth, "formula") from None
    return {
        "valid": not has_errors(diagnostics),
        "rows_used": list(dict.fromkeys(row.name for row in n.row_nodes(formula))) if formula else [],
        "diagnostics": render_json(diagnostics),
    }


def _file_name_problem(name: str) -> str | None:
    if not name or len(name) > 255:
        return "a file name must have 1 to 255 characters"
    if any(ord(c) < 32 or c in "\\\x7f" or "\ud800" <= c <= "\udfff" for c in name):
        return "a file name may not contain control characters, backslashes or lone surrogates"
    if name.startswith("/") or posixpath.normpath(name) != name or name.split("/")[0] == "..":
        return "a file name must be a plain relative path (no leading '/', no '.', '..' or '//' parts)"
    return None


def ruleset_sources(
    text: str | None, files: Mapping[str, str] | None, main: str | None, settings: ServiceSettings
) -> tuple[dict[str, str], str]:
    """The submitted ruleset as ``({name: text}, entry name)``, refused (422) if it breaks a limit."""
    if (text is None) == (files is None):
        raise ServiceError(
            422, "invalid-request", "give the ruleset either as `text` or as `files`, not both or neither"
        )
    sources = {DEFAULT_FILE: text} if text is not None else dict(files or {})
    if not sources:
        raise ServiceError(422, "invalid-request", "`files` is empty: give at least one file")
    if len(sources) > settings.max_files:
        raise ServiceError(
            422, "too-many-files", f"{len(sources)} files were sent; at most {settings.max_files} are accepted"
        )
    for name in sources:
        problem = _file_name_problem(name)
        if problem:
            raise ServiceError(422, "invalid-file-name", f"file name {name[:80]!r}: {problem}")
    entry = main if main is not None else next(iter(sources))
    if entry not in sources:
        raise ServiceError(422, "unknown-main-file", f"`main` names {entry[:80]!r}, which is not among `files`")
    for name, body in sources.items():
        offset = too_deep(body, settings.max_nesting_depth)
        if offset is not None:
            raise _too_deep_error(name, body, offset, settings.max_nesting_depth, "text")
    return sources, entry


def _analyze(sources: dict[str, str], entry: str) -> tuple[Any, tuple[Diagnostic, ...], dict[str, str]]:
    from ..ruleset import load_texts

    try:
        return load_texts(sources, entry)
    except RecursionError:
        raise ServiceError(422, "too-deeply-nested", "the ruleset is nested too deeply to be read") from None


def _counts(diagnostics: tuple[Diagnostic, ...]) -> Iterator[int]:
    errors = sum(1 for d in diagnostics if d.is_error)
    yield errors
    yield len(diagnostics) - errors


def check_ruleset(sources: dict[str, str], entry: str) -> dict[str, object]:
    """Validate a ruleset: every diagnostic, located in the submitted files."""
    _, diagnostics, _ = _analyze(sources, entry)
    errors, warnings = _counts(diagnostics)
    return {"valid": errors == 0, "errors": errors, "warnings": warnings, "diagnostics": render_json(diagnostics)}


def _loaded(sources: dict[str, str], entry: str) -> Any:
    ruleset, diagnostics, _ = _analyze(sources, entry)
    if ruleset is None:
        errors, _ = _counts(diagnostics)
        raise ServiceError(
            422,
            "ruleset-has-errors",
            f"the ruleset has {errors} error(s); nothing was calculated",
            render_json(diagnostics),
        )
    return ruleset


def calculate(
    sources: dict[str, str],
    entry: str,
    item: str,
    lot_size: str | None,
    date: dt.date | None,
    settings: ServiceSettings,
) -> dict[str, object]:
    """Cost ``item``; record the calculation (result or failure, with its log) when the settings say so."""
    from ..history import record_calculation

    ruleset = _loaded(sources, entry)
    try:
        result, diagnostics = ruleset.calculate_with_diagnostics(item, lot_size, date)
    except RecursionError:
        raise ServiceError(422, "too-deeply-nested", "the bill of materials is nested too deeply") from None
    data = result.to_dict() if result is not None and not has_errors(diagnostics) else None
    if data is not None:
        encode(data, settings.max_response_bytes)  # refuse (result-too-large) before it reaches the history
    history_id = None
    if settings.record_history:
        history_id = record_calculation(
            data,
            diagnostics,
            entry,
            ruleset.content_hash,
            settings.history_path,
            item=item,
            lot_size=lot_size,
            date=date,
            source="service",
            keep=settings.history_keep,
            inputs=ruleset.inputs,
        )
    if data is None:
        raise ServiceError(
            422,
            "calculation-failed",
            f"item {item[:80]} could not be costed; see the diagnostics",
            render_json(diagnostics),
        )
    return {"result": data, "diagnostics": render_json(diagnostics), "history_id": history_id}


def value(sources: dict[str, str], entry: str, item: str | None, as_of: dt.date | None) -> dict[str, object]:
    """Value the ledgers (one item's, or all) as of a date."""
    ruleset = _loaded(sources, entry)
    result, diagnostics = ruleset.value_with_diagnostics(item, as_of)
    if result is None or has_errors(diagnostics):
        raise ServiceError(
            422, "valuation-failed", "the ledgers could not be valued; see the diagnostics", render_json(diagnostics)
        )
    return {"result": result.to_dict(), "diagnostics": render_json(diagnostics)}
