"""The calculation history: every calculation recorded in a local SQLite file, and compared.

Seed: "a history of every calculation ever performed" and "comparing
calculation results".  The CLI, the API (when asked) and the service call
:func:`record_calculation`; ``costsheet history`` lists, shows and compares
the records with :class:`HistoryStore` and :func:`diff`.
"""

from __future__ import annotations

from .diff import CalculationDiff, Change, diff
from .hashing import ruleset_hash
from .paths import ENV_VAR, default_store_path, resolve_store_path
from .record import record_calculation
from .store import Calculation, HistoryStore, StoreError

__all__ = [
    "ENV_VAR",
    "Calculation",
    "CalculationDiff",
    "Change",
    "HistoryStore",
    "StoreError",
    "default_store_path",
    "diff",
    "record_calculation",
    "resolve_store_path",
    "ruleset_hash",
]
