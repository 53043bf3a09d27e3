"""By-products and co-products (docs/costing.md, "By-products and co-products"): the credits and
the shares of a producing item, worked out on its two breakdowns.

A by-product's credit is its quantity times its value (or its own unit cost), at the internal
scale.  A co-product takes ``share``% of the producing item's breakdowns, element by element;
:func:`apportion` cuts a vector so that its parts add up *exactly* to the part of its total (the
rounding remainder, at most a few 10^-20, goes to the element with the largest amount), so
the single-level and rolled-up breakdowns, whose totals are equal, stay equal after the cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from ..model import CoProduct
from ..numbers import CONTEXT, HUNDRED, ONE, ZERO
from .scale import internal

__all__ = ["Split", "apportion", "split"]

_add = CONTEXT.add
_sub = CONTEXT.subtract
_mul = CONTEXT.multiply
_div = CONTEXT.divide


def _total(vector: Mapping[str, Decimal]) -> Decimal:
    total = ZERO
    for amount in vector.values():
        total = _add(total, amount)
    return total


def apportion(vector: Mapping[str, Decimal], numerator: Decimal, denominator: Decimal) -> dict[str, Decimal]:
    """``vector x numerator / denominator``, each amount at the internal scale, adding up exactly to
    the internal-scale value of ``total x numerator / denominator``: two vectors with equal totals
    give parts with equal totals."""
    parts = {code: internal(_div(_mul(amount, numerator), denominator)) for code, amount in vector.items()}
    if not parts:
        return parts
    remainder = _sub(internal(_div(_mul(_total(vector), numerator), denominator)), _total(parts))
    if remainder:
        largest = max(parts, key=lambda code: vector[code].copy_abs())  # the first of equals: deterministic
        parts[largest] = _add(parts[largest], remainder)
    return parts


class Split(NamedTuple):
    """What one co-product takes of its producer: per unit of the producer (``taken_*``) and per
    unit of the co-product (``unit_*``, the taken vectors divided by its quantity)."""

    producer: str
    line: CoProduct
    taken_single: dict[str, Decimal]
    taken_rolled: dict[str, Decimal]
    unit_single: dict[str, Decimal]
    unit_rolled: dict[str, Decimal]

    @property
    def taken(self) -> Decimal:
        return _total(self.taken_rolled)

    @property
    def unit_cost(self) -> Decimal:
        return _total(self.unit_rolled)


def split(
    producer: str, lines: tuple[CoProduct, ...], single: dict[str, Decimal], rolled: dict[str, Decimal]
) -> tuple[Split, ...]:
    """Each co-product's share of ``single`` and ``rolled`` (the producer's breakdowns after its
    by-product credits), which are reduced by it in place: the producer keeps the rest."""
    before_single, before_rolled = dict(single), dict(rolled)
    splits = []
    for line in lines:
        taken_single = apportion(before_single, line.share, HUNDRED)
        taken_rolled = apportion(before_rolled, line.share, HUNDRED)
        quantity = line.quantity if line.quantity else ONE  # zero-quantity, from the checker
        splits.append(
            Split(
                producer,
                line,
                taken_single,
                taken_rolled,
                apportion(taken_single, ONE, quantity),
                apportion(taken_rolled, ONE, quantity),
            )
        )
        for vector, taken in ((single, taken_single), (rolled, taken_rolled)):
            for code, amount in taken.items():
                vector[code] = _sub(vector[code], amount)
    return tuple(splits)
