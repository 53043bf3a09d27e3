"""Price and discount lines and rounding methods (LANGUAGE.md sections 4 and 5): dates
that exist and run forward, percentages and quantities in range, known rounding directions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..syntax import nodes as n
from ..syntax.transformer import InvalidDate
from .context import Context
from .vocabulary import ROUNDING_DIRECTIONS, suggest

__all__ = ["price_lines", "rounding_methods", "invalid_dates"]


def price_lines(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.declarations:
        if not isinstance(decl, (n.PriceDecl, n.DiscountDecl)):
            continue
        what = f"{'price' if isinstance(decl, n.PriceDecl) else 'discount'} line of {decl.item.text}"
        if isinstance(decl.starting, dt.date) and isinstance(decl.ending, dt.date) and decl.starting > decl.ending:
            yield Diagnostic.error(
                "date-range", f"the {what} ends ({decl.ending}) before it starts ({decl.starting})", decl.span,
                "`from` is the first day and `to` the last day it is valid; swap them")
        if decl.min_qty is not None and decl.min_qty < 0:
            yield Diagnostic.error("out-of-range", f"the {what} has a negative min-qty {decl.min_qty}", decl.span,
                                   "write the smallest quantity the line is valid for, 0 or more")
        if isinstance(decl, n.PriceDecl) and decl.unit_cost < 0:
            yield Diagnostic.error("out-of-range", f"the {what} has a negative unit cost {decl.unit_cost}",
                                   decl.span, "write the vendor's price per unit, 0 or more")
        if isinstance(decl, n.DiscountDecl) and not 0 <= decl.percent.value <= 100:
            yield Diagnostic.error("out-of-range", f"the {what} gives {decl.percent.value}%, outside 0% to 100%",
                                   decl.span, "write a discount between 0% and 100%")


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
                yield Diagnostic.error(
                    "invalid-date", f"{value} is not a date of the calendar", node.span,
                    "write an existing date as YYYY-MM-DD (months 01-12, days as the month has)")
        if isinstance(decl, n.AccountingPeriods):
            seen: set[object] = set()
            for value in decl.dates:
                if value in seen:
                    yield Diagnostic.warning("duplicate-date", f"accounting period start {value} is listed twice",
                                             decl.span, "list each period's first day once")
                seen.add(value)
