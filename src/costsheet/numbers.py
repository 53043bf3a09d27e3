"""The one gateway to Decimal.

Every number in costsheet is a :class:`decimal.Decimal` created through
:func:`D`; floats are rejected so that no binary rounding ever reaches an
amount.  Arithmetic runs in an explicit context (:data:`CONTEXT`), never in
the thread's default one, and rounding to a precision goes through
:func:`round_to`.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

__all__ = ["D", "ZERO", "ONE", "HUNDRED", "CONTEXT", "round_to", "quantize_display", "to_text", "readable"]

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


def D(value: object = 0) -> Decimal:
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


def to_text(value: Decimal) -> str:
    """The JSON form of a Decimal: plain notation, no exponent, no trailing noise.

    ``to_text(D("1.50"))`` keeps ``"1.50"`` (the scale the value carries, as
    written or as a rounding method left it); ``to_text(D("1E+2"))`` is
    ``"100"``; a zero is ``"0"`` or ``"0.00"``, never ``"-0"``.  Trailing zeros
    past the 12th decimal place are arithmetic residue (``382.06751934272``
    plus a zero carrying 31 decimals), never a scale anyone chose: they are
    dropped.
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_KEPT_PLACES:
        value = value.normalize(CONTEXT)
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:
            value = value.quantize(ONE, context=CONTEXT)
    if value == 0:
        return "0" if not isinstance(exponent, int) or exponent >= 0 else "0." + "0" * min(-exponent, _KEPT_PLACES)
    return format(value, "f")


_KEPT_PLACES = 12


#: Beyond this many places before or after the point a message shows a number in scientific notation.
_READABLE_PLACES = 30


def readable(value: Decimal) -> str:
    """A number as a message shows it: as a person writes it, ``0.0000000001`` (never Python's
    ``Decimal('1E-10')``, nor ``1E-10``), ``-0``, ``1000``; in scientific notation only when the plain
    form would run more than 30 places before or after the point; ``NaN`` and ``Infinity`` by name."""
    if not value.is_finite():
        return str(value)
    exponent = value.as_tuple().exponent
    if value.adjusted() > _READABLE_PLACES or exponent < -_READABLE_PLACES:
        return str(value)
    return format(value, "f")
