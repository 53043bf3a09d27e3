"""The standard cost of an item on a date: the one place the valuation reads a standard.

A standard item's increases are valued at the standard valid on their date
(docs/valuation.md, "Standard"); a transfer keeps the value it carries (an
``applies-from`` increase takes its decrease's exact cost), so a standard
that changes between a purchase and its transfer does not change the
transferred value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..model import Model

__all__ = ["standard_cost_on"]


def standard_cost_on(model: Model, item: str, date: dt.date) -> Decimal | None:
    """The standard cost of ``item`` valid on ``date`` (None when it has none).

    Today the item's ``standard-cost`` field, whatever the date.
    """
    del date  # one standard per item for now
    found = model.items.get(item)
    return found.standard_cost if found is not None else None
