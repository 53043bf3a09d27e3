"""Golden files of `costsheet value`: the table and the JSON with expected cost, physical entries,
running averages and settlements (docs/valuation.md, "The JSON").

tests/valuation/golden/<name>.cost is valued by the command line with each set of arguments
below; the output must equal <name>.<case> exactly.  After a deliberate change of the output:
``COSTSHEET_UPDATE_GOLDEN=1 python -m pytest tests/valuation/test_value_golden.py`` rewrites
them; review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from costsheet.cli import main

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "table": ["--adjustments"],
    "as-of.table": ["--adjustments", "--as-of", "2020-02-10"],
    "json": ["--format", "json", "--adjustments"],
    "as-of.json": ["--format", "json", "--as-of", "2020-02-10"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_value_output_is_the_golden_file(case, monkeypatch):
    monkeypatch.chdir(GOLDEN)
    result = CliRunner().invoke(main, ["value", "fo_ledgers.cost", *CASES[case]], env={"COLUMNS": "110"})
    assert result.exit_code == 0, result.output
    expected = GOLDEN / f"fo_ledgers.{case}"
    if os.environ.get("COSTSHEET_UPDATE_GOLDEN"):
        expected.write_text(result.output, encoding="utf-8")
    assert result.output == expected.read_text(encoding="utf-8")
