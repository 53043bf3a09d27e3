"""BOM and routing versions in CSV master data (docs/master-data.md, "Units, currencies, versions
and phantoms").

A line of ``bom.csv`` or ``routing.csv`` belongs to the item's undated BOM (routing) unless it
names its version: by its date in ``from`` (``bom from DATE { ... }`` in a ruleset), or by a
version code in ``version`` that ``bom-versions.csv`` (``routing-versions.csv``) dates, as
Business Central's Production BOM Version and Routing Version tables do:

``bom-versions.csv``      item, version, from
``routing-versions.csv``  item, version, from

Lines of one item and date form one version; a version of the file without lines is an empty
BOM (routing) from its date.  A version without a date is the undated one (valid from the
beginning): its lines and the lines that name no version are the same version.  Two versions
of one item with one date (or none), or one code given twice, are ``duplicate-version``; a
code the versions file does not have is ``unknown-version``; a line with both a ``version``
and a ``from`` is ``misplaced-field``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from ..syntax import nodes as n
from .table import Row, Sheet

__all__ = ["BOM_VERSIONS", "ROUTING_VERSIONS", "VERSION_FILES", "VERSION_COLUMNS", "Versions", "read_versions"]

BOM_VERSIONS = "bom-versions.csv"
ROUTING_VERSIONS = "routing-versions.csv"
#: file name -> (required columns, optional columns)
VERSION_FILES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    BOM_VERSIONS: (("item", "version"), ("from",)),
    ROUTING_VERSIONS: (("item", "version"), ("from",)),
}
#: the columns a line of bom.csv / routing.csv names its version with
VERSION_COLUMNS = ("version", "from")

Owner = Callable[[Sheet, Row], tuple[str, object]]


class Versions:
    """The dated versions of one versions file (``bom`` or ``routing``): (item, code) -> date, and the
    version date of a line of bom.csv / routing.csv."""

    def __init__(self, keyword: str, dates: dict[tuple[str, str], dt.date | None]):
        self.keyword = keyword
        self.dates = dates

    def of_line(self, sheet: Sheet, row: Row, item: str) -> tuple[bool, dt.date | None]:
        """``(ok, date)`` of a line: its ``from``, the date of its ``version``, or None (undated);
        not ok (reported) when the version is unknown or both are given."""
        version, written = row.text("version"), row.text("from")
        if version and written:
            sheet.error(
                "misplaced-field",
                f"a {self.keyword} line of item {item} gives both a version ({version}) and a date ({written})",
                row.cell_span("from"),
                f"name its version in one way: its code (dated in {self.keyword}-versions.csv) or its date",
            )
            return False, None
        if written:
            starting = sheet.date(row, "from")
            return starting is not None, starting
        if not version:
            return True, None
        code = sheet.code(row, "version")
        if (item, version) not in self.dates:
            known = sorted(code for owner, code in self.dates if owner == item)
            sheet.error(
                "unknown-version",
                f"item {item} has no {self.keyword} version {version} in {self.keyword}-versions.csv",
                code.span if code is not None else row.cell_span("version"),
                f"add the row {item},{version},YYYY-MM-DD to {self.keyword}-versions.csv"
                + (f" (its versions: {', '.join(known)})" if known else "")
                + ", or leave version empty for the undated one",
            )
            return False, None
        return True, self.dates[(item, version)]


def read_versions(sheets: list[Sheet], keyword: str, owner: Owner) -> Versions:
    """The versions of ``bom-versions.csv`` or ``routing-versions.csv`` files (``keyword``: bom, routing)."""
    dates: dict[tuple[str, str], dt.date | None] = {}
    first_code: dict[tuple[str, str], Row] = {}
    first_date: dict[tuple[str, dt.date | None], tuple[n.Code, Row]] = {}
    name = BOM_VERSIONS if keyword == "bom" else ROUTING_VERSIONS
    for sheet in sheets:
        for row in sheet.rows(*VERSION_FILES[name]):
            item, found = owner(sheet, row)
            code = sheet.code(row, "version", required=True)
            starting = sheet.date(row, "from")
            if not found or code is None or (starting is None and row.text("from")):
                continue  # an unreadable date: reported at its cell
            earlier = first_code.setdefault((item, code.text), row)
            same_date = first_date.setdefault((item, starting), (code, row))
            if earlier is not row or same_date[1] is not row:
                line = (earlier if earlier is not row else same_date[1]).line
                when = "without a date" if starting is None else f"from {starting}"
                what = f"version {code.text} twice" if earlier is not row else f"two versions {when}"
                sheet.error(
                    "duplicate-version",
                    f"item {item} has {what} in {name} (the first is on line {line})",
                    code.span if earlier is not row else row.cell_span("from"),
                    f"give each `{keyword}` version of an item its own code and its own date",
                )
                continue
            dates[(item, code.text)] = starting
    return Versions(keyword, dates)
