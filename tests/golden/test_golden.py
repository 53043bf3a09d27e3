"""Golden tests: one failing ruleset per diagnostic code, its exact `costsheet check`
output next to it, and docs/errors.md generated from them (tools/golden.py).

After a deliberate change of a message: ``python tools/golden.py update`` then
``python tools/golden.py docs``, and review the diff.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import golden  # noqa: E402 - after the sys.path or environment set-up above

#: codes that no ruleset text can trigger, with the reason
UNREACHABLE = {
    "internal-error": "a bug in a check; reported instead of a traceback",
    "duplicate-entry-number": "entry numbers come from the written order, so they never repeat in a DSL ledger",
    "include-too-deep": "needs a chain of more than 100 files",
    "file-too-large": "needs a file over 10 MB (tests/api/test_input_limits.py writes one)",
    "lone-surrogate": "only a Python string or JSON can hold one; a .cost file with one is not UTF-8",
    "csv-too-large": "needs a CSV file over 256 MB (tests/check/test_csv_rules.py lowers the limit)",
}

#: modules whose diagnostics `costsheet check` reports
_EMITTERS = [
    "src/costsheet/check",
    "src/costsheet/syntax/parser.py",
    "src/costsheet/loader.py",
    "src/costsheet/characters.py",
    "src/costsheet/csvdata",
]
#: a diagnostic made (Diagnostic.error, a reader's self.error / sheet.error, a Problem), or a
#: (code, message, hint) triple of a file that cannot be read
_CODE = re.compile(
    r'(?:\.(?:error|warning)|_no_condition|Problem)\(\s*"([a-z][a-z0-9-]+)"'
    r'|problem = \("([a-z][a-z0-9-]+)"'
)


def _emitted_codes() -> set[str]:
    codes: set[str] = set()
    for place in _EMITTERS:
        path = ROOT / place
        for file in path.rglob("*.py") if path.is_dir() else [path]:
            codes.update(code for pair in _CODE.findall(file.read_text(encoding="utf-8")) for code in pair if code)
    return codes


@pytest.mark.parametrize("code", golden.cases())
def test_golden_output(code):
    expected = (golden.GOLDEN / f"{code}.expected").read_text(encoding="utf-8")
    actual, exit_code = golden.render(code)
    assert actual == expected, f"run `python tools/golden.py update {code}` if the change is intended"
    assert f"[{code}]" in actual, "a golden file must trigger the code it is named after"
    assert exit_code == (1 if "error[" in actual else 0)


def test_every_code_has_a_golden_file():
    missing = {c for c in _emitted_codes() if c not in golden.cases() and c not in UNREACHABLE}
    assert not missing, f"add tests/golden/<code>.cost for: {sorted(missing)}"


def test_golden_cost_files_say_what_they_show():
    for code in golden.cases():
        assert golden.description(code), f"{code}.cost must start with '# {code}: <what is wrong>'"


def test_errors_doc_is_current():
    current = golden.DOC.read_text(encoding="utf-8") if golden.DOC.is_file() else ""
    assert current == golden.errors_doc(), "docs/errors.md is stale: run `python tools/golden.py docs`"


def test_errors_doc_lists_every_code():
    doc = golden.errors_doc()
    for code in golden.cases():
        assert f"\n## {code}\n" in doc
