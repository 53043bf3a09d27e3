"""One CSV file read into located cells, and the conversion of cells to values.

Both CSV readers (master data, ledgers) read through :class:`Sheet`: UTF-8
(a byte-order mark is fine), comma separated, one header row whose names are
case-insensitive (``unit-cost`` = ``Unit Cost`` = ``unit_cost``), column order
free.  A mapping file beside the CSV files (``csv.rules``,
:mod:`costsheet.csvdata.mapping`) may give a file another encoding, separator,
number and date format (:mod:`costsheet.csvdata.formats`), other headers for
its columns and other words for its values.  Every cell keeps its place (file,
line, column), and every value read from a cell obeys the rules a ``.cost``
file obeys (:mod:`costsheet.check.values`): the same codes and messages,
located at the cell.  Problems are collected as diagnostics; nothing is raised.

What the file itself can get wrong: ``csv-unreadable`` (missing, not a
regular file, not in its encoding), ``csv-too-large`` (over :data:`MAX_BYTES`),
``csv-empty`` (no header), ``csv-missing-column``, ``csv-duplicate-column``,
``csv-unknown-column`` (a warning, for a name close to a known one; other
extra columns are ignored), ``csv-repeated-header`` (a warning: a row that
repeats the header, as when two exports are concatenated, is skipped),
``mapping-missing-header`` (the mapping names a header the file lacks).  What
a cell can get wrong before a rule applies: ``csv-missing-value``,
``csv-bad-number``, ``csv-bad-date``, ``csv-bad-time``, ``csv-bad-rate``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import attrs

from ..check import values
from ..diagnostics import Diagnostic, Span
from ..files import FileTooLargeError, NotARegularFileError, decode_error_position, read_text
from ..inputs import Input
from ..model import UNIT_SECONDS, Rate
from ..numbers import D
from ..syntax import nodes as n
from .formats import CANONICAL, TIME_UNITS, DateFormat, date_format, number_reader

if TYPE_CHECKING:
    from .mapping import FileMapping

__all__ = ["MAX_BYTES", "Cell", "Row", "Sheet", "column_name"]

#: CSV files larger than this are refused (a million ledger rows take about 60 MB)
MAX_BYTES = 256 * 1024 * 1024

_NUMBER = re.compile(r"[+\-]?\d+(?:\.\d+)?")  # as in a .cost file: a point, no exponent, no separators
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d+(?:\.\d+)?)\s*(s|min|h|d)?")
_TIME_WRITTEN = re.compile(r"(.*?)\s*(s|min|h|d)?")  # a number written as the file's format says, and a unit
_ENTRY_NUMBER = re.compile(r"[0-9]+")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # typographic minus signs, as D reads them


def column_name(header: str) -> str:
    """A header cell as a column name: ``Unit-Cost`` and ``unit cost`` are ``unit_cost``."""
    return "_".join(header.strip().lower().replace("-", " ").replace("_", " ").split())


@attrs.frozen
class Cell:
    text: str  # without surrounding blanks
    span: Span  # the cell in the file


class Row:
    """One data row: the texts of its cells by column name, each located on demand
    (most cells never need a place, so none is computed until one does)."""

    __slots__ = ("_columns", "_places", "_record", "_span", "_texts", "line")

    def __init__(self, record: _Record, columns: Mapping[str, int], texts: list[str]):
        self.line = record.line
        self._record, self._columns = record, columns
        self._texts = {name: texts[i] for name, i in columns.items() if i < len(texts)}
        self._places: list[tuple[int, int, int]] | None = None
        self._span: Span | None = None

    @property
    def span(self) -> Span:
        """The row's first line, column 1 to its end."""
        if self._span is None:
            self._span = self._record.span
        return self._span

    def text(self, name: str) -> str:
        """The cell's text without surrounding blanks; "" for an empty or missing cell."""
        return self._texts.get(name, "")

    def cell_span(self, name: str) -> Span:
        """The cell of column ``name``; the end of the row when the row is too short for it, the
        row when the file has no such column."""
        index = self._columns.get(name)
        if index is None:
            return self.span
        if self._places is None:
            self._places = self._record.places()
        if index >= len(self._places):
            return Span.point(self._record.file, self.line, self.span.end_column)
        line, start, end = self._places[index]
        return Span(self._record.file, line, start, line, end)

    def _translate(self, tables: Mapping[str, Mapping[str, str]]) -> None:
        """The mapping's words for the export's (``Prod. Order`` -> ``prod-order``)."""
        texts = self._texts
        for name, table in tables.items():
            text = texts.get(name)
            if text:
                texts[name] = table.get(text.casefold(), text)


