"""Downloads of the views of ``costsheet web``: one function from a :class:`~.views.Table` to a file.

CSV and xlsx go through the report layer (:func:`costsheet.reports.write_report`, docs/reports.md):
the table becomes a one-part report whose numeric columns (``Table.kinds``) hold Decimals, so CSV
has every digit and a workbook numeric cells.  JSON is the table's rows as objects.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from ...jsontext import json_text
from ...reports import Column, Kind, Part, Report, Row, Value, write_report
from .views import Table

__all__ = ["FORMATS", "render", "report_of"]

#: download format -> media type
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(text: str | None, kind: Kind) -> Value:
    """A view's text as the cell its column's kind holds (a text that is no number stays text)."""
    if text is None or not kind.numeric:
        return text
    try:
        return int(text) if kind is Kind.INTEGER else Decimal(text)
    except (ValueError, InvalidOperation):
        return text


def report_of(table: Table) -> Report:
    """``table`` as a report of one part, named after the view."""
    kinds = tuple(table.kind(column) for column in table.columns)
    rows = tuple(Row(tuple(_cell(text, kind) for text, kind in zip(row, kinds, strict=True))) for row in table.rows)
    columns = tuple(Column(name, name, kind) for name, kind in zip(table.columns, kinds, strict=True))
    return Report(table.name, (Part(table.name, table.name, columns, rows),))


def _csv(table: Table) -> bytes:
    out = io.StringIO(newline="")
    write_report(report_of(table), "csv", out)
    return out.getvalue().encode("utf-8")


def _xlsx(table: Table) -> bytes:
    out = io.BytesIO()
    write_report(report_of(table), "xlsx", out)
    return out.getvalue()


def _json(table: Table) -> bytes:
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    return json_text({"view": table.name, "rows": rows}).encode("utf-8")


_WRITERS = {"csv": _csv, "json": _json, "xlsx": _xlsx}


def render(table: Table, fmt: str) -> tuple[bytes, str]:
    """``(content, media type)`` of ``table`` as ``fmt`` (one of :data:`FORMATS`)."""
    return _WRITERS[fmt](table), FORMATS[fmt]
