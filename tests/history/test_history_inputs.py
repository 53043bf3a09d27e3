"""Every input file of a calculation in the history (issue 8, item 14).

The reproducer: change a price in prices.csv, run `calc` again, and `history
diff` said "Same inputs".  Now the ruleset files, the CSV master data files
and the ledger CSVs are recorded with their content hashes (schema 2), shown
by `history show` and compared by `history diff`; a history file written by
schema 1 stays readable.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import costsheet
from costsheet.cli import main
from costsheet.history import HistoryStore, diff, record_calculation
from costsheet.history.store import SCHEMA_VERSION
from costsheet.inputs import Input

RULESET = """
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
}
condition material M "Material" { direct 1110 overhead 1120 }
condition production P "Production" { direct 1110 }
setup { default material M default production P cost-base direct-unit-cost }
include "vendors.cost"
"""
FILES = {
    "items.csv": "code,replenishment,vendor\nK,purchase,V\nF,prod-order,\n",
    "bom.csv": "item,component,quantity\nF,K,4\n",
    "prices.csv": "item,vendor,unit_cost\nK,V,2.00\n",
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A ruleset with an include and a master-data folder; the working directory is its folder."""
    (tmp_path / "setup.cost").write_text(RULESET, encoding="utf-8")
    (tmp_path / "vendors.cost").write_text('vendor V "Vendor"\n', encoding="utf-8")
    (tmp_path / "md").mkdir()
    for name, text in FILES.items():
        (tmp_path / "md" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path / "history.sqlite3"))
    return tmp_path


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def calc(*args: str) -> None:
    out = CliRunner().invoke(main, ["calc", "setup.cost", "F", "--date", "2026-06-01", *args], catch_exceptions=False)
    assert out.exit_code == 0, out.output


def history(*args: str):
    return CliRunner().invoke(main, ["history", *args], catch_exceptions=False)


def test_the_ruleset_carries_every_file_it_was_loaded_from(project):
    ruleset = costsheet.load("setup.cost", master_data="md", ledger_csv=[])
    assert ruleset.inputs == (
        Input("setup.cost", "ruleset", sha(RULESET)),
        Input("vendors.cost", "ruleset", sha('vendor V "Vendor"\n')),
        Input("md/items.csv", "master-data", sha(FILES["items.csv"])),
        Input("md/bom.csv", "master-data", sha(FILES["bom.csv"])),
        Input("md/prices.csv", "master-data", sha(FILES["prices.csv"])),
    )
    (project / "l.csv").write_text("item,date,type,quantity,cost\nK,2026-01-01,purchase,1,2\n", encoding="utf-8")
    with_ledger = costsheet.load("setup.cost", master_data="md", ledger_csv=["l.csv"])
    assert [(i.path, i.kind) for i in with_ledger.inputs][-1] == ("l.csv", "ledgers")
    assert costsheet.load(RULESET.replace('include "vendors.cost"', ""), file="t.cost").inputs[0].kind == "ruleset"


def test_a_changed_price_in_a_csv_file_is_a_changed_input(project):
    """The reproducer of the issue."""
    calc("--master-data", "md")
    (project / "md" / "prices.csv").write_text("item,vendor,unit_cost\nK,V,2.50\n", encoding="utf-8")
    calc("--master-data", "md")
    table = history("diff", "1", "2")
    assert "Same inputs" not in table.output
    assert "master-data file md/prices.csv" in table.output and "changed" in table.output
    data = json.loads(history("diff", "1", "2", "--format", "json").output)
    assert data["files_compared"] is True
    assert [(c["section"], c["key"], c["field"], c["before"], c["after"]) for c in data["inputs"]] == [
        ("file", "md/prices.csv", "master-data", sha(FILES["prices.csv"]), sha("item,vendor,unit_cost\nK,V,2.50\n"))
    ]
    assert {c["section"] for c in data["changes"]} >= {"unit_cost"}


def test_a_changed_mapping_file_is_a_changed_input(project):
    """The mapping file beside the CSV files (csv.rules) is read with them, so it is an input too (issue 11)."""
    rules = "items.csv replenishment: PURCHASE=purchase\n"
    (project / "md" / "csv.rules").write_text(rules, encoding="utf-8")
    assert Input("md/csv.rules", "mapping", sha(rules)) in costsheet.load("setup.cost", master_data="md").inputs
    calc("--master-data", "md")
    (project / "md" / "csv.rules").write_text(rules + "encoding utf-8\n", encoding="utf-8")
    calc("--master-data", "md")
    data = json.loads(history("diff", "1", "2", "--format", "json").output)
    assert [(c["key"], c["field"]) for c in data["inputs"] if c["section"] == "file"] == [("md/csv.rules", "mapping")]
    assert "mapping file md/csv.rules" in history("diff", "1", "2").output


