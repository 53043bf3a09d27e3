"""The ``bom`` part of CSV and workbooks with by-product credits and co-product shares as rows of
their own (docs/reports.md, "The costing BOM tree"), on the section-14 example on 2026-06-01.

By hand (tests/costing/test_joint_products.py works out the costs): BIKE's unit cost 76.76388,
rolled up 100: 52.46388, 200: 24.30. Under it, at level 1:

- SCRAP-AL, by-product: 0.25 per BIKE at its unit cost 1.20, a credit of 0.30 off element 100
  (P0's direct element): cost share -0.30, share % -0.30 / 76.76388 x 100 = -0.390808802265...;
- BIKE-KIT, co-product: 10% of 85.2932 = 8.52932, element by element 100: -5.82932 and 200: -2.70.

The part's rule holds on these rows too: a row's element columns add up to its cost share. And the
level-1 rows make the top row's element columns: 100 = FRAME 40 + RIM 10 + SPOKE 8.5932 - 0.30 -
5.82932 = 52.46388; 200 = BIKE's own capacity 27.00 - 2.70 = 24.30.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import costsheet
from costsheet.numbers import ZERO, D
from costsheet.reports import calculation_report, write_report

from .support import close, csv_file, run, sheet_rows

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "realism" / "section14.cost"
DATE = dt.date(2026, 6, 1)


def _report():
    loaded = costsheet.load(EXAMPLE.read_text(encoding="utf-8"), file=str(EXAMPLE))
    result, _ = loaded.calculate_with_diagnostics("BIKE", None, DATE, record=False)
    return calculation_report(loaded.model, result)


def test_the_csv_shows_the_credit_and_the_share_as_rows_whose_elements_add_up(tmp_path):
    out = run("calc", EXAMPLE, "BIKE", "--date", "2026-06-01", "--format", "csv", "--part", "bom", "--no-history")
    assert out.exit_code == 0, out.output
    write_report(_report(), "csv", tmp_path / "b.csv", part="bom")
    rows = {row["item"]: row for row in csv_file(tmp_path / "b.csv")}
    scrap, kit, bike = rows["SCRAP-AL"], rows["BIKE-KIT"], rows["BIKE"]
    assert (scrap["level"], scrap["description"], scrap["quantity_per"], scrap["unit_cost"]) == (
        "1",
        "by-product credit",
        "0.25",
        "1.20",
    )
    assert D(scrap["cost_share"]) == D(scrap["100"]) == D("-0.30") and scrap["200"] == ""
    assert D(scrap["share_percent"]).quantize(D("1e-9")) == D("-0.390808802")
    assert (kit["level"], kit["description"], D(kit["unit_cost"])) == ("1", "co-product share 10%", D("8.52932"))
    assert (D(kit["cost_share"]), D(kit["100"]), D(kit["200"])) == (D("-8.52932"), D("-5.82932"), D("-2.70"))
    for row in rows.values():
        elements = sum((D(row[code]) for code in ("100", "200") if row[code]), ZERO)
        assert elements == D(row["cost_share"]), row
    level1 = [row for row in rows.values() if row["level"] == "1"]
    assert sum((D(row["100"]) for row in level1 if row["100"]), ZERO) == D(bike["100"]) == D("52.46388")
    assert D("27.00") + D(kit["200"]) == D(bike["200"]) == D("24.30")
    assert out.stdout.replace("\r\n", "\n") == (tmp_path / "b.csv").read_text(encoding="utf-8").replace("\r\n", "\n")


def test_the_workbook_has_the_same_rows_read_back_with_openpyxl(tmp_path):
    report = _report()
    write_report(report, "csv", tmp_path / "b.csv", part="bom")
    write_report(report, "xlsx", tmp_path / "b.xlsx", part="bom")
    rows, cells = csv_file(tmp_path / "b.csv"), sheet_rows(tmp_path / "b.xlsx", "bom")
    assert [cell["Item"] for cell in cells] == [row["item"] for row in rows]
    assert [cell["Item"] for cell in cells][:3] == ["BIKE", "SCRAP-AL", "BIKE-KIT"]
    for row, cell in zip(rows, cells, strict=True):
        assert cell["Description"] == row["description"] and cell["Level"] == int(row["level"])
        for key, header in (("cost_share", "Cost share"), ("unit_cost", "Unit cost"), ("100", "100"), ("200", "200")):
            assert close(cell[header], row[key]), (key, cell, row)
    assert cells[2]["Cost share"] == -8.52932 and cells[1]["100"] == -0.3
