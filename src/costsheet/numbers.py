"""The one gateway to Decimal.

Every number in costsheet is a :class:`decimal.Decimal` created through
:func:`D`; floats are rejected so that no binary rounding ever reaches an
amount.  Arithmetic runs in an explicit context (:data:`CONTEXT`), never in
the thread's default one, and rounding to a precision goes through
:func:`round_to`.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal

__all__ = [
    "D",
    "ZERO",
    "ONE",
    "HUNDRED",
    "CONTEXT",
    "round_to",
    "quantize_display",
    "to_text",
    "readable",
    "OUTGOING_PLACES",
    "outgoing",
    "outgoing_parts",
]

#: The context all calculations run in: 28 significant digits would lose
#: cents on large roll-ups, so we keep 34 (IEEE decimal128) and trap the
#: signals that indicate a bug rather than a legitimate result.
CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def D(value: object = 0) -> Decimal:  # noqa: N802 -- the Decimal constructor of every module and doc, named like the class
    """Return ``value`` as a Decimal; accepts Decimal, int and numeric text.

    Floats are refused: ``D(0.1)`` raises ``TypeError``; write ``D("0.1")``.
    The typographic minus and en dash are accepted in text.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip().replace("\u2212", "-").replace("\u2013", "-")
        try:
            result = Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise TypeError(f"costsheet numbers must be Decimal, int or str, not {type(value).__name__}")


_DIRECTIONS = {
    "nearest": decimal.ROUND_HALF_UP,  # half away from zero
    "up": decimal.ROUND_CEILING,  # toward +infinity
    "down": decimal.ROUND_FLOOR,  # toward -infinity
}


def round_to(value: Decimal, precision: Decimal, direction: str = "nearest") -> Decimal:
    """Round ``value`` to a multiple of ``precision``.

    ``direction`` is ``nearest`` (half away from zero), ``up`` (toward
    +infinity) or ``down`` (toward -infinity).  The result carries the
    exponent of ``precision`` (``round_to(D("3.333"), D("0.01"))`` is
    ``Decimal("3.33")``).
    """
    if precision <= 0:
        raise ValueError("rounding precision must be positive")
    mode = _DIRECTIONS[direction]
    steps = CONTEXT.divide(value, precision).quantize(ONE, rounding=mode, context=CONTEXT)
    return CONTEXT.multiply(steps, precision)


def quantize_display(value: Decimal, min_places: int, max_places: int) -> str:
    """Show ``value`` with at least ``min_places`` and at most ``max_places`` decimals."""
    context = CONTEXT
    if value.adjusted() + max_places + 2 > CONTEXT.prec:  # a huge amount: room for every digit shown
        context = CONTEXT.copy()
        context.prec = value.adjusted() + max_places + 2
    rounded = value.quantize(Decimal(1).scaleb(-max_places), rounding=decimal.ROUND_HALF_UP, context=context)
    text = format(rounded, "f")
    if "." in text:
        whole, _, frac = text.partition(".")
        frac = frac.rstrip("0")
        if len(frac) < min_places:
            frac = frac + "0" * (min_places - len(frac))
        text = f"{whole}.{frac}" if frac else whole
    elif min_places:
        text = f"{text}.{'0' * min_places}"
    if text.startswith("-") and set(text[1:]) <= {"0", "."}:
        text = text[1:]
    return text


def written_amount(value: Decimal) -> str:
    """An amount as the worksheet writes it into a ruleset or CSV file: every digit it has
    (nothing is rounded), no trailing zeros beyond the second decimal (``147.527600`` is
    ``147.5276``, ``20.5`` is ``20.50``)."""
    text = to_text(value)
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.rstrip('0').ljust(2, '0')}"


