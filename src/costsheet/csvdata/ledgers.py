"""Item ledgers from CSV.

Columns (a header row, any order): ``item``, ``date`` (ISO), ``type``,
``quantity``, ``cost``, ``location``, ``variant``, ``applies_to``, ``order``,
``resource``, ``setup``, ``run``, ``expected_cost``, ``physical``,
``applies_from``.  ``order`` is the production order of a consumption or output
entry, ``expected_cost`` a receipt's cost until its invoice, ``physical``
(``yes``/``no``) an F&O entry physically but not financially updated,
``applies_from`` the decrease a return takes its cost from.  Four more row
types are not entries (docs/valuation.md):

- ``type`` ``charge``: an item charge of ``cost`` on the entry ``applies_to``;
- ``type`` ``revaluation``: ``cost`` is the new unit cost, of entry
  ``applies_to``, or of the whole item when ``applies_to`` is empty;
- ``type`` ``capacity``: ``capacity RESOURCE setup S run R order O`` of a
  produced item's ledger: the time work or machine center ``resource`` spent
  on production order ``order`` (times as in routing.csv: ``30min``, ``1.5h``
  or a plain number of minutes);
- ``type`` ``invoice``: ``invoice ENTRY cost N``, the actual ``cost`` of the
  entry ``applies_to`` (an increase with an expected cost) from ``date`` on.

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
from ..model import CapacityUse, Charge, Invoice, Ledger, LedgerEntry, Revaluation
from ..numbers import ZERO
from ..syntax import nodes as n
from ..vocabulary import EntryType, words
from .table import Row, Sheet

__all__ = ["read_ledgers", "parse_ledgers", "read_ledger_rows", "COLUMNS"]

COLUMNS = (
    "item",
    "date",
    "type",
    "quantity",
    "cost",
    "location",
    "variant",
    "applies_to",
    "order",
    "resource",
    "setup",
    "run",
    "expected_cost",
    "physical",
    "applies_from",
)
_REQUIRED = ("item", "date", "type")
_TYPES = (*words(EntryType), "charge", "revaluation", "capacity", "invoice")
#: the columns of a capacity row, and of an entry alone
_CAPACITY = ("resource", "setup", "run")
_ENTRY = ("quantity", "location", "variant", "order", "expected_cost", "physical", "applies_from")
#: what each kind of row leaves empty
_NOT_TAKEN = {
    "entry": _CAPACITY,
    "charge": (*_ENTRY, *_CAPACITY),
    "revaluation": (*_ENTRY, *_CAPACITY),
    "invoice": (*_ENTRY, *_CAPACITY),
    "capacity": ("cost", "applies_to", *(c for c in _ENTRY if c != "order")),
}
_YES_NO = ("yes", "no")


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
    """The ledgers of one sheet, and the codes they name (one reference per ledger's item, one per
    capacity row's resource)."""
    rows: dict[str, list] = {}
    first: dict[str, n.Code] = {}
    resources: list[Reference] = []
    for row in sheet.rows(_REQUIRED, COLUMNS[3:]):
        item = sheet.code(row, "item", required=True)
        line = _line(sheet, row)
        if item is None or line is None:
            continue
        if line[0] == "capacity":
            role = f"a capacity line of {item.text}"
            resources.append(Reference("work or machine center", line[2], role))
        first.setdefault(item.text, item)
        rows.setdefault(item.text, []).append((line, row.span))
    ledgers = tuple(_ledger(item, lines, first[item].span) for item, lines in rows.items())
    return ledgers, (*(Reference("item", code, "a ledger") for code in first.values()), *resources)


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
    _not_taken(sheet, row, kind if kind in _NOT_TAKEN else "entry")
    if kind in ("charge", "revaluation", "invoice"):
        return _adjustment(sheet, row, kind, date)
    if kind == "capacity":
        return _capacity(sheet, row, date)
    quantity = sheet.number(row, "quantity", required=True)
    cost = sheet.number(row, "cost")
    applies_to = sheet.entry_number(row, "applies_to")
    location, variant = sheet.code(row, "location"), sheet.code(row, "variant")
    order = sheet.code(row, "order")
    expected = sheet.number(row, "expected_cost")
    applies_from = sheet.entry_number(row, "applies_from")
    physical = row.text("physical").lower()
    problem = values.unknown_word(physical, _YES_NO, "a value of physical") if physical else None
    if problem is not None:
        sheet.diagnostics.append(problem.at(row.cell_span("physical")))
    if quantity is not None and quantity < 0:
        for column, field, value in (("cost", "cost", cost), ("expected_cost", "expected-cost", expected)):
            if value is not None:
                sheet.diagnostics.append(values.cost_on_decrease(field).at(row.cell_span(column)))
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
        order.text if order else None,
        expected,
        physical == "yes",
        applies_from,
    )


