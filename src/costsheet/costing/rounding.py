"""Rounding methods applied where a condition line says ``round``.

Nothing else is rounded inside a calculation (docs/language.md, "Rounding methods").
"""

from __future__ import annotations

from decimal import Decimal

from ..model import RoundingMethod
from ..numbers import round_to

__all__ = ["apply_rounding"]


def apply_rounding(value: Decimal, method: RoundingMethod) -> Decimal:
    """``value`` rounded by ``method``; a ``min-amount`` method leaves smaller values alone.

    **Decision:** ``min-amount`` compares the value itself (not its magnitude),
    as the spec's example words it: "applies to amounts >= 100 only".
    """
    if method.min_amount is not None and value < method.min_amount:
        return value
    return round_to(value, method.precision, method.direction)
