"""The fast path of :func:`costsheet.syntax.parser.parse_formula`: a hand-written reader.

It reads the grammar's ``formula`` start rule (grammar/costsheet.lark)::

    sum     := product (("+" | "-") product)*
    product := atom (("*" | "/" | "%" | "§") atom)*
    atom    := NUMBER | ROW | "-" atom | "(" sum ")"

with one compiled pattern that cuts the text into the grammar's tokens (and its
ignored blanks and ``#`` comments), and an operator-precedence loop over them
with explicit stacks (no recursion, so a 2,000-character formula of unary minus
signs is no problem).  It builds the nodes the Lark parser's transformer builds,
with the same spans: a number, a row name and a unary minus as written, a binary
operation from its left operand to its right one, a parenthesised formula its
inner node spanning the parentheses.

It does not word diagnostics: for any text it cannot read it answers None and the
caller parses the text with Lark, which says what is wrong.  So every diagnostic
stays Lark's own, and the property tests in tests/syntax/test_formula_reader.py
hold the two to the same trees and spans (and the reader to None wherever Lark
refuses).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..diagnostics import Span
from . import nodes as n

__all__ = ["read_formula"]

#: One token of the formula grammar with the blanks and ``#`` comments before it (ignored
#: text, as in the grammar), or the blanks at the end of the text (an empty token), or a
#: character no token starts with (the third group).  Each token kind starts with characters
#: of its own, so its first character says what it is; the patterns are the grammar's (``\d``
#: matches every Unicode decimal digit, there too).  Every match ends where the next starts
#: and the blank part never gives back, so the scan is linear in the text, whatever it is.
_TOKEN = re.compile(
    r"((?:[ \t\f\r\n]++|#[^\n]*+)*+)"
    r"(?:(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/%()\u00a7\u2212\u2013]|\Z)|(.))",
    re.DOTALL,
)

# What stands on the operator stack; a binary operator's entry is its precedence, so that
# "reduce while the operator below binds at least as tight" is one comparison.
_UNARY = -1
_OPEN = 0
_ADD = 1
_MUL = 2
_CLOSE = 3

#: Operator and parenthesis characters: (their kind, the operator the node keeps).
_PUNCTUATION: dict[str, tuple[int, str]] = {
    "+": (_ADD, "+"),
    "-": (_ADD, "-"),
    "\u2212": (_ADD, "-"),  # typographic minus, read as "-"
    "\u2013": (_ADD, "-"),  # en dash, read as "-"
    "*": (_MUL, "*"),
    "/": (_MUL, "/"),
    "%": (_MUL, "%"),
    "\u00a7": (_MUL, "\u00a7"),
    "(": (_OPEN, "("),
    ")": (_CLOSE, ")"),
}
_MINUS = frozenset("-\u2212\u2013")
_ROW_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")

#: A pending operator: (kind, operator, line, column where it stands).
_Pending = tuple[int, str, int, int]


def read_formula(text: str, file: str) -> n.Formula | None:
    """The formula ``text`` as the Lark parser builds it (spans relative to line 1, column 1
    of ``text``, in ``file``), or None when the text is not a formula as written."""
    operands: list[n.Formula] = []
    pending: list[_Pending] = []
    expect_operand = True
    line, line_start, offset = 1, 0, 0
    for blank, token, stray in _TOKEN.findall(text):
        if stray:  # a character no token takes
            return None
        if "\n" in blank:  # lines as Lark counts them: only "\n" ends one
            line += blank.count("\n")
            line_start = offset + blank.rindex("\n") + 1
        offset += len(blank)
        if not token:  # the end of the text
            break
        column = offset - line_start + 1
        offset += len(token)
        first = token[0]
        punctuation = _PUNCTUATION.get(first)
        node: n.Formula | None
        if punctuation is None:  # a number or a row name
            if not expect_operand:
                return None
            span = Span(file, line, column, line, column + len(token))
            node = n.Row(token, span=span) if first in _ROW_START else n.Num(Decimal(token), span=span)
        elif expect_operand:  # a unary minus or "(" stands before an operand
            kind = _UNARY if first in _MINUS else punctuation[0]
            if kind != _UNARY and kind != _OPEN:
                return None
            pending.append((kind, punctuation[1], line, column))
            continue
        elif punctuation[0] == _CLOSE:
            node = _closed(pending, operands, file, line, column)
            if node is None:
                return None
        elif punctuation[0] == _OPEN:  # "(" after an operand
            return None
        else:  # a binary operator: first apply those before it that bind as tight
            kind = punctuation[0]
            while pending and pending[-1][0] >= kind:
                _apply(pending.pop()[1], operands, file)
            pending.append((kind, punctuation[1], line, column))
            expect_operand = True
            continue
        if pending and pending[-1][0] == _UNARY:
            node = _negated(node, pending, file)
        operands.append(node)
        expect_operand = False
    if expect_operand:  # empty, or ends with an operator
        return None
    return _finished(pending, operands, file)


def _apply(symbol: str, operands: list[n.Formula], file: str) -> None:
    """Replace the two operands on top of the stack by their binary operation."""
    right = operands.pop()
    left = operands.pop()
    first, last = left.span, right.span
    assert first is not None and last is not None, "the reader's nodes are positioned"
    span = Span(file, first.line, first.column, last.end_line, last.end_column)
    operands.append(n.Binary(symbol, left, right, span=span))


def _closed(pending: list[_Pending], operands: list[n.Formula], file: str, line: int, column: int) -> n.Formula | None:
    """At ``)``: the parenthesised formula (the inner node, spanning the parentheses), or None
    when no ``(`` is open."""
    while pending and pending[-1][0] != _OPEN:
        _apply(pending.pop()[1], operands, file)
    if not pending:
        return None
    _, _, open_line, open_column = pending.pop()
    return _respanned(operands.pop(), Span(file, open_line, open_column, line, column + 1))


def _respanned(node: n.Formula, span: Span) -> n.Formula:
    """``node`` with ``span`` (what ``attrs.evolve`` does, in a third of its time)."""
    if type(node) is n.Binary:
        return n.Binary(node.op, node.left, node.right, span=span)
    if type(node) is n.Unary:
        return n.Unary(node.op, node.operand, span=span)
    if type(node) is n.Row:
        return n.Row(node.name, span=span)
    assert type(node) is n.Num, "a formula is a Binary, Unary, Row or Num"
    return n.Num(node.value, span=span)


def _negated(node: n.Formula, pending: list[_Pending], file: str) -> n.Formula:
    """An atom is complete: the unary minus signs before it apply (they bind tightest)."""
    while pending and pending[-1][0] == _UNARY:
        _, _, line, column = pending.pop()
        end = node.span
        assert end is not None, "the reader's nodes are positioned"
        node = n.Unary("-", node, span=Span(file, line, column, end.end_line, end.end_column))
    return node


def _finished(pending: list[_Pending], operands: list[n.Formula], file: str) -> n.Formula | None:
    """At the end: the remaining operators applied, or None when a parenthesis is left open."""
    while pending:
        kind, symbol, _, _ = pending.pop()
        if kind == _OPEN:
            return None
        _apply(symbol, operands, file)
    (formula,) = operands
    return formula
