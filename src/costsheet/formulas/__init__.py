"""Formulas of charge condition lines: compiled once, evaluated many times.

See :mod:`costsheet.formulas.compiler`.  ``x % y`` is x/100 × y and
``x § y`` is y × x/(100 + x); both bind like ``*`` and ``/``.
"""

from .compiler import CompiledFormula, FormulaError, compile_formula, evaluate_tree, locate, rows_of

__all__ = ["CompiledFormula", "FormulaError", "compile_formula", "evaluate_tree", "locate", "rows_of"]
