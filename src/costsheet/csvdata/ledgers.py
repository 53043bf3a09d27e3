"""Item ledgers from CSV.

Columns (a header row, any order, extra columns ignored): ``item``, ``date``
(ISO), ``type``, ``quantity``, ``cost``, ``location``, ``variant``,
``applies_to``.  Two more row types change an entry's value instead of being
entries (LANGUAGE.md section 8):

- ``type`` ``charge``: an item charge of ``cost`` on the entry ``applies_to``;
- ``type`` ``revaluation``: ``cost`` is the new unit cost, of entry
  ``applies_to``, or of the whole item when ``applies_to`` is empty.

Entries are numbered 1, 2, 3 ... per item in row order; each line's position
among the item's rows is its ``sequence``, as in the DSL.  Bad rows become
diagnostics that point at the row and column; the other rows still load.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import Diagnostic, Span
from ..files import read_text
from ..model import Charge, Ledger, LedgerEntry, Revaluation
from ..numbers import D

__all__ = ["read_ledgers", "parse_ledgers", "COLUMNS"]

COLUMNS = ("item", "date", "type", "quantity", "cost", "location", "variant", "applies_to")
_REQUIRED = ("item", "date", "type")


class _RowError(Exception):
    def __init__(self, column: str, message: str, hint: str):
        super().__init__(message)
        self.column, self.message, self.hint = column, message, hint


def read_ledgers(path: str | Path) -> tuple[tuple[Ledger, ...], tuple[Diagnostic, ...]]:
    """Read a ledger CSV file; an unreadable file is a diagnostic too."""
    path = Path(path)
    try:
        text = read_text(path, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return (), (Diagnostic.error("csv-unreadable", f"cannot read {path}: {error}", None,
                                     hint="check the path and that the file is UTF-8 text"),)
    return parse_ledgers(text, str(path))


def parse_ledgers(text: str, file: str = "<csv>") -> tuple[tuple[Ledger, ...], tuple[Diagnostic, ...]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return (), (Diagnostic.error("csv-empty", f"{file} is empty", Span.point(file, 1, 1),
                                     hint="write a header row: " + ",".join(COLUMNS)),)
    names = [h.strip().lower().replace("-", "_") for h in header]
    missing = [c for c in _REQUIRED if c not in names]
    if missing:
        return (), (Diagnostic.error("csv-missing-column", f"{file} has no column {', '.join(missing)}",
                                     Span(file, 1, 1, 1, len(",".join(header)) + 1),
                                     hint="the header needs: " + ",".join(COLUMNS)),)
    diagnostics: list[Diagnostic] = []
    lines: dict[str, list] = {}
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(names)}
        try:
            item, line = _line(cells, len(lines.get(cells["item"], ())) + 1)
        except _RowError as error:
            column = names.index(error.column) + 1 if error.column in names else 1
            diagnostics.append(Diagnostic.error("csv-bad-row", f"row {line_number}: {error.message}",
                                                Span(file, line_number, column, line_number, column + 1),
                                                hint=error.hint))
            continue
        lines.setdefault(item, []).append((line, Span(file, line_number, 1, line_number, len(",".join(row)) + 1)))
    return tuple(_ledger(item, rows) for item, rows in lines.items()), tuple(diagnostics)


def _line(cells: dict[str, str], sequence: int):
    item = cells.get("item", "")
    if not item:
        raise _RowError("item", "the item is empty", "write the item code in the item column")
    try:
        date = dt.date.fromisoformat(cells.get("date", ""))
    except ValueError:
        raise _RowError("date", f"{cells.get('date')!r} is not a date", "write dates as YYYY-MM-DD") from None
    kind = cells.get("type", "")
    cost = _number(cells, "cost")
    applies_to = _integer(cells, "applies_to")
    if kind == "charge":
        if cost is None or applies_to is None:
            raise _RowError("cost", "a charge needs an amount (cost) and the entry it is on (applies_to)",
                            "put the charge amount in cost and the entry number in applies_to")
        return item, ("charge", date, applies_to, cost, sequence)
    if kind == "revaluation":
        if cost is None:
            raise _RowError("cost", "a revaluation needs the new unit cost in the cost column",
                            "put the new unit cost in cost; applies_to names one entry or is empty")
        return item, ("revaluation", date, applies_to, cost, sequence)
    if not kind:
        raise _RowError("type", "the type is empty", "write purchase, sale, ... charge or revaluation")
    quantity = _number(cells, "quantity")
    if quantity is None:
        raise _RowError("quantity", "the quantity is empty", "write +N for an increase, -N for a decrease")
    return item, ("entry", date, kind, quantity, cost, cells.get("location") or None,
                  cells.get("variant") or None, applies_to)


def _number(cells: dict[str, str], column: str):
    text = cells.get(column, "")
    if not text:
        return None
    try:
        return D(text)
    except ValueError:
        raise _RowError(column, f"{text!r} in {column} is not a number",
                        "write plain decimals such as 12.50 or -3") from None


def _integer(cells: dict[str, str], column: str) -> int | None:
    text = cells.get(column, "")
    if not text:
        return None
    if not text.isdigit():
        raise _RowError(column, f"{text!r} in {column} is not an entry number", "write the entry number, 1, 2, 3 ...")
    return int(text)


def _ledger(item: str, rows: Iterable) -> Ledger:
    entries, charges, revaluations = [], [], []
    for line, span in rows:
        kind = line[0]
        if kind == "charge":
            charges.append(Charge(line[1], line[2], line[3], line[4], span=span))
        elif kind == "revaluation":
            revaluations.append(Revaluation(line[1], line[3], line[2], line[4], span=span))
        else:
            _, date, entry_type, quantity, cost, location, variant, applies_to = line
            entries.append(LedgerEntry(len(entries) + 1, date, entry_type, quantity, cost, location, variant,
                                       applies_to, span=span))
    return Ledger(item, tuple(entries), tuple(charges), tuple(revaluations))
