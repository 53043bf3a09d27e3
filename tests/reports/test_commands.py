"""Every report command in CSV and as a workbook, read back and compared with its JSON: CSV exactly,
workbook cells (doubles) to 15 significant digits (docs/reports.md)."""

from __future__ import annotations

import pytest

from .support import DEMO, close, csv_file, csv_rows, exact, json_of, run, sheet_rows

LEDGERS = DEMO.parent / "demo-ledger.cost"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The bundled demo as `costsheet init` writes it (demo.cost and demo-ledger.cost side by side)."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    out = run("init", folder)
    assert out.exit_code == 0, out.output
    return folder / "demo.cost"


def _calc(demo, *extra):
    return ("calc", demo, "ICO-0001", "--date", "2026-11-22", "--no-history", "--explain", *extra)


def test_calc_csv_files_hold_exactly_the_json(demo, tmp_path):
    data = json_of(*_calc(demo))
    out = run(*_calc(demo, "--output", tmp_path / "ico.csv"))
    assert out.exit_code == 0, out.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["ico.bom.csv", "ico.charges.csv", "ico.csv", "ico.explain.csv", "ico.prices.csv"]
    assert f"note: wrote {tmp_path / 'ico.csv'}, {tmp_path / 'ico.charges.csv'}" in out.stderr
    breakdown = {row["element"]: row for row in csv_file(tmp_path / "ico.csv")}
    for code, amounts in data["elements"].items():
        assert exact(breakdown[code]["single_level"], amounts["single_level"])
        assert exact(breakdown[code]["rolled_up"], amounts["rolled_up"])
    for code, value in data["totals"].items():
        assert exact(breakdown[code]["rolled_up"], value)
    assert exact(breakdown[""]["rolled_up"], data["unit_cost"]) and breakdown[""]["description"] == "Unit cost"
    charges = csv_file(tmp_path / "ico.charges.csv")
    for row, charge in zip(charges, data["charges"], strict=False):
        assert (int(row["line"]), row["description"]) == (charge["line"], charge["description"])
        assert exact(row["value"], charge["value"])
    assert charges[-1]["description"] == "List price" and exact(charges[-1]["value"], data["list_price"])
    prices = csv_file(tmp_path / "ico.prices.csv")
    assert [(p["kind"], p["price"]) for p in prices] == [(p["kind"], p["price"]) for p in data["prices"]]
    explain = csv_file(tmp_path / "ico.explain.csv")
    assert [(e["item"], e["amount"]) for e in explain] == [(s["item"], s["amount"]) for s in data["explain"]]
    nodes = data["bom"]["nodes"]
    tree = csv_file(tmp_path / "ico.bom.csv")
    assert {row["item"] for row in tree} == set(nodes)
    for row in tree:
        assert exact(row["unit_cost"], nodes[row["item"]]["unit_cost"])


def test_calc_workbook_cells_agree_with_the_json_to_15_digits(demo, tmp_path):
    data = json_of(*_calc(demo))
    path = tmp_path / "ico.xlsx"
    out = run(*_calc(demo, "--output", path))
    assert out.exit_code == 0, out.output
    import openpyxl

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["breakdown", "charges", "prices", "bom", "explain"]
    breakdown = {row["Element"]: row for row in sheet_rows(path, "breakdown")}
    compared = 0
    for code, amounts in data["elements"].items():
        assert close(breakdown[code]["Single-level"], amounts["single_level"])
        assert close(breakdown[code]["Rolled-up"], amounts["rolled_up"])
        compared += 2
    for code, value in data["totals"].items():
        assert close(breakdown[code]["Rolled-up"], value)
        compared += 1
    assert close(breakdown[None]["Rolled-up"], data["unit_cost"])
    charges = sheet_rows(path, "charges")
    for row, charge in zip(charges, data["charges"], strict=False):
        assert row["Line"] == charge["line"] and close(row["Value"], charge["value"])
        compared += 1
    assert close(charges[-1]["Value"], data["list_price"])
    for row, price in zip(sheet_rows(path, "prices"), data["prices"], strict=True):
        assert close(row["Price"], price["price"])
    for row, step in zip(sheet_rows(path, "explain"), data["explain"], strict=True):
        assert close(row["Amount"], step["amount"])
        compared += 1
    nodes = data["bom"]["nodes"]
    for row in sheet_rows(path, "bom"):
        assert close(row["Unit cost"], nodes[row["Item"]]["unit_cost"])
        compared += 1
    assert compared > 60


