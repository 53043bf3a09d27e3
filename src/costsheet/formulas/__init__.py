"""Formulas of charge condition lines: parsed once (by the syntax stage), turned into Python
once (:mod:`.codegen`, when the costing is planned), evaluated many times; the lines of a
condition ordered by what they read (:mod:`.dependencies`).  ``x % y`` is x/100 × y and
``x § y`` is y × x/(100 + x); both bind like ``*`` and ``/``.
"""

from .codegen import CompiledFormula, FormulaError, evaluate_tree, fold_error, locate, rows_of, to_function
from .dependencies import LineOrder, order_lines

__all__ = [
    "CompiledFormula",
    "FormulaError",
    "to_function",
    "fold_error",
    "evaluate_tree",
    "locate",
    "rows_of",
    "LineOrder",
    "order_lines",
]
