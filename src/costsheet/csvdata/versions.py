"""Standard costs and price records in CSV master data: ``standard-costs.csv`` and
``sales-prices.csv`` (docs/master-data.md, "Standard costs and sales prices").

They hold what ``costsheet worksheet --implement`` writes back for items that come from CSV
(the ERP's own export is left as it was exported), and are read like the ruleset's
``standard-cost ITEM from DATE ...`` and ``list-price``/``unit-price``/``sales-price``
declarations:

``standard-costs.csv``  item, from, standard_cost, and optionally the shares by kind:
                        material, capacity, subcontracted, capacity_overhead, mfg_overhead
                        (all empty: the shares come from the costing breakdown; any given: the
                        others are 0 and they add up to standard_cost exactly)
``sales-prices.csv``    item, price (list-price, unit-price or sales-price), from, unit_price,
                        and for a sales price sales_type and sales_code

:func:`standard_costs_text` and :func:`price_records_text` write them (``costsheet worksheet
--implement``) as the folder's mapping file says its files are written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from ..check import Reference, values
from ..model import CostKind, PriceRecordLine, StandardCostLine, frozen_map
from ..numbers import ZERO, readable, written_amount
from ..vocabulary import SALES_TYPE_TAKES_CODE
from .mapping import read_mapping
from .table import Row, Sheet

__all__ = [
    "STANDARD_COSTS",
    "SALES_PRICES",
    "STANDARD_COST_COLUMNS",
    "SALES_PRICE_COLUMNS",
    "SHARE_COLUMNS",
    "read_standard_costs",
    "read_price_records",
    "file_in_folder",
    "standard_costs_text",
    "price_records_text",
]

STANDARD_COSTS = "standard-costs.csv"
SALES_PRICES = "sales-prices.csv"
#: the share column of each kind of cost
SHARE_COLUMNS = {kind: kind.value.replace("-", "_") for kind in CostKind}
STANDARD_COST_COLUMNS = (("item", "from", "standard_cost"), tuple(SHARE_COLUMNS.values()))
SALES_PRICE_COLUMNS = (("item", "price", "from", "unit_price"), ("sales_type", "sales_code"))

SALES_TYPES = {kind.value: takes for kind, takes in SALES_TYPE_TAKES_CODE.items()}
_PRICE_KINDS = ("list-price", "unit-price", "sales-price")
_AMOUNT = values.Rule("number", hint="write the standard cost of one unit, 0 or more")
_SHARE = values.Rule("number", minimum=None, hint="write the kind's share of the standard cost")
_PRICE = values.Rule("number", hint="write the price of one unit, 0 or more")
_KIND = values.Rule("word", words=_PRICE_KINDS)
_SALES_TYPE = values.Rule("word", words=tuple(SALES_TYPES))


def _rows(sheets: list[Sheet], columns) -> Iterator[tuple[Sheet, Row]]:
    for sheet in sheets:
        for row in sheet.rows(*columns):
            yield sheet, row


def read_standard_costs(sheets: list[Sheet], references: list[Reference]) -> Iterator[StandardCostLine]:
    """The dated standard costs of ``standard-costs.csv`` files; one per item and date."""
    seen: dict[tuple[str, dt.date], Row] = {}
    for sheet, row in _rows(sheets, STANDARD_COST_COLUMNS):
        item = sheet.code(row, "item", required=True)
        who = f"the standard cost of {item.text if item else '(empty)'}"
        starting = sheet.date(row, "from", required=True)
        amount = sheet.number(row, "standard_cost", _AMOUNT, "standard-cost", who, required=True)
        given = {kind: row.text(column) for kind, column in SHARE_COLUMNS.items()}
        shares = None
        if any(given.values()):
            shares = {kind: sheet.number(row, SHARE_COLUMNS[kind], _SHARE, kind.value, who) for kind in CostKind}
            if any(value is None and given[kind] for kind, value in shares.items()):
                continue  # a share that is not a number: reported at its cell
            shares = {kind: value if value is not None else ZERO for kind, value in shares.items()}
            total = sum(shares.values(), start=ZERO)
            if amount is not None and total != amount:
                sheet.error(
                    "standard-cost-shares",
                    f"the shares of {who} add up to {readable(total)}, not {readable(amount)}",
                    row.span,
                    "make the shares add up to standard_cost exactly, or leave every share empty",
                )
                continue
        if item is None or starting is None or amount is None:
            continue
        earlier = seen.setdefault((item.text, starting), row)
        if earlier is not row:
            sheet.error(
                "duplicate-standard-cost",
                f"{who} from {starting} is given twice (first on line {earlier.line})",
                row.span,
                "keep one standard cost per item and date",
            )
            continue
        references.append(Reference("item", item, "a standard cost"))
        yield StandardCostLine(
            item.text, starting, amount, None if shares is None else frozen_map(shares), span=row.span
        )


def read_price_records(sheets: list[Sheet], references: list[Reference]) -> Iterator[PriceRecordLine]:
    """The dated list, unit and sales prices of ``sales-prices.csv`` files."""
    seen: dict[tuple, Row] = {}
    for sheet, row in _rows(sheets, SALES_PRICE_COLUMNS):
        item = sheet.code(row, "item", required=True)
        who = f"the price of {item.text if item else '(empty)'}"
        kind = sheet.word(row, "price", _KIND, "price", who)
        if kind is None and not row.text("price"):
            sheet.error(
                "missing-field", f"{who} has no price kind", row.cell_span("price"), "write " + ", ".join(_PRICE_KINDS)
            )
        starting = sheet.date(row, "from", required=True)
        amount = sheet.number(row, "unit_price", _PRICE, "unit-price", who, required=True)
        sales_type, sales_code = _sales_target(sheet, row, kind, who)
        if None in (item, kind, starting, amount) or sales_type is None:
            continue
        record = PriceRecordLine(kind, item.text, starting, amount, sales_type, sales_code, span=row.span)
        earlier = seen.setdefault((record.key, starting), row)
        if earlier is not row:
            sheet.error(
                "duplicate-price-record",
                f"the {kind} of {item.text} from {starting} is given twice (first on line {earlier.line})",
                row.span,
                "keep one price per item, sales type and date",
            )
            continue
        references.append(Reference("item", item, f"a {kind}"))
        yield record


def _sales_target(sheet: Sheet, row: Row, kind: str | None, who: str) -> tuple[str | None, str | None]:
    """A sales price's sales type and code (``all-customers`` and none for the other kinds)."""
    if kind != "sales-price":
        for column in ("sales_type", "sales_code"):
            if row.text(column):
                sheet.error(
                    "invalid-sales-type",
                    f"a {kind or 'price'} has no sales type, but {column} is {row.text(column)!r}",
                    row.cell_span(column),
                    "leave sales_type and sales_code empty, or make the row a sales-price",
                )
                return None, None
        return "all-customers", None
    sales_type = sheet.word(row, "sales_type", _SALES_TYPE, "sales-type", who) or (
        None if row.text("sales_type") else "all-customers"
    )
    if sales_type is None:
        return None, None
    code = sheet.code(row, "sales_code")
    if SALES_TYPES[sales_type] != (code is not None):
        needs = "needs a sales_code" if SALES_TYPES[sales_type] else "takes no sales_code"
        sheet.error(
            "invalid-sales-type",
            f"sales type {sales_type} {needs}",
            row.cell_span("sales_code"),
            "give the customer, price group or campaign code" if SALES_TYPES[sales_type] else "leave sales_code empty",
        )
        return None, None
    return sales_type, None if code is None else code.text


