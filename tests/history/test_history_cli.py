"""`costsheet history list/show/diff` in table and JSON form, and their exit codes."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from costsheet.cli import main
from costsheet.history import record_calculation
from costsheet.numbers import D


@pytest.fixture
def two(result, store_path):
    """Two calculations of ICO-0001: the second with lot size 20 and a cheaper element 1110."""
    first = record_calculation(result, [], "demo.cost", "a" * 64, store_path)
    later = copy.deepcopy(result)
    later["lot_size"] = "20"
    later["elements"]["1110"]["rolled_up"] = "650.2"
    later["unit_cost"] = "1184.56789"
    second = record_calculation(later, [], "demo.cost", "a" * 64, store_path)
    record_calculation(dict(result, item="OTHER"), [], "demo.cost", "b" * 64, store_path)
    return first, second


def run(*args):
    return CliRunner().invoke(main, ["history", *map(str, args)], catch_exceptions=False)


def test_list_json_filters_by_item(two, store_path):
    out = run("list", "--item", "ICO-0001", "--format", "json", "--store", store_path)
    assert out.exit_code == 0
    rows = json.loads(out.output)
    assert [r["id"] for r in rows] == [two[1], two[0]]
    assert rows[0]["lot_size"] == "20" and rows[0]["ok"] is True and "result" not in rows[0]


def test_list_table_names_the_items(two, store_path):
    out = run("list", "--store", store_path)
    assert out.exit_code == 0
    assert "ICO-0001" in out.output and "OTHER" in out.output and "aaaaaaaa" in out.output


def test_list_uses_the_environment_variable(two, store_path, monkeypatch):
    monkeypatch.setenv("COSTSHEET_HISTORY", str(store_path))
    assert len(json.loads(run("list", "--format", "json").output)) == 3


def test_show_json_is_the_recorded_calculation(two, store_path, result):
    out = run("show", two[0], "--format", "json", "--store", store_path)
    assert out.exit_code == 0
    assert json.loads(out.output)["result"] == result


def test_show_table_has_elements_charges_and_log(result, store_path):
    warn = {
        "severity": "warning",
        "code": "charge-group",
        "message": "not a charge group",
        "file": "demo.cost",
        "line": 3,
        "column": 2,
        "end_line": 3,
        "end_column": 6,
        "hint": "use 6100",
    }
    new_id = record_calculation(result, [warn], "demo.cost", "h", store_path)
    out = run("show", new_id, "--store", store_path)
    assert out.exit_code == 0
    for text in ("Cost elements", "700.2", "Sales overhead", "demo.cost:3:2: warning[charge-group]", "hint: use 6100"):
        assert text in out.output


def test_diff_json_names_the_input_and_the_amounts(two, store_path):
    out = run("diff", *two, "--format", "json", "--store", store_path)
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert [c["key"] for c in data["inputs"]] == ["lot_size"]
    changes = {(c["section"], c["key"], c["field"]): c for c in data["changes"]}
    assert D(changes[("element", "1110", "rolled_up")]["delta"]) == D("-50")
    assert D(changes[("unit_cost", "", "value")]["delta"]) == D("-50")


def test_diff_table(two, store_path):
    out = run("diff", *two, "--store", store_path)
    assert out.exit_code == 0
    assert "lot size" in out.output and "element 1110 rolled-up" in out.output and "-50.0" in out.output


def test_diff_of_identical_calculations_says_so(result, store_path):
    a = record_calculation(result, [], "demo.cost", "h", store_path)
    b = record_calculation(result, [], "demo.cost", "h", store_path)
    out = run("diff", a, b, "--store", store_path)
    assert "Same inputs" in out.output and "Same results." in out.output


def test_an_unknown_id_is_an_error_with_a_hint(two, store_path):
    out = CliRunner().invoke(main, ["history", "show", "999", "--store", str(store_path)])
    assert out.exit_code == 1
    assert "history-not-found" in out.output and "costsheet history list" in out.output


def test_usage_errors_exit_2(store_path):
    assert CliRunner().invoke(main, ["history", "show", "not-a-number"]).exit_code == 2
    assert CliRunner().invoke(main, ["history", "diff", "1"]).exit_code == 2


def test_an_unreadable_store_is_an_error_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 50)
    out = CliRunner().invoke(main, ["history", "list", "--store", str(bad)])
    assert out.exit_code == 1 and "history-unreadable" in out.output


def test_show_prints_the_recorded_costing_bom_as_a_tree(result, store_path):
    result["bom"] = {
        "root": "ICO-0001",
        "nodes": {
            "ICO-0001": {
                "description": "Racing bike",
                "replenishment": "prod-order",
                "lot_size": "10",
                "unit_cost": "1234.56789",
                "elements": {"1110": {"single_level": "900.1", "rolled_up": "700.2"}},
                "lines": [{"component": "ICO-0002", "quantity": "2.04"}],
                "operations": [],
            },
            "ICO-0002": {
                "description": "Wheel",
                "replenishment": "purchase",
                "lot_size": "1",
                "unit_cost": "88.5",
                "elements": {},
                "lines": [],
                "operations": [],
            },
        },
    }
    out = run("show", record_calculation(result, [], "demo.cost", "a" * 64, store_path), "--store", store_path)
    assert out.exit_code == 0, out.output
    assert "Costing BOM" in out.output and "  ICO-0002" in out.output and "2.04" in out.output


def test_show_of_a_costing_bom_it_cannot_read_says_so(result, store_path):
    """An earlier version stored the costing BOM as a nested tree: shown as not readable, not a traceback."""
    result["bom"] = {"item": "ICO-0001", "components": [{"item": "ICO-0002", "quantity": "2", "components": []}]}
    out = run("show", record_calculation(result, [], "demo.cost", "a" * 64, store_path), "--store", store_path)
    assert out.exit_code == 0 and "Costing BOM not shown" in out.output and "--format json" in out.output
