"""Currencies (docs/language.md, "Currencies"): a vendor currency needs a local currency, exchange
rates are above 0 and given once per currency and date, in a ruleset and in CSV master data
(a vendor's ``currency`` cell is a reference of what ``currency``; exchange-rates.csv's rates are
checked above 0 as their cells are read)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Span
from ..syntax import nodes as n
from . import values
from .context import Context

__all__ = ["currencies"]


def currencies(ctx: Context) -> Iterator[Diagnostic]:
    local = ctx.model.setup.currency
    for decl in ctx.of(n.VendorDecl):
        currency = decl.currency
        if currency is not None and local is None:
            yield Diagnostic.error(
                "no-local-currency",
                f"vendor {decl.code.text} is in {currency.text}, but setup names no local `currency`",
                currency.span,
                "add `currency CODE` (the currency item amounts are in) to setup",
            )
    for ref in ctx.master_references:
        if ref.what == "currency" and local is None:
            yield Diagnostic.error(
                "no-local-currency",
                f"{ref.role} is in {ref.code.text}, but setup names no local `currency`",
                ref.code.span,
                "add `currency CODE` (the currency item amounts are in) to setup",
            )
    seen: dict[tuple[str, object], Span | None] = {}
    for rate in ctx.of(n.ExchangeRateDecl):
        problem = values.value_problem("exchange-rate", values.EXCHANGE_RATE, rate.rate, rate.currency.text)
        if problem:
            yield problem.at(rate.span)
        yield from _once(seen, rate.currency.text, rate.starting, rate.span)
    for written in ctx.master_data.exchange_rates:
        yield from _once(seen, written.currency, written.starting, written.span)


def _once(
    seen: dict[tuple[str, object], Span | None], currency: str, starting: object, span: Span | None
) -> Iterator[Diagnostic]:
    """One rate per currency and date, across the ruleset and exchange-rates.csv."""
    key = (currency, starting)
    if key not in seen:
        seen[key] = span
        return
    first = seen[key]
    if first is None:
        where = "line ?"
    elif span is not None and first.file == span.file:
        where = f"line {first.line}"
    else:
        where = f"{first.file}:{first.line}"
    yield Diagnostic.error(
        "duplicate-exchange-rate",
        f"{currency} has two exchange rates from {starting} (the first is on {where})",
        span,
        "give each currency one rate per date",
    )
