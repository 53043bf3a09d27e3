"""``calc ITEM --tree`` and ``--depth``: the costing BOM as a tree of cost shares, its row limit on a
diamond BOM (2^n paths over n items), the same tree as CSV and as a workbook with outline grouping."""

from __future__ import annotations

import pytest

from costing.support import CHART, DATE, cost, load
from costsheet.numbers import ZERO, D
from costsheet.reports import TREE_FILE_ROWS, TREE_ROWS, bom_shares, calculation_report, write_report

from .support import close, csv_file, csv_rows, run, sheet_rows


def _diamond(levels: int) -> str:
    lines = ['item L0 "Leaf" { unit-cost 1 }']
    lines += [
        f'item L{i} "Level {i}" {{ replenishment prod-order bom {{ L{i - 1} 1 L{i - 1} 1 }} }}'
        for i in range(1, levels)
    ]
    return "\n".join(lines) + "\n"


def _chain(levels: int) -> str:
    lines = ['item C0 "Leaf" { unit-cost 2 }']
    lines += [f'item C{i} "Chain {i}" {{ replenishment prod-order bom {{ C{i - 1} 0.5 }} }}' for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def write(tmp_path):
    def write(text: str):
        path = tmp_path / "bom.cost"
        path.write_text(CHART + text, encoding="utf-8")
        return path

    return write


def test_the_tree_shows_levels_quantities_unit_costs_and_shares(tmp_path):
    demo = tmp_path / "demo"
    assert run("init", demo).exit_code == 0
    out = run("calc", demo / "demo.cost", "ICO-0001", "--tree", "--no-history", env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    header = next(line for line in lines if "Qty per top" in line)
    for word in ("Level", "Item", "Qty per", "Unit cost", "Cost share", "Share %", "1110", "2110"):
        assert word in header
    assert "Breakdown" not in out.stdout  # the tree alone
    rows = [line for line in lines if "ICO-000" in line and "│" in line]
    assert rows[0].split("│")[1].strip() == "ICO-0001" and "100.00" in rows[0]
    assert rows[1].split("│")[1] == "   ICO-0002   " or rows[1].split("│")[1].startswith("   ICO-0002")  # indented
    assert rows[2].split("│")[1].startswith("     ICO-0004")  # two levels in


def test_depth_limits_the_tree_the_csv_and_the_json(write):
    path = write(_diamond(6))
    shallow = run("calc", path, "L5", "--tree", "--depth", "1", "--no-history")
    assert shallow.exit_code == 0, shallow.output
    assert "2 rows at the depth limit have components below it" in shallow.stdout
    csv = run("calc", path, "L5", "--depth", "2", "--format", "csv", "--part", "bom", "--no-history")
    assert [row["level"] for row in csv_rows(csv.stdout)] == ["0", "1", "2", "2", "1", "2", "2"]
    out = run("calc", path, "L5", "--depth", "1", "--format", "json", "--no-history")
    import json

    nodes = json.loads(out.stdout)["bom"]["nodes"]
    assert list(nodes) == ["L5", "L4"] and "lines" not in nodes["L4"]  # at the limit: not expanded
    whole = run("calc", path, "L5", "--format", "csv", "--part", "bom", "--no-history")
    assert len(csv_rows(whole.stdout)) == 2**6 - 1


@pytest.mark.thorough
def test_the_tree_stops_at_its_row_limit_on_a_diamond_bom(write):
    """A diamond of 15 levels has 32,767 paths over 15 items: the terminal shows TREE_ROWS of them, a
    file TREE_FILE_ROWS, and each says how many it left out."""
    levels = 15
    path = write(_diamond(levels))
    out = run("calc", path, f"L{levels - 1}", "--tree", "--no-history")
    assert out.exit_code == 0, out.output
    shown = [line for line in out.stdout.splitlines() if "│" in line and " L" in line]
    assert len(shown) == TREE_ROWS
    assert f"{2**levels - 1 - TREE_ROWS:,} more rows not shown: the tree stops after {TREE_ROWS:,} rows" in out.stdout
    csv = run("calc", path, f"L{levels - 1}", "--format", "csv", "--part", "bom", "--no-history")
    assert len(csv_rows(csv.stdout)) == min(2**levels - 1, TREE_FILE_ROWS)


def test_the_library_tree_counts_what_its_limits_leave_out():
    model = load(_diamond(20)).model
    result = cost(_diamond(20), "L19")
    part = bom_shares(model, result.bom, max_rows=50)
    assert len(tuple(part.rows)) == 50
    assert part.notes == (
        f"{2**20 - 1 - 50:,} more rows not shown: the tree stops after 50 rows "
        "(--format json has the costing BOM as a graph, each item once)",
    )


def test_the_workbook_groups_the_tree_with_excel_outline_levels(write, tmp_path):
    """Ten levels: outline levels 0..7 (Excel's most), deeper rows stay at 7 and are indented further."""
    path = write(_chain(11))
    book = tmp_path / "chain.xlsx"
    out = run("calc", path, "C10", "--output", book, "--no-history")
    assert out.exit_code == 0, out.output
    import openpyxl

    sheet = openpyxl.load_workbook(book)["bom"]
    assert sheet.sheet_properties.outlinePr.summaryBelow is False  # a parent sits above its components
    first = int(sheet.freeze_panes[1:])
    outline = [sheet.row_dimensions[n].outlineLevel for n in range(first, first + 11)]
    indent = [sheet.cell(n, 2).alignment.indent for n in range(first, first + 11)]
    assert outline == [0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7]
    assert indent == list(range(11))
    assert [sheet.cell(n, 2).value for n in range(first, first + 11)] == [f"C{10 - i}" for i in range(11)]
    rows = sheet_rows(book, "bom")
    assert close(rows[-1]["Qty per top"], "0.0009765625") and close(rows[-1]["Cost share"], "0.001953125")


def test_the_tree_alone_with_tree_and_a_workbook(write, tmp_path):
    path = write(_chain(3))
    out = run("calc", path, "C2", "--tree", "--output", tmp_path / "t.xlsx", "--no-history")
    assert out.exit_code == 0, out.output
    import openpyxl

    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["bom"]
    json_tree = run("calc", path, "C2", "--tree", "--format", "json", "--no-history")
    assert json_tree.exit_code == 2 and "--tree" in json_tree.output


def _shares_add_up(model, result) -> None:
    """Each row's element columns add up to its cost share (the row item's unit cost × its quantity per
    unit of the top item), and the cost share is that share of the top item's unit cost."""
    part = bom_shares(model, result.bom, max_rows=None)
    codes = [c.key for c in part.columns[8:]]
    keys = [c.key for c in part.columns]
    rows = [dict(zip(keys, row.values, strict=True)) for row in part.rows]
    assert rows[0]["cost_share"] == result.unit_cost and rows[0]["share_percent"] == 100
    for row in rows:
        tolerance = D("1e-10") * max(1, abs(row["cost_share"]))
        assert abs(row["cost_share"] - row["unit_cost"] * row["quantity_per_top"]) <= D("1e-12")
        assert abs(sum((row[code] or ZERO for code in codes), ZERO) - row["cost_share"]) <= tolerance
        assert abs(row["share_percent"] - row["cost_share"] / result.unit_cost * 100) <= D("1e-10")
    for code, rolled in result.rolled_up.items():
        if rolled and code in rows[0]:
            assert rows[0][code] == rolled


def test_the_demo_shares_add_up(tmp_path):
    import costsheet

    from .support import DEMO

    loaded = costsheet.load(DEMO.read_text(encoding="utf-8"), file=str(DEMO))
    for code in ("ICO-0001", "ICO-0002", "ICO-0008"):
        result, _ = loaded.calculate_with_diagnostics(code, None, DATE, record=False)
        _shares_add_up(loaded.model, result)


def test_the_tree_csv_and_workbook_agree(tmp_path):
    result = cost(_diamond(5), "L4")
    model = load(_diamond(5)).model
    report = calculation_report(model, result)
    write_report(report, "csv", tmp_path / "d.csv", part="bom")
    write_report(report, "xlsx", tmp_path / "d.xlsx", part="bom")
    rows = csv_file(tmp_path / "d.csv")
    cells = sheet_rows(tmp_path / "d.xlsx", "bom")
    assert len(rows) == len(cells) == 2**5 - 1
    for row, cell in zip(rows, cells, strict=True):
        assert row["item"] == cell["Item"] and int(row["level"]) == cell["Level"]
        for key, header in (
            ("quantity_per_top", "Qty per top"),
            ("unit_cost", "Unit cost"),
            ("cost_share", "Cost share"),
        ):
            assert close(cell[header], row[key])
