"""The plain application loop on exact scaled integers: Decimal in, Decimal out.

:func:`value_scaled` does what :func:`.application.value_plain` does, for
FIFO, LIFO, specific and standard on a plain ledger, with the amounts of the
loop held as Python integers in units of the amount precision (``0.01`` ->
cents) and the quantities as integers.  A decrease's share of an increase,
``base x taken / received`` rounded half up, is then one integer division
(:func:`share_units`); every amount that leaves the loop (an entry's cost, a
rounding entry, the value on hand) is made a Decimal with the precision's
exponent, as the Decimal loop makes it.

It is exact where the Decimal loop is exact, and it gives up (returns None,
and the caller tries the Decimal loop on a fresh book) wherever it could
differ from it: a quantity that is not a whole number, an increase without a
cost (its value is a bare ``0``, not ``0.00``), a precision coarser than 1,
or an amount x quantity of 10**15 units or more (there the Decimal loop's 34
digits could round the quotient before the half-up rounding).  With the
product below 10**15 units and the quantity received below 10**15 the
Decimal quotient keeps at least 19 digits beyond the precision, more than
the distance of ``received`` from a tie can hide, so both round alike.
tests/valuation/test_scaled.py checks that both loops give the same book and
the same value on hand, exponents and signs of zero included.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import deque
from collections.abc import Callable
from decimal import Decimal

from ..model import LedgerEntry
from ..numbers import ZERO
from .dated import insert_by_date
from .prepare import HALF_UP, Book, Group
from .result import PURCHASE, RoundingEntry, Variance

__all__ = ["value_scaled", "share_units", "pays", "LIMIT", "SAMPLE"]

#: amounts x quantities at or above this many units of the precision leave the integer loop
LIMIT = 10**15
#: how many entries from a ledger's start :func:`pays` looks at
SAMPLE = 64
_QUANTITY = operator.attrgetter("quantity")
_SIGNED = Decimal.is_signed


class ScaledIncrease:
    """An open increase in the integer loop: its entry, its value as the Decimal the book
    holds, and in units of the precision (made on first partial use), what is left of it."""

    __slots__ = ("base", "entry", "received", "remaining", "units", "value")
    entry: LedgerEntry
    base: Decimal
    units: int | None  # base in units of the precision, once a part of it is taken
    received: int
    remaining: int
    value: int | None  # what the remaining quantity is worth, in units; None: still ``base``


def share_units(units: int, taken: int, received: int) -> int:
    """``units x taken / received`` rounded half away from zero (``received`` > 0)."""
    if units >= 0:
        return (2 * units * taken + received) // (2 * received)
    return -((-2 * units * taken + received) // (2 * received))


def pays(group: Group) -> bool:
    """Whether the integer loop is likely to be faster than the Decimal loop on ``group``: when
    its first entries hold at least two decreases per increase.  Each amount pays a conversion
    into the loop (an increase's value) and out of it (a decrease's cost), and the integer
    arithmetic saves more than that only where an increase is taken in several parts
    (benchmarks/bench_valuation.py: 0.87x on one decrease per increase, 1.1-1.25x from two)."""
    sample = group.entries[:SAMPLE]
    decreases = sum(map(_SIGNED, map(_QUANTITY, sample)))
    return decreases >= 2 * (len(sample) - decreases)


def _date(layer: ScaledIncrease) -> dt.date:
    return layer.entry.date


def value_scaled(group: Group, book: Book, newest_first: bool) -> Decimal | None:  # noqa: C901  (one flat loop)
    """:func:`.application.value_plain` on integers; None where it gives up (see the module
    docstring) or where the Decimal loop gives up.  The book then holds a partial result."""
    quantum, quantize = group.quantum, HALF_UP.quantize
    if quantum is None or quantum.as_tuple().exponent > 0:  # type: ignore[operator]
        return None
    scale = 10 ** -quantum.as_tuple().exponent  # type: ignore[operator]  # 100 for 0.01
    standard = group.method == "standard"
    std_cost = group.standard_cost if group.standard_cost is not None else ZERO
    dated = group.standards is not None
    cost, rounding, variances = book.cost, book.rounding, book.variances
    layers: dict[int, ScaledIncrease] = {}
    queue: deque[ScaledIncrease] = deque()
    head = -1 if newest_first else 0
    drop = queue.pop if newest_first else queue.popleft
    append, new, latest = queue.append, object.__new__, dt.date.min
    whole: dict[Decimal, int] = {}  # quantity -> the same quantity as an int
    layer: ScaledIncrease | None
    for entry in group.entries:
        quantity = entry.quantity
        number = entry.number
        count = whole.get(quantity)
        if count is None:
            if quantity != quantity.to_integral_value() or not -LIMIT < quantity < LIMIT:
                return None
            count = whole[quantity] = int(quantity)
        if count > 0:
            actual = entry.cost
            if actual is not None:
                actual = quantize(actual, quantum)
            if standard:
                if dated:
                    std_cost = group.standard_on(entry.date)
                base = quantize(std_cost * quantity, quantum)
                if actual is not None and actual != base:
                    variances.append(Variance(PURCHASE, number, actual - base))
            elif actual is None:
                return None  # its value is a bare 0: the Decimal loop keeps that exponent
            else:
                base = actual
            cost[number] = base
            layer = new(ScaledIncrease)
            layer.entry, layer.base, layer.units, layer.value = entry, base, None, None
            layer.received = layer.remaining = count
            layers[number] = layer
            if entry.date >= latest:
                latest = entry.date
                append(layer)
            else:
                insert_by_date(queue, layer, _date)
            continue
        need = -count
        fixed = entry.applies_to
        layer = (queue[head] if queue else None) if fixed is None else layers.get(fixed)
        if layer is not None and need < layer.remaining:  # the usual decrease: part of one increase
            units = layer.units
            if units is None:
                numerator, denominator = layer.base.as_integer_ratio()
                units = layer.units = numerator * (scale // denominator)
                if not -LIMIT < units * layer.received < LIMIT:
                    return None
                layer.value = units
            received = layer.received
            if units >= 0:
                share = (2 * units * need + received) // (2 * received)
            else:
                share = -((-2 * units * need + received) // (2 * received))
            layer.remaining -= need
            layer.value -= share  # type: ignore[operator]
            cost[number] = Decimal(-share) * quantum
            continue
        total = _take(need, fixed, layers, queue, head, drop, scale, quantum, rounding)
        if total is None:
            return None
        cost[number] = Decimal(-total) * quantum
    open_layers = [layer for layer in layers.values() if layer.remaining]
    if not open_layers:
        return ZERO
    return (
        Decimal(sum([_units(layer, scale) if layer.value is None else layer.value for layer in open_layers])) * quantum
    )


def _units(layer: ScaledIncrease, scale: int) -> int:
    """The layer's value when received in units of the precision, kept on the layer."""
    if layer.units is None:
        numerator, denominator = layer.base.as_integer_ratio()
        layer.units = numerator * (scale // denominator)
    return layer.units


def _take(
    need: int,
    fixed: int | None,
    layers: dict[int, ScaledIncrease],
    queue: deque[ScaledIncrease],
    head: int,
    drop: Callable[[], ScaledIncrease],
    scale: int,
    quantum: Decimal,
    rounding: list[RoundingEntry],
) -> int | None:
    """:func:`.application._take_plain` on integers: the units taken, or None."""
    total = 0
    layer: ScaledIncrease | None
    while need:
        if fixed is not None:
            layer = layers.get(fixed)
            fixed = None
            if layer is None or layer.remaining < need:
                return None
        elif queue:
            layer = queue[head]
        else:
            return None
        remaining = layer.remaining
        if not remaining:  # used up by a fixed application
            drop()
            continue
        if need >= remaining and layer is queue[head]:
            drop()
        units = _units(layer, scale)
        if layer.value is None:
            if not -LIMIT < units * layer.received < LIMIT:
                return None
            layer.value = units
        received = layer.received
        taken = need if need < remaining else remaining
        share = units if taken == received else share_units(units, taken, received)
        remaining -= taken
        layer.remaining = remaining
        left = layer.value - share
        if not remaining and left:
            rounding.append(RoundingEntry(layer.entry.number, Decimal(-left) * quantum))
            left = 0
        layer.value = left
        total += share
        need -= taken
    return total