def test_calc_workbook_looks_like_the_table(demo, tmp_path):
    """Real numeric cells with the setup's number formats, bold totals, underlined headings, the chart's
    indentation, a frozen header, widths that fit."""
    import openpyxl

    path = tmp_path / "ico.xlsx"
    assert run(*_calc(demo, "--output", path)).exit_code == 0
    sheet = openpyxl.load_workbook(path)["breakdown"]
    assert sheet["A1"].value.startswith("ICO-0001") and sheet["A1"].font.b
    assert sheet.freeze_panes == "A6"  # title, subtitle, empty line, part title, header
    assert [c.value for c in sheet[5]] == ["Element", "Description", "Single-level", "Rolled-up"]
    assert all(c.font.b for c in sheet[5])
    by_code = {row[0].value: row for row in sheet.iter_rows(min_row=6) if row[0].value}
    direct = by_code["1110"]
    assert isinstance(direct[3].value, float) and direct[3].number_format == "#,##0.00###"  # decimals amounts 2:5
    assert direct[1].alignment.indent == 1  # inside "1100 begin-total": one level in
    assert by_code["1199"][3].font.b and by_code["5000"][1].font.b  # totals bold
    heading = by_code["1000"]
    assert heading[1].font.b and heading[1].font.u == "single"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["B"] >= len("Cost of goods manufactured") and widths["A"] < widths["B"]


def test_calc_csv_on_standard_output_is_one_part(demo):
    out = run(*_calc(demo, "--format", "csv"))
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == "level,element,description,single_level,rolled_up"
    assert "wrote the part breakdown" in out.stderr and "charges, prices, bom, explain" in out.stderr
    bom = run(*_calc(demo, "--format", "csv", "--part", "bom"))
    assert bom.stdout.startswith("level,item,description,quantity_per,quantity_per_top,unit_cost,cost_share")
    assert bom.stderr == ""


def test_calc_all_csv_and_workbook_agree_with_the_json(demo, tmp_path):
    data = json_of("calc", demo, "--all", "--date", "2026-11-22")
    items = data["items"]
    csv_out = run("calc", demo, "--all", "--date", "2026-11-22", "--output", tmp_path / "prices.csv")
    xlsx_out = run("calc", demo, "--all", "--date", "2026-11-22", "--output", tmp_path / "prices.xlsx")
    assert csv_out.exit_code == xlsx_out.exit_code == 0, csv_out.output + xlsx_out.output
    rows = csv_file(tmp_path / "prices.csv")
    assert [row["item"] for row in rows] == list(items)
    for row in rows:
        result = items[row["item"]]
        assert exact(row["unit_cost"], result["unit_cost"]) and exact(row["lot_size"], result["lot_size"])
        assert exact(row["list_price"], result["list_price"])
    sheet = sheet_rows(tmp_path / "prices.xlsx", "prices")
    assert [row["Item"] for row in sheet] == list(items)
    for row in sheet:
        result = items[row["Item"]]
        assert close(row["Unit cost"], result["unit_cost"]) and close(row["List price"], result["list_price"])


def test_value_csv_and_workbook_agree_with_the_json(demo, tmp_path):
    data = json_of("value", demo, "--adjustments")
    assert run("value", demo, "--adjustments", "--output", tmp_path / "v.csv").exit_code == 0
    assert run("value", demo, "--adjustments", "--output", tmp_path / "v.xlsx").exit_code == 0
    entries = csv_file(tmp_path / "v.entries.csv")
    sheet = sheet_rows(tmp_path / "v.xlsx", "entries")
    expected = [(key, e) for key, item in data["items"].items() for e in item["entries"]]
    assert len(entries) == len(sheet) == len(expected) > 10
    for row, cells, (key, entry) in zip(entries, sheet, expected, strict=True):
        assert (row["key"], int(row["entry"])) == (key, entry["entry"])
        assert exact(row["quantity"], entry["quantity"]) and exact(row["cost_amount"], entry["cost_amount"])
        assert exact(row["expected_cost_amount"], entry["expected_cost_amount"])
        assert exact(row["running_cost_amount"], entry.get("running_cost_amount"))
        assert close(cells["Quantity"], entry["quantity"]) and close(cells["Cost amount"], entry["cost_amount"])
    adjustments = csv_file(tmp_path / "v.adjustments.csv")
    expected_adjustments = [a for item in data["items"].values() for e in item["entries"] for a in e["adjustments"]]
    assert [row["amount"] for row in adjustments] == [a["amount"] for a in expected_adjustments]
    on_hand = {row["key"]: row for row in csv_file(tmp_path / "v.csv")}
    for key, item in data["items"].items():
        assert exact(on_hand[key]["inventory_value"], item["inventory_value"])
        assert exact(on_hand[key]["quantity_on_hand"], item["quantity_on_hand"])
        assert exact(on_hand[key]["physical_value"], item["physical_value"])
    import openpyxl

    names = openpyxl.load_workbook(tmp_path / "v.xlsx").sheetnames
    assert names[:4] == ["items", "entries", "adjustments", "variances"]


