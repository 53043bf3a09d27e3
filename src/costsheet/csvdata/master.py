"""CSV master data: items, BOM lines, routing lines, vendors, prices and discounts.

Real item masters arrive as ERP exports; a ruleset may then hold only setup,
chart and conditions, and the master data comes from CSV files next to it.
:func:`load_master_data` reads them into a partial :class:`~costsheet.model.Model`
(items, vendors, prices, discounts) that the loader merges into the
ruleset's model.  The files (UTF-8, comma separated, a header row; column
order is free, unknown columns are ignored, empty cells take the default):

``items.csv``     code, description, replenishment, unit, vendor, unit_cost,
                  last_direct_cost, standard_cost, indirect_cost, overhead_rate,
                  lot_size, scrap, rounding, cost_base, costing_method,
                  material_condition, production_condition, charge_condition
``bom.csv``       item, component, quantity, scrap
``routing.csv``   item, operation, resource, setup, run  (times: ``30min``,
                  ``1.5h``, ``90s``, ``1d``, or a plain number in minutes)
``vendors.csv``   code, name
``prices.csv``    item, vendor, unit_cost, from, to, min_qty
``discounts.csv`` item, vendor, percent, from, to, min_qty
``ledgers.csv``   item ledger entries, charges and revaluations
                  (:mod:`costsheet.csvdata.ledgers`)

Percent columns accept ``5`` or ``5%``.  Every problem is a diagnostic
pointing at the file, line and column of the cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import attrs

from ..diagnostics import Diagnostic, Span
from ..files import read_text
from ..model import (
    UNIT_SECONDS, BomLine, DiscountLine, Item, Model, PriceLine, RoutingLine, Vendor, frozen_map,
)
from ..numbers import D, ZERO

__all__ = ["FILES", "LEDGERS", "load_master_data"]

#: the ledger file of a master-data folder (read by :func:`costsheet.csvdata.ledgers.read_ledgers`)
LEDGERS = "ledgers.csv"

#: file name -> (required columns, optional columns)
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "items.csv": (("code",), ("description", "replenishment", "unit", "vendor", "unit_cost", "last_direct_cost",
                              "standard_cost", "indirect_cost", "overhead_rate", "lot_size", "scrap", "rounding",
                              "cost_base", "costing_method", "material_condition", "production_condition",
                              "charge_condition")),
    "bom.csv": (("item", "component", "quantity"), ("scrap",)),
    "routing.csv": (("item", "operation", "resource"), ("setup", "run")),
    "vendors.csv": (("code",), ("name",)),
    "prices.csv": (("item", "vendor", "unit_cost"), ("from", "to", "min_qty")),
    "discounts.csv": (("item", "vendor", "percent"), ("from", "to", "min_qty")),
}

_CHOICES = {
    "replenishment": ("purchase", "prod-order", "assembly"),
    "cost_base": ("unit-cost", "last-direct-cost", "direct-unit-cost", "unit/direct/last"),
    "costing_method": ("fifo", "lifo", "average", "moving-average", "weighted-average", "specific", "standard"),
}
_TIME = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|min|h|d)?$")


class _Rows:
    """Reads one CSV file and converts cells, collecting diagnostics with their positions."""

    def __init__(self, path: Path, diagnostics: list[Diagnostic]):
        self.path = path
        self.file = str(path)
        self.diagnostics = diagnostics

    def error(self, code: str, message: str, line: int, column: int, hint: str) -> None:
        self.diagnostics.append(Diagnostic.error(code, message, Span.point(self.file, line, column), hint))

    def read(self, required: tuple[str, ...], optional: tuple[str, ...]):
        """Yield (line number, {column: (text, column number)}) per data row."""
        try:
            text = read_text(self.path, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            self.diagnostics.append(Diagnostic.error(
                "csv-unreadable", f"cannot read {self.file}: {error}", None, "check the path and that it is UTF-8"))
            return
        lines = text.splitlines()
        reader = csv.reader(lines)
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip().lower().replace("-", "_").replace(" ", "_") for h in header]
        missing = [c for c in required if c not in names]
        if missing:
            self.error("csv-missing-column", f"{self.path.name} has no column {', '.join(missing)}", 1, 1,
                       f"the header needs {', '.join(required)}; optional: {', '.join(optional)}")
            return
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            starts = _column_starts(lines[number - 1] if number - 1 < len(lines) else "")
            cells = {}
            for index, name in enumerate(names):
                value = row[index].strip() if index < len(row) else ""
                cells[name] = (value, starts[index] if index < len(starts) else 1)
            yield number, cells

    def text(self, cells, name: str, line: int, required: bool = False) -> str | None:
        value, column = cells.get(name, ("", 1))
        if not value:
            if required:
                self.error("csv-missing-value", f"{name} is empty", line, column, f"fill in the {name} column")
            return None
        if len(value) > 20 and name in ("code", "item", "component", "vendor", "resource", "operation"):
            self.error("csv-bad-code", f"{name} {value!r} is longer than 20 characters", line, column,
                       "codes have at most 20 characters")
        return value

    def number(self, cells, name: str, line: int, default: Decimal | None = ZERO, percent: bool = False):
        value, column = cells.get(name, ("", 1))
        if not value:
            return default
        text = value[:-1].strip() if percent and value.endswith("%") else value
        try:
            return D(text.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text) else text)
        except ValueError:
            self.error("csv-bad-number", f"{name} {value!r} is not a number", line, column,
                       "write a plain decimal number such as 12.50" + (" or 5%" if percent else ""))
            return default

    def date(self, cells, name: str, line: int) -> dt.date | None:
        value, column = cells.get(name, ("", 1))
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error("csv-bad-date", f"{name} {value!r} is not a date", line, column, "write YYYY-MM-DD")
            return None

    def seconds(self, cells, name: str, line: int) -> Decimal:
        value, column = cells.get(name, ("", 1))
        if not value:
            return ZERO
        match = _TIME.match(value)
        if not match:
            self.error("csv-bad-time", f"{name} {value!r} is not a time", line, column,
                       "write 30min, 1.5h, 90s, 1d, or a plain number of minutes")
            return ZERO
        return D(match.group(1)) * UNIT_SECONDS[match.group(2) or "min"]

    def choice(self, cells, name: str, line: int) -> str | None:
        value = self.text(cells, name, line)
        if value is not None and value not in _CHOICES[name]:
            self.error("csv-bad-value", f"{name} {value!r} is not one of {', '.join(_CHOICES[name])}", line,
                       cells[name][1], f"use one of {', '.join(_CHOICES[name])}")
            return None
        return value


def _column_starts(line: str) -> list[int]:
    """1-based start columns of the cells of a CSV line (quotes respected)."""
    starts = [1]
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts


def _paths(source: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(source, (str, Path)):
        source = [source]
    paths: list[Path] = []
    for entry in source:
        path = Path(entry)
        if path.is_dir():
            paths.extend(path / name for name in (*FILES, LEDGERS) if (path / name).is_file())
        else:
            paths.append(path)
    return paths


def load_master_data(source: str | Path | Iterable[str | Path]) -> tuple[Model, tuple[Diagnostic, ...]]:
    """Read CSV master data from a directory (the files of :data:`FILES` in it) or from files.

    Returns a partial :class:`Model` holding items (with their BOM and
    routing lines), vendors, prices, discounts and ledgers, to be merged into the
    ruleset's model (``costsheet.compile.merge_master_data``), and the
    diagnostics.  An unknown file name is an error; a missing file is fine.
    """
    from .ledgers import read_ledgers

    diagnostics: list[Diagnostic] = []
    found: dict[str, Path] = {}
    ledgers: dict[str, object] = {}
    for path in _paths(source):
        if path.name == LEDGERS:
            read, problems = read_ledgers(path)
            diagnostics.extend(problems)
            ledgers.update((ledger.item, ledger) for ledger in read)
        elif path.name not in FILES:
            diagnostics.append(Diagnostic.error(
                "csv-unknown-file", f"{path} is not a master data file", None,
                f"name CSV master data files {', '.join((*FILES, LEDGERS))}"))
        elif not path.is_file():
            diagnostics.append(Diagnostic.error("csv-unreadable", f"{path} does not exist", None,
                                                "check the path"))
        else:
            found[path.name] = path
    readers = {name: _Rows(path, diagnostics) for name, path in found.items()}
    items = _items(readers.get("items.csv"))
    _bom(readers.get("bom.csv"), items)
    _routing(readers.get("routing.csv"), items)
    vendors = {}
    if "vendors.csv" in readers:
        rows = readers["vendors.csv"]
        for line, cells in rows.read(*FILES["vendors.csv"]):
            code = rows.text(cells, "code", line, required=True)
            if code:
                vendors[code] = Vendor(code, rows.text(cells, "name", line) or "",
                                       span=Span.point(rows.file, line, 1))
    prices = tuple(_price_lines(readers.get("prices.csv"), PriceLine, "unit_cost"))
    discounts = tuple(_price_lines(readers.get("discounts.csv"), DiscountLine, "percent"))
    model = Model(
        items=frozen_map({code: attrs.evolve(item, bom=tuple(item.bom), routing=tuple(item.routing))
                          for code, item in items.items()}),
        vendors=frozen_map(vendors), prices=prices, discounts=discounts, ledgers=frozen_map(ledgers),
    )
    return model, tuple(diagnostics)


def _items(rows: _Rows | None) -> dict[str, Item]:
    items: dict[str, Item] = {}
    if rows is None:
        return items
    for line, cells in rows.read(*FILES["items.csv"]):
        code = rows.text(cells, "code", line, required=True)
        if code is None:
            continue
        if code in items:
            rows.error("duplicate-item", f"item {code} appears twice", line, cells["code"][1],
                       "keep one row per item")
            continue
        fields: dict[str, object] = {"code": code, "description": rows.text(cells, "description", line) or ""}
        for name in ("unit", "vendor", "rounding", "material_condition", "production_condition",
                     "charge_condition"):
            fields[name] = rows.text(cells, name, line)
        for name in ("replenishment", "cost_base", "costing_method"):
            value = rows.choice(cells, name, line)
            if value is not None:
                fields[name] = value
        for name in ("unit_cost", "last_direct_cost", "overhead_rate"):
            fields[name] = rows.number(cells, name, line)
        for name in ("indirect_cost", "scrap"):
            fields[name] = rows.number(cells, name, line, percent=True)
        fields["standard_cost"] = rows.number(cells, "standard_cost", line, default=None)
        fields["lot_size"] = rows.number(cells, "lot_size", line, default=Decimal(1))
        if fields["lot_size"] <= 0:
            rows.error("csv-bad-number", "lot_size must be greater than 0", line, cells["lot_size"][1],
                       "leave it empty for 1")
            fields["lot_size"] = Decimal(1)
        # BOM and routing lines are collected into lists first and frozen into tuples at the end.
        items[code] = Item(**fields, bom=[], routing=[], span=Span.point(rows.file, line, 1))
    return items


def _owner(rows: _Rows, items: dict[str, Item], cells, line: int) -> Item | None:
    code = rows.text(cells, "item", line, required=True)
    if code is None:
        return None
    item = items.get(code)
    if item is None:
        rows.error("unknown-item", f"item {code} is not in items.csv", line, cells["item"][1],
                   "add the item to items.csv (BOM and routing lines of ruleset items belong in the ruleset)")
    return item


def _bom(rows: _Rows | None, items: dict[str, Item]) -> None:
    if rows is None:
        return
    for line, cells in rows.read(*FILES["bom.csv"]):
        item = _owner(rows, items, cells, line)
        component = rows.text(cells, "component", line, required=True)
        quantity = rows.number(cells, "quantity", line, default=None)
        if item is None or component is None or quantity is None:
            continue
        item.bom.append(BomLine(component, quantity, rows.number(cells, "scrap", line, percent=True),
                                span=Span.point(rows.file, line, cells["component"][1])))


def _routing(rows: _Rows | None, items: dict[str, Item]) -> None:
    if rows is None:
        return
    for line, cells in rows.read(*FILES["routing.csv"]):
        item = _owner(rows, items, cells, line)
        operation = rows.text(cells, "operation", line, required=True)
        resource = rows.text(cells, "resource", line, required=True)
        if item is None or operation is None or resource is None:
            continue
        item.routing.append(RoutingLine(operation, resource, rows.seconds(cells, "setup", line),
                                        rows.seconds(cells, "run", line),
                                        span=Span.point(rows.file, line, cells["resource"][1])))


def _price_lines(rows: _Rows | None, cls, value_column: str):
    if rows is None:
        return
    for line, cells in rows.read(*FILES[rows.path.name]):
        item = rows.text(cells, "item", line, required=True)
        vendor = rows.text(cells, "vendor", line, required=True)
        value = rows.number(cells, value_column, line, default=None, percent=value_column == "percent")
        if value is None:
            rows.error("csv-missing-value", f"{value_column} is empty", line, cells[value_column][1],
                       f"fill in the {value_column} column")
            continue
        if item is None or vendor is None:
            continue
        yield cls(item, vendor, value, rows.date(cells, "from", line), rows.date(cells, "to", line),
                  rows.number(cells, "min_qty", line), span=Span.point(rows.file, line, 1))
