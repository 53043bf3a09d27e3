"""Price and discount lines and rounding methods (docs/language.md): options given once,
a unit cost or percentage present, dates that exist and run forward, percentages and
quantities in range (the rules of :mod:`costsheet.check.values`, which CSV price lines obey
too), no line given twice, known rounding directions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from decimal import Decimal
from functools import partial

from ..diagnostics import Diagnostic, Span
from ..model import DiscountLine, PriceLine
from ..numbers import readable
from ..syntax import InvalidDate
from ..syntax import nodes as n
from . import values
from .context import Context
from .options import repeated
from .vocabulary import ROUNDING_DIRECTIONS, suggest

__all__ = ["price_lines", "repeated_price_lines", "rounding_methods", "invalid_dates"]

#: what a price or discount line must give: option name, how to say it is missing, how to add it
_REQUIRED = {
    n.PriceDecl: ("unit-cost", "no unit cost", "add `unit-cost N`: the vendor's price per unit"),
    n.DiscountDecl: ("percent", "no percentage", "add the discount as a percentage, e.g. `5%`"),
}


_PRICED = (n.PriceDecl, n.DiscountDecl)


def price_lines(ctx: Context) -> Iterator[Diagnostic]:
    return iter(ctx.each("price-lines", _PRICED, _price_line))


def _price_line(decl: n.PriceDecl | n.DiscountDecl) -> Iterator[Diagnostic]:
    is_price = isinstance(decl, n.PriceDecl)
    what = f"{'price' if is_price else 'discount'} line of {decl.item.text}"
    yield from repeated(decl.options, f"the {what}")
    required, missing, add = _REQUIRED[type(decl)]
    if decl.option(required) is None:
        yield Diagnostic.error("missing-field", f"the {what} has {missing}", decl.span, add)
    if isinstance(decl.starting, dt.date) and isinstance(decl.ending, dt.date):
        problem = values.date_range(what, decl.starting, decl.ending)
        if problem:
            yield problem.at(decl.span)
    rules = values.PRICE_LINE if is_price else values.DISCOUNT_LINE
    if isinstance(decl, n.PriceDecl):
        amount = decl.unit_cost
    else:
        amount = decl.percent.value if decl.percent is not None else None
    for name, value in (("unit-cost" if is_price else "percent", amount), ("min-qty", decl.min_qty)):
        problem = values.value_problem(name, rules[name], value, f"the {what}") if value is not None else None
        if problem:
            yield problem.at(decl.span)


def repeated_price_lines(ctx: Context) -> Iterator[Diagnostic]:
    """Two price (or discount) lines of one item and vendor valid on the same dates and from the
    same quantity: a warning at the later one, naming the first (ruleset and CSV lines alike).
    Found again for the items whose price or discount lines changed."""
    return iter(
        ctx.keyed(
            "repeated-price-lines",
            partial(_repeated_price_lines, ctx),
            dirty=lambda changes: {d.item.text for d in changes.touched(_PRICED)},
        )
    )


def _repeated_price_lines(ctx: Context, codes: Collection[str] | None) -> dict[str, tuple[Diagnostic, ...]]:
    model = ctx.model
    priced: list[n.PriceDecl | n.DiscountDecl] = [*ctx.of(n.PriceDecl), *ctx.of(n.DiscountDecl)]
    misdated = {
        d.span
        for d in priced
        if (codes is None or d.item.text in codes) and any(isinstance(o.value, InvalidDate) for o in d.options)
    }  # their dates are not known
    found: dict[str, list[Diagnostic]] = {}
    for lines in (model.prices, model.discounts):
        first: dict[tuple, PriceLine | DiscountLine] = {}
        for line in lines:
            if codes is not None and line.item not in codes:
                continue
            if line.span is not None and line.span in misdated:
                continue
            key = (line.item, line.vendor, line.starting, line.ending, line.min_qty)
            earlier = first.setdefault(key, line)
            if earlier is not line:
                found.setdefault(line.item, []).append(_repeated(line, earlier))
    return {code: tuple(diagnostics) for code, diagnostics in found.items()}


def _repeated(line: PriceLine | DiscountLine, earlier: PriceLine | DiscountLine) -> Diagnostic:
    is_price = isinstance(line, PriceLine)
    kind = "price" if is_price else "discount"
    what = f"the {kind} line of item {line.item}, vendor {line.vendor} ({_validity(line)})"
    where = _where(earlier.span)
    here, there = _value(line), _value(earlier)
    if here == there:
        return Diagnostic.warning(
            "duplicate-price-line", f"{what} is given twice (also at {where})", line.span, "remove one of the two lines"
        )
    unit = "" if is_price else "%"
    values = "unit costs" if is_price else "percentages"
    return Diagnostic.warning(
        "duplicate-price-line",
        f"{what} is given twice with different {values}: {_text(here)}{unit} here, {_text(there)}{unit} at {where}",
        line.span,
        f"costing uses the {'lower unit cost' if is_price else 'larger discount'}; remove one of the "
        "lines, or give them different dates or min-qty",
    )


def _value(line: PriceLine | DiscountLine) -> Decimal:
    return line.unit_cost if isinstance(line, PriceLine) else line.percent


def _validity(line: PriceLine | DiscountLine) -> str:
    parts = [
        f"from {line.starting}" if line.starting else "",
        f"to {line.ending}" if line.ending else "",
        f"min-qty {_text(line.min_qty)}" if line.min_qty else "",
    ]
    return ", ".join(p for p in parts if p) or "always valid"


def _text(value: Decimal) -> str:
    return format(value, "f")


def _where(span: Span | None) -> str:
    return f"{span.file}:{span.line}" if span is not None else "another line"


def rounding_methods(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.of(n.RoundingDecl):
        if decl.direction not in ROUNDING_DIRECTIONS:
            yield Diagnostic.error(
                "unknown-value",
                f"{decl.direction} is not a rounding direction",
                decl.span,
                suggest(decl.direction, ROUNDING_DIRECTIONS),
            )
        if decl.precision <= 0:
            yield Diagnostic.error(
                "out-of-range",
                f"rounding {decl.code.text} rounds to multiples of {readable(decl.precision)}; the precision "
                "must be greater than 0",
                decl.span,
                "write the step to round to, e.g. 0.01 or 0.05",
            )
        if decl.min_amount is not None and decl.min_amount < 0:
            yield Diagnostic.error(
                "out-of-range",
                f"rounding {decl.code.text} has a negative min-amount {readable(decl.min_amount)}",
                decl.span,
                "min-amount is the smallest amount the method rounds, 0 or more",
            )


def _dates(decl: object) -> Iterator[tuple[object, Span | None]]:
    """(date value, the span that locates it) for every date a declaration holds."""
    if isinstance(decl, (n.PriceDecl, n.DiscountDecl)):
        yield decl.starting, decl.span
        yield decl.ending, decl.span
    elif isinstance(decl, n.LedgerDecl):
        for line in decl.lines:
            yield line.date, line.span
    elif isinstance(decl, n.AccountingPeriods):
        for date in decl.dates:
            yield date, decl.span
    elif isinstance(decl, (n.StandardCostDecl, n.PriceRecordDecl, n.ExchangeRateDecl)):
        yield decl.starting, decl.span
    elif isinstance(decl, n.ItemDecl):
        for stmt in decl.body:
            if isinstance(stmt, (n.BomBlock, n.RoutingBlock)) and stmt.version is not None:
                yield stmt.starting, stmt.version.span


def invalid_dates(ctx: Context) -> Iterator[Diagnostic]:
    """Dates that look right but do not exist (2026-02-30); the parser keeps them as written."""
    return iter(ctx.each("invalid-dates", object, _invalid_dates))


def _invalid_dates(decl: n.Declaration) -> Iterator[Diagnostic]:
    for value, span in _dates(decl):
        if isinstance(value, InvalidDate):
            yield values.invalid_date(value).at(span)
    if isinstance(decl, n.AccountingPeriods):
        seen: set[object] = set()
        for value in decl.dates:
            if value in seen:
                yield Diagnostic.warning(
                    "duplicate-date",
                    f"accounting period start {value} is listed twice",
                    decl.span,
                    "list each period's first day once",
                )
            seen.add(value)
