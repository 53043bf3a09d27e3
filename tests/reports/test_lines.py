"""A long table printed line by line (costsheet.reports.PlainTable) is what rich prints for it."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from costsheet.reports import PlainTable

#: mostly what a ruleset's codes, descriptions and amounts hold (letters, marks, wide characters, spaces),
#: sometimes anything (control characters: rich prints those tables itself)
printable = st.characters(categories=("L", "M", "N", "P", "S", "Zs"))
anything = st.characters(codec="utf-8", exclude_categories=("Cs",))
cells = st.text(st.one_of(printable, printable, printable, anything), max_size=12)


@st.composite
def tables(draw: st.DrawFn) -> PlainTable:
    columns = draw(st.integers(1, 5))
    headers = tuple(draw(st.lists(cells.filter(bool), min_size=columns, max_size=columns)))
    rows = draw(st.lists(st.tuples(*[cells] * columns), max_size=15))
    return PlainTable(headers, rows)


def _printed(table: PlainTable, *, terminal: bool, width: int) -> tuple[str, str]:
    """What PlainTable.print writes, and what rich writes for the same table on the same console (for a
    console that is no terminal: at the table's own width when it is wider, as PlainTable prints it)."""

    def console(stream: io.StringIO, width: int) -> Console:
        return Console(file=stream, width=width, force_terminal=terminal, no_color=not terminal, highlight=False)

    ours, theirs = io.StringIO(), io.StringIO()
    table.print(console(ours, width))
    natural = sum(table.widths()) + 3 * len(table.headers) - 1
    console(theirs, width if terminal else max(width, natural)).print(table.rich())
    return ours.getvalue(), theirs.getvalue()


@given(tables(), st.booleans(), st.integers(10, 120))
def test_lines_are_what_rich_prints(table: PlainTable, terminal: bool, width: int) -> None:
    ours, theirs = _printed(table, terminal=terminal, width=width)
    assert ours == theirs


def test_a_table_of_the_demo_kind() -> None:
    """Wide characters count two cells; the numbers keep their alignment spaces."""
    table = PlainTable(
        ("Item", "Description", " Unit cost"),
        [("ICO-0001", "Racing bike", "382.06752"), ("B", "Ŵheel 日本", "  1.2    ")],
    )
    ours, theirs = _printed(table, terminal=False, width=250)
    assert ours == theirs
    assert ours.splitlines()[3] == " B        │ Ŵheel 日本  │   1.2      "


def test_a_terminal_too_narrow_gets_rich_folding() -> None:
    table = PlainTable(("Item", "Description"), [("ICO-0001", "a description far wider than the terminal")])
    ours, theirs = _printed(table, terminal=True, width=30)
    assert ours == theirs
    assert max(cell_len(Text.from_ansi(line).plain) for line in ours.splitlines()) <= 30
