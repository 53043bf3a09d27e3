"""Ledgers (docs/language.md, "Ledgers"): entry types and options as the checker sees them,
then the ledger rules of the valuation engine (:func:`costsheet.valuation.validate`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..syntax import nodes as n
from . import values
from .context import Context
from .options import repeated
from .vocabulary import ENTRY_TYPES

__all__ = ["ledger_entries", "ledger_rules"]

#: valuation rules this package reports itself, located at the offending token
#: (the ledger's item code, the costing-method field, the setup setting)
_REPORTED_HERE = frozenset({"ledger-unknown-item", "unknown-costing-method", "unknown-average-cost-period"})


def ledger_entries(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.of(n.LedgerDecl):
        for line in decl.lines:
            if not isinstance(line, n.EntryLine):
                continue
            problem = values.unknown_word(line.type, ENTRY_TYPES, "an entry type")
            if problem:
                yield problem.at(line.span)
            yield from repeated(line.options, f"a ledger entry of {decl.item.text}")
            cost = next((o for o in line.options if o.name == "cost"), None)
            if cost is not None and line.quantity < 0:
                yield values.cost_on_decrease().at(cost.span)


def ledger_rules(ctx: Context) -> Iterator[Diagnostic]:
    """The valuation engine's rules (applications, charges, revaluations, standard cost …)."""
    from ..valuation import validate

    if not ctx.model.ledgers:
        return
    for diagnostic in validate(ctx.model):
        if diagnostic.code not in _REPORTED_HERE:
            yield diagnostic
