"""Formulas of charge condition lines: compiled once, evaluated many times.

See :mod:`costsheet.formulas.codegen`.  ``x % y`` is x/100 × y and
``x § y`` is y × x/(100 + x); both bind like ``*`` and ``/``.
"""

from .codegen import CompiledFormula, FormulaError, to_function, evaluate_tree, locate, rows_of

__all__ = ["CompiledFormula", "FormulaError", "to_function", "evaluate_tree", "locate", "rows_of"]
