"""What a report is: named parts (sheets) of tables whose columns are typed.

A :class:`Report` holds :class:`Part` s; a part has :class:`Column` s and
:class:`Row` s.  A column's :class:`Kind` says what its cells hold (text, a
Decimal amount, a quantity, a percentage, a whole number) and so how each
writer shows it; a row carries its values and how it is set off: a ``level``
(the indentation of the part's first text column, and the outline level in a
workbook) and a :class:`Style` (plain, bold or a heading).

The rows of a part may be any iterable, a generator included: the writers
read them once, in order, so a report of 100,000 rows never has to be held in
memory (the writers stream).  Everything else is frozen.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

__all__ = ["Kind", "Style", "Column", "Row", "Part", "Report", "Decimals", "Value"]

#: What a cell holds: text, a number (Decimal for amounts, quantities and percentages; int for whole
#: numbers), or nothing.
Value = str | Decimal | int | None


class Kind(str, enum.Enum):
    """What the cells of a column hold."""

    TEXT = "text"
    AMOUNT = "amount"  # Decimal, shown with the setup's `decimals amounts`
    QUANTITY = "quantity"  # Decimal, shown with the setup's `decimals quantities`
    PERCENT = "percent"  # Decimal, a percentage (12.5 is 12.5 %), shown with 2 decimals
    INTEGER = "integer"  # int: a line number, a level, a count

    @property
    def numeric(self) -> bool:
        return self is not Kind.TEXT


class Style(str, enum.Enum):
    """How a row is set off: a heading of the chart, a bold line (totals, the unit cost), or neither."""

    PLAIN = "plain"
    BOLD = "bold"
    HEADING = "heading"


@attrs.frozen
class Column:
    """A column: ``key`` names it in CSV headers (snake_case, stable), ``header`` in tables and workbooks;
    an ``optional`` column is left out of a terminal table too narrow for it (files always have it)."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    optional: bool = False


@attrs.frozen
class Row:
    """One row: a value per column (None: empty), its level (0 at the top) and its style."""

    values: tuple[Value, ...]
    level: int = 0
    style: Style = Style.PLAIN


@attrs.frozen
class Decimals:
    """How many decimals numbers show (at least, at most): the setup's ``decimals amounts`` and
    ``decimals quantities``.  The cells keep every digit; this is only how they are shown."""

    amounts: tuple[int, int] = (2, 5)
    quantities: tuple[int, int] = (0, 5)

    def of(self, kind: Kind) -> tuple[int, int]:
        if kind is Kind.AMOUNT:
            return self.amounts
        if kind is Kind.QUANTITY:
            return self.quantities
        if kind is Kind.PERCENT:
            return (2, 2)
        return (0, 0)


@attrs.frozen
class Part:
    """One table of a report: a sheet of a workbook, a CSV file, a table in the terminal.

    ``name`` is its short, stable name (``breakdown``, ``charges``, ``bom`` ...: a sheet's name, the
    suffix of its CSV file, what ``--part`` takes); ``title`` is shown above it; ``notes`` below it
    (e.g. how many rows a limit left out).  ``levels`` says whether the rows' levels mean something
    (a tree, the chart's indentation): CSV then has a ``level`` column first; ``outline`` that a workbook
    groups the rows by level (Excel's outline, for a tree); ``indent`` the key of the column a row's
    level indents (default: the first text column).  ``rows`` are read once.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Iterable[Row] = attrs.field(eq=False)
    notes: tuple[str, ...] = ()
    levels: bool = False
    outline: bool = False
    indent: str | None = None

    @property
    def indented(self) -> int | None:
        """The index of the column a row's level indents (None: the part has no text column)."""
        for index, column in enumerate(self.columns):
            if column.key == self.indent if self.indent is not None else column.kind is Kind.TEXT:
                return index
        return None


@attrs.frozen
class Report:
    """A report: a title, lines under it (``subtitle``), its parts in order and how numbers are shown."""

    title: str
    parts: tuple[Part, ...]
    subtitle: tuple[str, ...] = ()
    decimals: Decimals = Decimals()

    def part(self, name: str) -> Part:
        """The part called ``name``; ``KeyError`` if there is none."""
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(part.name for part in self.parts)
