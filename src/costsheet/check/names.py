"""Codes themselves: declared twice, too long, empty (LANGUAGE.md sections 1 and 2)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Span
from ..syntax import nodes as n
from .context import Context, codes_in, shortened

__all__ = ["duplicate_codes", "code_lengths", "MAX_CODE_LENGTH"]

#: LANGUAGE.md section 1: codes are at most 20 characters.
MAX_CODE_LENGTH = 20

#: namespace -> (what one is called, the declaration types in it)
_NAMESPACES = (
    ("item", (n.ItemDecl,)),
    ("condition", (n.ConditionDecl,)),
    ("work or machine center", (n.WorkCenterDecl, n.MachineCenterDecl)),
    ("vendor", (n.VendorDecl,)),
    ("rounding method", (n.RoundingDecl,)),
)


def _where(span: Span | None) -> str:
    return f"{span.file}:{span.line}:{span.column}" if span else "an earlier declaration"


def _duplicates(what: str, codes: Iterator[n.Code]) -> Iterator[Diagnostic]:
    first: dict[str, n.Code] = {}
    for code in codes:
        if code.text not in first:
            first[code.text] = code
            continue
        yield Diagnostic.error(
            "duplicate-code", f"{what} {code.text} is declared twice (first at {_where(first[code.text].span)})",
            code.span, f"give each {what} its own code, or remove one of the two declarations")


def duplicate_codes(ctx: Context) -> Iterator[Diagnostic]:
    for what, types in _NAMESPACES:
        yield from _duplicates(what, (d.code for d in ctx.declarations if isinstance(d, types)))
    yield from _duplicates("chart line", (e.code for e in ctx.chart_entries))


def code_lengths(ctx: Context) -> Iterator[Diagnostic]:
    for ruleset in ctx.files:
        for code in codes_in(ruleset.declarations):
            if len(code.text) > MAX_CODE_LENGTH:
                yield Diagnostic.error(
                    "code-too-long", f"the code {shortened(code.text)} is {len(code.text):,} characters long; "
                    f"codes have at most {MAX_CODE_LENGTH}", code.span,
                    f"shorten it to {MAX_CODE_LENGTH} characters or fewer (everywhere it is used)")
            elif not code.text.strip():
                yield Diagnostic.error("empty-code", "a code cannot be empty or blank", code.span,
                                       "write a code of letters, digits and _ . - /")
