"""Writing a standard cost worksheet back (``costsheet worksheet --implement``, docs/cli.md).

Each new standard cost and price goes where its item is declared:

- an item of a ruleset file: into that file, touching nothing but the ``standard-cost``
  field, the ``standard-cost ITEM from DATE ...`` declaration or the price record that
  changes (a new declaration goes on a line of its own after the item's last dated standard
  cost or price record, else after the item); every other byte of every file stays as it was;
- an item from CSV: into ``standard-costs.csv`` and ``sales-prices.csv`` beside its
  ``items.csv`` (:mod:`costsheet.csvdata.versions`), written as the folder's mapping file
  says (separator, decimal comma, date format, headers), never into the ERP's export.

Without ``starting`` (``--from``) a standard cost updates what the item's standard on the
worksheet's date comes from: the dated declaration valid then, else the item's
``standard-cost`` field (an item from CSV, whose field is the ERP's, gets a dated row from
the worksheet's date).  With ``starting`` it adds or updates the item's declaration of that
date, with its shares.  Prices are dated ``starting``, else the worksheet's date.

:func:`plan_write_back` computes the new texts (nothing is written); :func:`write_files`
writes them; :func:`prices_csv` is the price import file for the ERP.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import attrs

from .model import CostKind, Model, PriceRecordLine, StandardCostLine
from .numbers import written_amount
from .standards import standard_tables
from .syntax import BYTE_ORDER_MARK, code_text
from .syntax import nodes as n
from .worksheet import PriceChange, Worksheet, WorksheetLine

__all__ = ["WriteBack", "plan_write_back", "write_files", "prices_csv", "PRICE_IMPORT_COLUMNS", "WriteBackError"]

#: the columns of the price import file: Business Central's sales price import
PRICE_IMPORT_COLUMNS = ("Item No.", "Sales Type", "Sales Code", "Starting Date", "Unit Price")
_SALES_TYPE_WORDS = {
    "all-customers": "All Customers",
    "customer": "Customer",
    "customer-price-group": "Customer Price Group",
    "campaign": "Campaign",
}


class WriteBackError(Exception):
    """A file to write changed since the ruleset was loaded, or cannot be read."""


@attrs.frozen
class WriteBack:
    """What implementing a worksheet writes: each file's new text, and what changed."""

    files: Mapping[str, str]
    originals: Mapping[str, str] = attrs.field(factory=dict, repr=False)  # the ruleset files' texts as on disk
    standard_costs: tuple[str, ...] = ()  # the items whose standard cost is written
    prices: int = 0  # price records written

    def to_dict(self) -> dict[str, object]:
        return {"files": sorted(self.files), "standard_costs": list(self.standard_costs), "prices": self.prices}


@attrs.frozen
class _Edit:
    start: int
    end: int
    text: str


# ---------------------------------------------------------------- texts of declarations


def _shares_text(shares: Mapping[CostKind, Decimal]) -> str:
    parts = " ".join(f"{kind.value} {written_amount(amount)}" for kind, amount in shares.items() if amount)
    return f"shares {{ {parts} }}" if parts else "shares { }"


def _standard_cost_text(item: str, starting: dt.date, amount: Decimal, shares) -> str:
    text = f"standard-cost {code_text(item)} from {starting} {written_amount(amount)}"
    return text if shares is None else f"{text} {_shares_text(shares)}"


def _price_text(price: PriceChange, starting: dt.date) -> str:
    target = ""
    if price.kind == "sales-price":
        target = f" {price.sales_type}" + ("" if price.sales_code is None else f" {code_text(price.sales_code)}")
    return f"{price.kind} {code_text(price.item)}{target} from {starting} {written_amount(price.new_amount)}"


# ---------------------------------------------------------------- a ruleset file