class Sheet:
    """One CSV file being read (as ``mapping`` says, when the folder has a mapping file);
    its problems go to ``diagnostics``."""

    def __init__(
        self, file: str, text: str, kind: str, diagnostics: list[Diagnostic], mapping: FileMapping | None = None
    ):
        self.file = file
        self.text = text
        self.input = Input.of_text(file, kind, text)
        self.diagnostics = diagnostics
        self.mapping = mapping
        self.format = mapping.format if mapping is not None else CANONICAL
        self._canonical_numbers = self.format.canonical_numbers
        self._number = number_reader(self.format.decimal_comma, self.format.thousands)
        self._dates = _compiled_dates(self.format.date)

    @classmethod
    def open(
        cls, path: str | Path, kind: str, diagnostics: list[Diagnostic], mapping: FileMapping | None = None
    ) -> Sheet | None:
        """The file at ``path``, or ``None`` with a diagnostic when it cannot be read.

        Read through :func:`costsheet.files.read_text` (regular files only, bounded in size,
        as every file costsheet reads), with the CSV limit :data:`MAX_BYTES`, in the encoding
        the mapping gives (UTF-8 by default)."""
        file = str(path)
        encoding = mapping.format.encoding if mapping is not None else "utf-8"
        read_as = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        try:
            return cls(file, read_text(file, encoding=read_as, newline="", limit=MAX_BYTES), kind, diagnostics, mapping)
        except FileTooLargeError:
            problem = (
                "csv-too-large",
                f"{file} is larger than {MAX_BYTES // 2**20} MB",
                "split the export into several files, or give fewer rows",
            )
        except FileNotFoundError:
            problem = ("csv-unreadable", f"{file} does not exist", "check the path")
        except IsADirectoryError:
            problem = ("csv-unreadable", f"{file} is a folder", "name a CSV file (or a folder of them as master data)")
        except NotARegularFileError as error:
            problem = ("csv-unreadable", str(error), "name a CSV file (or a folder of them as master data)")
        except UnicodeDecodeError as error:
            line, column = decode_error_position(error)
            named = "UTF-8" if read_as == "utf-8-sig" else encoding
            diagnostics.append(
                Diagnostic.error(
                    "csv-unreadable",
                    f"{file} is not {named} text (byte {error.start + 1}, line {line})",
                    Span.point(file, line, column),
                    "save the export as UTF-8 (CSV UTF-8 in spreadsheet programs), or name its encoding in the "
                    "folder's csv.rules: encoding cp1252",
                )
            )
            return None
        except OSError as error:
            problem = (
                "csv-unreadable",
                f"cannot read {file}: {error.strerror or error}",
                "check the path and the file's permissions",
            )
        code, message, hint = problem
        diagnostics.append(Diagnostic.error(code, message, Span.point(file, 1, 1), hint))
        return None

    def error(self, code: str, message: str, span: Span | None, hint: str) -> None:
        self.diagnostics.append(Diagnostic.error(code, message, span, hint))

    # ------------------------------------------------------------ rows

    def rows(self, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[Row]:
        """Each data row with its cells by column name; nothing when the header is unusable."""
        try:
            yield from self._rows(required, optional)
        except _MalformedError as error:
            self.error(
                "csv-unreadable",
                f"{self.file} cannot be read as CSV from line {error.line}: {error.reason}",
                Span.point(self.file, error.line, 1),
                "check the quotes of that line, and that it is a CSV file",
            )

    def _rows(self, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[Row]:
        records = _records(self.text, self.file, self.format.separator)
        header = next(records, None)
        if header is None:
            self.error(
                "csv-empty",
                f"{self.file} is empty",
                Span.point(self.file, 1, 1),
                "write a header row: " + self.format.separator.join((*required, *optional)),
            )
            return
        names = [column_name(cell.text) for cell in header.cells()]
        columns = self._columns(header, names, required, optional)
        if columns is None:
            return
        heading = [name for name in names if name]
        first_names = {name.replace("_", sep) for sep in ("_", "-", " ") for name in heading[:1]}
        tables = self.mapping.values if self.mapping is not None and self.mapping.values else None
        for record in records:
            texts = [value.strip() for value in record.values]
            if not any(texts):
                continue
            if texts[0].lower() in first_names and [column_name(t) for t in texts if t] == heading:
                self.diagnostics.append(
                    Diagnostic.warning(
                        "csv-repeated-header",
                        f"this row repeats the header of {Path(self.file).name}; it is skipped",
                        record.span,
                        "remove the repeated header (two exports pasted into one file?)",
                    )
                )
                continue
            row = Row(record, columns, texts)
            if tables is not None:
                row._translate(tables)
            yield row

    def _columns(
        self, header: _Record, names: list[str], required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, int] | None:
        """Each column read and the index of its cell, or None when the header cannot be read.

        A column the mapping maps is read from the header it names (and that header as nothing
        else); every other column from the header of its own name."""
        known = (*required, *optional)
        cells = header.cells()
        columns: dict[str, int] = {}
        ok = True
        mapped = self.mapping.columns if self.mapping is not None else {}
        taken: set[int] = set()
        for column, wanted in mapped.items():
            found = [i for i, name in enumerate(names) if name and name == column_name(wanted.text)]
            if not found:
                ok = False
                self._missing_header(column, wanted, cells)
            elif len(found) > 1:
                ok = False
                self.error(
                    "csv-duplicate-column",
                    f"the column {cells[found[1]].text} appears twice (first at column {cells[found[0]].span.column})",
                    cells[found[1]].span,
                    "keep one column of each name: only one of them could count",
                )
            else:
                columns[column] = found[0]
                taken.add(found[0])
        seen: dict[str, Cell] = {}
        unknown: list[tuple[Cell, str]] = []
        for i, (cell, name) in enumerate(zip(cells, names, strict=True)):
            if not name or i in taken:
                continue
            read = name in known and name not in mapped
            if name in seen:
                if read:
                    first = seen[name].span
                    self.error(
                        "csv-duplicate-column",
                        f"the column {name} appears twice (first at column {first.column})",
                        cell.span,
                        "keep one column of each name: only one of them could count",
                    )
                    ok = False
                continue
            seen[name] = cell
            if read:
                columns[name] = i
            elif name not in known:
                unknown.append((cell, name))
        for cell, name in unknown:
            self._unknown_column(cell, name, known, columns)
        missing = [c for c in required if c not in columns and c not in mapped]
        if missing:
            self.error(
                "csv-missing-column",
                f"{Path(self.file).name} has no column {', '.join(missing)}",
                header.span,
                f"the header needs {', '.join(required)}; optional: {', '.join(optional) or 'none'}"
                + "; an export's own headers can be mapped in csv.rules beside it "
                f'({self._kind()}: {missing[0]}="Header")' + self._separator_hint(header.cells()),
            )
            ok = False
        return columns if ok else None

    def _kind(self) -> str:
        return self.mapping.kind if self.mapping is not None else Path(self.file).name

    def _missing_header(self, column: str, wanted, cells: list[Cell]) -> None:
        headers = [cell.text for cell in cells if cell.text]
        close = difflib.get_close_matches(wanted.text, headers, n=1, cutoff=0.6)
        guess = f"did you mean {close[0]!r}? " if close else ""
        shown = ", ".join(headers[:12]) + (", ..." if len(headers) > 12 else "")
        self.error(
            "mapping-missing-header",
            f"{Path(wanted.span.file).name} reads {column} from the column "
            f"{wanted.text!r}, which {self.file} does not have",
            wanted.span,
            f"{guess}its header has {shown or 'no names'}{self._separator_hint(cells)}",
        )

    def _separator_hint(self, cells: list[Cell]) -> str:
        """When the header is one cell holding another separator: the file's separator is likely wrong."""
        if len(cells) != 1:
            return ""
        for other in ";\t|,":
            if other != self.format.separator and other in cells[0].text:
                shown = "tab" if other == "\t" else other
                return (
                    f"; the header is one cell: is the file separated by {shown!r}? "
                    f"(csv.rules beside it: separator {shown})"
                )
        return ""

    def _unknown_column(self, cell: Cell, name: str, known: tuple[str, ...], columns: dict[str, int]) -> None:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        if close and close[0] not in columns:
            self.diagnostics.append(
                Diagnostic.warning(
                    "csv-unknown-column",
                    f"the column {cell.text} is not read; did you mean {close[0]}?",
                    cell.span,
                    f"rename it {close[0]}, or map it in csv.rules beside the file "
                    f'({self._kind()}: {close[0]}="{cell.text}"); the columns of {self._kind()} are '
                    + ", ".join(known),
                )
            )

    # ------------------------------------------------------------ cells to values

    def _missing(self, row: Row, name: str) -> None:
        self.error("csv-missing-value", f"{name} is empty", row.cell_span(name), f"fill in the {name} column")

    def _problem(self, problem: values.Problem | None, row: Row, name: str) -> bool:
        if problem is not None:
            self.diagnostics.append(problem.at(row.cell_span(name)))
        return problem is not None

    def code(self, row: Row, name: str, *, required: bool = False) -> n.Code | None:
        """A code (at most 20 characters), located at its cell."""
        text = row.text(name)
        if not text:
            if required:
                self._missing(row, name)
            return None
        self._problem(values.code_problem(text), row, name)
        return n.Code(text, span=row.cell_span(name))

    def word(self, row: Row, name: str, rule: values.Rule, field: str, who: str) -> str | None:
        """One of the words ``rule`` allows (``field`` is the name of the .cost field)."""
        text = row.text(name)
        if not text or self._problem(values.value_problem(field, rule, text, who), row, name):
            return None
        return text

    def _canonical(self, text: str) -> str | None:
        """A number as a .cost file writes it, or None when ``text`` is not a number as this file writes one."""
        if self._canonical_numbers:
            if _NUMBER.fullmatch(text):
                return text
            text = text.translate(_MINUS)
            return text if _NUMBER.fullmatch(text) else None
        return self._number(text.translate(_MINUS))

    def number(
        self,
        row: Row,
        name: str,
        rule: values.Rule | None = None,
        field: str = "",
        who: str = "",
        *,
        required: bool = False,
    ) -> Decimal | None:
        """A number as a .cost file writes it (``5%`` where ``rule`` takes a percentage), or as the
        mapping's format says, of the size every number obeys and in ``rule``'s range."""
        written = row.text(name)
        if not written:
            if required:
                self._missing(row, name)
            return None
        text = written
        percent = rule is not None and rule.kind == "percent"
        if percent and text.endswith("%"):
            text = text[:-1].rstrip()
        canonical = self._canonical(text)
        if canonical is None:
            self.error(
                "csv-bad-number",
                f"{name} {written!r} is not a number",
                row.cell_span(name),
                self._number_hint(text, percent),
            )
            return None
        value = D(canonical)
        if not self._problem(values.number_size(value), row, name) and rule is not None:
            self._problem(values.value_problem(field or name.replace("_", "-"), rule, value, who), row, name)
        return value

    def _number_hint(self, text: str, percent: bool) -> str:
        if not self._canonical_numbers:
            return (
                f"this file writes numbers as {self.format.example()}, as its csv.rules says "
                f"(decimal-comma {'yes' if self.format.decimal_comma else 'no'}, thousands-separator "
                f"{_separator_name(self.format.thousands)})"
            )
        if re.fullmatch(r"[+\-]?[\d.,' ]*\d", text) and ("," in text or "'" in text or " " in text):
            return (
                "numbers use a point for decimals and no thousands separators: 1234.50, not 1,234.50 or "
                "1234,50 (or say how the export writes them in csv.rules beside it: decimal-comma yes)"
            )
        return "write a plain decimal number such as 12.50" + (" or 5%" if percent else "")

    def rate(self, row: Row, name: str, rule: values.Rule, field: str, who: str, unit: str) -> Rate | None:
        """A rate: ``42.00/h``, ``0.70/min``, or a plain number per ``unit``, in ``rule``'s range."""
        written = row.text(name)
        if not written:
            return None
        number, slash, per = written.partition("/")
        per = per.strip() if slash else unit
        canonical = self._canonical(number.strip())
        if canonical is None or per not in TIME_UNITS:
            self.error(
                "csv-bad-rate",
                f"{name} {written!r} is not a rate",
                row.cell_span(name),
                "write an amount per time: 42.00/h, 0.70/min, 1.20/s, or a plain number per "
                f"{_UNIT_NAMES[unit][:-1]} (the row's time_unit)"
                + ("" if self._canonical_numbers else f"; numbers as {self.format.example()}"),
            )
            return None
        value = D(canonical)
        if self._problem(values.number_size(value), row, name) or self._problem(
            values.value_problem(field, rule, value, who), row, name
        ):
            return None
        return Rate(value, UNIT_SECONDS[per])

    def date(self, row: Row, name: str, *, required: bool = False) -> dt.date | None:
        """A date as a .cost file writes it (YYYY-MM-DD) or as the mapping's date-format says,
        that the calendar has."""
        text = row.text(name)
        if not text:
            if required:
                self._missing(row, name)
            return None
        if self._dates is not None:
            return self._formatted_date(self._dates, row, name, text)
        if not _DATE.fullmatch(text):
            self.error(
                "csv-bad-date",
                f"{name} {text!r} is not a date",
                row.cell_span(name),
                "write dates as YYYY-MM-DD (or say how the export writes them in csv.rules beside it: "
                "date-format dd.mm.yyyy)",
            )
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self._problem(values.invalid_date(text), row, name)
            return None

    def _formatted_date(self, dates: DateFormat, row: Row, name: str, text: str) -> dt.date | None:
        pattern = self.format.date
        parts = dates.read(text)
        if parts is None:
            self.error(
                "csv-bad-date",
                f"{name} {text!r} is not a date",
                row.cell_span(name),
                f"this file writes dates as {pattern}, as its csv.rules says (date-format {pattern})",
            )
            return None
        try:
            return dt.date(*parts)
        except ValueError:
            problem = values.invalid_date(text)
            self._problem(
                attrs.evolve(problem, hint=f"write an existing date as {pattern} (months 1-12, days as the month has)"),
                row,
                name,
            )
            return None

    def time_unit(self, row: Row, name: str) -> str | None:
        """A time unit: s, min, h or d."""
        text = row.text(name)
        if not text or self._problem(values.unknown_word(text, TIME_UNITS, "a time unit"), row, name):
            return None
        return text

    def seconds(self, row: Row, name: str, unit: str = "min") -> Decimal | None:
        """A time: ``30min``, ``1.5h``, ``90s``, ``1d`` or a plain number of ``unit`` (minutes), in seconds."""
        text = row.text(name)
        if not text:
            return None
        written = self._time(text)
        if written is None:
            self.error(
                "csv-bad-time",
                f"{name} {text!r} is not a time",
                row.cell_span(name),
                f"write 30min, 1.5h, 90s, 1d, or a plain number of {_UNIT_NAMES[unit]}"
                + ("" if self._canonical_numbers else f"; numbers as {self.format.example()}"),
            )
            return None
        number, written_unit = written
        amount = D(number)
        if self._problem(values.number_size(amount), row, name):
            return None
        return amount * UNIT_SECONDS[written_unit or unit]

    def _time(self, text: str) -> tuple[str, str | None] | None:
        """(the number as a .cost file writes it, the unit written) of a time in this file's format."""
        if self._canonical_numbers:
            match = _TIME.fullmatch(text)
            return (match.group(1), match.group(2)) if match else None
        match = _TIME_WRITTEN.fullmatch(text)
        if match is None:
            return None
        number = self._number(match.group(1))
        if number is None or number[:1] in "+-":
            return None
        return number, match.group(2)

    def entry_number(self, row: Row, name: str, *, required: bool = False) -> int | None:
        """A ledger entry's number: 1, 2, 3 ..."""
        text = row.text(name)
        if not text:
            if required:
                self._missing(row, name)
            return None
        if not _ENTRY_NUMBER.fullmatch(text):
            self.error(
                "csv-bad-number",
                f"{name} {text!r} is not an entry number",
                row.cell_span(name),
                "write the entry number, 1, 2, 3 ... (entries are numbered per item in row order)",
            )
            return None
        if self._problem(values.number_size(Decimal(text)), row, name):
            return None
        return int(text)


_UNIT_NAMES = {"s": "seconds", "min": "minutes", "h": "hours", "d": "days"}


def _separator_name(separator: str) -> str:
    return {"": "none", " ": "space"}.get(separator, separator)


def _compiled_dates(pattern: str) -> DateFormat | None:
    """The reader of a file's date format; None for YYYY-MM-DD, read as such."""
    if pattern == CANONICAL.date:
        return None
    compiled = date_format(pattern)
    if isinstance(compiled, str):  # the mapping's date-format is checked when csv.rules is read
        raise ValueError(f"the date format {pattern!r} was not checked: {compiled}")
    return compiled


# ---------------------------------------------------------------- records with positions


class _MalformedError(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


class _Record(NamedTuple):
    """One CSV record: the :mod:`csv` module's values and the physical lines it read them from."""

    file: str
    line: int  # its first line
    values: list[str]
    lines: list[str]
    separator: str = ","

    @property
    def span(self) -> Span:
        """The record's first line, column 1 to its end."""
        return Span(self.file, self.line, 1, self.line, len(self.lines[0].rstrip("\r\n")) + 1 if self.lines else 1)

    def places(self) -> list[tuple[int, int, int]]:
        """(line, start column, end column) of each cell (quoted separators and newlines respected)."""
        if len(self.lines) == 1 and '"' not in self.lines[0]:  # the common case: a cell between two separators
            places, column = [], 1
            for part in self.lines[0].rstrip("\r\n").split(self.separator):
                places.append((self.line, column, column + max(len(part), 1)))
                column += len(part) + 1
            return places
        return [
            (line, start, max(end, start + 1))
            for line, start, end in _cell_starts(self.lines, self.line, self.separator)
        ]

    def cells(self) -> list[Cell]:
        places = self.places()
        return [Cell(value.strip(), self._span(places, i)) for i, value in enumerate(self.values)]

    def _span(self, places: list[tuple[int, int, int]], index: int) -> Span:
        if index >= len(places):
            return self.span
        line, start, end = places[index]
        return Span(self.file, line, start, line, end)


def _records(text: str, file: str, separator: str = ",") -> Iterator[_Record]:
    """The records of a CSV text with the physical lines each was read from."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    first = 1
    while True:
        try:
            values_ = next(reader, None)
        except csv.Error as error:
            raise _MalformedError(first, str(error)) from None
        if values_ is None:
            return
        last = reader.line_num
        yield _Record(file, first, values_, lines[first - 1 : last], separator)
        first = last + 1


def _cell_starts(lines: list[str], first: int, separator: str = ",") -> list[tuple[int, int, int]]:
    """(line, start column, end column) of each cell of one record spread over ``lines``."""
    cells: list[tuple[int, int, int]] = []
    line, column, start, quoted = first, 1, (first, 1), False
    for physical in lines:
        for char in physical:
            if char in "\r\n":
                break
            if char == '"':
                quoted = not quoted
            elif char == separator and not quoted:
                cells.append((*start, column if start[0] == line else start[1] + 1))
                start = (line, column + 1)
            column += 1
        if quoted:  # a quoted newline: the cell goes on on the next line
            line, column = line + 1, 1
    cells.append((*start, column if start[0] == line else start[1] + 1))
    return cells
