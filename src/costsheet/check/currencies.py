"""Currencies (docs/language.md, "Currencies"): a vendor currency needs a local currency, exchange
rates are above 0 and given once per currency and date."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..syntax import nodes as n
from . import values
from .context import Context

__all__ = ["currencies"]

_RATE = values.Rule("number", above=True, hint="write how much of the local currency one unit of CUR is, above 0")


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
    seen: dict[tuple[str, object], n.ExchangeRateDecl] = {}
    for rate in ctx.of(n.ExchangeRateDecl):
        problem = values.value_problem("exchange-rate", _RATE, rate.rate, rate.currency.text)
        if problem:
            yield problem.at(rate.span)
        first = seen.setdefault((rate.currency.text, rate.starting), rate)
        if first is not rate:
            line = first.span.line if first.span else "?"
            yield Diagnostic.error(
                "duplicate-exchange-rate",
                f"{rate.currency.text} has two exchange rates from {rate.starting} (the first is on line {line})",
                rate.span,
                "give each currency one rate per date",
            )
