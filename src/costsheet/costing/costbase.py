"""The direct cost B of a purchased item (docs/costing.md, "Purchased items", the cost base).

The best net vendor price is the lowest ``unit-cost × (1 − discount%/100)``
over the price lines valid on the date for the quantity, each combined with
the best (largest) discount valid for the same item and vendor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from ..model import DiscountLine, ExchangeRate, Item, PriceLine
from ..numbers import CONTEXT, HUNDRED, ONE, ZERO

__all__ = ["BestPrice", "MissingRateError", "UnknownUnitError", "best_net_price", "direct_cost"]


@attrs.frozen
class BestPrice:
    net: Decimal  # per base unit, in the local currency
    price: PriceLine
    discount: DiscountLine | None
    rate: ExchangeRate | None = None  # the rate the vendor's currency was converted at (None: local)


class MissingRateError(Exception):
    """A price of a vendor with a foreign currency has no exchange rate valid on the date."""

    def __init__(self, currency: str, line: PriceLine):
        super().__init__(currency)
        self.currency = currency
        self.line = line


#: vendor code -> the exchange rate its prices are converted at (None: the local currency); raises MissingRateError
RateOf = Callable[[PriceLine], "ExchangeRate | None"]


def _local(_: PriceLine) -> ExchangeRate | None:
    return None


class UnknownUnitError(Exception):
    """A price or discount line is ``per`` a unit its item does not have."""

    def __init__(self, line: PriceLine | DiscountLine):
        super().__init__(line.per)
        self.line = line


def _factor(item: Item, line: PriceLine | DiscountLine) -> Decimal:
    factor = item.unit_factor(line.per)
    if factor is None:
        raise UnknownUnitError(line)
    return factor


def _valid(item: Item, line: PriceLine | DiscountLine, date: dt.date, quantity: Decimal) -> bool:
    """Valid on ``date`` for ``quantity`` base units: ``min-qty`` counts the line's unit (``per``),
    compared as ``min-qty x factor <= quantity`` (exact: no division)."""
    if line.per is None:
        return line.valid(date, quantity)
    minimum = CONTEXT.multiply(line.min_qty, _factor(item, line))
    return (
        (line.starting is None or line.starting <= date) and (line.ending is None or date <= line.ending)
    ) and minimum <= quantity


def best_net_price(
    item: Item,
    prices: Sequence[PriceLine],
    discounts: Sequence[DiscountLine],
    date: dt.date,
    quantity: Decimal,
    rate_of: RateOf = _local,
) -> BestPrice | None:
    """The best net price of ``item`` per base unit on ``date`` for ``quantity`` base units, or None
    when no price line is valid.  A line ``per U`` costs ``unit-cost / factor`` per base unit and its
    ``min-qty`` counts U; an unknown U raises :class:`UnknownUnitError`.  A price of a vendor with
    a foreign currency is converted with ``rate_of`` (exactly: one multiplication), after its discount.

    **Decision:** an item with a ``vendor`` uses only that vendor's price
    lines; an item without one uses every vendor's lines (each with its own
    vendor's discounts).
    """
    best: BestPrice | None = None
    for price in prices:
        if item.vendor is not None and price.vendor != item.vendor:
            continue
        if not _valid(item, price, date, quantity):
            continue
        discount = None
        for line in discounts:
            if (
                line.vendor == price.vendor
                and _valid(item, line, date, quantity)
                and (discount is None or line.percent > discount.percent)
            ):
                discount = line
        net = price.unit_cost if price.per is None else CONTEXT.divide(price.unit_cost, _factor(item, price))
        if discount is not None:
            net = CONTEXT.multiply(net, CONTEXT.subtract(ONE, CONTEXT.divide(discount.percent, HUNDRED)))
        rate = rate_of(price)
        if rate is not None:
            net = CONTEXT.multiply(net, rate.rate)
        if best is None or net < best.net:
            best = BestPrice(net, price, discount, rate)
    return best


def direct_cost(
    item: Item,
    cost_base: str,
    prices: Sequence[PriceLine],
    discounts: Sequence[DiscountLine],
    date: dt.date,
    quantity: Decimal,
    rate_of: RateOf = _local,
) -> tuple[Decimal | None, str]:
    """``(B, how)``: the direct cost by ``cost_base`` and a sentence saying where it came from.

    B is None only for ``direct-unit-cost`` without a valid price line.
    """
    if cost_base == "unit-cost":
        return item.unit_cost, "unit-cost of the item"
    if cost_base == "last-direct-cost":
        return item.last_direct_cost, "last-direct-cost of the item"
    best = best_net_price(item, prices, discounts, date, quantity, rate_of)
    if best is not None:
        price = best.price
        per = f" per {price.per} (1 {price.per} = {item.unit_factor(price.per)} base units)" if price.per else ""
        how = f"best net price of vendor {price.vendor}: unit-cost {price.unit_cost}{per}"
        if price.min_qty:
            how += f" (min-qty {price.min_qty}{' ' + price.per if price.per else ''})"
        if best.discount is not None:
            how += f" less {best.discount.percent}% discount"
        if best.rate is not None:
            how += (
                f", in {best.rate.currency} at exchange-rate {best.rate.rate} (from {best.rate.starting.isoformat()})"
            )
        return best.net, how
    if cost_base == "direct-unit-cost":
        return None, "no valid price line"
    if item.last_direct_cost != ZERO:
        return item.last_direct_cost, "last-direct-cost (no valid price line)"
    return item.unit_cost, "unit-cost (no valid price line, last-direct-cost 0)"
