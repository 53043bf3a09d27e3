"""Price and discount lines and rounding methods (LANGUAGE.md sections 4 and 5): dates
that exist and run forward, percentages and quantities in range (the rules of
:mod:`costsheet.check.values`, which CSV price lines obey too), known rounding directions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..syntax import nodes as n
from ..syntax.transformer import InvalidDate
from . import values
from .context import Context
from .vocabulary import ROUNDING_DIRECTIONS, suggest

__all__ = ["price_lines", "rounding_methods", "invalid_dates"]


def price_lines(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.declarations:
        if not isinstance(decl, (n.PriceDecl, n.DiscountDecl)):
            continue
        is_price = isinstance(decl, n.PriceDecl)
        what = f"{'price' if is_price else 'discount'} line of {decl.item.text}"
        if isinstance(decl.starting, dt.date) and isinstance(decl.ending, dt.date):
            problem = values.date_range(what, decl.starting, decl.ending)
            if problem:
                yield problem.at(decl.span)
        rules = values.PRICE_LINE if is_price else values.DISCOUNT_LINE
        written = (("unit-cost", decl.unit_cost) if is_price else ("percent", decl.percent.value),
                   ("min-qty", decl.min_qty))
        for name, value in written:
            problem = values.value_problem(name, rules[name], value, f"the {what}") if value is not None else None
            if problem:
                yield problem.at(decl.span)


def rounding_methods(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.of(n.RoundingDecl):
        if decl.direction not in ROUNDING_DIRECTIONS:
            yield Diagnostic.error(
                "unknown-value", f"{decl.direction} is not a rounding direction", decl.span,
                suggest(decl.direction, ROUNDING_DIRECTIONS))
        if decl.precision <= 0:
            yield Diagnostic.error(
                "out-of-range", f"rounding {decl.code.text} rounds to multiples of {decl.precision}; the precision "
                "must be greater than 0", decl.span, "write the step to round to, e.g. 0.01 or 0.05")
        if decl.min_amount is not None and decl.min_amount < 0:
            yield Diagnostic.error(
                "out-of-range", f"rounding {decl.code.text} has a negative min-amount {decl.min_amount}", decl.span,
                "min-amount is the smallest amount the method rounds, 0 or more")


def _dates(decl) -> Iterator[tuple[object, object]]:
    """(date value, node that locates it) for every date a declaration holds."""
    if isinstance(decl, (n.PriceDecl, n.DiscountDecl)):
        yield decl.starting, decl
        yield decl.ending, decl
    elif isinstance(decl, n.LedgerDecl):
        for line in decl.lines:
            yield line.date, line
    elif isinstance(decl, n.AccountingPeriods):
        for date in decl.dates:
            yield date, decl


def invalid_dates(ctx: Context) -> Iterator[Diagnostic]:
    """Dates that look right but do not exist (2026-02-30); the parser keeps them as written."""
    for decl in ctx.declarations:
        for value, node in _dates(decl):
            if isinstance(value, InvalidDate):
                yield values.invalid_date(value).at(node.span)
        if isinstance(decl, n.AccountingPeriods):
            seen: set[object] = set()
            for value in decl.dates:
                if value in seen:
                    yield Diagnostic.warning("duplicate-date", f"accounting period start {value} is listed twice",
                                             decl.span, "list each period's first day once")
                seen.add(value)
