"""The internal scale of amounts: every amount the engine makes is rounded to 20 decimal places.

Why: an item's single-level and rolled-up breakdowns add up the same
amounts in different orders and groupings (docs/costing.md, "Breakdown
totals are exactly equal", says their totals are always equal).  Amounts with repeating decimals (a setup of one
minute over a lot of 3 at 7.00/h is 0.03888...) are cut at the context's 34
significant digits, and sums of such numbers depend on the order they are
added in.  Amounts that are all whole multiples of 10^-20 add up *exactly*
as long as every partial sum fits in 34 digits (14 digits before the point,
20 after), so any order of addition gives the same total.  The engine
therefore rounds each amount to :data:`PLACES` decimal places (half even)
at the moment it makes it: a BOM line's quantity times one element amount
of its component, an operation's direct cost, each overhead line's value,
each cost base.  Values that already have at most 20 places are left as
they are, scale included (``4.50`` stays ``4.50``, so JSON keeps it).

The limit: totals are exact, and the two breakdowns equal, while the sum of
an item's amounts stays below 10^14 (a hundred trillion) per unit.  Above
that an amount keeps 34 significant digits (fewer decimals), exactly as
before, and never raises.

Only the engine uses the scale, so it lives here rather than in
:mod:`costsheet.numbers`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..numbers import CONTEXT

__all__ = ["PLACES", "QUANTUM", "LIMIT", "LOWEST", "HIGHEST", "ROUNDERS", "internal"]

#: Decimal places every amount the engine makes is rounded to.
PLACES = 20
#: The smallest step of an amount, 10^-20.
QUANTUM = Decimal(1).scaleb(-PLACES)
#: Amounts (and sums of their absolute values) below this are exact at the scale: 34 digits = 14 + 20.
LIMIT = Decimal(1).scaleb(CONTEXT.prec - PLACES)

#: Adjusted exponents (``value.adjusted()``) of the values :data:`ROUNDERS` cover: 1E-20 up to below 1E14.
LOWEST = -PLACES
HIGHEST = CONTEXT.prec - PLACES - 1


def _rounders() -> tuple[Callable[[Decimal], Decimal], ...]:
    """``plus`` of a copy of CONTEXT with just enough digits to keep 20 places, per adjusted exponent.

    ``plus`` rounds to the context's precision and never pads with zeros, so
    a value with fewer places keeps its scale; quantize would turn 4.50 into
    4.50000000000000000000.  An immutable tuple built once: indexing by the
    value's adjusted exponent (a cheap call) replaces reading its exponent
    (``as_tuple()`` builds a tuple of every digit and costs five times more).
    """
    rounders = []
    for adjusted in range(LOWEST, HIGHEST + 1):
        context = CONTEXT.copy()
        context.prec = adjusted + PLACES + 1
        rounders.append(context.plus)
    return tuple(rounders)


#: ``ROUNDERS[value.adjusted() - LOWEST]`` rounds a value with that adjusted exponent to 20 places.
ROUNDERS = _rounders()


def internal(value: Decimal) -> Decimal:
    """``value`` rounded half-even to 20 decimal places, unless it has fewer places or is 10^14 or more.

    ``internal(CONTEXT.divide(D(7), D(180)))`` (0.03888...) is ``0.03888888888888888889``;
    ``internal(D("4.50"))`` is ``4.50``.  The hot loop of the roll-up inlines
    this (see ``Calculator._produced``).
    """
    adjusted = value.adjusted()
    if LOWEST <= adjusted <= HIGHEST:
        return ROUNDERS[adjusted - LOWEST](value)
    if adjusted > HIGHEST:
        return value  # 34 significant digits already leave 19 places or fewer: nothing to cut
    return value.quantize(QUANTUM, context=CONTEXT)  # below 1E-20: 0 or +-1E-20