class _RulesetFile:
    """One file of the ruleset being edited: its text as it is on disk (line ends and byte-order
    mark as they are; lines and columns count as the parser's, which reads every line end as one)
    and the edits to make."""

    def __init__(self, name: str, raw: str):
        self.name, self.raw = name, raw
        self.mark = BYTE_ORDER_MARK if raw.startswith(BYTE_ORDER_MARK) else ""
        self.text = raw.removeprefix(self.mark)
        self.starts = [0] + [match.end() for match in _LINE_END.finditer(self.text)]
        self.newline = "\r\n" if "\r\n" in self.text else "\n"
        self.edits: list[_Edit] = []

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def span_text(self, span) -> tuple[int, int, str]:
        start, end = self.offset(span.line, span.column), self.offset(span.end_line, span.end_column)
        return start, end, self.text[start:end]

    def line_end(self, span) -> int:
        """Where the last line of ``span`` ends (before its line break; after a trailing comment)."""
        found = _LINE_END.search(self.text, self.offset(span.end_line, span.end_column))
        return len(self.text) if found is None else found.start()

    def indent(self, span) -> str:
        start = self.starts[span.line - 1]
        line = self.text[start : self.offset(span.line, span.column)]
        return line if not line.strip() else ""

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append(_Edit(start, end, text))

    def insert_line_after(self, span, text: str) -> None:
        self.edits.append(_Edit(self.line_end(span), self.line_end(span), self.newline + text))

    def result(self) -> str:
        """The file's new text, byte-order mark included."""
        text = self.text
        ordered = sorted(enumerate(self.edits), key=lambda pair: (pair[1].start, pair[1].end, pair[0]), reverse=True)
        for _, edit in ordered:  # from the end, so that offsets hold; inserts at one place in the order made
            text = text[: edit.start] + edit.text + text[edit.end :]
        return self.mark + text


_LINE_END = re.compile(r"\r\n|\r|\n")
_HEAD = re.compile(r'(?:"(?:[^"\\\n]|\\.)*"|\S+)')


def _last_token(file: _RulesetFile, span) -> tuple[int, int]:
    """The offsets of the last token of a one-line node (a field's or a record's amount)."""
    start, _, text = file.span_text(span)
    stripped = text.rstrip()
    return start + len(stripped) - len(stripped.split()[-1]), start + len(stripped)


def _amount_of_declaration(file: _RulesetFile, decl: n.StandardCostDecl) -> tuple[int, int]:
    """The offsets of the amount of ``standard-cost ITEM from DATE AMOUNT``."""
    start, _, text = file.span_text(decl.span)
    tokens = list(_HEAD.finditer(text))
    amount = tokens[4]  # standard-cost, ITEM, from, DATE, AMOUNT
    return start + amount.start(), start + amount.end()


# ---------------------------------------------------------------- the plan


