"""Statistics of a simulation, exact in Decimal (docs/scenarios.md, "Statistics").

- mean: the sum over the runs divided by their number;
- percentiles: the nearest-rank method, the value of rank ⌈p/100 × N⌉ (at least 1) in
  ascending order;
- influence: the Spearman rank correlation of two series (ranks 1..N, ties get the average
  of their ranks; then the Pearson correlation of the ranks), rounded half even to 4
  decimal places, 0 when either series does not vary.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..numbers import CONTEXT, ZERO, outgoing, to_text

__all__ = ["Summary", "summarize", "percentile", "ranks", "rank_correlation"]

_PLACES = Decimal("0.0001")
_TWO = Decimal(2)


@attrs.frozen
class Summary:
    mean: Decimal
    p5: Decimal
    p50: Decimal
    p95: Decimal
    min: Decimal
    max: Decimal

    def to_dict(self) -> dict[str, str]:
        return {name: to_text(getattr(self, name)) for name in ("mean", "p5", "p50", "p95", "min", "max")}


def percentile(ordered: Sequence[Decimal], p: int) -> Decimal:
    """The nearest-rank ``p``-th percentile of ``ordered`` (ascending, not empty)."""
    rank = max(1, -(-p * len(ordered) // 100))
    return ordered[rank - 1]


def summarize(values: Sequence[Decimal]) -> Summary:
    ordered = sorted(values)
    total = ZERO
    for value in ordered:
        total = CONTEXT.add(total, value)
    mean = outgoing(CONTEXT.divide(total, Decimal(len(ordered))))
    return Summary(
        mean, percentile(ordered, 5), percentile(ordered, 50), percentile(ordered, 95), ordered[0], ordered[-1]
    )


def ranks(values: Sequence[Decimal]) -> list[Decimal]:
    """The rank of each value (1 for the smallest); equal values share the average of their ranks."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [ZERO] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        average = CONTEXT.divide(Decimal(start + end + 2), _TWO)
        for index in order[start : end + 1]:
            result[index] = average
        start = end + 1
    return result


def rank_correlation(xs: Sequence[Decimal], ys: Sequence[Decimal]) -> Decimal:
    """Spearman's rank correlation of two series of equal length, to 4 decimal places."""
    if len(xs) < 2 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return Decimal("0.0000")
    rx, ry = ranks(xs), ranks(ys)
    mean = CONTEXT.divide(Decimal(len(xs) + 1), _TWO)  # the mean of the ranks 1..N, ties or not
    sxy = sxx = syy = ZERO
    add, sub, mul = CONTEXT.add, CONTEXT.subtract, CONTEXT.multiply
    for a, b in zip(rx, ry, strict=True):
        dx, dy = sub(a, mean), sub(b, mean)
        sxy = add(sxy, mul(dx, dy))
        sxx = add(sxx, mul(dx, dx))
        syy = add(syy, mul(dy, dy))
    rho = CONTEXT.divide(sxy, CONTEXT.sqrt(mul(sxx, syy)))
    return rho.quantize(_PLACES, context=CONTEXT)
