"""The report layer on its own: typed parts written as CSV, workbooks and tables, streamed, with the
errors a caller can meet (costsheet.reports, docs/reports.md "From Python")."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from costsheet.reports import (
    Column,
    Decimals,
    Kind,
    Part,
    Report,
    ReportError,
    Row,
    Style,
    csv_paths,
    format_of,
    write_report,
)
from costsheet.reports.xlsxfile import WIDTH_ROWS, number_format

from .support import close, csv_file, sheet_rows

COLUMNS = (
    Column("item", "Item"),
    Column("qty", "Quantity", Kind.QUANTITY),
    Column("cost", "Unit cost", Kind.AMOUNT),
    Column("share", "%", Kind.PERCENT),
    Column("line", "Line", Kind.INTEGER),
)


def _report(rows, *, notes=()) -> Report:
    return Report(
        "Costs",
        (
            Part("costs", "Costs per item", COLUMNS, rows, notes),
            Part("other", "Another part", (Column("text", "Text"),), (Row(("x",)),)),
        ),
        ("as of today",),
        Decimals((2, 5), (0, 3)),
    )


ROWS = (
    Row(("A", Decimal("1.5"), Decimal("382.067519342720"), Decimal("12.5"), 1)),
    Row(("B", None, Decimal("-0.000000000001"), None, 2), level=1),
    Row(("Total", Decimal("1234567.125"), Decimal("98765432109.123456789012"), Decimal("100"), None), style=Style.BOLD),
)


def test_csv_keeps_every_digit_and_writes_one_file_per_part(tmp_path):
    written = write_report(_report(ROWS), "csv", tmp_path / "out.csv")
    assert written == (tmp_path / "out.csv", tmp_path / "out.other.csv")
    assert csv_paths(_report(ROWS), tmp_path / "out.csv")["other"] == tmp_path / "out.other.csv"
    raw = (tmp_path / "out.csv").read_bytes().decode("utf-8")
    assert raw.splitlines()[0] == "item,qty,cost,share,line" and "\r\n" in raw
    rows = csv_file(tmp_path / "out.csv")
    assert [r["cost"] for r in rows] == ["382.067519342720", "-0.000000000001", "98765432109.123456789012"]
    assert rows[1]["qty"] == "" and rows[2]["line"] == ""


def test_csv_to_a_stream_is_one_part():
    with pytest.raises(ReportError) as error:
        write_report(_report(ROWS), "csv", io.StringIO())
    assert error.value.code == "unknown-part" and "--part" in error.value.hint
    stream = io.StringIO()
    write_report(_report(ROWS), "csv", stream, part="other")
    assert stream.getvalue() == "text\r\nx\r\n"
    with pytest.raises(ReportError, match="no part nothing"):
        write_report(_report(ROWS), "csv", io.StringIO(), part="nothing")


def test_a_workbook_has_numeric_cells_formats_styles_and_a_sheet_per_part(tmp_path):
    import openpyxl

    path = tmp_path / "out.xlsx"
    assert write_report(_report(ROWS, notes=("a note",)), "xlsx", path) == (path,)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["costs", "other"]
    sheet = book["costs"]
    assert [sheet.cell(n, 1).value for n in range(1, 5)] == ["Costs", "as of today", None, "Costs per item"]
    assert sheet.freeze_panes == "A6"
    first = sheet[6]
    assert isinstance(first[2].value, float) and first[2].number_format == "#,##0.00###"
    assert first[1].number_format == "General" and first[3].number_format == "#,##0.00" and first[4].value == 1
    assert sheet[7][0].alignment.indent == 1 and not sheet[7][0].font.b
    assert all(cell.font.b for cell in sheet[8] if cell.value is not None)
    values = sheet_rows(path, "costs")
    for row, expected in zip(values, ROWS, strict=True):
        assert close(row["Unit cost"], str(expected.values[2]))
    assert sheet.cell(10, 1).value == "a note"


def test_a_workbook_streams_to_a_binary_stream_and_fits_widths_to_the_first_rows():
    import openpyxl

    made = []

    def rows():
        for n in range(WIDTH_ROWS + 500):
            made.append(n)
            yield Row(("x" * (5 if n < WIDTH_ROWS else 50), Decimal(n), Decimal(n), None, n))

    stream = io.BytesIO()
    write_report(_report(rows()), "xlsx", stream, part="costs")
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    sheet = book["costs"]
    assert sheet.max_row == 5 + WIDTH_ROWS + 500 and len(made) == WIDTH_ROWS + 500
    assert sheet.column_dimensions["A"].width == len("Item") + 3  # five x's: the 50 came after the first rows


def test_rows_are_read_once_and_a_failure_leaves_no_file(tmp_path):
    def rows():
        yield ROWS[0]
        raise RuntimeError("the engine failed half way")

    for fmt, name in (("csv", "out.csv"), ("xlsx", "out.xlsx"), ("table", "out.txt")):
        with pytest.raises(RuntimeError):
            write_report(_report(rows()), fmt, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_the_table_writer_indents_aligns_and_shows_the_notes():
    stream = io.StringIO()
    write_report(_report(ROWS, notes=("2 more rows not shown",)), "table", stream)
    text = stream.getvalue()
    assert "Costs per item" in text and "Another part" in text and "2 more rows not shown" in text
    lines = [line for line in text.splitlines() if "│" in line]
    assert lines[1].split("│")[0].startswith("   B")  # one level in: two spaces
    assert "382.06752" in text and "98765432109.12346" in text
    points = {line.index(".", line.index("│", line.index("│") + 1)) for line in lines[:3]}
    assert len(points) == 1  # the decimal points of the cost column line up


@pytest.mark.parametrize("name, fmt", [("a.csv", "csv"), ("b.XLSX", "xlsx"), ("c.json", "json"), ("d.txt", "table")])
def test_the_extension_names_the_format(name, fmt):
    assert format_of(name) == fmt


@pytest.mark.parametrize("name", ["report.pdf", "report", "archive.csv.gz"])
def test_an_unknown_extension_is_an_error_with_a_hint(name):
    with pytest.raises(ReportError) as error:
        format_of(name)
    assert error.value.code == "output-format-unknown" and ".xlsx" in error.value.hint


def test_writing_into_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(ReportError) as error:
        write_report(_report(ROWS), "csv", tmp_path / "missing" / "out.csv")
    assert error.value.code == "output-unwritable" and "missing" in error.value.message


def test_number_formats_follow_the_decimals():
    decimals = Decimals((2, 5), (0, 3))
    assert number_format(Kind.AMOUNT, decimals) == "#,##0.00###"
    assert number_format(Kind.AMOUNT, Decimals((2, 2))) == "#,##0.00"
    assert number_format(Kind.QUANTITY, decimals) == "General"
    assert number_format(Kind.QUANTITY, Decimals((2, 5), (0, 0))) == "#,##0"
    assert number_format(Kind.INTEGER, decimals) == "0"


def test_a_workbook_needs_a_destination():
    with pytest.raises(ReportError) as error:
        write_report(_report(ROWS), "xlsx")
    assert error.value.code == "output-needs-file"
    with pytest.raises(ValueError, match="unknown report format"):
        write_report(_report(ROWS), "pdf", io.StringIO())


def test_a_narrow_terminal_leaves_out_the_optional_columns_and_says_so():
    from rich.console import Console

    from costsheet.reports.text import render

    columns = (Column("item", "Item"), *(Column(f"e{n}", f"E{n}", Kind.AMOUNT, optional=True) for n in range(12)))
    rows = (Row(("A", *(Decimal("1234.5") for _ in range(12)))),)
    report = Report("Wide", (Part("wide", "Wide", columns, rows),))

    def shown(width: int) -> str:
        console = Console(width=width, no_color=True, record=True, file=io.StringIO())
        console.print(render(report, width))
        return console.export_text()

    wide, narrow = shown(250), shown(60)
    assert "E11" in wide and "left out" not in wide
    assert "E11" not in narrow.splitlines()[2] and "E0" in narrow
    assert "more columns (E" in narrow and "--format csv or xlsx" in " ".join(narrow.split())
    assert max(len(line) for line in narrow.splitlines()[2:5]) <= 60
