"""The syntax stage: text -> syntax tree (docs/language.md).

The names other packages use::

    tree, diagnostics = parse(text, file)            # one file; tree None on syntax errors
    tree, diagnostics = reparse((old_text, old_tree), text, file)  # the same, parsing only what changed
    formula, diagnostics = parse_formula(text, file) # one formula
    keywords, others = expected_after(text)          # what may follow a prefix (completion)
    tree = parse_tolerant(text, file)                # the declarations that parse (editors)
    text, diagnostics = format_ruleset(text, file)   # the canonical layout (`costsheet fmt`)
    print_ruleset(tree), print_formula(formula)      # a tree back to text
    nodes                                            # the node classes (frozen attrs)

Formulas in a file are parsed here, once: a ``formula "..."`` node keeps its
text, its tree and, when it does not parse, its diagnostics.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from . import nodes
from .parser import (
    BYTE_ORDER_MARK,
    MAX_FORMULA_DEPTH,
    MAX_FORMULA_LENGTH,
    declaration_pieces,
    expected_after,
    parse,
    parse_formula,
    parse_piece,
    parse_tolerant,
)
from .transformer import InvalidDate, Oversized, unescape

if TYPE_CHECKING:
    from .incremental import changed_lines, reparse
    from .printer import code_text, print_formula, print_ruleset

#: names imported from their module on first use (``costsheet check`` prints nothing and re-parses
#: nothing): name -> module of this package
_ON_FIRST_USE = {
    "changed_lines": "incremental",
    "reparse": "incremental",
    "code_text": "printer",
    "print_formula": "printer",
    "print_ruleset": "printer",
}

__all__ = [
    "nodes",
    "parse",
    "parse_formula",
    "reparse",
    "changed_lines",
    "expected_after",
    "parse_tolerant",
    "declaration_pieces",
    "parse_piece",
    "format_ruleset",
    "print_ruleset",
    "code_text",
    "print_formula",
    "unescape",
    "InvalidDate",
    "Oversized",
    "BYTE_ORDER_MARK",
    "MAX_FORMULA_DEPTH",
    "MAX_FORMULA_LENGTH",
]


def format_ruleset(text: str, file: str = "<text>") -> tuple[str | None, tuple[Diagnostic, ...]]:
    """``(the canonical text, diagnostics)`` of one file; ``(None, diagnostics)`` on a syntax error.

    Only the syntax stage runs (parse and print), so a file with a checker error
    still formats; comments are kept.  ``costsheet fmt`` and editor support use it."""
    tree, diagnostics = parse(text, file)
    if tree is None:
        return None, diagnostics
    from .printer import print_ruleset

    return print_ruleset(tree), diagnostics


def __getattr__(name: str) -> object:
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