def to_text(value: Decimal) -> str:
    """The JSON form of a Decimal: plain notation, every digit it carries, no exponent.

    ``to_text(D("1.50"))`` is ``"1.50"``; ``to_text(D("1E+2"))`` is
    ``"100"``; a zero is ``"0"`` or ``"0.00"``, never ``"-0"``.  It rounds
    nothing: amounts reach it through :func:`outgoing` (at most 12 decimal
    places) when a result is made.
    """
    text = format(value, "f")
    if text[0] == "-" and not value:
        return text[1:]
    return text


#: Decimal places an amount has at most when it leaves the engines
#: (docs/costing.md, "Amounts that leave the engine").  Inside, the costing engine keeps 20
#: (its internal scale) and arithmetic 34 digits.
OUTGOING_PLACES = 12
#: The smallest step of an outgoing amount, 10^-12.
OUTGOING_QUANTUM = Decimal(1).scaleb(-OUTGOING_PLACES)
#: Adjusted exponents (``value.adjusted()``) :data:`_OUTGOING_CONTEXTS` covers: 1E-12 up to below 1E41.
_OUTGOING_LOWEST = -OUTGOING_PLACES
_OUTGOING_HIGHEST = 40


def _outgoing_contexts() -> tuple[decimal.Context, ...]:
    """Copies of CONTEXT with just enough digits to keep 12 places, one per adjusted exponent.

    Their ``plus`` rounds (half even) to the context's precision and never pads
    with zeros, so a value with 12 places or fewer comes back with its own
    exponent; one with more comes back with a larger one.  (Reading the
    exponent with ``as_tuple()`` would cost several times more: it builds a
    tuple of every digit.)  The same context then holds every digit of the
    rounded value, so it drops the trailing zeros without another copy.
    """
    contexts = []
    for adjusted in range(_OUTGOING_LOWEST, _OUTGOING_HIGHEST + 1):
        context = CONTEXT.copy()
        context.prec = adjusted + OUTGOING_PLACES + 1
        contexts.append(context)
    return tuple(contexts)


_OUTGOING_CONTEXTS = _outgoing_contexts()


def outgoing(value: Decimal) -> Decimal:
    """``value`` as it leaves the engines: at most 12 decimal places, no residue of the internal scale.

    A value with 12 places or fewer is returned as it is, its scale included
    (``1.50`` stays ``1.50``, ``10.000`` stays ``10.000``: the places it was
    written with, or that a rounding method or the arithmetic gave it).  A value
    with more is rounded half even to 12 places and then loses its trailing
    zeros, which past the places anyone chose are residue:
    ``382.06751934272000000001`` is ``382.06751934272``,
    ``0.03888888888888888889`` is ``0.038888888889``, ``2.00000000000000000000``
    is ``2`` and ``0.0000000000004`` is ``0``.  Idempotent.
    """
    adjusted = value.adjusted()
    if _OUTGOING_LOWEST <= adjusted <= _OUTGOING_HIGHEST:
        context = _OUTGOING_CONTEXTS[adjusted - _OUTGOING_LOWEST]
        rounded = context.plus(value)
        if rounded.same_quantum(value):  # nothing past the 12th place: the value as it is
            return value
        return _without_trailing_zeros(rounded, context)
    if not value.is_finite():
        return value
    if value.as_tuple().exponent >= -OUTGOING_PLACES:  # type: ignore[operator]  # finite: an int
        return value
    context = CONTEXT.copy()  # far from 1: as many digits as the value has before the 12th place
    context.prec = max(CONTEXT.prec, adjusted + OUTGOING_PLACES + 2)
    return _without_trailing_zeros(value.quantize(OUTGOING_QUANTUM, context=context), context)


def _without_trailing_zeros(value: Decimal, context: decimal.Context) -> Decimal:
    """A rounded value's trailing zeros dropped (``1.500000000000`` is ``1.5``, ``-0E-12`` is ``0``),
    a whole number written without an exponent (``100``, not ``1E+2``).  ``context`` holds all its digits."""
    if not value:
        return ZERO
    if value == value.to_integral_value():
        return value.quantize(ONE, context=context)
    return value.normalize(context)  # a fraction is left: the exponent stays negative


