"""`costsheet where-used`: the table, the JSON (validated against docs/schema/where-used.schema.json
in tests/docs/test_schemas.py), unknown and ambiguous codes, on the demo `costsheet init` writes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from costsheet.cli import main


def run(*args: str, status: int = 0) -> str:
    result = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"}).invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == status, (args, result.output)
    return result.output


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path / "history.sqlite3"))
    run("init", "demo")
    return str(tmp_path / "demo" / "demo.cost")


@pytest.mark.parametrize(
    ("code", "kind", "reached"),
    [
        ("ICO-0005", "item", {"ICO-0002", "ICO-0008", "ICO-0001"}),
        ("MC-110", "resource", {"ICO-0002", "ICO-0001"}),
        ("C-SUB", "condition", {"ICO-0002", "ICO-0001"}),
        ("2130", "element", {"ICO-0002", "ICO-0001"}),
        ("V-3000", "vendor", {"ICO-0003", "ICO-0001"}),
    ],
)
def test_each_kind_on_the_demo(demo, code, kind, reached):
    data = json.loads(run("where-used", demo, code, "--format", "json"))
    assert data["kind"] == kind and {row["item"] for row in data["items"]} == reached
    assert json.loads(run("where-used", demo, code, "--kind", kind, "--format", "json")) == data
    table = run("where-used", demo, code)
    assert f"Where-used: {kind} {code}" in table and all(item in table for item in reached)


def test_the_table_shows_paths_and_quantities(demo):
    table = run("where-used", demo, "ICO-0005")
    assert "ICO-0001 -> ICO-0002 -> ICO-0005" in table and "ICO-0001 -> ICO-0008 -> ICO-0005" in table
    assert "79.36" in table  # 2.04 wheels x 36.9 spokes + 1.02 kits x 4 spokes, 2 decimals (decimals quantities 2)
    assert " s " in run("where-used", demo, "WC-100") + " "  # seconds per unit
    data = json.loads(run("where-used", demo, "ICO-0005", "--format", "json"))
    bike = next(row for row in data["items"] if row["item"] == "ICO-0001")
    assert bike == {
        "item": "ICO-0001",
        "description": "Racing bike",
        "depth": 1,
        "top": True,
        "per_unit": "79.35600",
        "path_count": 2,
        "paths": [["ICO-0001", "ICO-0002", "ICO-0005"], ["ICO-0001", "ICO-0008", "ICO-0005"]],
    }


def test_a_date_counts_only_the_lines_valid_then(demo):
    data = json.loads(run("where-used", demo, "V-3000", "--date", "2024-06-01", "--format", "json"))
    assert data["date"] == "2024-06-01" and [u["detail"] for u in data["uses"]] == [
        "vendor of ICO-0003; 1 discount line"
    ]
    run("where-used", demo, "V-3000", "--date", "2024-13-01", status=2)


def test_an_unknown_code_has_a_did_you_mean(demo):
    data = json.loads(run("where-used", demo, "ICO-005", "--format", "json", status=1))
    [diagnostic] = data["diagnostics"]
    assert diagnostic["code"] == "unknown-code" and diagnostic["hint"] == "did you mean ICO-0005?"
    text = run("where-used", demo, "1110", "--kind", "item", status=1)
    assert "error[unknown-code]: 1110 is not an item of the ruleset" in text and "--kind element" in text


def test_an_ambiguous_code_needs_a_kind(demo, tmp_path):
    ruleset = tmp_path / "demo" / "demo.cost"
    ruleset.write_text(ruleset.read_text() + '\nvendor ICO-0003 "A vendor with an item\'s code"\n')
    data = json.loads(run("where-used", str(ruleset), "ICO-0003", "--format", "json", status=2))
    [diagnostic] = data["diagnostics"]
    assert diagnostic["code"] == "ambiguous-code"
    assert diagnostic["message"] == "ICO-0003 names an item and a vendor in the ruleset"
    assert diagnostic["hint"] == "say which with --kind (item, vendor)"
    assert json.loads(run("where-used", str(ruleset), "ICO-0003", "--kind", "vendor", "--format", "json"))["uses"] == []


def test_a_broken_ruleset_is_its_diagnostics(tmp_path):
    broken = tmp_path / "broken.cost"
    broken.write_text('item A "a" { unit-cost abc }\n')
    assert json.loads(run("where-used", str(broken), "A", "--format", "json", status=1))["diagnostics"]
