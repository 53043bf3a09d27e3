"""Values as written: numbers costsheet can calculate with exactly, codes of 1 to 20 characters.

Every number a ruleset writes (amounts, quantities, rates, percentages, entry
numbers) must fit the engine's exact range: below 1e14 in size and at most 20
decimal places (the costing engine's internal scale, docs/costing.md).  A
number beyond it would make later arithmetic round silently or overflow, so it
is refused where it is written (the rule is
:func:`costsheet.check.values.number_size`, which numbers in CSV cells obey
too).  Whole numbers beyond it reach the checker as written
(:class:`~costsheet.syntax.transformer.Oversized`).  Counts of decimals
(``decimals amounts 2:5``) have a range of their own, checked with the setup
(:mod:`costsheet.check.setup`).

Every code (written bare or quoted) is 1 to 20 characters and not blank
(:func:`costsheet.check.values.code_problem`, docs/language.md, "Lexical rules").

Both are found in one walk over each declaration: the walks over every node of
a large ruleset are a good part of the checks' time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..diagnostics import Diagnostic, Span
from ..syntax import Oversized
from ..syntax import nodes as n
from .context import Context, child_fields
from .values import LARGEST, MOST_PLACES, code_problem, number_size, shortened

__all__ = ["written_values", "LARGEST", "MOST_PLACES"]

#: Values that hold no number and no code: the walk does not put them on its stack.
_LEAVES = frozenset({str, int, bool, type(None), Span})


def written_values(ctx: Context) -> Iterator[Diagnostic]:
    return iter(ctx.each("written-values", object, lambda decl: _walk(decl, decl.span)))


def _walk(node: object, span: Span | None) -> Iterator[Diagnostic]:
    """Every Decimal and every code below ``node``; a number located at the nearest node that has a
    span, a code at its own."""
    stack: list[tuple[Any, Span | None]] = [(node, span)]  # told apart by their exact type
    leaves = _LEAVES
    while stack:
        current, where = stack.pop()
        node_type = type(current)
        if node_type is Decimal:
            problem = number_size(current)
            if problem:
                yield problem.at(where)
        elif node_type is n.Code:
            problem = code_problem(current.text)
            if problem:
                yield problem.at(current.span)
        elif node_type is Oversized:
            yield Diagnostic.error(
                "out-of-range",
                f"the number {shortened(current)} is too large (costsheet reads whole numbers below {LARGEST:,.0f})",
                where,
                "name an entry of this ledger: entries are numbered 1, 2, 3 ... in the order written",
            )
        elif node_type is tuple:
            stack.extend([(child, where) for child in reversed(current) if type(child) not in leaves])
        elif names := _fields(node_type):  # type: ignore[arg-type]  # mypy: type[Any] is not Hashable
            inner = getattr(current, "span", None) or where
            for name in reversed(names):
                value = getattr(current, name)
                if type(value) not in leaves:
                    stack.append((value, inner))


@functools.cache
def _fields(node_type: type) -> tuple[str, ...]:
    """The fields of a syntax node type that may hold numbers or codes; none for a decimals range
    (checked with the setup) or a type that is no syntax node."""
    return () if node_type is n.DecimalsRange else child_fields(node_type)
