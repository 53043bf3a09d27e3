"""Code generation: a formula tree turned once into a Python function.

Charge formulas are evaluated for every item a ruleset costs, so they are
turned into straight-line Python source (one temporary per operation, so a
formula nested a thousand deep does not hit the parser's nesting limit),
with constant sub-expressions folded at compile time, and compiled with
:func:`compile` once.  Every operation runs in :data:`costsheet.numbers.CONTEXT`
through the context's own methods, never in the thread's default context.

Errors that only show at evaluation time (division by zero) raise
:class:`FormulaError` carrying the span of the operator's node, so the
caller can say which line and which column of the formula failed.  The
message says only what went wrong ("division by zero"): the caller knows
which condition line the formula belongs to and names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import cast

import attrs

from ..diagnostics import Span
from ..numbers import CONTEXT, HUNDRED
from ..syntax import nodes

__all__ = ["CompiledFormula", "FormulaError", "to_function", "fold_error", "rows_of", "evaluate_tree", "locate"]


class FormulaError(Exception):
    """A formula could not be evaluated; ``span`` locates the failing node."""

    def __init__(self, code: str, message: str, span: Span | None, hint: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        self.hint = hint


@attrs.frozen
class CompiledFormula:
    """A formula ready to run: ``formula(rows)`` with ``rows`` mapping row name to value."""

    rows: tuple[str, ...]  # the row names it reads, in first-use order
    source: str = attrs.field(eq=False, repr=False)  # the generated Python, for debugging and tests
    function: Callable[[Mapping[str, Decimal]], Decimal] = attrs.field(eq=False, repr=False)
    constant: Decimal | None = None  # the folded value when the formula reads no row

    def __call__(self, rows: Mapping[str, Decimal]) -> Decimal:
        return self.function(rows)


def rows_of(node: nodes.Formula) -> tuple[str, ...]:
    """The row names a formula reads, in first-use order, without recursion."""
    return tuple(dict.fromkeys(row.name for row in nodes.row_nodes(node)))


def locate(span: Span | None, origin: Span | None) -> Span | None:
    """``span`` (relative to a formula's text) placed in the file where the text starts at ``origin``."""
    if span is None or origin is None:
        return span if span is not None else origin
    shifted = span.shifted(origin.line, origin.column)
    return Span(origin.file, shifted.line, shifted.column, shifted.end_line, shifted.end_column)


def _span(node: nodes.Formula, origin: Span | None) -> Span | None:
    return locate(node.span, origin)


def _divide(a: Decimal, b: Decimal, span: Span | None) -> Decimal:
    if not b:
        raise FormulaError(
            "division-by-zero",
            "division by zero",
            span,
            "the divisor evaluates to 0 for this item; guard the row or change the formula",
        )
    return CONTEXT.divide(a, b)


def _share(x: Decimal, y: Decimal, span: Span | None) -> Decimal:
    """``x § y`` = y × x / (100 + x): the share x% contained in a gross amount y."""
    denominator = CONTEXT.add(HUNDRED, x)
    if not denominator:
        raise FormulaError(
            "division-by-zero",
            "division by zero",
            span,
            "x § y divides by 100 + x, and x is -100 here; change the formula or the row it reads",
        )
    return CONTEXT.divide(CONTEXT.multiply(y, x), denominator)


def _percent(x: Decimal, y: Decimal, span: Span | None = None) -> Decimal:
    """``x % y`` = x / 100 × y."""
    return CONTEXT.multiply(CONTEXT.divide(x, HUNDRED), y)


def _add(a: Decimal, b: Decimal, span: Span | None = None) -> Decimal:
    return CONTEXT.add(a, b)


def _sub(a: Decimal, b: Decimal, span: Span | None = None) -> Decimal:
    return CONTEXT.subtract(a, b)


def _mul(a: Decimal, b: Decimal, span: Span | None = None) -> Decimal:
    return CONTEXT.multiply(a, b)


_Operation = Callable[[Decimal, Decimal, Span | None], Decimal]
_BINARY: Mapping[str, _Operation] = {"+": _add, "-": _sub, "*": _mul, "/": _divide, "%": _percent, "§": _share}
#: Operators emitted as the context's own bound method (no span argument, no wrapper call).
_DIRECT = {"+": "C_add", "-": "C_sub", "*": "C_mul"}
_MINUS_SIGNS = {"-", "\u2212", "\u2013"}


def _fold(op: str, a: Decimal, b: Decimal, span: Span | None) -> Decimal:
    return _BINARY[op](a, b, span)


def evaluate_tree(node: nodes.Formula, rows: Mapping[str, Decimal], origin: Span | None = None) -> Decimal:
    """Reference evaluator (iterative tree walk), used by tests to cross-check compiled code."""
    result = _lower(node, origin, rows_values=rows)[1]
    assert isinstance(result, Decimal), "with the rows' values every operation folds"
    return result


#: An operand of a step: a value, or the name of a row or of a temporary.
_Operand = Decimal | str
#: One straight-line step: (target, op, a, b, span); ``b`` is None for "row" and "neg".
_Step = tuple[str, str, _Operand, _Operand | None, Span | None]


def _lower(
    node: nodes.Formula, origin: Span | None, rows_values: Mapping[str, Decimal] | None = None
) -> tuple[list[_Step], _Operand]:
    """Turn the tree into straight-line steps, folding constants.

    Returns (steps, result) where result is a Decimal when the whole formula
    folded to a constant (or was evaluated with ``rows_values``), else the
    name of the temporary holding it.  Each step is (target, op, a, b, span).
    """
    steps: list[_Step] = []
    out: dict[int, _Operand] = {}
    counter = 0
    stack: list[tuple[nodes.Formula, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        key = id(current)
        if isinstance(current, nodes.Num):
            out[key] = current.value
            continue
        if isinstance(current, nodes.Row):
            if rows_values is not None:
                out[key] = rows_values[current.name]
            else:
                counter += 1
                name = f"t{counter}"
                steps.append((name, "row", current.name, None, None))
                out[key] = name
            continue
        if not expanded:
            stack.append((current, True))
            if isinstance(current, nodes.Unary):
                stack.append((current.operand, False))
            else:
                stack.append((current.right, False))
                stack.append((current.left, False))
            continue
        span = _span(current, origin)
        if isinstance(current, nodes.Unary):
            operand = out.pop(id(current.operand))
            if current.op not in _MINUS_SIGNS and current.op != "+":
                raise FormulaError("unknown-operator", f"unknown operator {current.op!r}", span)
            if current.op == "+":
                out[key] = operand
            elif isinstance(operand, Decimal):
                out[key] = CONTEXT.minus(operand)
            else:
                counter += 1
                name = f"t{counter}"
                steps.append((name, "neg", operand, None, span))
                out[key] = name
            continue
        op = "-" if current.op in _MINUS_SIGNS else current.op
        if op not in _BINARY:
            raise FormulaError("unknown-operator", f"unknown operator {current.op!r}", span)
        left = out.pop(id(current.left))
        right = out.pop(id(current.right))
        if isinstance(left, Decimal) and isinstance(right, Decimal):
            out[key] = _fold(op, left, right, span)
        else:
            counter += 1
            name = f"t{counter}"
            steps.append((name, op, left, right, span))
            out[key] = name
    return steps, out[id(node)]


def fold_error(node: nodes.Formula, origin: Span | None = None) -> FormulaError | None:
    """The error folding the constant parts of ``node`` meets (a constant division by zero),
    or None: what :func:`to_function` would raise, found without generating code."""
    try:
        _lower(node, origin)
    except FormulaError as error:
        return error
    return None


def to_function(node: nodes.Formula, origin: Span | None = None) -> CompiledFormula:
    """``node`` turned once into a function of the row values (Python source, compiled).

    ``origin`` is where the formula's text starts in its file (the condition
    line's ``formula_span``); node spans are read relative to it.  Raises
    :class:`FormulaError` when constant folding itself divides by zero.
    """
    steps, result = _lower(node, origin)
    rows = rows_of(node)
    if isinstance(result, Decimal):
        value = result
        return CompiledFormula(rows=rows, source=f"constant {value}", function=lambda _rows: value, constant=value)
    constants: list[Decimal] = []
    spans: list[Span | None] = []
    lines = ["def formula(r):"]

    def operand(value: _Operand | None) -> str:
        assert value is not None, "binary steps have two operands"
        if isinstance(value, Decimal):
            constants.append(value)
            return f"K[{len(constants) - 1}]"
        return value

    for target, op, a, b, span in steps:
        if op == "row":
            lines.append(f"    {target} = r[{a!r}]")
        elif op == "neg":
            lines.append(f"    {target} = C_minus({a})")
        elif op in _DIRECT:
            lines.append(f"    {target} = {_DIRECT[op]}({operand(a)}, {operand(b)})")
        else:
            spans.append(span)
            helper = {"/": "F_div", "%": "F_pct", "§": "F_share"}[op]
            lines.append(f"    {target} = {helper}({operand(a)}, {operand(b)}, S[{len(spans) - 1}])")
    lines.append(f"    return {result}")
    source = "\n".join(lines) + "\n"
    namespace: dict[str, object] = {
        "K": tuple(constants),
        "S": tuple(spans),
        "C_add": CONTEXT.add,
        "C_sub": CONTEXT.subtract,
        "C_mul": CONTEXT.multiply,
        "C_minus": CONTEXT.minus,
        "F_div": _divide,
        "F_pct": _percent,
        "F_share": _share,
    }
    exec(compile(source, "<costsheet formula>", "exec"), namespace)
    # the function the generated source defines: exec'd code, so its type is stated here
    function = cast(Callable[[Mapping[str, Decimal]], Decimal], namespace["formula"])
    return CompiledFormula(rows=rows, source=source, function=function)
