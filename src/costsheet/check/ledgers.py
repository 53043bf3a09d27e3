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
#: (the ledger's item code, the costing-method field, the setup setting, a capacity line's resource)
_REPORTED_HERE = frozenset({"ledger-unknown-item", "unknown-costing-method", "unknown-average-cost-period",
                            "unknown-resource"})


def ledger_entries(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.of(n.LedgerDecl):
        for line in decl.lines:
            if isinstance(line, n.CapacityLine):
                yield from _capacity_line(decl.item.text, line)
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


def _capacity_line(item: str, line: n.CapacityLine) -> Iterator[Diagnostic]:
    """A capacity line names its order and gives a time: one plain time (the run time), or
    `setup` and/or `run`, each once."""
    who = f"the capacity line of {item}"
    yield from repeated(line.options, who)
    if line.order is None:
        yield Diagnostic.error("missing-field", f"{who} names no production order", line.span,
                               "add `order CODE`: the production order that used the capacity")
    if line.time is None and line.setup is None and line.run is None:
        yield Diagnostic.error("missing-field", f"{who} gives no time", line.span,
                               "write the time used (`40min`), or its parts (`setup 15min run 10min`)")
    elif line.time is not None and line.run is not None:
        run = next(o for o in line.options if o.name == "run")
        yield Diagnostic.error("duplicate-field", f"{who} gives a run time twice (a plain time is the run time)",
                               run.span, "keep one of them: write `setup T run T`, or the plain time alone")
