"""Golden outputs of `costsheet value`: the table and the JSON of tests/valuation/golden/*.cost,
in full and as of a date.

``production.cost``: production orders, work in process, production variances and a dated
standard cost (docs/valuation.md, "Production orders").  ``fo_ledgers.cost``: the Finance &
Operations inventory close models with expected cost and its invoice, physical entries, what
an issue was posted at before the close settled it, and a return (docs/valuation.md, "The
JSON"); as of a date inside the open period the issues stand at the running average.

After a deliberate change: ``python tests/valuation/test_value_golden.py`` rewrites the
expected files; review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

GOLDEN = Path(__file__).parent / "golden"
#: expected file -> (ruleset, arguments after it)
CASES = {
    "production.table": ("production.cost", []),
    "production.json": ("production.cost", ["--format", "json"]),
    "production-2024-02-02.table": ("production.cost", ["--as-of", "2024-02-02"]),
    "production-2024-02-02.json": ("production.cost", ["--as-of", "2024-02-02", "--format", "json"]),
    "fo_ledgers.table": ("fo_ledgers.cost", ["--adjustments"]),
    "fo_ledgers.as-of.table": ("fo_ledgers.cost", ["--adjustments", "--as-of", "2020-02-10"]),
    "fo_ledgers.json": ("fo_ledgers.cost", ["--format", "json", "--adjustments"]),
    "fo_ledgers.as-of.json": ("fo_ledgers.cost", ["--format", "json", "--as-of", "2020-02-10"]),
}


def render(ruleset: str, arguments: list[str]) -> tuple[str, int]:
    from costsheet.cli import main

    result = CliRunner().invoke(
        main,
        ["value", ruleset, *arguments],
        env={"COLUMNS": "110", "NO_COLOR": "1", "TERM": "dumb"},
        catch_exceptions=False,
    )
    return result.output, result.exit_code


@pytest.fixture
def in_golden(monkeypatch):
    monkeypatch.chdir(GOLDEN)


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_output(name, in_golden):
    output, exit_code = render(*CASES[name])
    assert exit_code == 0, output
    assert output == (GOLDEN / name).read_text(encoding="utf-8"), (
        "run `python tests/valuation/test_value_golden.py` if the change is intended"
    )


def test_the_docs_example_is_the_golden_ruleset():
    """docs/valuation.md, "Production orders", shows this ruleset and the orders part of its table."""
    doc = (Path(__file__).parents[2] / "docs" / "valuation.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Production orders") :]
    blocks = section.split("```")
    ruleset = (GOLDEN / "production.cost").read_text(encoding="utf-8").split("\n", 3)[3]  # without the header
    table = (GOLDEN / "production.table").read_text(encoding="utf-8")
    assert blocks[1] == "\n" + ruleset
    assert blocks[3] == "\n" + table[table.index("Production orders") :]


if __name__ == "__main__":
    import os

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    os.chdir(GOLDEN)
    for expected, (ruleset, arguments) in CASES.items():
        (GOLDEN / expected).write_text(render(ruleset, arguments)[0], encoding="utf-8")
        print(f"wrote {GOLDEN / expected}")
