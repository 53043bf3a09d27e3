"""Units of measure and exchange rates in CSV master data: ``item-units.csv`` and
``exchange-rates.csv`` (docs/master-data.md, "Units, currencies, versions and phantoms").

``item-units.csv``      item, unit, factor: the item's ``unit-of-measure UNIT FACTOR`` (one UNIT
                        is FACTOR base units, above 0; each unit once per item)
``exchange-rates.csv``  currency, from, rate, and optionally amount: ``exchange-rate CURRENCY
                        from DATE RATE/AMOUNT`` (AMOUNT units of the currency are RATE of the local
                        currency, 1 when empty, as Business Central's Exchange Rate Amount and
                        Relational Exch. Rate Amount say; the quotient must be exact)

The BOM line's ``unit``, the price and discount line's ``per`` and the vendor's ``currency``
are cells of the files they belong to (:mod:`costsheet.csvdata.master`); the units they name
and the local currency a vendor currency needs are resolved by the checker against the merged
model (references of what ``unit`` and ``currency``).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from ..check import values
from ..model import ExchangeRate
from ..numbers import readable
from ..syntax import nodes as n
from .table import Row, Sheet

__all__ = ["ITEM_UNITS", "EXCHANGE_RATES", "REALISM_FILES", "read_item_units", "read_exchange_rates"]

ITEM_UNITS = "item-units.csv"
EXCHANGE_RATES = "exchange-rates.csv"
#: file name -> (required columns, optional columns)
REALISM_FILES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ITEM_UNITS: (("item", "unit", "factor"), ()),
    EXCHANGE_RATES: (("currency", "from", "rate"), ("amount",)),
}
#: the item a row belongs to: (its code, the item being read or None when items.csv lacks it)
Owner = Callable[[Sheet, Row], tuple[str, object]]
_AMOUNT = values.Rule("number", above=True, hint="write how many units of the currency the rate is for, above 0")
#: a quotient of two finite decimals is exact or endless: this precision holds every exact one of the sizes read
_QUOTIENT = decimal.Context(prec=80)


def _rows(sheets: list[Sheet], name: str) -> Iterator[tuple[Sheet, Row]]:
    for sheet in sheets:
        for row in sheet.rows(*REALISM_FILES[name]):
            yield sheet, row


def read_item_units(sheets: list[Sheet], owner: Owner) -> Iterator[tuple[str, n.Code, Decimal]]:
    """``(item, unit cell, factor)`` of each row of ``item-units.csv`` whose item ``owner(sheet, row)``
    finds (an item of items.csv); a unit given twice for one item is ``duplicate-unit``."""
    seen: dict[tuple[str, str], Row] = {}
    for sheet, row in _rows(sheets, ITEM_UNITS):
        code, found = owner(sheet, row)
        unit = sheet.code(row, "unit", required=True)
        who = f"unit {unit.text if unit else '(empty)'} of item {code}"
        factor = sheet.number(row, "factor", values.UNIT_FACTOR, "unit-of-measure", who, required=True)
        if not found or unit is None or factor is None or factor <= 0:
            continue
        first = seen.setdefault((code, unit.text), row)
        if first is not row:
            sheet.error(
                "duplicate-unit",
                f"item {code} declares unit {unit.text} twice (first on line {first.line})",
                unit.span,
                "give each unit of measure once: one UNIT is FACTOR base units",
            )
            continue
        yield code, unit, factor


def read_exchange_rates(sheets: list[Sheet]) -> Iterator[ExchangeRate]:
    """The rates of ``exchange-rates.csv``: one unit of ``currency`` is ``rate / amount`` of the local
    currency from ``from`` on (one rate per currency and date: checked with the ruleset's)."""
    for sheet, row in _rows(sheets, EXCHANGE_RATES):
        currency = sheet.code(row, "currency", required=True)
        who = currency.text if currency else "(empty)"
        starting = sheet.date(row, "from", required=True)
        rate = sheet.number(row, "rate", values.EXCHANGE_RATE, "exchange-rate", who, required=True)
        amount = sheet.number(row, "amount", _AMOUNT, "amount", f"the exchange rate of {who}")
        if currency is None or starting is None or rate is None or rate <= 0 or (amount is not None and amount <= 0):
            continue
        if amount is not None:
            quotient = _exact_quotient(rate, amount)
            if quotient is None:
                sheet.error(
                    "out-of-range",
                    f"the exchange rate of {who}, {readable(rate)} for {readable(amount)}, is "
                    f"{readable(rate)}/{readable(amount)}, which has more decimals than costsheet calculates with",
                    row.cell_span("amount"),
                    "give the rate for 1 unit (amount 1 or empty), or for an amount that divides it exactly (100)",
                )
                continue
            rate = quotient
        yield ExchangeRate(currency.text, starting, rate, span=currency.span)


def _exact_quotient(rate: Decimal, amount: Decimal) -> Decimal | None:
    """``rate / amount`` when it is a finite decimal of the size every number obeys, else None."""
    context = _QUOTIENT.copy()
    quotient = context.divide(rate, amount)
    if context.flags[decimal.Inexact] or values.number_size(quotient) is not None:
        return None
    return quotient
