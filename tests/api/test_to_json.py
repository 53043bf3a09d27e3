"""Results' to_dict() and to_json(): to_json() is the text `--format json` prints, to the byte.

The command prints ``to_json()`` and a line end, so ``print(result.to_json())`` writes exactly what the
command writes (the README's Python example).  The rulesets are the shipped demo (rulesets/demo.cost,
whose ledgers are in rulesets/demo-ledger.cost).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import costsheet
from costsheet.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = str(ROOT / "rulesets" / "demo.cost")
SRC = str(Path(costsheet.__file__).resolve().parents[1])
DATE = dt.date(2026, 11, 22)


def _stdout(*args: str) -> bytes:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout_bytes


@pytest.fixture(scope="module")
def demo():
    return costsheet.load(DEMO)


@pytest.mark.parametrize("explain", [False, True])
def test_calc_json_is_the_results_to_json(demo, explain):
    result = demo.calculate("ICO-0001", lot_size=10, date=DATE, explain=explain)
    printed = _stdout(
        "calc",
        DEMO,
        "ICO-0001",
        "--lot-size",
        "10",
        "--date",
        DATE.isoformat(),
        "--format",
        "json",
        "--no-history",
        *(["--explain"] if explain else []),
    )
    assert printed == (result.to_json(explain=explain) + "\n").encode("ascii")
    assert json.loads(printed) == result.to_dict(explain=explain)


def test_calc_all_json_is_the_results_to_json(demo):
    run = demo.calculate_all(date=DATE)
    printed = _stdout("calc", DEMO, "--all", "--date", DATE.isoformat(), "--format", "json")
    assert printed == (run.to_json() + "\n").encode("ascii")
    assert list(run.items) == list(demo.model.items) and not run.failed
    assert json.loads(printed) == run.to_dict()


@pytest.mark.parametrize("adjustments", [False, True])
def test_value_json_is_the_results_to_json(demo, adjustments):
    result, diagnostics = demo.value_with_diagnostics(as_of=dt.date(2026, 6, 30))
    printed = _stdout(
        "value", DEMO, "--as-of", "2026-06-30", "--format", "json", *(["--adjustments"] if adjustments else [])
    )
    assert printed == (result.to_json(adjustments=adjustments, diagnostics=diagnostics) + "\n").encode("ascii")
    assert json.loads(printed) == result.to_dict(adjustments=adjustments, diagnostics=diagnostics)


def test_to_dict_is_plain_json_data(demo):
    """No Decimal, date or result object inside: json.dumps takes it as it is, and amounts are strings."""
    data = demo.calculate("ICO-0001", lot_size=10, date=DATE, explain=True).to_dict(explain=True)
    assert json.loads(json.dumps(data)) == data
    assert data["unit_cost"] == "382.06751934272"  # 382.06751934272000000001 inside the engine


def test_the_readme_example_prints_what_the_command_line_prints():
    """``print(result.to_json())`` in a program writes the same bytes as ``costsheet calc ... --format json``."""
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    program = (
        "import datetime, sys, costsheet\n"
        "ruleset = costsheet.load(sys.argv[1])\n"
        "result = ruleset.calculate('ICO-0001', lot_size=10, date=datetime.date(2026, 11, 22))\n"
        "print(result.to_json())\n"
    )
    from_python = subprocess.run([sys.executable, "-c", program, DEMO], env=env, capture_output=True, check=True)
    command = "from costsheet.cli import main; main()"
    from_cli = subprocess.run(
        [
            sys.executable,
            "-c",
            command,
            "calc",
            DEMO,
            "ICO-0001",
            "--lot-size",
            "10",
            "--date",
            "2026-11-22",
            "--format",
            "json",
            "--no-history",
        ],
        env=env,
        capture_output=True,
        check=True,
    )
    assert from_python.stdout == from_cli.stdout
    assert from_cli.stdout.endswith(b"}\n") and not from_cli.stdout.endswith(b"\n\n")


def test_calculation_error_is_exported_and_carries_every_diagnostic(demo):
    assert issubclass(costsheet.CalculationError, costsheet.RulesetError)
    assert "CalculationError" in costsheet.__all__
    with pytest.raises(costsheet.CalculationError) as raised:
        demo.calculate("NO-SUCH-ITEM", date=DATE)
    assert [d.code for d in raised.value.diagnostics if d.is_error] == ["unknown-item"]
    assert "unknown-item" in raised.value.render()
    with pytest.raises(costsheet.RulesetError):  # one except catches a bad ruleset and a failed calculation
        demo.calculate("NO-SUCH-ITEM", date=DATE)


def test_a_failed_item_in_calculate_all_is_a_diagnostic_not_an_exception(demo):
    run = demo.calculate_all(["ICO-0001", "NO-SUCH-ITEM"], date=DATE)
    assert list(run.items) == ["ICO-0001"] and run.failed
    assert [d["code"] for d in run.to_dict()["diagnostics"] if d["severity"] == "error"] == ["unknown-item"]
