"""`costsheet whatif` and `costsheet simulate` as a shell runs them (click's runner): outputs,
exit statuses, mistakes; the JSON validates against docs/schema (tests/docs/test_schemas.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from costsheet.cli import main

from .support import ITEMS, ruleset_text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "docs"))
EXAMPLES = ROOT / "tests" / "data" / "language"

SCENARIOS = """
scenario STEEL-UP "Dearer frame" { item FRAME unit-cost +8%  workcenter WC-1 direct-unit-cost +3% }
simulation RISK { runs 40  seed 3  item FRAME unit-cost uniform -5% +5% }
"""


def run(*args: str, status: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == status, (args, result.output)
    return result


@pytest.fixture
def ruleset(tmp_path):
    path = tmp_path / "steel.cost"
    path.write_text(ruleset_text(extra=SCENARIOS), encoding="utf-8")
    return str(path)


def test_whatif_json_validates_and_table_shows_every_item(ruleset):
    from test_schemas import validate

    data = json.loads(
        run("whatif", ruleset, "STEEL-UP", "BIKE", "FRAME", "--date", "2026-06-15", "--format", "json").stdout
    )
    validate("whatif", data)
    assert list(data["items"]) == ["BIKE", "FRAME"] and data["items"]["FRAME"]["percent"]["unit_cost"]
    everything = json.loads(run("whatif", ruleset, "STEEL-UP", "--all", "--format", "json").stdout)
    validate("whatif", everything)
    assert list(everything["items"]) == list(ITEMS)  # --all leaves the phantom WHEELSET out
    table = run("whatif", ruleset, "STEEL-UP", "BIKE", "--lot-size", "25", "--date", "2026-06-15").stdout
    assert "Scenario STEEL-UP: Dearer frame" in table and "BIKE" in table


def test_simulate_json_validates_and_is_the_same_on_any_number_of_workers(ruleset):
    from test_schemas import validate

    common = ("simulate", ruleset, "RISK", "BIKE", "FRAME", "--date", "2026-06-15", "--format", "json")
    one = json.loads(run(*common, "--workers", "1").stdout)
    validate("simulate", one)
    assert json.loads(run(*common, "--workers", "2").stdout) == one
    table = run("simulate", ruleset, "RISK", "BIKE", "--date", "2026-06-15", "--workers", "1").stdout
    assert "Influence on the unit cost of BIKE" in table and "item FRAME unit-cost" in table


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("whatif", "{r}", "STEEL-UPP", "BIKE"), "unknown-scenario"),
        (("whatif", "{r}", "STEEL-UP", "BIKEE"), "unknown-item"),
        (("simulate", "{r}", "RISKY", "BIKE"), "unknown-simulation"),
        (("simulate", "{r}", "RISK", "BOLTT"), "unknown-item"),
    ],
)
def test_unknown_names_are_diagnostics_with_a_did_you_mean(ruleset, args, code):
    from test_schemas import validate

    result = run(*(a.format(r=ruleset) for a in args), "--format", "json", status=1)
    found = json.loads(result.stdout)
    validate("failure", found)
    assert [d["code"] for d in found["diagnostics"]] == [code] and "did you mean" in found["diagnostics"][0]["hint"]


def test_usage_mistakes_exit_2(ruleset):
    assert "name one or more ITEMs, or give --all" in run("whatif", ruleset, "STEEL-UP", status=2).output
    assert "not both" in run("simulate", ruleset, "RISK", "BIKE", "--all", status=2).output
    both = run("simulate", ruleset, "RISK", "BIKE", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1", status=2)
    assert "--workers or --scheduler" in both.output


def test_scheduler_without_dask_says_how_to_install_it(ruleset, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    result = run("simulate", ruleset, "RISK", "BIKE", "--scheduler", "tcp://127.0.0.1:8786", status=2)
    assert "pip install 'costsheet[dask]'" in result.output


def test_a_ruleset_with_errors_is_reported(tmp_path):
    path = tmp_path / "bad.cost"
    path.write_text(ruleset_text(extra="scenario S { item FRAME unit-cots 1 }\n"), encoding="utf-8")
    found = json.loads(run("whatif", str(path), "S", "BIKE", "--format", "json", status=1).stdout)
    assert [d["code"] for d in found["diagnostics"]] == ["unknown-field"]


def test_the_language_examples_scenario_and_simulation_run(tmp_path):
    """The scenario and simulation of docs/language.md, "Scenarios and simulations", on the examples' ruleset."""
    text = "\n".join(
        (EXAMPLES / name).read_text(encoding="utf-8") for name in sorted(p.name for p in EXAMPLES.glob("section*.cost"))
    )
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    start = page.index('scenario STEEL-UP "Steel +8%, labour +3%" {')
    block = page[start : page.index("```", start)]
    path = tmp_path / "examples.cost"
    path.write_text(text + "\n" + block.replace("runs 10000", "runs 100"), encoding="utf-8")
    assert run("check", str(path)).exit_code == 0
    data = json.loads(
        run("whatif", str(path), "STEEL-UP", "ICO-0001", "--date", "2026-06-15", "--format", "json").stdout
    )
    entry = data["items"]["ICO-0001"]
    assert entry["scenario"]["unit_cost"] != entry["base"]["unit_cost"]
    simulated = json.loads(
        run(
            "simulate", str(path), "RISK", "ICO-0001", "--date", "2026-06-15", "--workers", "1", "--format", "json"
        ).stdout
    )
    assert simulated["runs"] == 100 and simulated["seed"] == 42
    assert {i["input"] for i in simulated["influence"]} == {
        "item ICO-0005 unit-cost",
        "workcenter WC-100 direct-unit-cost",
        "item ICO-0001 scrap",
    }