def _a(kind: str) -> str:
    """``a charge``, ``an invoice``."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _not_taken(sheet: Sheet, row: Row, kind: str) -> None:
    """A cell the row's kind does not take is ``misplaced-field``, as the option in a ledger block."""
    for column in _NOT_TAKEN[kind]:
        if row.text(column):
            what = "an entry" if kind == "entry" else f"{_a(kind)} row"
            sheet.error(
                "misplaced-field",
                f"{what} takes no {column}",
                row.cell_span(column),
                f"leave {column} empty: "
                + (
                    "resource, setup and run are a capacity row's (type capacity)"
                    if kind == "entry"
                    else f"{_a(kind)} row "
                    + (
                        "says the time a resource spent on an order"
                        if kind == "capacity"
                        else "changes the value of an entry, not its quantity, place or order"
                    )
                ),
            )


def _capacity(sheet: Sheet, row: Row, date):
    """Time a work or machine center spent on a production order (run and setup time)."""
    resource = sheet.code(row, "resource", required=True)
    order = sheet.code(row, "order", required=True)
    setup = sheet.seconds(row, "setup")
    run = sheet.seconds(row, "run")
    if not row.text("setup") and not row.text("run"):
        sheet.error(
            "csv-missing-value",
            "a capacity row needs its time in run (or setup)",
            row.cell_span("run"),
            "write the run time (30min, 1.5h or a plain number of minutes), and the setup time if any",
        )
        return None
    if date is None or resource is None or order is None or (setup is None and row.text("setup")):
        return None
    if run is None and row.text("run"):
        return None
    return ("capacity", date, resource, order.text, run or ZERO, setup or ZERO)


def _adjustment(sheet: Sheet, row: Row, kind: str, date):
    """A charge (amount in cost, on entry applies_to) or a revaluation (new unit cost in cost)."""
    what = {"charge": "the charge amount", "invoice": "the invoiced cost"}.get(kind, "the new unit cost")
    cost = sheet.number(row, "cost")
    if cost is None and not row.text("cost"):
        sheet.error(
            "csv-missing-value",
            f"{_a(kind)} needs {what} in the cost column",
            row.cell_span("cost"),
            f"put {what} in cost",
        )
    entry = sheet.entry_number(row, "applies_to")
    if kind in ("charge", "invoice") and entry is None and not row.text("applies_to"):
        sheet.error(
            "csv-missing-value",
            f"{_a(kind)} needs the entry it is on in the applies_to column",
            row.cell_span("applies_to"),
            "put the number of the entry (1, 2, 3 ... per item) in applies_to",
        )
        return None
    if date is None or cost is None:
        return None
    return (kind, date, entry, cost)


def _ledger(item: str, rows: list, span: Span | None) -> Ledger:
    entries: list[LedgerEntry] = []
    charges: list[Charge] = []
    revaluations: list[Revaluation] = []
    invoices: list[Invoice] = []
    capacities: list[CapacityUse] = []
    for sequence, (line, row_span) in enumerate(rows, start=1):
        kind = line[0]
        if kind == "capacity":
            _, date, resource, order, run, setup = line
            capacities.append(CapacityUse(date, resource.text, order, run, setup, sequence, span=row_span))
        elif kind == "charge":
            charges.append(Charge(line[1], line[2], line[3], sequence, span=row_span))
        elif kind == "invoice":
            invoices.append(Invoice(line[1], line[2], line[3], sequence, span=row_span))
        elif kind == "revaluation":
            revaluations.append(Revaluation(line[1], line[3], line[2], sequence, span=row_span))
        else:
            _, date, entry_type, quantity, cost, location, variant, applies_to, order, expected, physical, source = line
            entries.append(
                LedgerEntry(
                    len(entries) + 1,
                    date,
                    entry_type,
                    quantity,
                    cost,
                    location,
                    variant,
                    applies_to,
                    order,
                    expected,
                    physical,
                    source,
                    span=row_span,
                )
            )
    return Ledger(
        item,
        tuple(entries),
        tuple(charges),
        tuple(revaluations),
        tuple(invoices),
        span=span,
        capacities=tuple(capacities),
    )
