"""Numbers costsheet cannot calculate with exactly.

Every number a ruleset writes (amounts, quantities, rates, percentages) must
fit the engine's exact range: below 1e14 in size and at most 20 decimal
places (the costing engine's internal scale, docs/costing.md).  A number
beyond it would make later arithmetic round silently or overflow, so it is
refused where it is written (the rule is :func:`costsheet.check.values.number_size`,
which numbers in CSV cells obey too).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from ..diagnostics import Diagnostic, Span
from ..syntax import nodes as n
from .context import Context
from .values import LARGEST, MOST_PLACES, number_size

__all__ = ["number_sizes", "LARGEST", "MOST_PLACES"]


def number_sizes(ctx: Context) -> Iterator[Diagnostic]:
    for ruleset in ctx.files:
        for decl in ruleset.declarations:
            yield from _walk(decl, decl.span)


def _walk(node: object, span: Span | None) -> Iterator[Diagnostic]:
    """Every Decimal below ``node``, located at the nearest node that has a span."""
    stack = [(node, span)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, Decimal):
            problem = number_size(current)
            if problem:
                yield problem.at(where)
        elif isinstance(current, tuple):
            stack.extend((child, where) for child in reversed(current))
        elif attrs.has(type(current)) and not isinstance(current, (Span, n.Code)):
            inner = getattr(current, "span", None) or where
            stack.extend((getattr(current, field.name), inner) for field in reversed(attrs.fields(type(current)))
                         if field.name != "span")