def _stripped(value: Decimal) -> Decimal:
    """A value of at most 12 places without trailing zeros (``1.000000000000`` is ``1``)."""
    adjusted = value.adjusted()
    if _OUTGOING_LOWEST <= adjusted <= _OUTGOING_HIGHEST:
        return _without_trailing_zeros(value, _OUTGOING_CONTEXTS[adjusted - _OUTGOING_LOWEST])
    context = CONTEXT.copy()
    context.prec = max(CONTEXT.prec, adjusted + OUTGOING_PLACES + 2)
    return _without_trailing_zeros(value, context)


def outgoing_parts(total: Decimal, parts: Sequence[Decimal]) -> tuple[Decimal, list[Decimal]]:
    """``outgoing(total)`` and the ``parts`` of it, each through :func:`outgoing`, made to add up to it.

    When the parts add up to the total exactly (the costing engine's
    breakdowns do), rounding each to 12 places can leave their sum a few
    10^-12 away from the rounded total.  The difference is then given, one
    10^-12 at a time, to the parts that rounding moved furthest the other way
    (largest remainder; the earlier part on a tie), so every part stays within
    10^-12 of the engine's amount and the parts add up to the outgoing total
    exactly.  Parts that do not add up to the total (amounts past 10^14, where
    the engine keeps 34 significant digits) are only rounded.
    """
    out_total = outgoing(total)
    add = CONTEXT.add
    contexts, lowest, highest = _OUTGOING_CONTEXTS, _OUTGOING_LOWEST, _OUTGOING_HIGHEST
    out_parts = []
    rounded_sum = ZERO
    for part in parts:  # outgoing(part), inlined: this runs for every element of every result
        adjusted = part.adjusted()
        if lowest <= adjusted <= highest:
            context = contexts[adjusted - lowest]
            rounded = context.plus(part)
            out = part if rounded.same_quantum(part) else _without_trailing_zeros(rounded, context)
        else:
            out = outgoing(part)
        out_parts.append(out)
        rounded_sum = add(rounded_sum, out)
    if rounded_sum == out_total:
        return out_total, out_parts
    units = CONTEXT.divide(CONTEXT.subtract(out_total, rounded_sum), OUTGOING_QUANTUM)
    moved = [
        (CONTEXT.subtract(part, out), index)
        for index, (part, out) in enumerate(zip(parts, out_parts, strict=True))
        if part != out
    ]
    # copy_negate and copy_abs: exact whatever the thread's decimal context (unary - and abs() round to it)
    count = units.copy_abs()
    if units != units.to_integral_value(context=CONTEXT) or count > len(moved):
        return out_total, out_parts  # not a rounding difference: the parts do not add up to the total
    step = OUTGOING_QUANTUM if units > 0 else OUTGOING_QUANTUM.copy_negate()
    # rounded down the most first when the sum falls short, rounded up the most first when it is over
    moved.sort(key=lambda remainder: (remainder[0].copy_negate() if units > 0 else remainder[0], remainder[1]))
    for _, index in moved[: int(count)]:
        out_parts[index] = _stripped(add(out_parts[index], step))
    return out_total, out_parts


#: Beyond this many places before or after the point a message shows a number in scientific notation.
_READABLE_PLACES = 30


def readable(value: Decimal) -> str:
    """A number as a message shows it: as a person writes it, ``0.0000000001`` (never Python's
    ``Decimal('1E-10')``, nor ``1E-10``), ``-0``, ``1000``; in scientific notation only when the plain
    form would run more than 30 places before or after the point; ``NaN`` and ``Infinity`` by name."""
    if not value.is_finite():
        return str(value)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), "a finite value's exponent is a number"
    if value.adjusted() > _READABLE_PLACES or exponent < -_READABLE_PLACES:
        return str(value)
    return format(value, "f")
