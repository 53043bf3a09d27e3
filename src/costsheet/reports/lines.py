"""A long table of plain text printed line by line: the terminal table of ``costsheet calc --all``.

rich lays a table out only when it has every row, as objects of its own, and
then row by row: for 100,000 items that took two and a half minutes and 250 MB
beside the costing (docs/reports.md, "Size and speed").  A :class:`PlainTable`
keeps its rows as tuples of strings; rich prints the header at column widths
fixed by every row, and each row after it is one line formatted as rich formats
a row of that table (a space either side of each cell, ``│`` between cells,
each cell padded to its column's width in terminal cells).  Printed this way
the table is character for character what rich prints (a property test holds
the two together); where it could differ (a cell with a tab or another control
character, which rich expands, or a table wider than the terminal, which rich
folds to fit) rich prints the whole table, as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = ["PlainTable"]

#: Lines written to the console's stream at a time.
_BATCH = 2_000


@attrs.frozen
class PlainTable:
    """A table of plain text: ``headers`` and ``rows`` of cells as shown (left-justified; numbers already
    aligned on their decimal points, see :func:`~.text.align_on_point`); no styles, no sections."""

    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]

    def widths(self) -> list[int]:
        """Each column's width in terminal cells: its widest cell or its header."""
        return self._measure()[0]

    def _measure(self) -> tuple[list[int], bool]:
        """The column widths and whether every cell and header is printable, in one pass over the rows."""
        from rich.cells import cell_len

        widths = [cell_len(header) for header in self.headers]
        printable = all(header.isprintable() for header in self.headers)
        for row in self.rows:
            for index, cell in enumerate(row):
                width = cell_len(cell)
                if width > widths[index]:
                    widths[index] = width
                if printable and not cell.isprintable():
                    printable = False
        return widths, printable

    def rich(self, widths: Sequence[int] | None = None, rows: Sequence[tuple[str, ...]] | None = None) -> Table:
        """The table as rich lays it out (the rows ``rows``, default all), columns ``widths`` wide if given."""
        from rich.table import Table
        from rich.text import Text

        table = Table(show_edge=False, header_style="bold")
        for index, header in enumerate(self.headers):
            table.add_column(header, width=None if widths is None else widths[index])
        for row in self.rows if rows is None else rows:
            table.add_row(*(Text(cell) for cell in row))
        return table

    def lines(self, widths: Sequence[int]) -> Iterator[str]:
        """Each row as the line rich prints for it at column widths ``widths``."""
        from rich.cells import cell_len

        for row in self.rows:
            cells = (cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True))
            yield " " + " │ ".join(cells) + " "

    def print(self, console: Console) -> None:
        """Print to ``console``: the header by rich, then the rows line by line; or, where the lines could
        differ from rich's (see the module), the whole table by rich.  A console that is no terminal (a
        file, a pipe) has no width to fold the table to: the table is printed as wide as it is."""
        widths, printable = self._measure()
        total = sum(widths) + 3 * len(widths) - 1  # a space either side of each column, a rule between
        if not console.is_terminal and total > console.width:
            console.width = total
        if total > console.width or not printable:
            console.print(self.rich())
            return
        console.print(self.rich(widths, rows=()))  # the header and its rule
        stream = console.file
        lines = self.lines(widths)
        while batch := list(islice(lines, _BATCH)):
            stream.write("\n".join(batch) + "\n")
        stream.flush()
