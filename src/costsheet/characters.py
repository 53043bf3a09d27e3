"""Text that can be stored, hashed and sent: no lone surrogates.

A Python string (from JSON, or from a caller of the API) may hold a lone
UTF-16 surrogate such as ``"\\ud800"``: half of a character, which UTF-8
cannot encode.  Every text entering costsheet passes :func:`without_surrogates`
once, where it enters (the loader, the formula API): each surrogate becomes a
located ``lone-surrogate`` error and is replaced by U+FFFD, so that nothing
later (the content hash, JSON answers, the history) meets one.  A file read
from disk cannot hold one: it is decoded as strict UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .diagnostics import Diagnostic, Span

__all__ = ["without_surrogates", "with_surrogates_reported", "REPLACEMENT", "MAX_REPORTED"]

REPLACEMENT = "\ufffd"
#: at most this many lone surrogates are reported per text (all are replaced)
MAX_REPORTED = 50

_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str, file: str, line: int = 1, column: int = 1) -> tuple[str, tuple[Diagnostic, ...]]:
    """``text`` with every lone surrogate replaced by U+FFFD, and an error for each.

    ``line``/``column`` say where ``text`` starts in ``file`` (for a formula
    inside a ruleset)."""
    if _SURROGATE.search(text) is None:
        return text, ()
    diagnostics: list[Diagnostic] = []
    for match in _SURROGATE.finditer(text):
        if len(diagnostics) == MAX_REPORTED:
            break
        offset = match.start()
        at_line = text.count("\n", 0, offset)
        at_column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        span = Span(file, at_line + 1, at_column, at_line + 1, at_column + 1).shifted(line, column)
        diagnostics.append(
            Diagnostic.error(
                "lone-surrogate",
                f"the text holds U+{ord(match.group()):04X}, half of a UTF-16 surrogate pair, which is not a character",
                span,
                "send the text as UTF-8; in JSON write a character beyond U+FFFF as a full pair "
                "(\\ud83d\\ude00), never half of one",
            )
        )
    return _SURROGATE.sub(REPLACEMENT, text), tuple(diagnostics)


def with_surrogates_reported(surrogates: tuple[Diagnostic, ...], others: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``surrogates`` and the ``others`` (the parser's), without an ``unexpected-character``
    for a replaced surrogate: that character is reported once, as ``lone-surrogate``."""
    places = {(d.span.file, d.span.line, d.span.column) for d in surrogates if d.span}
    return [
        *surrogates,
        *(
            d
            for d in others
            if not (d.code == "unexpected-character" and d.span and (d.span.file, d.span.line, d.span.column) in places)
        ),
    ]
