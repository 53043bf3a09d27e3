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
