"""``setup { master-data "DIR" }``: the ruleset names its CSV master data; ``--master-data`` wins."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from costsheet.model import CostKind
from costsheet.ruleset import analyze, load, load_texts

SETUP = """
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
}
condition material M "m" { direct 1110 overhead 1120 }
setup { default material M }
"""


def _folder(path, unit_cost="2.50"):
    path.mkdir(parents=True)
    (path / "items.csv").write_text(f"code,description,unit_cost\nA,Bolt,{unit_cost}\n", encoding="utf-8")
    return path


def test_the_folder_is_relative_to_the_file_that_names_it(tmp_path):
    _folder(tmp_path / "parts" / "erp")
    (tmp_path / "parts" / "setup.cost").write_text('setup { master-data "erp" }\n', encoding="utf-8")
    (tmp_path / "main.cost").write_text(SETUP + 'include "parts/setup.cost"\n', encoding="utf-8")
    ruleset = load(tmp_path / "main.cost")
    assert ruleset.calculate("A", date=dt.date(2026, 1, 1)).unit_cost == Decimal("2.50")
    assert any(i.kind == "master-data" for i in ruleset.inputs)


def test_an_explicit_master_data_folder_wins(tmp_path):
    _folder(tmp_path / "erp")
    other = _folder(tmp_path / "other", "7.00")
    (tmp_path / "main.cost").write_text(SETUP + 'setup { master-data "erp" }\n', encoding="utf-8")
    ruleset = load(tmp_path / "main.cost", master_data=str(other))
    assert ruleset.calculate("A", date=dt.date(2026, 1, 1)).unit_cost == Decimal("7.00")


def test_a_missing_folder_is_located(tmp_path):
    (tmp_path / "main.cost").write_text(SETUP + 'setup { master-data "nowhere/" }\n', encoding="utf-8")
    ruleset, diagnostics, _ = analyze(tmp_path / "main.cost")
    (diagnostic,) = diagnostics
    assert ruleset is None and diagnostic.code == "master-data-not-found"
    assert (diagnostic.span.line, diagnostic.span.column) == (8, 9)
    assert "nowhere" in diagnostic.message


def test_a_file_is_not_a_folder(tmp_path):
    (tmp_path / "items.csv").write_text("code\nA\n", encoding="utf-8")
    (tmp_path / "main.cost").write_text(SETUP + 'setup { master-data "items.csv" }\n', encoding="utf-8")
    (diagnostic,) = analyze(tmp_path / "main.cost")[1]
    assert diagnostic.code == "master-data-not-found" and "is not a folder" in diagnostic.message


def test_submitted_texts_read_no_folder_and_say_so(tmp_path):
    _folder(tmp_path / "erp")
    text = SETUP + f'setup {{ master-data "{tmp_path / "erp"}" }}\n'
    ruleset, diagnostics, _ = load_texts({"main.cost": text})
    assert [d.code for d in diagnostics] == ["master-data-not-read"]
    assert "A" not in ruleset.model.items


def test_standard_costs_and_sales_prices_come_from_csv(tmp_path):
    folder = _folder(tmp_path / "erp")
    (folder / "standard-costs.csv").write_text(
        "item,from,standard_cost,material,capacity\nA,2026-01-01,3.00,,\nA,2026-06-01,4.00,3.50,0.50\n",
        encoding="utf-8",
    )
    (folder / "sales-prices.csv").write_text(
        "item,price,from,unit_price,sales_type,sales_code\n"
        "A,list-price,2026-01-01,9.90,,\nA,sales-price,2026-01-01,8.90,customer-price-group,RETAIL\n",
        encoding="utf-8",
    )
    model = load(SETUP, file=str(tmp_path / "main.cost"), master_data=str(folder)).model
    first, second = model.standard_costs
    assert (first.amount, first.shares) == (Decimal("3.00"), None)
    assert second.shares[CostKind.MATERIAL] == Decimal("3.50") and second.shares[CostKind.MFG_OVERHEAD] == 0
    assert [(r.kind, r.sales_type, r.sales_code, r.amount) for r in model.price_records] == [
        ("list-price", "all-customers", None, Decimal("9.90")),
        ("sales-price", "customer-price-group", "RETAIL", Decimal("8.90")),
    ]


def test_csv_standard_costs_and_prices_are_checked_at_their_cells(tmp_path):
    folder = _folder(tmp_path / "erp")
    (folder / "standard-costs.csv").write_text(
        "item,from,standard_cost,material\nA,2026-01-01,3.00,2.00\nB,2026-01-01,1.00,\n", encoding="utf-8"
    )
    (folder / "sales-prices.csv").write_text(
        "item,price,from,unit_price,sales_type,sales_code\nA,sales-price,2026-01-01,8.90,customer,\n"
        "A,list-price,2026-01-01,1,campaign,X\n",
        encoding="utf-8",
    )
    _, diagnostics, _ = analyze(SETUP, file=str(tmp_path / "main.cost"), master_data=str(folder))
    found = sorted((d.code, d.span.file.rsplit("/", 1)[-1], d.span.line) for d in diagnostics)
    assert found == [
        ("invalid-sales-type", "sales-prices.csv", 2),
        ("invalid-sales-type", "sales-prices.csv", 3),
        ("standard-cost-shares", "standard-costs.csv", 2),
        ("unknown-item", "standard-costs.csv", 3),
    ]


def test_every_command_reads_the_setting_without_a_flag(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from costsheet.cli import main

    folder = _folder(tmp_path / "erp")
    (folder / "ledgers.csv").write_text("item,date,type,quantity,cost\nA,2026-01-02,purchase,4,10.00\n", "utf-8")
    (tmp_path / "main.cost").write_text(SETUP + 'setup { master-data "erp" }\n', encoding="utf-8")
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path / "history.sqlite3"))
    ruleset = str(tmp_path / "main.cost")

    def run(*args):
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "in 3 files" in run("check", ruleset)
    assert '"unit_cost": "2.50"' in run("calc", ruleset, "A", "--date", "2026-01-01", "--format", "json")
    assert '"A"' in run("value", ruleset, "--format", "json")
    assert '"item": "A"' in run("where-used", ruleset, "1110", "--format", "json")
    assert '"item": "A"' in run("worksheet", ruleset, "A", "--date", "2026-01-01", "--format", "json")
    (record,) = json.loads(run("history", "list", "--format", "json"))
    assert "erp/items.csv" in run("history", "show", str(record["id"]), "--format", "json")


def test_diagnose_finds_what_analyze_finds_without_planning(tmp_path):
    """`costsheet check`'s entry (no Ruleset, no costing program): the same diagnostics and the
    same texts as :func:`analyze`, with CSV master data from the setting, from an explicit
    folder, and with none; and no ruleset of the tests differs."""
    from pathlib import Path

    from costsheet.ruleset import diagnose

    folder = _folder(tmp_path / "erp")
    (folder / "standard-costs.csv").write_text("item,from,standard_cost\nB,2026-01-01,1.00\n", encoding="utf-8")
    (tmp_path / "named.cost").write_text(SETUP + 'setup { master-data "erp" }\n', encoding="utf-8")
    (tmp_path / "plain.cost").write_text(SETUP + 'item A "Bolt" { unit-cost 1 }\n', encoding="utf-8")
    tests = Path(__file__).resolve().parents[1]
    cases = [(tmp_path / "named.cost", None), (tmp_path / "plain.cost", str(folder)), (tmp_path / "plain.cost", None)]
    cases += [(path, None) for path in sorted(tests.rglob("*.cost"))]
    for path, master_data in cases:
        _, diagnostics, sources = analyze(path, master_data=master_data)
        assert diagnose(path, master_data=master_data) == (diagnostics, sources), path
    assert [d.code for d in diagnose(tmp_path / "named.cost")[0]] == ["unknown-item"]
