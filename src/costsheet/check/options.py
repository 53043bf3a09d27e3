"""Keyword options of a line (docs/language.md, "Keyword options"): they come in any
order, and each is given once.  The families' checks call :func:`repeated` for
their lines (price and discount lines, BOM and routing lines, condition lines,
ledger entries)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..diagnostics import Diagnostic

__all__ = ["repeated"]


def _name(option) -> str:
    return option.name


#: options written without a keyword of their own, and how to name them
_LABELS = {"percent": "a percentage", "value": "a value (percent, amount, element or formula)"}


def repeated(options: Iterable, who: str, name: Callable[[object], str] = _name) -> Iterator[Diagnostic]:
    """``duplicate-field`` at every option whose name an earlier option of the line already has
    (``name`` says what an option is called; a Field's name by default)."""
    first: dict[str, object] = {}
    for option in options:
        called = name(option)
        if first.setdefault(called, option) is not option:
            label = _LABELS.get(called, f"`{called}`")
            yield Diagnostic.error(
                "duplicate-field",
                f"{who} gives {label} twice",
                option.span,
                "keep one of them: a line takes each option once",
            )
