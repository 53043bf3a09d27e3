"""Reports in the formats people use: tables in the terminal, CSV, Excel workbooks.

A report is format-neutral data (:mod:`.model`): a title, subtitle lines and
named *parts* (a sheet of a workbook, a CSV file, a table in the terminal),
each a table whose columns are typed (text, Decimal amount, quantity,
percentage, whole number) and whose rows carry a level (indentation, outline)
and a style (plain, bold, heading).  The builders turn the engines' results
into reports (:func:`calculation_report`, :func:`price_list_report`,
:func:`valuation_report`, :func:`diff_report`, :func:`where_used_report`,
:func:`worksheet_report`, :func:`whatif_report`, :func:`simulation_report`); the
writers write any report:

    from costsheet.reports import Column, Kind, Part, Report, Row, write_report

    report = Report("Standard costs", (
        Part("costs", "Standard costs", (Column("item", "Item"), Column("cost", "Unit cost", Kind.AMOUNT)),
             [Row(("ICO-0001", Decimal("382.06752")))]),
    ))
    write_report(report, "xlsx", "costs.xlsx")   # one sheet per part
    write_report(report, "csv", "costs.csv")     # one file per part: costs.csv (first), STEM.PART.csv
    write_report(report, "table")                # the terminal

Rows may be a generator: every writer reads them once, in order, and streams
(the workbook in openpyxl's write-only mode), so memory does not grow with the
rows.  openpyxl (the ``xlsx`` extra) is imported only when a workbook is
written.  docs/reports.md describes the formats, their columns and limits.
"""

from __future__ import annotations

from .build import (
    TREE_FILE_ROWS,
    TREE_ROWS,
    bom_shares,
    calculation_report,
    diff_report,
    price_list_report,
    valuation_report,
    where_used_report,
)
from .lines import PlainTable
from .model import Column, Decimals, Kind, Part, Report, Row, Style, Value
from .planning import STATISTICS, simulation_report, whatif_report, worksheet_report
from .text import TABLE_WIDTH, align_on_point
from .write import EXTENSIONS, FORMATS, ReportError, csv_paths, format_of, replacing, write_report

__all__ = [
    "Report",
    "PlainTable",
    "Part",
    "Column",
    "Row",
    "Kind",
    "Style",
    "Decimals",
    "Value",
    "write_report",
    "format_of",
    "csv_paths",
    "FORMATS",
    "EXTENSIONS",
    "ReportError",
    "replacing",
    "align_on_point",
    "TABLE_WIDTH",
    "calculation_report",
    "price_list_report",
    "bom_shares",
    "TREE_ROWS",
    "TREE_FILE_ROWS",
    "valuation_report",
    "diff_report",
    "where_used_report",
    "worksheet_report",
    "whatif_report",
    "simulation_report",
    "STATISTICS",
]
