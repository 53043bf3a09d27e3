"""value(): prepare each ledger's groups, run the item's costing method.

The model is a checked one (:func:`costsheet.check.run_checks`, whose ledger rules
are :mod:`costsheet.check.ledgers`): every ledger it holds can be valued.
"""

from __future__ import annotations

import datetime as dt
import decimal

from ..diagnostics import Diagnostic
from ..model import Model
from ..numbers import CONTEXT
from .methods import METHODS, CostingMethod
from .prepare import Book, prepare_groups
from .result import ItemValuation, ValuationResult

__all__ = ["value"]


def value(model: Model, *, item: str | None = None,
          as_of: dt.date | None = None) -> tuple[ValuationResult, tuple[Diagnostic, ...]]:
    """Value the ledgers of ``model`` (or only ``item``'s) as of ``as_of`` (inclusive).

    ``model`` is checked (the ledger rules passed); the diagnostics are what only the
    date shows (``no-ledger`` for an ``item`` without one, the methods' own).
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
        for code, ledger in model.ledgers.items():
            if item is not None and code != item:
                continue
            method = METHODS[CostingMethod(model.items[code].costing_method)]
            for group in prepare_groups(model, ledger, as_of):
                book = Book(group)
                on_hand = method(group, book)
                diagnostics.extend(book.diagnostics)
                items[group.key] = book.freeze(on_hand)
    return ValuationResult(items, as_of), tuple(diagnostics)
