"""Downloads of the views of ``costsheet web``: one function from a :class:`~.views.Table` to a file.

CSV and JSON now; an xlsx writer plugs in here (:data:`FORMATS`) once the report layer
has one, and every page's download link offers it without further change.
"""

from __future__ import annotations

import csv
import io

from ...jsontext import json_text
from .views import Table

__all__ = ["FORMATS", "render"]

#: download format -> media type
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _csv(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
    return out.getvalue().encode("utf-8")


def _json(table: Table) -> bytes:
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    return json_text({"view": table.name, "rows": rows}).encode("utf-8")


_WRITERS = {"csv": _csv, "json": _json}


def render(table: Table, fmt: str) -> tuple[bytes, str]:
    """``(content, media type)`` of ``table`` as ``fmt`` (one of :data:`FORMATS`)."""
    return _WRITERS[fmt](table), FORMATS[fmt]
