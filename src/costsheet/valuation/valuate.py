"""value(): check each ledger, prepare its groups, run the item's costing method."""

from __future__ import annotations

import datetime as dt
import decimal

from ..diagnostics import Diagnostic, has_errors
from ..model import Model
from ..numbers import CONTEXT
from .methods import METHODS, CostingMethod
from .prepare import Book, prepare_groups
from .result import ItemValuation, ValuationResult
from .rules import validate_ledger

__all__ = ["value"]


def value(model: Model, *, item: str | None = None,
          as_of: dt.date | None = None) -> tuple[ValuationResult, tuple[Diagnostic, ...]]:
    """Value the ledgers of ``model`` (or only ``item``'s) as of ``as_of`` (inclusive).

    A ledger with errors is left out of the result; its diagnostics say why.
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
            found = validate_ledger(model, ledger)
            diagnostics.extend(found)
            if has_errors(found):
                continue
            method = METHODS[CostingMethod(model.items[code].costing_method)]
            for group in prepare_groups(model, ledger, as_of):
                book = Book(group)
                on_hand = method(group, book)
                diagnostics.extend(book.diagnostics)
                items[group.key] = book.freeze(on_hand)
    return ValuationResult(items, as_of), tuple(diagnostics)
