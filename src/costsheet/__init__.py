"""costsheet: a rules engine for manufacturing cost calculation.

The public API (kept light to import; the engines load on first use)::

    import costsheet
    ruleset = costsheet.load("rulesets/demo.cost")     # or the text itself
    result = ruleset.calculate("ICO-0001", lot_size=10)
    result.unit_cost                                     # a Decimal
    print(result.to_json())                              # byte for byte as `costsheet calc --format json`
    valuation = ruleset.value(as_of=datetime.date(2026, 6, 30))

A ruleset with errors raises :class:`RulesetError`; a calculation or
valuation that cannot be made raises :class:`CalculationError` (a subclass);
both carry every diagnostic (README, "From Python").

A :class:`Session` keeps a ruleset loaded and its results up to date as its
files change, re-costing only what a change reaches (docs/session.md)::

    session = costsheet.Session("rulesets/demo.cost")
    update = session.update()          # after a save: update.moves lists what moved
"""

from __future__ import annotations

from .diagnostics import CalculationError, Diagnostic, RulesetError, Severity, Span
from .numbers import D

__all__ = [
    "D",
    "CalculationError",
    "Diagnostic",
    "RulesetError",
    "Severity",
    "Span",
    "Session",
    "load",
    "parse_formula",
    "__version__",
]

__version__ = "0.1.0"


def load(source, **options):
    """Load a ruleset from a path or from its text; raises RulesetError with every diagnostic.

    Options: ``file`` (the name of a text), ``master_data`` (a CSV folder or
    files), ``ledger_csv`` (ledger CSV files), ``texts`` (included files by
    name).  See :func:`costsheet.ruleset.analyze`."""
    from .ruleset import load as _load

    return _load(source, **options)


def parse_formula(text: str, rows=None):
    """Parse and check one formula; see :func:`costsheet.ruleset.parse_formula`."""
    from .ruleset import parse_formula as _parse_formula

    return _parse_formula(text, rows=rows)


def __getattr__(name: str):
    """``costsheet.Session`` (and the classes of its answers), imported on first use."""
    if name in ("Session", "Costing", "Update", "Move"):
        from . import session

        return getattr(session, name)
    raise AttributeError(f"module 'costsheet' has no attribute {name!r}")
