"""``worksheet``, ``whatif`` and ``simulate`` in CSV and as workbooks, read back and compared with their
JSON: CSV exactly, workbook cells to 15 significant digits (docs/reports.md)."""

from __future__ import annotations

import shutil

import pytest

from costsheet.reports import STATISTICS
from costsheet.vocabulary import CostKind
from scenarios.support import ruleset_text

from .support import DEMO, close, csv_file, csv_rows, exact, json_of, run, sheet_rows

DATE = "2026-12-01"
SCENARIOS = """
scenario STEEL-UP "Dearer frame" { item FRAME unit-cost +8%  workcenter WC-1 direct-unit-cost +3% }
simulation RISK { runs 30  seed 5  item FRAME unit-cost uniform -5% +5%  item BOLT unit-cost triangular -10% 0% +20% }
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    for name in ("demo.cost", "demo-ledger.cost"):
        shutil.copy(DEMO.parent / name, folder / name)
    return folder / "demo.cost"


@pytest.fixture(scope="module")
def steel(tmp_path_factory):
    path = tmp_path_factory.mktemp("steel") / "steel.cost"
    path.write_text(ruleset_text(extra=SCENARIOS), encoding="utf-8")
    return path


def _key(kind: CostKind) -> str:
    return kind.value.replace("-", "_")


# ---------------------------------------------------------------- worksheet


def test_worksheet_csv_holds_exactly_the_json(demo, tmp_path):
    data = json_of("worksheet", demo, "ICO-0001", "--date", DATE)
    out = run("worksheet", demo, "ICO-0001", "--date", DATE, "--output", tmp_path / "ws.csv")
    assert out.exit_code == 0, out.output
    rows = csv_file(tmp_path / "ws.csv")
    assert [row["item"] for row in rows] == [line["item"] for line in data["items"]]
    for row, line in zip(rows, data["items"], strict=True):
        assert exact(row["current_standard_cost"], line["current"]["standard_cost"])
        assert exact(row["current_from"], line["current"]["from"])
        assert exact(row["new_standard_cost"], line["new"]["standard_cost"])
        assert exact(row["difference"], line["difference"]) and exact(row["percent"], line["percent"])
        assert row["changed"] == ("yes" if line["changed"] else "no")
        for kind in CostKind:
            assert exact(row[f"current_{_key(kind)}"], line["current"]["shares"][kind.value])
            assert exact(row[f"new_{_key(kind)}"], line["new"]["shares"][kind.value])
            assert exact(row[f"difference_{_key(kind)}"], line["shares_difference"][kind.value])
    prices = csv_file(tmp_path / "ws.prices.csv")
    assert len(prices) == len(data["prices"]) > 0
    for row, price in zip(prices, data["prices"], strict=True):
        assert (row["item"], row["price"], row["sales_type"]) == (price["item"], price["price"], price["sales_type"])
        assert exact(row["sales_code"], price["sales_code"])
        assert exact(row["current"], price["current"] and price["current"]["unit_price"])
        assert exact(row["new"], price["new"]) and exact(row["difference"], price["difference"])


def test_worksheet_workbook_agrees_with_the_json_and_implement_still_writes(demo, tmp_path):
    import openpyxl

    data = json_of("worksheet", demo, "ICO-0001", "--date", DATE)
    path = tmp_path / "ws.xlsx"
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("demo.cost", "demo-ledger.cost"):
        shutil.copy(demo.parent / name, copy / name)
    prices_csv = tmp_path / "prices.csv"
    out = run(
        "worksheet", copy / "demo.cost", "ICO-0001", "--date", DATE, "--implement", "--prices-csv", prices_csv,
        "--output", path,
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert f"note: wrote {prices_csv}" in out.stderr and prices_csv.read_text(encoding="utf-8").startswith("Item No.")
    assert "demo.cost" in out.stderr  # the write-back is said on stderr
    assert openpyxl.load_workbook(path).sheetnames == ["items", "prices"]
    compared = 0
    for row, line in zip(sheet_rows(path, "items"), data["items"], strict=True):
        assert row["Item"] == line["item"]
        assert close(row["Current"], line["current"]["standard_cost"]) and close(
            row["New"], line["new"]["standard_cost"]
        )
        assert close(row["Difference"], line["difference"]) and close(row["%"], line["percent"])
        for kind in CostKind:
            assert close(row[f"New {kind.value}"], line["new"]["shares"][kind.value])
            assert close(row[f"Difference {kind.value}"], line["shares_difference"][kind.value])
            compared += 2
    for row, price in zip(sheet_rows(path, "prices"), data["prices"], strict=True):
        assert close(row["New"], price["new"]) and close(row["Difference"], price["difference"])
        compared += 2
    assert compared > 50
    # implemented: the copy's worksheet shows no difference any more
    again = json_of("worksheet", copy / "demo.cost", "ICO-0001", "--date", DATE)
    assert not any(line["changed"] for line in again["items"])


def test_worksheet_csv_to_stdout_is_one_part_and_an_unknown_part_is_a_diagnostic(demo):
    out = run("worksheet", demo, "ICO-0001", "--date", DATE, "--format", "csv", "--part", "prices")
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == "item,price,sales_type,sales_code,current,current_from,new,difference,changed"
    bad = run("worksheet", demo, "ICO-0001", "--date", DATE, "--format", "csv", "--part", "nope")
    assert bad.exit_code == 2 and "unknown-part" in bad.stderr and "items, prices" in bad.stderr


# ---------------------------------------------------------------- whatif


def test_whatif_csv_and_workbook_agree_with_the_json(steel, tmp_path):
    args = ("whatif", steel, "STEEL-UP", "--all", "--date", "2026-06-15")
    data = json_of(*args)["items"]
    out = run(*args, "--format", "csv")
    assert out.exit_code == 0, out.output
    rows = csv_rows(out.stdout)
    assert [row["item"] for row in rows] == list(data)
    for row in rows:
        entry = data[row["item"]]
        for figure in ("unit_cost", "list_price"):
            assert exact(row[f"base_{figure}"], entry["base"][figure])
            assert exact(row[f"scenario_{figure}"], entry["scenario"][figure])
            assert exact(row[f"{figure}_difference"], entry["difference"][figure])
            assert exact(row[f"{figure}_percent"], entry["percent"][figure])
    bike = next(row for row in rows if row["item"] == "BIKE")
    assert bike["base_list_price"]  # BIKE has a charge condition
    path = tmp_path / "whatif.xlsx"
    assert run(*args, "--output", path).exit_code == 0
    sheet = sheet_rows(path, "items")
    assert [row["Item"] for row in sheet] == list(data)
    for row in sheet:
        entry = data[row["Item"]]
        assert close(row["Unit cost"], entry["base"]["unit_cost"])
        assert close(row["Scenario unit cost"], entry["scenario"]["unit_cost"])
        assert close(row["Difference"], entry["difference"]["unit_cost"])
        assert close(row["%"], entry["percent"]["unit_cost"])
        assert close(row["Scenario list price"], entry["scenario"]["list_price"])
        assert close(row["List price %"], entry["percent"]["list_price"])


# ---------------------------------------------------------------- simulate


def test_simulate_csv_and_workbook_agree_with_the_json(steel, tmp_path):
    args = ("simulate", steel, "RISK", "BIKE", "FRAME", "--date", "2026-06-15", "--workers", "1")
    data = json_of(*args)
    out = run(*args, "--output", tmp_path / "risk.csv")
    assert out.exit_code == 0, out.output
    statistics = csv_file(tmp_path / "risk.csv")
    expected = [
        (item, figure)
        for item, entry in data["items"].items()
        for figure in ("unit_cost", "list_price")
        if entry[figure] is not None
    ]
    assert [(row["item"], row["figure"]) for row in statistics] == expected
    for row in statistics:
        summary = data["items"][row["item"]][row["figure"]]
        assert all(exact(row[key], summary[key]) for key in STATISTICS)
    influence = csv_file(tmp_path / "risk.influence.csv")
    assert [(r["item"], r["input"]) for r in influence] == [(i["item"], i["input"]) for i in data["influence"]]
    assert all(
        exact(r["rank_correlation"], i["rank_correlation"]) for r, i in zip(influence, data["influence"], strict=True)
    )
    assert [r["rank"] for r in influence] == ["1", "2", "1", "2"]
    path = tmp_path / "risk.xlsx"
    assert run(*args, "--output", path).exit_code == 0
    for row in sheet_rows(path, "statistics"):
        summary = data["items"][row["Item"]][row["Figure"]]
        assert all(close(row[key.upper() if key[0] == "p" else key.capitalize()], summary[key]) for key in STATISTICS)
    cells = sheet_rows(path, "influence")
    assert len(cells) == len(data["influence"])
    for row, entry in zip(cells, data["influence"], strict=True):
        assert row["Input"] == entry["input"] and close(row["Rank correlation"], entry["rank_correlation"])
