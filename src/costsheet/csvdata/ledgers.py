"""Item ledgers from CSV.

Columns (a header row, any order): ``item``, ``date`` (ISO), ``type``,
``quantity``, ``cost``, ``location``, ``variant``, ``applies_to``.  Two more
row types change an entry's value instead of being entries (docs/valuation.md):

- ``type`` ``charge``: an item charge of ``cost`` on the entry ``applies_to``;
- ``type`` ``revaluation``: ``cost`` is the new unit cost, of entry
  ``applies_to``, or of the whole item when ``applies_to`` is empty.

Entries are numbered 1, 2, 3 ... per item in row order; each line's position
among the item's rows is its ``sequence``, as in the DSL.  Each cell obeys
the rules of the same value in a ``ledger`` block (an entry type the language
knows, numbers of the size every number has, ``cost`` only on an increase),
with the same codes, at its cell; the other rows still load.
"""

from __future__ import annotations

from pathlib import Path

from ..check import Reference, values
from ..diagnostics import Diagnostic, Span
from ..model import Charge, Ledger, LedgerEntry, Revaluation
from ..syntax import nodes as n
from ..vocabulary import EntryType, words
from .table import Row, Sheet

__all__ = ["read_ledgers", "parse_ledgers", "read_ledger_rows", "COLUMNS"]

COLUMNS = ("item", "date", "type", "quantity", "cost", "location", "variant", "applies_to")
_REQUIRED = ("item", "date", "type")
_TYPES = (*words(EntryType), "charge", "revaluation")


def read_ledgers(path: str | Path) -> tuple[tuple[Ledger, ...], tuple[Diagnostic, ...]]:
    """Read a ledger CSV file; an unreadable file is a diagnostic too."""
    diagnostics: list[Diagnostic] = []
    sheet = Sheet.open(path, "ledgers", diagnostics)
    ledgers = read_ledger_rows(sheet)[0] if sheet is not None else ()
    return ledgers, tuple(diagnostics)


def parse_ledgers(text: str, file: str = "<csv>") -> tuple[tuple[Ledger, ...], tuple[Diagnostic, ...]]:
    """The ledgers of a CSV text (``file`` names it in the diagnostics)."""
    diagnostics: list[Diagnostic] = []
    ledgers, _ = read_ledger_rows(Sheet(file, text, "ledgers", diagnostics))
    return ledgers, tuple(diagnostics)


def read_ledger_rows(sheet: Sheet) -> tuple[tuple[Ledger, ...], tuple[Reference, ...]]:
    """The ledgers of one sheet, and the item codes they name (one reference per ledger)."""
    rows: dict[str, list] = {}
    first: dict[str, n.Code] = {}
    for row in sheet.rows(_REQUIRED, COLUMNS[3:]):
        item = sheet.code(row, "item", required=True)
        line = _line(sheet, row)
        if item is None or line is None:
            continue
        first.setdefault(item.text, item)
        rows.setdefault(item.text, []).append((line, row.span))
    ledgers = tuple(_ledger(item, lines, first[item].span) for item, lines in rows.items())
    return ledgers, tuple(Reference("item", code, "a ledger") for code in first.values())


def _line(sheet: Sheet, row: Row):
    """One row as ``(kind, ...)``, or ``None`` when a cell it needs is missing or wrong."""
    date = sheet.date(row, "date", required=True)
    kind = row.text("type")
    if not kind:
        sheet.error(
            "csv-missing-value",
            "type is empty",
            row.cell_span("type"),
            "write purchase, sale, ... (an entry type), charge or revaluation",
        )
        return None
    problem = values.unknown_word(kind, _TYPES, "an entry type, charge or revaluation")
    if problem:
        sheet.diagnostics.append(problem.at(row.cell_span("type")))
        return None
    if kind in ("charge", "revaluation"):
        return _adjustment(sheet, row, kind, date)
    quantity = sheet.number(row, "quantity", required=True)
    cost = sheet.number(row, "cost")
    applies_to = sheet.entry_number(row, "applies_to")
    location, variant = sheet.code(row, "location"), sheet.code(row, "variant")
    if cost is not None and quantity is not None and quantity < 0:
        sheet.diagnostics.append(values.cost_on_decrease().at(row.cell_span("cost")))
    if date is None or quantity is None:
        return None
    return (
        "entry",
        date,
        kind,
        quantity,
        cost,
        location.text if location else None,
        variant.text if variant else None,
        applies_to,
    )


def _adjustment(sheet: Sheet, row: Row, kind: str, date):
    """A charge (amount in cost, on entry applies_to) or a revaluation (new unit cost in cost)."""
    what = "the charge amount" if kind == "charge" else "the new unit cost"
    cost = sheet.number(row, "cost")
    if cost is None and not row.text("cost"):
        sheet.error(
            "csv-missing-value",
            f"a {kind} needs {what} in the cost column",
            row.cell_span("cost"),
            f"put {what} in cost",
        )
    entry = sheet.entry_number(row, "applies_to")
    if kind == "charge" and entry is None and not row.text("applies_to"):
        sheet.error(
            "csv-missing-value",
            "a charge needs the entry it is on in the applies_to column",
            row.cell_span("applies_to"),
            "put the number of the entry (1, 2, 3 ... per item) in applies_to",
        )
        return None
    for column in ("quantity", "location", "variant"):
        if row.text(column):
            sheet.error(
                "misplaced-field",
                f"a {kind} row takes no {column}",
                row.cell_span(column),
                f"leave {column} empty: a {kind} changes the value of an entry, not its quantity or place",
            )
    if date is None or cost is None:
        return None
    return (kind, date, entry, cost)


def _ledger(item: str, rows: list, span: Span | None) -> Ledger:
    entries: list[LedgerEntry] = []
    charges: list[Charge] = []
    revaluations: list[Revaluation] = []
    for sequence, (line, row_span) in enumerate(rows, start=1):
        kind = line[0]
        if kind == "charge":
            charges.append(Charge(line[1], line[2], line[3], sequence, span=row_span))
        elif kind == "revaluation":
            revaluations.append(Revaluation(line[1], line[3], line[2], sequence, span=row_span))
        else:
            _, date, entry_type, quantity, cost, location, variant, applies_to = line
            entries.append(
                LedgerEntry(
                    len(entries) + 1, date, entry_type, quantity, cost, location, variant, applies_to, span=row_span
                )
            )
    return Ledger(item, tuple(entries), tuple(charges), tuple(revaluations), span=span)
