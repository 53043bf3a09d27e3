"""The checker: every rule of the language, each a diagnostic with a stable code.

``run_checks(files, model)`` runs every check of :data:`CHECKS` and returns
all their diagnostics at once.  A check is a plain function
``check(ctx: Context) -> Iterable[Diagnostic]``; the modules of this package
group them by family (names, references, chart, setup, conditions, formulas,
master data, BOM, prices, ledgers).  The codes are listed, each with a
failing example, in docs/errors.md (generated from tests/golden).

Others use :func:`run_checks`, :func:`ledger_problems` (the ledger rules over a
model built in code), :func:`nearest` (the did-you-mean), and the rules a CSV
cell shares with the ruleset (:mod:`.values`, :class:`Reference`,
:func:`declared_twice`).

A check that fails with an exception is a bug in the checker; it is reported
as an ``internal-error`` diagnostic naming the check, and the other checks
still run, so a user never sees a traceback and never loses the other findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..diagnostics import Diagnostic
from ..model import Model
from ..nodememo import NodeMemo
from ..syntax import nodes
from . import (
    bom,
    chart,
    conditions,
    currencies,
    formulas,
    jointproducts,
    ledgers,
    masterdata,
    names,
    prices,
    references,
    scenarios,
    setup,
    standards,
    units,
    values,
    written,
)
from .context import Context
from .jointproducts import RULES as JOINT_PRODUCT_RULES
from .jointproducts import shares_over
from .ledgers import ledger_problems
from .names import declared_twice
from .nearest import nearest
from .references import Reference

__all__ = [
    "run_checks",
    "ledger_problems",
    "CHECKS",
    "Check",
    "Context",
    "nearest",
    "values",
    "Reference",
    "declared_twice",
    "JOINT_PRODUCT_RULES",
    "shares_over",
]

Check = Callable[[Context], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    names.duplicate_codes,
    written.written_values,
    references.references,
    references.master_data_references,
    chart.chart_nesting,
    chart.chart_cost_groups,
    chart.chart_filters,
    setup.duplicate_settings,
    setup.setting_values,
    setup.assembly_groups,
    conditions.condition_statements,
    conditions.condition_groups,
    conditions.line_values,
    conditions.line_flags,
    conditions.list_price_lines,
    conditions.condition_headers,
    conditions.rounding_available,
    formulas.charge_formulas,
    masterdata.fields,
    masterdata.condition_refs,
    masterdata.bom_and_routing,
    units.units_of_measure,
    currencies.currencies,
    masterdata.price_lines_present,
    masterdata.conditions_found,
    bom.bom_cycles,
    jointproducts.joint_products,
    jointproducts.master_joint_products,
    jointproducts.joint_cycles,
    prices.price_lines,
    prices.repeated_price_lines,
    prices.rounding_methods,
    prices.invalid_dates,
    standards.standard_costs,
    scenarios.scenario_targets,
    scenarios.simulation_settings,
    scenarios.distributions,
    standards.price_records,
    ledgers.ledger_entries,
    ledgers.ledger_rules,
)


def run_checks(
    files: tuple[nodes.SourceFile, ...],
    model: Model,
    checks: tuple[Check, ...] = CHECKS,
    *,
    master_data: Model = Model(),
    master_references: tuple[references.Reference, ...] = (),
    memo: NodeMemo | None = None,
) -> tuple[Diagnostic, ...]:
    """Every diagnostic of every check, in check order (the caller sorts them).

    ``model`` is the whole model (CSV master data merged in); ``master_data``
    is its CSV part and ``master_references`` the codes its cells name
    (see :func:`costsheet.csvdata.read_master_data`).  ``memo`` carries what the checks found per
    declaration in the previous load of the same ruleset (a session's, :mod:`costsheet.nodememo`)."""
    ctx = Context.build(tuple(files), model, master_data, master_references, memo)
    found: list[Diagnostic] = []
    for check in checks:
        try:
            found.extend(check(ctx))
        except Exception as error:  # a checker bug must not hide the user's other mistakes
            found.append(
                Diagnostic.error(
                    "internal-error",
                    f"the check {check.__module__}.{check.__name__} failed: {type(error).__name__}: {error}",
                    None,
                    "this is a bug in costsheet; please report it with the ruleset that triggers it",
                )
            )
    return tuple(_unique(found))


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[Diagnostic] = set()
    unique = []
    for diagnostic in diagnostics:
        if diagnostic not in seen:
            seen.add(diagnostic)
            unique.append(diagnostic)
    return unique
