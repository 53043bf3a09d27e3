"""Draws for simulations, in Decimal, the same on every machine (docs/scenarios.md, "Draws").

The generator is a counter, not a state: the k-th uniform number of variation v in run r of
a simulation seeded s is the first 8 bytes (big-endian) of SHA-256 of the ASCII text
``costsheet:s:r:v:k``, as the integer i, mapped to u = (i + 1/2) / 2^64 (to 34 significant
digits, half even), which lies strictly between 0 and 1.  Any run can be drawn alone, on any worker, in any order.

From u: ``uniform MIN MAX`` is MIN + u × (MAX − MIN); ``triangular MIN MODE MAX`` is the
inverse of its distribution function; ``normal MEAN SD`` uses the polar method (pairs of
uniform numbers u1, u2 mapped to -1..1, the first pair with 0 < s = u1² + u2² < 1, then
MEAN + SD × u1 × √(−2 ln s / s)).  Every step is Decimal arithmetic with 34 digits; the draw
is rounded (half even) to :data:`DRAW_PLACES` decimal places before it touches any amount.
"""

from __future__ import annotations

import decimal
import hashlib
from decimal import Decimal

__all__ = ["DRAW_PLACES", "uniform_number", "draw"]

#: decimal places of every draw
DRAW_PLACES = 10
_QUANTUM = Decimal(1).scaleb(-DRAW_PLACES)
_CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])
_SCALE = Decimal(2) ** 64
_HALF = Decimal("0.5")
_ONE = Decimal(1)
_TWO = Decimal(2)


def uniform_number(seed: int, run: int, variation: int, k: int) -> Decimal:
    """The k-th uniform number in (0, 1) of ``variation`` in ``run``."""
    digest = hashlib.sha256(f"costsheet:{seed}:{run}:{variation}:{k}".encode("ascii")).digest()
    integer = int.from_bytes(digest[:8], "big")
    return _CONTEXT.divide(_CONTEXT.add(Decimal(integer), _HALF), _SCALE)


def _triangular(u: Decimal, low: Decimal, mode: Decimal, high: Decimal) -> Decimal:
    c = _CONTEXT
    width = c.subtract(high, low)
    if not width:
        return low
    left = c.subtract(mode, low)
    if u < c.divide(left, width):
        return c.add(low, c.sqrt(c.multiply(c.multiply(u, width), left)))
    right = c.subtract(high, mode)
    return c.subtract(high, c.sqrt(c.multiply(c.multiply(c.subtract(_ONE, u), width), right)))


def _normal(seed: int, run: int, variation: int, mean: Decimal, sd: Decimal) -> Decimal:
    c = _CONTEXT
    if not sd:
        return mean
    k = 0
    while True:
        u1 = c.subtract(c.multiply(_TWO, uniform_number(seed, run, variation, k)), _ONE)
        u2 = c.subtract(c.multiply(_TWO, uniform_number(seed, run, variation, k + 1)), _ONE)
        k += 2
        s = c.add(c.multiply(u1, u1), c.multiply(u2, u2))
        if 0 < s < 1:
            factor = c.sqrt(c.divide(c.multiply(-_TWO, c.ln(s)), s))
            return c.add(mean, c.multiply(sd, c.multiply(u1, factor)))


def draw(distribution: str, parameters: tuple[Decimal, ...], seed: int, run: int, variation: int) -> Decimal:
    """One draw of ``distribution`` for ``variation`` in ``run``, rounded to :data:`DRAW_PLACES` places."""
    if distribution == "normal":
        value = _normal(seed, run, variation, *parameters)
    else:
        u = uniform_number(seed, run, variation, 0)
        if distribution == "uniform":
            low, high = parameters
            value = _CONTEXT.add(low, _CONTEXT.multiply(u, _CONTEXT.subtract(high, low)))
        else:
            value = _triangular(u, *parameters)
    return value.quantize(_QUANTUM, context=_CONTEXT)