def test_where_used_csv_and_workbook_agree_with_the_json(demo, tmp_path):
    data = json_of("where-used", demo, "ICO-0005")
    assert run("where-used", demo, "ICO-0005", "--output", tmp_path / "w.xlsx").exit_code == 0
    out = run("where-used", demo, "ICO-0005", "--format", "csv", "--part", "items")
    assert out.exit_code == 0, out.output
    rows = csv_rows(out.stdout)
    sheet = sheet_rows(tmp_path / "w.xlsx", "items")
    assert [row["item"] for row in rows] == [row["Item"] for row in sheet] == [r["item"] for r in data["items"]]
    for row, cells, reached in zip(rows, sheet, data["items"], strict=True):
        assert exact(row["per_unit"], reached["per_unit"]) and close(cells["Quantity per"], reached["per_unit"])
        assert int(row["path_count"]) == reached["path_count"]
        assert row["paths"].split(" | ") == [" > ".join(p) for p in reached["paths"]]


def test_history_diff_csv_and_workbook_agree_with_the_json(demo, tmp_path):
    env = {"COSTSHEET_HISTORY": str(tmp_path / "history.sqlite3")}
    for lot in ("10", "20"):
        assert run("calc", demo, "ICO-0001", "--lot-size", lot, "--date", "2026-11-22", env=env).exit_code == 0
    out = run("history", "diff", "1", "2", "--format", "json", env=env)
    import json

    data = json.loads(out.stdout)
    assert run("history", "diff", "1", "2", "--output", tmp_path / "d.csv", env=env).exit_code == 0
    assert run("history", "diff", "1", "2", "--output", tmp_path / "d.xlsx", env=env).exit_code == 0
    inputs = csv_file(tmp_path / "d.csv")
    assert [(r["key"], r["before"], r["after"]) for r in inputs] == [
        (c["key"], c["before"], c["after"]) for c in data["inputs"]
    ]
    changes = csv_file(tmp_path / "d.changes.csv")
    sheet = sheet_rows(tmp_path / "d.xlsx", "changes")
    assert len(changes) == len(sheet) == len(data["changes"]) > 5
    for row, cells, change in zip(changes, sheet, data["changes"], strict=True):
        for key, header in (("before", "Before"), ("after", "After"), ("delta", "Change"), ("percent", "%")):
            assert exact(row[key], change[key])
            if change[key] is not None and key in ("delta", "percent"):
                assert close(cells[header], change[key])


@pytest.mark.parametrize(
    "args, code, status",
    [
        (("--output", "{tmp}/out.pdf"), "output-format-unknown", 2),
        (("--output", "{tmp}/no-such-folder/out.csv"), "output-unwritable", 1),
        (("--output", "{tmp}", "--format", "csv"), "output-unwritable", 1),
        (("--format", "xlsx"), "output-needs-file", 2),
        (("--format", "csv", "--part", "nothing"), "unknown-part", 2),
    ],
)
def test_a_bad_output_is_a_clear_diagnostic(demo, tmp_path, args, code, status):
    out = run("calc", demo, "ICO-0001", "--no-history", *(a.format(tmp=tmp_path) for a in args))
    assert out.exit_code == status
    assert f"error[{code}]" in out.stderr and "hint:" in out.stderr
    assert "Traceback" not in out.output and out.stdout == ""


def test_an_unwritable_file_leaves_nothing_behind(demo, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        out = run("calc", demo, "ICO-0001", "--no-history", "--output", folder / "ico.xlsx")
    finally:
        folder.chmod(0o700)
    import os

    if os.geteuid() == 0:  # root writes anywhere: the check cannot fail here
        assert out.exit_code == 0
    else:
        assert out.exit_code == 1 and "error[output-unwritable]" in out.stderr
        assert list(folder.iterdir()) == []


def test_json_and_table_go_to_output_files_too(demo, tmp_path):
    assert run(*_calc(demo, "--output", tmp_path / "ico.json")).exit_code == 0
    assert run(*_calc(demo, "--output", tmp_path / "ico.txt")).exit_code == 0
    import json

    assert json.loads((tmp_path / "ico.json").read_text()) == json_of(*_calc(demo))
    text = (tmp_path / "ico.txt").read_text()
    assert "Cost of goods manufactured" in text and "\x1b[" not in text  # plain text, no colour codes


def test_missing_openpyxl_is_a_diagnostic(demo, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    out = run("calc", demo, "ICO-0001", "--no-history", "--output", tmp_path / "ico.xlsx")
    assert out.exit_code == 1 and "error[xlsx-unavailable]" in out.stderr and "costsheet[xlsx]" in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_import_costsheet_stays_light():
    import subprocess
    import sys

    code = "import sys, costsheet, costsheet.cli.calc, costsheet.reports; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