class _Planner:
    def __init__(self, ruleset, worksheet: Worksheet, starting: dt.date | None):
        self.ruleset, self.worksheet, self.starting = ruleset, worksheet, starting
        self.model: Model = ruleset.model
        self.files: dict[str, _RulesetFile] = {}
        self.items: dict[str, n.ItemDecl] = {}
        self.nodes: dict[tuple, object] = {}  # (file, line, column) -> declaration
        self.anchors: dict[str, object] = {}  # item -> the last of its dated declarations, by file order
        for source in ruleset.files:
            for decl in source.declarations:
                if decl.span is None:
                    continue
                self.nodes[(decl.span.file, decl.span.line, decl.span.column)] = decl
                if isinstance(decl, n.ItemDecl):
                    self.items.setdefault(decl.code.text, decl)
        for source in ruleset.files:
            for decl in source.declarations:
                if isinstance(decl, (n.StandardCostDecl, n.PriceRecordDecl)) and decl.span is not None:
                    item = self.items.get(decl.item.text)
                    if item is not None and item.span.file == decl.span.file:
                        self.anchors[decl.item.text] = decl
        self.csv_standard: dict[str, list] = {}  # CSV file -> its rows (StandardCostLine), edited
        self.csv_prices: dict[str, list] = {}

    def file(self, name: str) -> _RulesetFile:
        if name not in self.files:
            raw = _read(name)
            file = _RulesetFile(name, raw)
            if _LINE_END.sub("\n", file.text) != _LINE_END.sub("\n", self.ruleset.sources[name]):
                raise WriteBackError(f"{name} changed since the ruleset was read; run the worksheet again")
            self.files[name] = file
        return self.files[name]

    def anchor(self, code: str):
        return self.anchors.get(code, self.items[code])

    # ------------------------------------------------------------ standard costs

    def standard_cost(self, line: WorksheetLine, tables) -> None:
        table = tables.get(line.item)
        if self.starting is None:
            governing = table.line_on(self.worksheet.date) if table is not None else None
            if governing is not None:
                self.update_line(governing, line, write_shares=governing.shares is not None)
            elif line.item in self.items:
                self.field(self.items[line.item], line)
            else:
                self.add_line(line, self.worksheet.date, write_shares=False)
            return
        existing = next((x for x in (table.lines if table else ()) if x.starting == self.starting), None)
        if existing is not None:
            self.update_line(existing, line, write_shares=True)
        else:
            self.add_line(line, self.starting, write_shares=True)

    def update_line(self, existing: StandardCostLine, line: WorksheetLine, *, write_shares: bool) -> None:
        shares = line.new_shares if write_shares else None
        if existing.span.file in self.ruleset.sources:
            decl = self.nodes[(existing.span.file, existing.span.line, existing.span.column)]
            file = self.file(existing.span.file)
            start, end = _amount_of_declaration(file, decl)
            file.replace(start, end, written_amount(line.new_amount))
            if decl.shares is not None:
                block_start, block_end, _ = file.span_text(decl.shares.span)
                file.replace(block_start, block_end, _shares_text(line.new_shares))
            elif shares is not None:
                file.replace(end, end, " " + _shares_text(shares))
            return
        rows = self.csv_rows(self.csv_standard, existing.span.file, lambda: self.model.standard_costs)
        index = rows.index(existing)
        rows[index] = attrs.evolve(existing, amount=line.new_amount, shares=shares if write_shares else existing.shares)

    def add_line(self, line: WorksheetLine, starting: dt.date, *, write_shares: bool) -> None:
        shares = line.new_shares if write_shares else None
        if line.item in self.items:
            self.file(self.items[line.item].span.file).insert_line_after(
                self.anchor(line.item).span, _standard_cost_text(line.item, starting, line.new_amount, shares)
            )
            return
        path = self.beside(line.item, "standard-costs.csv")
        rows = self.csv_rows(self.csv_standard, path, lambda: self.model.standard_costs)
        rows.append(StandardCostLine(line.item, starting, line.new_amount, shares))

    def field(self, item: n.ItemDecl, line: WorksheetLine) -> None:
        file = self.file(item.span.file)
        amount = written_amount(line.new_amount)
        fields = [s for s in item.body if isinstance(s, n.Field)]
        written = next((f for f in fields if f.name == "standard-cost"), None)
        if written is not None:
            start, end = _last_token(file, written.span)
            file.replace(start, end, amount)
            return
        one_line = item.span.line == item.span.end_line
        if fields:
            last = fields[-1]
            end = file.offset(last.span.end_line, last.span.end_column)
            rest = file.text[end : file.line_end(last.span)].strip()
            if one_line or (rest and not rest.startswith("#")):  # more on the field's line: join it there
                file.replace(end, end, f" standard-cost {amount}")
            else:
                file.insert_line_after(last.span, f"{file.indent(last.span)}standard-cost {amount}")
            return
        if item.body:
            first = item.body[0]
            start = file.offset(first.span.line, first.span.column)
            gap = " " if one_line or first.span.line == item.span.line else file.newline + file.indent(first.span)
            file.replace(start, start, f"standard-cost {amount}{gap}")
            return
        start, end, text = file.span_text(item.span)
        brace = start + text.rstrip().rfind("}")
        file.replace(brace, brace, f"standard-cost {amount} ")

    # ------------------------------------------------------------ prices

    def price(self, price: PriceChange) -> None:
        starting = self.starting or self.worksheet.date
        key = (price.item, price.kind, price.sales_type, price.sales_code)
        existing = next((r for r in self.model.price_records if r.key == key and r.starting == starting), None)
        if existing is not None and existing.span.file in self.ruleset.sources:
            file = self.file(existing.span.file)
            start, end = _last_token(file, existing.span)
            file.replace(start, end, written_amount(price.new_amount))
        elif existing is not None:
            rows = self.csv_rows(self.csv_prices, existing.span.file, lambda: self.model.price_records)
            rows[rows.index(existing)] = attrs.evolve(existing, amount=price.new_amount)
        elif price.item in self.items:
            self.file(self.items[price.item].span.file).insert_line_after(
                self.anchor(price.item).span, _price_text(price, starting)
            )
        else:
            rows = self.csv_rows(
                self.csv_prices, self.beside(price.item, "sales-prices.csv"), lambda: self.model.price_records
            )
            rows.append(
                PriceRecordLine(price.kind, price.item, starting, price.new_amount, price.sales_type, price.sales_code)
            )

    # ------------------------------------------------------------ CSV

    def beside(self, item: str, kind: str) -> str:
        """The file of ``kind`` in the folder of the item's CSV file (as the folder's mapping names it)."""
        from .csvdata import file_in_folder

        return file_in_folder(Path(self.model.items[item].span.file).parent, kind)

    def csv_rows(self, store: dict[str, list], path: str, records) -> list:
        if path not in store:
            real = os.path.realpath(path)
            store[path] = [r for r in records() if r.span is not None and os.path.realpath(r.span.file) == real]
        return store[path]

    def result(self) -> dict[str, str]:
        from .csvdata import price_records_text, standard_costs_text

        texts = {name: file.result() for name, file in self.files.items() if file.edits}
        for path, rows in self.csv_standard.items():
            texts[path] = standard_costs_text(Path(path), rows)
        for path, rows in self.csv_prices.items():
            texts[path] = price_records_text(Path(path), rows)
        return texts


