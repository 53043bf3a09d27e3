"""Spans, diagnostics and their two renderings (text for people, JSON for machines).

Every stage of the pipeline returns ``(value, diagnostics)``; diagnostics are
collected, never raised one at a time.  A diagnostic has a stable ``code``
(kebab-case, documented in ``docs/errors.md``), a message that says what is
wrong, and a hint that says how to fix it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

__all__ = [
    "Span",
    "Severity",
    "Diagnostic",
    "RulesetError",
    "CalculationError",
    "has_errors",
    "render_text",
    "render_json",
    "sort_diagnostics",
    "shortened",
]


@attrs.frozen
class Span:
    """A region of a source file; lines and columns are 1-based, ``end_column`` exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int) -> Span:
        return cls(file, line, column, line, column + 1)

    def shifted(self, line: int, column: int) -> Span:
        """This span, read as relative to a text that starts at (line, column) of ``self.file``."""
        first_col = self.column + column - 1 if self.line == 1 else self.column
        last_col = self.end_column + column - 1 if self.end_line == 1 else self.end_column
        return Span(self.file, self.line + line - 1, first_col, self.end_line + line - 1, last_col)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Diagnostic:
    """One finding about a ruleset, located by ``span``."""

    severity: Severity
    code: str
    message: str
    span: Span | None = None
    hint: str | None = None

    @classmethod
    def error(cls, code: str, message: str, span: Span | None = None, hint: str | None = None) -> Diagnostic:
        return cls(Severity.ERROR, code, message, span, hint)

    @classmethod
    def warning(cls, code: str, message: str, span: Span | None = None, hint: str | None = None) -> Diagnostic:
        return cls(Severity.WARNING, code, message, span, hint)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, object]:
        """The diagnostic object of docs/json.md, "Diagnostics", as data (``hint`` only when there is one)."""
        span = self.span
        data: dict[str, object] = {
            "severity": self.severity.value,
            "file": span.file if span else None,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "code": self.code,
            "message": self.message,
        }
        if self.hint:
            data["hint"] = self.hint
        return data


class RulesetError(Exception):
    """Raised at API boundaries (``costsheet.load``) carrying every diagnostic at once.

    Raised by ``costsheet.load`` when the ruleset (or its CSV master data) has
    an error; ``diagnostics`` are every diagnostic found (errors and warnings,
    sorted by file and position), ``sources`` the texts they point into
    (:meth:`render` shows them as ``costsheet check`` does)."""

    def __init__(self, diagnostics: Iterable[Diagnostic], sources: Mapping[str, str] | None = None):
        self.diagnostics = tuple(diagnostics)
        self.sources = dict(sources or {})
        errors = [d for d in self.diagnostics if d.is_error]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        summary = f"{len(errors)} error(s)"
        if first is not None:
            where = f"{first.span.file}:{first.span.line}:{first.span.column}: " if first.span else ""
            summary += f"; first: {where}{first.code}: {first.message}"
        super().__init__(summary)

    def render(self) -> str:
        return render_text(self.diagnostics, self.sources)


class CalculationError(RulesetError):
    """A calculation or valuation that could not be made; carries its diagnostics.

    Raised by :meth:`costsheet.ruleset.Ruleset.calculate` and ``.value`` when the
    diagnostics hold an error: an item that does not exist, a price missing on
    the date, a division by zero for this item, an amount too large...
    ``diagnostics`` are all of them (the ruleset's warnings first), ``sources``
    the texts they point into.  A subclass of :class:`RulesetError`, so one
    ``except RulesetError`` catches a bad ruleset and a failed calculation alike.
    """


def shortened(text: str) -> str:
    """A user's word for a message, cut when it is long: ``12345678901234…567890 (5,000 characters)``."""
    return text if len(text) <= 32 else f"{text[:14]}…{text[-6:]} ({len(text):,} characters)"


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File, line, column order; diagnostics without a place come last."""

    def key(d: Diagnostic) -> tuple[int, str, int, int, str]:
        if d.span is None:
            return (1, "", 0, 0, d.code)
        return (0, d.span.file, d.span.line, d.span.column, d.code)

    return sorted(diagnostics, key=key)


def _excerpt(span: Span, sources: Mapping[str, str]) -> list[str]:
    text = sources.get(span.file)
    if text is None:
        return []
    lines = text.splitlines()
    if not 1 <= span.line <= len(lines):
        return []
    source_line = lines[span.line - 1].expandtabs(1)
    width = len(str(span.line))
    end = span.end_column if span.end_line == span.line else len(source_line) + 1
    carets = max(1, end - span.column)
    return [
        f"{' ' * width} |",
        f"{span.line} | {source_line}",
        f"{' ' * width} | {' ' * (span.column - 1)}{'^' * carets}",
    ]


def render_text(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str] | None = None) -> str:
    """hledger-style text: ``FILE:LINE:COL: error[CODE]: message``, the line, carets, a hint."""
    sources = sources or {}
    blocks = []
    for d in diagnostics:
        where = f"{d.span.file}:{d.span.line}:{d.span.column}: " if d.span else ""
        lines = [f"{where}{d.severity.value}[{d.code}]: {d.message}"]
        if d.span:
            lines.extend(_excerpt(d.span, sources))
        if d.hint:
            lines.append(f"  = hint: {d.hint}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def render_json(diagnostics: Iterable[Diagnostic]) -> list[dict[str, object]]:
    return [d.to_dict() for d in diagnostics]
