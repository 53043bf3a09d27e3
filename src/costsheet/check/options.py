"""Keyword options of a line (docs/language.md, "Keyword options"): they come in any
order, and each is given once.  The families' checks call :func:`repeated` for
their lines (price and discount lines, BOM and routing lines, condition lines,
ledger entries)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar, overload

from ..diagnostics import Diagnostic, Span
from ..syntax import nodes as n

__all__ = ["repeated"]


class _Option(Protocol):
    """Anything written on a line at a place of its own."""

    @property
    def span(self) -> Span | None: ...


_O = TypeVar("_O", bound=_Option)


def _field_name(option: n.Field) -> str:
    return option.name


#: options written without a keyword of their own, and how to name them
_LABELS = {"percent": "a percentage", "value": "a value (percent, amount, element or formula)"}


@overload
def repeated(options: Iterable[n.Field], who: str) -> Iterator[Diagnostic]: ...
@overload
def repeated(options: Iterable[_O], who: str, name: Callable[[_O], str]) -> Iterator[Diagnostic]: ...
def repeated(options: Iterable[Any], who: str, name: Callable[[Any], str] = _field_name) -> Iterator[Diagnostic]:
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