def plan_write_back(ruleset, worksheet: Worksheet, *, starting: dt.date | None = None) -> WriteBack:
    """The new texts of the files that implementing ``worksheet`` changes (see the module docstring)."""
    planner = _Planner(ruleset, worksheet, starting)
    tables = standard_tables(ruleset.model)
    written = []
    for line in worksheet.lines:
        if line.changed:
            planner.standard_cost(line, tables)
            written.append(line.item)
    prices = [price for price in worksheet.prices if price.changed]
    for price in prices:
        planner.price(price)
    texts = planner.result()
    originals = {name: file.raw for name, file in planner.files.items() if name in texts}
    return WriteBack(texts, originals, tuple(written), len(prices))


def _read(name: str) -> str:
    try:
        return Path(name).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WriteBackError(f"cannot read {name} again: {error}") from None


def write_files(write_back: WriteBack) -> None:
    """Write the new texts; every ruleset file is checked to be as it was when the write-back was
    planned (else :class:`WriteBackError`, and nothing is written)."""
    for name, raw in write_back.originals.items():
        if _read(name) != raw:
            raise WriteBackError(f"{name} changed since the ruleset was read; run the worksheet again")
    for name, text in write_back.files.items():
        Path(name).write_bytes(text.encode("utf-8"))


# ---------------------------------------------------------------- the ERP's price import


def prices_csv(worksheet: Worksheet, starting: dt.date | None = None) -> str:
    """The proposed prices as Business Central's sales price import: Item No., Sales Type, Sales
    Code, Starting Date (YYYY-MM-DD), Unit Price (a point for decimals), comma separated.  A list
    price and a unit price are prices for All Customers; a row that repeats another is left out."""
    day = starting or worksheet.date
    rows = dict.fromkeys(
        (
            price.item,
            _SALES_TYPE_WORDS[price.sales_type],
            price.sales_code or "",
            day.isoformat(),
            written_amount(price.new_amount),
        )
        for price in worksheet.prices
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PRICE_IMPORT_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()
