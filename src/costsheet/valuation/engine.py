"""value(): check each ledger, prepare its groups, run the item's costing method; with
production orders, components first and each order costed before its outputs are valued."""

from __future__ import annotations

import datetime as dt
import decimal

from ..diagnostics import Diagnostic, has_errors
from ..model import Model
from ..numbers import CONTEXT
from ..standards import standard_tables
from .methods import METHODS, CostingMethod
from .orders import Production
from .prepare import Book, prepare_groups
from .result import ItemValuation, ValuationResult
from .rules import order_problems, validate_ledger

__all__ = ["value"]


def value(model: Model, *, item: str | None = None,
          as_of: dt.date | None = None) -> tuple[ValuationResult, tuple[Diagnostic, ...]]:
    """Value the ledgers of ``model`` (or only ``item``'s) as of ``as_of`` (inclusive).

    A ledger with errors is left out of the result; its diagnostics say why.
    With production orders (docs/valuation.md, "Production orders") the items are valued
    components first, each order is costed before the item it produces, and the result's
    ``orders`` holds them; with ``item``, what the item is made from is valued too (the
    result holds the item and the orders that produce it).
    All arithmetic runs in :data:`costsheet.numbers.CONTEXT`.
    """
    diagnostics: list[Diagnostic] = []
    if item is not None and item not in model.ledgers:
        diagnostics.append(Diagnostic.error(
            "no-ledger", f"there is no ledger for item {item}",
            hint="write `ledger ITEM { ... }` for it, or pass one of: " + ", ".join(model.ledgers) if model.ledgers
            else "write `ledger ITEM { ... }` for it"))
        return ValuationResult({}, as_of), tuple(diagnostics)
    items: dict[str, ItemValuation] = {}
    with decimal.localcontext(CONTEXT):
        tables = standard_tables(model) if model.standard_costs else {}
        production = Production.of(model, as_of, tables)
        if production is None:  # no production orders: each ledger on its own
            codes = list(model.ledgers) if item is None else [item]
        else:  # components before the items made from them (and with --item, what it is made from)
            codes = production.sequence(item)
            diagnostics.extend(order_problems(model, production.orders, production.cycles))
        for code in codes:
            ledger = model.ledgers[code]
            found = validate_ledger(model, ledger, names_orders=production is not None and code in production.named)
            diagnostics.extend(found)
            if production is not None:
                if has_errors(found):
                    production.skip(code)
                    continue
                ledger, found = production.cost_outputs(code, ledger)
                diagnostics.extend(found)
                if ledger is None:
                    continue
            elif has_errors(found):
                continue
            method = METHODS[CostingMethod(model.items[code].costing_method)]
            for group in prepare_groups(model, ledger, as_of, tables.get(code)):
                book = Book(group)
                on_hand = method(group, book)
                diagnostics.extend(book.diagnostics)
                if production is not None:
                    production.remember(code, book)
                if item is None or code == item:
                    items[group.key] = book.freeze(on_hand)
        orders = {}
        if production is not None:
            orders = {code: order for code, order in production.valued().items()
                      if item is None or order.item == item}
    return ValuationResult(items, as_of, orders), tuple(diagnostics)
