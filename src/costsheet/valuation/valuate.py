"""value(): prepare each ledger's groups, run the item's costing method (``applies-from``
increases valued with the decreases they take their cost from, :mod:`.returns`); with
production orders, components first and each order costed before its outputs are valued.

The model is a checked one (:func:`costsheet.check.run_checks`, whose ledger rules
are :mod:`costsheet.check.ledgers`): every ledger it holds can be valued.
"""

from __future__ import annotations

import datetime as dt
import decimal

from ..diagnostics import Diagnostic
from ..model import Model
from ..numbers import CONTEXT
from ..standards import standard_tables
from .methods import METHODS, CostingMethod
from .orders import Production
from .prepare import prepare_groups
from .result import ItemValuation, ValuationResult
from .returns import value_with_returns

__all__ = ["value"]


def value(
    model: Model, *, item: str | None = None, as_of: dt.date | None = None
) -> tuple[ValuationResult, tuple[Diagnostic, ...]]:
    """Value the ledgers of ``model`` (or only ``item``'s) as of ``as_of`` (inclusive).

    ``model`` is checked (the ledger rules passed); the diagnostics are what only the
    date shows (``no-ledger`` for an ``item`` without one, the methods' own, an order that
    cannot be costed).  With production orders (docs/valuation.md, "Production orders") the
    items are valued components first, each order is costed before the item it produces, and
    the result's ``orders`` holds them; with ``item``, what the item is made from is valued
    too (the result holds the item and the orders that produce it).
    All arithmetic runs in :data:`costsheet.numbers.CONTEXT`.
    """
    diagnostics: list[Diagnostic] = []
    if item is not None and item not in model.ledgers:
        diagnostics.append(
            Diagnostic.error(
                "no-ledger",
                f"there is no ledger for item {item}",
                hint="write `ledger ITEM { ... }` for it, or pass one of: " + ", ".join(model.ledgers)
                if model.ledgers
                else "write `ledger ITEM { ... }` for it",
            )
        )
        return ValuationResult({}, as_of), tuple(diagnostics)
    items: dict[str, ItemValuation] = {}
    with decimal.localcontext(CONTEXT):
        tables = standard_tables(model) if model.standard_costs else {}
        production = Production.of(model, as_of, tables)
        # without production orders each ledger on its own; with them, components before the
        # items made from them (and with ``item``, what it is made from)
        codes = (list(model.ledgers) if item is None else [item]) if production is None else production.sequence(item)
        for code in codes:
            ledger = model.ledgers[code]
            if production is not None:
                costed, found = production.cost_outputs(code, ledger)
                diagnostics.extend(found)
                if costed is None:
                    continue
                ledger = costed
            method = METHODS[CostingMethod(model.items[code].costing_method)]
            groups = prepare_groups(
                model, ledger, as_of, tables.get(code), closing=method.closing, pool_period=method.pool_period
            )
            for group, book, on_hand in value_with_returns(groups, method.value):
                diagnostics.extend(book.diagnostics)
                if production is not None:
                    production.remember(code, book)
                if item is None or code == item:
                    items[group.key] = book.freeze(on_hand)
        orders = {}
        if production is not None:
            orders = {code: order for code, order in production.valued().items() if item is None or order.item == item}
    return ValuationResult(items, as_of, orders), tuple(diagnostics)
