"""A report as text tables for the terminal (rich): each part a table under its title.

Numbers are shown with the report's :class:`~.model.Decimals` and their decimal
points line up (:func:`align_on_point`); the level of a row indents the part's
first text column (two spaces a level, at most :data:`MAX_INDENT` levels:
deeper rows stay there, a level column tells); bold rows are bold, headings
bold and underlined.  Columns marked ``optional`` (the costing BOM's element columns) are left out,
from the right, where the table would be wider than the terminal, and a note says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from ..numbers import quantize_display
from .model import Column, Kind, Part, Report, Style

if TYPE_CHECKING:
    from rich.console import Group, RenderableType
    from rich.table import Table

__all__ = ["align_on_point", "render", "write_table", "MAX_INDENT", "TABLE_WIDTH"]

#: Rows deeper than this are not indented further.
MAX_INDENT = 8
#: The width of the tables written to a file or a pipe (a terminal has its own width).
TABLE_WIDTH = 250

_STYLE = {Style.PLAIN: "", Style.BOLD: "bold", Style.HEADING: "bold underline"}


def align_on_point(texts: Sequence[str], header: str = "") -> tuple[list[str], str]:
    """Numbers padded with spaces so that, right-aligned, their decimal points line up; and the header
    padded to the same width (right-aligned over them).

    ``["382.06752", "10.00", "7"]`` becomes ``["382.06752", " 10.00   ", "  7      "]``: the whole part
    right-aligned, the fraction left-aligned.  Empty texts stay empty.  Every text comes back as wide as
    the widest (or the header), so a left-justified column shows them as they are (a right-justified one
    would drop the spaces that stand in for missing decimals).
    """
    parts = [text.partition(".") for text in texts]
    whole = max((len(w) for w, _, _ in parts), default=0)
    fraction = max((len(point + f) for w, point, f in parts if w or point), default=0)
    width = max(whole + fraction, len(header))
    aligned = [
        (w.rjust(whole) + (point + f).ljust(fraction)).rjust(width) if w or point else "" for w, point, f in parts
    ]
    return aligned, header.rjust(width)


def _shown(value: object, kind: Kind, places: tuple[int, int]) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and kind.numeric:
        return quantize_display(value, *places)
    return str(value)


def _table(report: Report, part: Part, width: int | None) -> tuple[Table, str | None]:
    """The part as a rich table, and a note when optional columns were left out to fit ``width``."""
    from rich.table import Table
    from rich.text import Text

    columns = part.columns
    indented = part.indented
    body: list[tuple[list[str], str]] = []
    for row in part.rows:
        texts = [_shown(v, c.kind, report.decimals.of(c.kind)) for v, c in zip(row.values, columns, strict=True)]
        if indented is not None:
            texts[indented] = "  " * min(row.level, MAX_INDENT) + texts[indented]
        body.append((texts, _STYLE[row.style]))
    headers = []
    for index, column in enumerate(columns):
        header = column.header
        if column.kind.numeric:
            aligned, header = align_on_point([texts[index] for texts, _ in body], header)
            for (texts, _), text in zip(body, aligned, strict=True):
                texts[index] = text
        headers.append(header)
    shown = _fitting(columns, [max([len(h), *(len(t[i]) for t, _ in body)]) for i, h in enumerate(headers)], width)
    table = Table(show_edge=False, header_style="bold")
    for index in shown:
        table.add_column(headers[index])
    for texts, style in body:
        table.add_row(*(Text(texts[index], style=style) for index in shown))
    left_out = len(columns) - len(shown)
    note = None
    if left_out:
        note = (
            f"{left_out} more columns ({', '.join(c.header for i, c in enumerate(columns) if i not in shown)}) "
            f"left out to fit {width} characters: a wider terminal, or --format csv or xlsx, shows them"
        )
    return table, note


def _fitting(columns: tuple[Column, ...], widths: list[int], width: int | None) -> list[int]:
    """The columns that fit ``width`` (None: all): optional ones are dropped from the right until the table
    (each column, a space either side, a rule between) fits; the others always stay."""
    shown = list(range(len(columns)))
    if width is None:
        return shown

    def total() -> int:
        return sum(widths[i] + 2 for i in shown) + len(shown) - 1

    for index in reversed(range(len(columns))):
        if total() <= width:
            break
        if columns[index].optional:
            shown.remove(index)
    return shown


def render(report: Report, width: int | None = None) -> Group:
    """``report`` as one rich renderable: its title, subtitle lines, then each part and its notes; the
    optional columns that would make a table wider than ``width`` are left out, with a note."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [Text(report.title, style="bold"), *(Text(line) for line in report.subtitle)]
    for part in report.parts:
        parts.append(Text(part.title, style="italic"))  # above the table, not its title: never wrapped to its width
        table, note = _table(report, part, width)
        parts.append(table)
        parts.extend(Text(f"  {line}") for line in (*part.notes, *([note] if note else [])))
    return Group(*parts)


def write_table(report: Report, stream: IO[str] | None = None) -> None:
    """Print ``report`` as tables: to the terminal (``stream`` None: standard output, in colour where it
    is a terminal) or as plain text to ``stream``."""
    from rich.console import Console

    if stream is None:
        console = Console(highlight=False)
        if not console.is_terminal:  # piped or captured: do not squeeze the tables into 80 columns
            console.width = max(console.width, TABLE_WIDTH)
    else:
        console = Console(file=stream, width=TABLE_WIDTH, no_color=True, highlight=False)
    console.print(render(report, console.width))
