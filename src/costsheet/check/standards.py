"""Dated standard costs (docs/language.md, "Dated standard costs"): one per item and date, an
amount of 0 or more, and shares of the kinds of cost, each once, that add up to the amount
exactly.  Price records (docs/language.md, "Price records: copy-price and sales-type"): one
per item, kind, sales type and date, an amount of 0 or more, a sales type that takes a code
when it needs one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..numbers import readable
from ..syntax import nodes as n
from . import values
from .conditions import sales_type_problems
from .context import Context
from .options import repeated
from .vocabulary import COST_KINDS

__all__ = ["standard_costs", "price_records"]

_AMOUNT = values.Rule("number", hint="write the standard cost of one unit, 0 or more")
_PRICE = values.Rule("number", hint="write the price of one unit, 0 or more")


def standard_costs(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[tuple[str, dt.date], n.StandardCostDecl] = {}
    for decl in ctx.of(n.StandardCostDecl):
        what = f"the standard cost of {decl.item.text} from {decl.starting}"
        problem = values.value_problem("amount", _AMOUNT, decl.amount, what)
        if problem:
            yield problem.at(decl.span)
        if isinstance(decl.starting, dt.date):
            earlier = first.setdefault((decl.item.text, decl.starting), decl)
            if earlier is not decl:
                where = f"{earlier.span.file}:{earlier.span.line}" if earlier.span else "an earlier line"
                yield Diagnostic.error(
                    "duplicate-standard-cost",
                    f"{what} is declared twice (first at {where})",
                    decl.span,
                    "keep one standard cost per item and date: remove one, or date it differently",
                )
        if decl.shares is not None:
            yield from _shares(decl, decl.shares, what)


def _shares(decl: n.StandardCostDecl, block: n.SharesBlock, what: str) -> Iterator[Diagnostic]:
    shares = block.shares
    for share in shares:
        problem = values.unknown_word(share.kind.text, COST_KINDS, "a kind of cost")
        if problem:
            yield problem.at(share.kind.span)
    yield from repeated(shares, what, lambda share: share.kind.text)
    counted: dict[str, Decimal] = {}
    for share in shares:
        counted.setdefault(share.kind.text, share.amount)
    total = sum(counted.values(), start=type(decl.amount)(0))
    if total != decl.amount:
        yield Diagnostic.error(
            "standard-cost-shares",
            f"the shares of {what} add up to {readable(total)}, not {readable(decl.amount)}",
            block.span,
            f"make the shares add up to the standard cost exactly (they are {readable(decl.amount - total)} "
            "off), or leave `shares` out to take them from the costing breakdown",
        )


def price_records(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[tuple, n.PriceRecordDecl] = {}
    for decl in ctx.of(n.PriceRecordDecl):
        sales = decl.sales_type
        target = "" if sales is None else f" for {sales.kind}" + ("" if sales.code is None else f" {sales.code.text}")
        what = f"the {decl.kind} of {decl.item.text}{target} from {decl.starting}"
        problem = values.value_problem("amount", _PRICE, decl.amount, what)
        if problem:
            yield problem.at(decl.span)
        if sales is not None:
            yield from sales_type_problems(sales, "sales-price ITEM")
        if isinstance(decl.starting, dt.date):
            key = (decl.kind, decl.item.text, target, decl.starting)
            earlier = first.setdefault(key, decl)
            if earlier is not decl:
                where = f"{earlier.span.file}:{earlier.span.line}" if earlier.span else "an earlier line"
                yield Diagnostic.error(
                    "duplicate-price-record",
                    f"{what} is declared twice (first at {where})",
                    decl.span,
                    "keep one price per item, sales type and date: remove one, or date it differently",
                )
