"""Codes declared twice (docs/language.md, "A ruleset"); a code too long or empty is found with the
numbers as written (:mod:`.written`)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ..diagnostics import Diagnostic, Span
from ..syntax import nodes as n
from .context import Context
from .values import MAX_CODE_LENGTH

__all__ = ["duplicate_codes", "declared_twice", "MAX_CODE_LENGTH"]

#: namespace -> (what one is called, the declaration types in it)
_NAMESPACES = (
    ("item", (n.ItemDecl,)),
    ("condition", (n.ConditionDecl,)),
    ("work or machine center", (n.WorkCenterDecl, n.MachineCenterDecl)),
    ("vendor", (n.VendorDecl,)),
    ("rounding method", (n.RoundingDecl,)),
    ("scenario", (n.ScenarioDecl,)),
    ("simulation", (n.SimulationDecl,)),
)


def _where(span: Span | None) -> str:
    return f"{span.file}:{span.line}:{span.column}" if span else "an earlier declaration"


def declared_twice(what: str, code: n.Code, first: n.Code) -> Diagnostic:
    """``code`` declares a ``what`` (item, vendor …) that ``first`` declared already (in a file or a CSV row)."""
    return Diagnostic.error(
        "duplicate-code",
        f"{what} {code.text} is declared twice (first at {_where(first.span)})",
        code.span,
        f"give each {what} its own code, or remove one of the two declarations",
    )


def _duplicates(what: str, codes: Iterator[n.Code]) -> Iterator[Diagnostic]:
    first: dict[str, n.Code] = {}
    for code in codes:
        if code.text not in first:
            first[code.text] = code
            continue
        yield declared_twice(what, code, first[code.text])


#: the declarations whose codes the namespaces hold
_CODED = (*(t for _, types in _NAMESPACES for t in types), n.ChartBlock)


def duplicate_codes(ctx: Context) -> Iterator[Diagnostic]:
    """Found again when a declaration of a namespace (or a chart block) comes or goes."""
    return iter(ctx.whole("duplicate-codes", partial(_duplicate_codes, ctx), unchanged=lambda c: not c.touched(_CODED)))


def _duplicate_codes(ctx: Context) -> Iterator[Diagnostic]:
    for what, types in _NAMESPACES:
        yield from _duplicates(what, (d.code for d in ctx.declarations if isinstance(d, types)))
    yield from _duplicates("chart line", (e.code for e in ctx.chart_entries))
