"""A report as an Excel workbook (openpyxl, imported only here): one sheet per part.

Each sheet has the report's title and subtitle lines, the part's title, a bold
header row that stays in view (frozen panes), then the rows: numbers as numeric
cells (doubles: about 15 significant digits, so CSV or JSON for exact values)
with number formats from the report's :class:`~.model.Decimals`, bold and
heading rows in bold (headings underlined), the level of a row as the
indentation of the part's first text column and, for a part with
``outline`` set, as the row's outline level (Excel has 7: deeper rows stay at 7,
their indentation still tells).  Column widths fit the header and the first
:data:`WIDTH_ROWS` rows.

The workbook is written in openpyxl's write-only mode: rows go to the file as
they come, so a sheet of 100,000 rows is never held in memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from ..numbers import quantize_display
from .model import Decimals, Kind, Part, Report, Row, Style

__all__ = ["write_xlsx", "number_format", "OUTLINE_LEVELS", "WIDTH_ROWS", "MAX_ROWS"]

#: Excel's outline levels: rows deeper than this keep the deepest.
OUTLINE_LEVELS = 7
#: The rows read ahead to fit the column widths (the rest are streamed).
WIDTH_ROWS = 1000
#: The rows a sheet holds at most (Excel's own limit); a part with more rows is cut here, with a note.
MAX_ROWS = 1_048_576
_MAX_WIDTH = 60
_MAX_INDENT = 15


def number_format(kind: Kind, decimals: Decimals) -> str:
    """Excel's number format for a column: thousands separators, at least ``low`` and at most ``high``
    decimals (``#,##0.00###`` for 2:5); whole numbers and ``0:N`` quantities, which would show a
    trailing point in Excel, as ``General`` with a thousands separator when whole."""
    if kind is Kind.INTEGER:
        return "0"
    low, high = decimals.of(kind)
    if high == 0:
        return "#,##0"
    if low == 0:
        return "General"
    return "#,##0." + "0" * low + "#" * (high - low)


def write_xlsx(report: Report, destination: str | IO[bytes]) -> None:
    """Write ``report`` to ``destination`` (a path or a binary stream), streaming every part's rows;
    ``ReportError`` (``xlsx-unavailable``) when openpyxl is not installed."""
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped]
    except ImportError:
        from .write import ReportError

        raise ReportError(
            "xlsx-unavailable",
            "writing a workbook needs openpyxl, which is not installed",
            "install it with: pip install 'costsheet[xlsx]' (or use --format csv)",
        ) from None

    workbook = Workbook(write_only=True)
    for part in report.parts:
        _sheet(workbook, report, part)
    workbook.save(destination)


class _Styles:
    """The fonts, alignments and formats a sheet uses, made once."""

    def __init__(self, report: Report, part: Part) -> None:
        from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

        self.alignment = Alignment
        self.bold = Font(bold=True)
        self.heading = Font(bold=True, underline="single")
        self.title = Font(bold=True, size=13)
        self.formats = [number_format(c.kind, report.decimals) if c.kind.numeric else None for c in part.columns]
        self.indents: dict[int, Any] = {}

    def font(self, style: Style) -> Any:
        return self.bold if style is Style.BOLD else self.heading if style is Style.HEADING else None

    def indent(self, level: int) -> Any:
        level = min(level, _MAX_INDENT)
        if level not in self.indents:
            self.indents[level] = self.alignment(indent=level)
        return self.indents[level]


def _sheet(workbook: Any, report: Report, part: Part) -> None:
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.dimensions import RowDimension  # type: ignore[import-untyped]
    from openpyxl.worksheet.properties import Outline  # type: ignore[import-untyped]

    sheet = workbook.create_sheet(_sheet_title(part.name))
    styles = _Styles(report, part)
    columns = part.columns
    indented = part.indented
    rows = iter(part.rows)
    ahead = list(itertools.islice(rows, WIDTH_ROWS))
    for index, width in enumerate(_widths(report, part, ahead, indented), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    top = [report.title, *report.subtitle, "", part.title]
    header_row = len(top) + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    if part.outline:
        sheet.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=False)

    def cell(value: Any, font: Any = None, number: str | None = None, alignment: Any = None) -> Any:
        made = WriteOnlyCell(sheet, value)
        if font is not None:
            made.font = font
        if number is not None:
            made.number_format = number
        if alignment is not None:
            made.alignment = alignment
        return made

    sheet.append([cell(report.title, styles.title)])
    for line in top[1:]:
        sheet.append([cell(line, styles.bold if line == part.title else None)])
    sheet.append([cell(c.header, styles.bold) for c in columns])
    number = header_row
    limit = MAX_ROWS - len(part.notes) - 2
    left_out = 0
    for row in itertools.chain(ahead, rows):
        if number >= limit:
            left_out += 1
            continue
        number += 1
        if part.outline and row.level:
            sheet.row_dimensions[number] = RowDimension(
                sheet, index=number, outlineLevel=min(row.level, OUTLINE_LEVELS)
            )
        sheet.append(_cells(row, styles, indented, cell))
    notes = list(part.notes)
    if left_out:
        notes.append(f"{left_out:,} more rows not written: a sheet holds at most {MAX_ROWS:,} rows")
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([note])


def _cells(row: Row, styles: _Styles, indented: int | None, cell: Any) -> list[Any]:
    font = styles.font(row.style)
    out: list[Any] = []
    for index, value in enumerate(row.values):
        form = styles.formats[index]
        if value is None:
            out.append(None)
        elif form is not None and isinstance(value, Decimal):
            out.append(cell(float(value), font, form))
        elif form is not None and isinstance(value, int):
            out.append(cell(value, font, form))
        elif index == indented and row.level:
            out.append(cell(value, font, None, styles.indent(row.level)))
        elif font is not None:
            out.append(cell(value, font))
        else:
            out.append(value)
    return out


def _widths(report: Report, part: Part, rows: Iterable[Row], indented: int | None) -> list[float]:
    widths = [len(c.header) for c in part.columns]
    for row in rows:
        for index, value in enumerate(row.values):
            if value is None:
                continue
            column = part.columns[index]
            if isinstance(value, Decimal) and column.kind.numeric:
                low, high = report.decimals.of(column.kind)
                text = quantize_display(value, low, high)
                size = len(text) + len(text.partition(".")[0]) // 3
            else:
                size = len(str(value))
            if index == indented:
                size += 2 * min(row.level, _MAX_INDENT)
            widths[index] = max(widths[index], size)
    return [min(width, _MAX_WIDTH) + 2 for width in widths]


def _sheet_title(name: str) -> str:
    """A sheet name Excel takes: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
