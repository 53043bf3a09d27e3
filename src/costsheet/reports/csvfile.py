"""A part of a report as CSV: one table per file.

The first line names the columns by their keys (``Column.key``); a part whose
rows have levels (a tree, the chart's indentation) has a ``level`` column
first.  Numbers are written exactly as the results hold them (every digit,
``.`` as the decimal point, no thousands separators, no exponent), so they read
back equal to the JSON's strings; text as it is; an empty cell is empty.  Lines
end in CRLF (RFC 4180, as Python's :mod:`csv` writes); the text is UTF-8.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import IO

from ..numbers import to_text
from .model import Part, Value

__all__ = ["write_csv"]


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return to_text(value)
    return str(value)


def write_csv(part: Part, stream: IO[str]) -> None:
    """Write ``part`` to ``stream`` (opened with ``newline=""``), reading its rows once."""
    writer = csv.writer(stream)
    header = [column.key for column in part.columns]
    writer.writerow(["level", *header] if part.levels else header)
    if part.levels:
        writer.writerows([row.level, *map(_cell, row.values)] for row in part.rows)
    else:
        writer.writerows(list(map(_cell, row.values)) for row in part.rows)
