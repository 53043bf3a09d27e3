"""The valuation result and its JSON (LANGUAGE.md section 9).

Results are frozen and hold tuples.  Amounts are Decimals already rounded to
the setup's amount precision; :meth:`ValuationResult.to_json` turns them into
strings through :func:`costsheet.numbers.to_text`, never into JSON numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

import attrs

from ..model import frozen_map
from ..numbers import to_text

__all__ = ["Adjustment", "EntryValue", "Variance", "RoundingEntry", "RevaluationAmount",
           "ItemValuation", "ValuationResult"]


@attrs.frozen
class Adjustment:
    """A change to a decrease's cost after it was posted, dated as the decrease.

    ``kind`` is ``charge``, ``revaluation``, ``application`` (an open decrease
    applied to a later increase) or ``settlement`` (weighted-average close).
    ``source`` is the entry whose value changed (None for item-wide changes).
    """

    date: dt.date
    kind: str
    amount: Decimal
    source: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "kind": self.kind, "amount": to_text(self.amount),
                "source": self.source}


class EntryValue(NamedTuple):
    """One ledger entry with its final cost amount (adjustments included).

    A NamedTuple rather than an attrs class: a valuation makes one per ledger
    entry, and tuple construction is three times cheaper (bench_valuation.py).
    Immutable all the same.
    """

    entry: int
    date: dt.date
    type: str
    quantity: Decimal
    cost_amount: Decimal
    adjustments: tuple[Adjustment, ...] = ()

    def to_json(self, adjustments: bool = False) -> dict[str, object]:
        data: dict[str, object] = {"entry": self.entry, "date": self.date.isoformat(), "type": self.type,
                                   "quantity": to_text(self.quantity), "cost_amount": to_text(self.cost_amount)}
        if adjustments:
            data["adjustments"] = [a.to_json() for a in self.adjustments]
        return data


@attrs.frozen
class Variance:
    """``purchase`` (standard cost) or ``price-difference`` (moving average), on entry ``entry``."""

    kind: str
    entry: int
    amount: Decimal

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "entry": self.entry, "amount": to_text(self.amount)}


@attrs.frozen
class RoundingEntry:
    """The residual an increase leaves when it is used up (non-average methods)."""

    entry: int
    amount: Decimal

    def to_json(self) -> dict[str, object]:
        return {"entry": self.entry, "amount": to_text(self.amount)}


@attrs.frozen
class RevaluationAmount:
    """What a revaluation changed: on entry ``entry``, or item-wide when ``entry`` is None."""

    date: dt.date
    entry: int | None
    amount: Decimal

    def to_json(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "entry": self.entry, "amount": to_text(self.amount)}


@attrs.frozen
class ItemValuation:
    """The valuation of one item (or one item/location/variant)."""

    key: str
    item: str
    costing_method: str
    entries: tuple[EntryValue, ...]
    quantity_on_hand: Decimal
    inventory_value: Decimal
    variances: tuple[Variance, ...] = ()
    rounding: tuple[RoundingEntry, ...] = ()
    revaluations: tuple[RevaluationAmount, ...] = ()
    location: str | None = None
    variant: str | None = None

    def entry(self, number: int) -> EntryValue:
        for value in self.entries:
            if value.entry == number:
                return value
        raise KeyError(number)

    def to_json(self, adjustments: bool = False) -> dict[str, object]:
        return {
            "costing_method": self.costing_method,
            "entries": [e.to_json(adjustments) for e in self.entries],
            "quantity_on_hand": to_text(self.quantity_on_hand),
            "inventory_value": to_text(self.inventory_value),
            "variances": [v.to_json() for v in self.variances],
            "rounding": [r.to_json() for r in self.rounding],
            "revaluations": [r.to_json() for r in self.revaluations],
        }


@attrs.frozen
class ValuationResult:
    """Every valued item, keyed by item code (or ``ITEM|LOCATION|VARIANT``)."""

    items: Mapping[str, ItemValuation] = attrs.field(factory=frozen_map, converter=frozen_map)
    as_of: dt.date | None = None

    def __getitem__(self, key: str) -> ItemValuation:
        return self.items[key]

    def to_json(self, adjustments: bool = False) -> dict[str, object]:
        """Section 9's valuation JSON; ``adjustments=True`` adds each entry's adjustments."""
        data: dict[str, object] = {"items": {key: v.to_json(adjustments) for key, v in self.items.items()}}
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat()
        return data