# ---------------------------------------------------------------- writing


def file_in_folder(folder: Path, kind: str) -> str:
    """The path of costsheet's file ``kind`` in ``folder``, named as the folder's mapping file names it."""
    from .master import COLUMNS

    return str(folder / read_mapping(folder, COLUMNS, []).file(kind).name)


def standard_costs_text(path: Path, rows: Iterable[StandardCostLine]) -> str:
    """``standard-costs.csv`` with ``rows``, as the mapping file of its folder says it is written."""
    records = []
    for row in rows:
        record: dict[str, object] = {"item": row.item, "from": row.starting, "standard_cost": row.amount}
        for kind, column in SHARE_COLUMNS.items():
            record[column] = None if row.shares is None else row.shares.get(kind)
        records.append(record)
    return _text(path, STANDARD_COSTS, records)


def price_records_text(path: Path, rows: Iterable[PriceRecordLine]) -> str:
    """``sales-prices.csv`` with ``rows``, as the mapping file of its folder says it is written."""
    records = [
        {
            "item": row.item,
            "price": row.kind,
            "from": row.starting,
            "unit_price": row.amount,
            "sales_type": row.sales_type if row.kind == "sales-price" else None,
            "sales_code": row.sales_code,
        }
        for row in rows
    ]
    return _text(path, SALES_PRICES, records)


def _text(path: Path, kind: str, rows: list[dict[str, object]]) -> str:
    """Rows of ``kind`` in the folder's format and headers (the canonical ones without a mapping
    file); words are written as costsheet spells them."""
    from .master import COLUMNS

    mapping = read_mapping(path.parent, COLUMNS, []).file(kind)
    form = mapping.format
    columns = COLUMNS[kind]

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            text = written_amount(value)
            return text.replace(".", ",") if form.decimal_comma else text
        if isinstance(value, dt.date):
            return _date_text(value, form.date)
        return str(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=form.separator, lineterminator="\n")
    writer.writerow([mapping.columns[c].text if c in mapping.columns else c for c in columns])
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _date_text(value: dt.date, pattern: str) -> str:
    """``value`` written in a mapping file's date pattern (``dd.mm.yyyy``, ``m/d/yyyy`` ...)."""
    parts = {"yyyy": f"{value.year:04d}", "mm": f"{value.month:02d}", "m": str(value.month)}
    parts |= {"dd": f"{value.day:02d}", "d": str(value.day)}
    return re.sub(r"y+|m+|d+", lambda match: parts.get(match.group(0), match.group(0)), pattern)