def test_files_added_and_removed_and_a_changed_include(project):
    calc("--master-data", "md/items.csv", "--master-data", "md/bom.csv", "--master-data", "md/prices.csv")
    (project / "md" / "discounts.csv").write_text("item,vendor,percent\nK,V,10%\n", encoding="utf-8")
    (project / "vendors.cost").write_text('vendor V "The vendor"\n', encoding="utf-8")
    calc(
        "--master-data",
        "md/items.csv",
        "--master-data",
        "md/bom.csv",
        "--master-data",
        "md/discounts.csv",
        "--master-data",
        "md/prices.csv",
    )
    data = json.loads(history("diff", "1", "2", "--format", "json").output)
    files = [(c["key"], c["before"] is None, c["after"] is None) for c in data["inputs"] if c["section"] == "file"]
    assert files == [("vendors.cost", False, False), ("md/discounts.csv", True, False)]
    assert any(c["key"] == "ruleset_hash" for c in data["inputs"])
    table = history("diff", "1", "2").output
    assert "ruleset file vendors.cost" in table and "added" in table
    back = json.loads(history("diff", "2", "1", "--format", "json").output)
    assert [(c["key"], c["after"] is None) for c in back["inputs"] if c["section"] == "file"][-1] == (
        "md/discounts.csv",
        True,
    )


def test_same_files_are_same_inputs(project):
    calc("--master-data", "md")
    calc("--master-data", "md")
    out = history("diff", "1", "2").output
    assert "Same inputs (ruleset, input files, item, lot size, date)" in out


def test_show_lists_the_input_files(project):
    calc("--master-data", "md")
    table = history("show", "1").output
    assert "Input files" in table and sha(FILES["bom.csv"]) in table and "md/bom.csv" in table
    data = json.loads(history("show", "1", "--format", "json").output)
    assert data["inputs"][0] == {"path": "setup.cost", "kind": "ruleset", "sha256": sha(RULESET)}
    assert len(data["inputs"]) == 5
    listed = json.loads(history("list", "--format", "json").output)
    assert listed[0]["inputs"] == data["inputs"]


def test_the_api_records_the_same_inputs_as_the_cli(project):
    ruleset = costsheet.load("setup.cost", master_data="md")
    ruleset.calculate("F", record=True)
    calc("--master-data", "md")
    store = HistoryStore.open()
    api, cli = store.get(1), store.get(2)
    assert (api.source, cli.source) == ("api", "cli")
    assert api.inputs == cli.inputs == ruleset.inputs


def test_a_failed_calculation_records_its_inputs_too(project, tmp_path):
    ruleset = costsheet.load("setup.cost", master_data="md")
    result, diagnostics = ruleset.calculate_with_diagnostics("F", lot_size="-1", record=True)
    assert result is None and diagnostics
    assert HistoryStore.open().get(1).inputs == ruleset.inputs


#: what costsheet wrote before the input files were recorded (schema 1)
_SCHEMA_1 = """
CREATE TABLE calculations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL, source TEXT NOT NULL,
    ruleset_hash TEXT NOT NULL, ruleset_path TEXT, item TEXT NOT NULL, lot_size TEXT, calc_date TEXT,
    unit_cost TEXT, ok INTEGER NOT NULL, result TEXT, diagnostics TEXT NOT NULL);
CREATE INDEX calculations_item ON calculations (item, id);
INSERT INTO calculations VALUES (1, '2026-01-01T00:00:00.000000Z', 'cli', 'abc', 'setup.cost', 'F', '1',
    '2026-06-01', '8.00', 1, '{"item":"F","unit_cost":"8.00"}', '[]');
PRAGMA user_version = 1;
"""


def _old_store(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.executescript(_SCHEMA_1)
    return path


def test_a_history_file_of_schema_1_stays_readable_and_is_migrated(tmp_path):
    store = HistoryStore(_old_store(tmp_path / "old.sqlite3"))
    (old,) = store.list()
    assert (old.id, old.unit_cost, old.inputs) == (1, "8.00", None)
    assert old.to_dict()["inputs"] is None
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    new = record_calculation(
        {"item": "F", "unit_cost": "9.00"},
        (),
        "setup.cost",
        "abc",
        store.path,
        inputs=[Input("setup.cost", "ruleset", "abc")],
    )
    assert store.get(new).inputs == (Input("setup.cost", "ruleset", "abc"),)
    compared = diff(store.get(1), store.get(new))
    assert compared.files_compared is False and not [c for c in compared.inputs if c.section == "file"]
    out = history("diff", "1", str(new), "--store", str(store.path)).output
    assert "Input files not compared: they were not recorded for 1" in out
    shown = history("show", "1", "--store", str(store.path)).output
    assert "Input files: not recorded" in shown


def test_processes_opening_an_old_file_at_once_migrate_it_once(tmp_path):
    path = _old_store(tmp_path / "old.sqlite3")
    errors: list[BaseException] = []

    def read() -> None:
        try:
            assert HistoryStore(path).count() == 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(calculations)")]
    assert columns.count("inputs") == 1
