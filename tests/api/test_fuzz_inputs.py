"""The fuzz target: mutants of the shipped rulesets, golden files and language
examples get located diagnostics, never an exception, on loading, costing and
valuing (tools/fuzz.py; docs/testing.md).

100 inputs per example of the Hypothesis profile by default (2,000 under
``quick``, 30,000 under ``thorough``); for a release check run a million:

    COSTSHEET_FUZZ_INPUTS=1000000 COSTSHEET_FUZZ_SEED=1 python -m pytest tests/api/test_fuzz_inputs.py
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import fuzz  # noqa: E402 - after the sys.path or environment set-up above

INPUTS = int(os.environ.get("COSTSHEET_FUZZ_INPUTS", str(100 * settings.default.max_examples)))
SEED = int(os.environ.get("COSTSHEET_FUZZ_SEED", "0"))


@pytest.mark.thorough
def test_mutants_get_only_located_diagnostics():
    report = fuzz.run(INPUTS, SEED)
    assert report.inputs == INPUTS
    assert report.loaded >= INPUTS // 20 and report.items_costed >= report.loaded, (
        "the mutants should reach costing and valuation too"
    )
    assert not report.findings, report.describe()


#: the inputs that broke costsheet before issue 8 (items 1, 2, 3, 15), and others as hostile
_HOSTILE = {
    "a digit run over 4,300 digits": lambda text: re.search(r"\d{4301}", text),
    "a 5,000-digit number in a totaling filter": lambda text: re.search(r"\.\.9{5000}|9{5000}\.\.", text),
    "a lone surrogate": lambda text: re.search("[\ud800-\udfff]", text),
    "a NUL in an include path": lambda text: re.search('include\\s+"[^"\n]*\x00', text),
    "a leading byte-order mark": lambda text: text.startswith("\ufeff"),
    "a control character": lambda text: re.search("[\x01-\x08\x0b\x1b\x7f]", text),
    "a formula nested over 200 levels": lambda text: "(" * 201 in text or "- " * 201 in text,
    "a formula over 2,000 characters": lambda text: re.search(r'formula "[^"\n]{2001}', text),
    "an include cycle": lambda text: 'include "fuzz.cost"' in text,
}


@pytest.mark.thorough
def test_the_mutations_include_the_inputs_that_broke_costsheet():
    texts = [text for _, text in fuzz.Fuzzer(SEED).inputs(10_000)]
    counts = {name: sum(1 for text in texts if found(text)) for name, found in _HOSTILE.items()}
    assert all(count >= 3 for count in counts.values()), counts


def test_an_input_can_be_replayed_alone():
    fuzzer = fuzz.Fuzzer(SEED)
    assert fuzzer.input(4711) == fuzzer.input(4711) == fuzz.Fuzzer(SEED).input(4711)
    assert fuzzer.input(4711) != fuzz.Fuzzer(SEED + 1).input(4711)


# ---------------------------------------------------------------- findings of the release run

#: seed 1, input 85932: a mutation commented out the formula of `row C`, leaving a text line in row C
_ROW_WITHOUT_VALUE = """chart {
  1110 element "Direct" material
  6300 element "Profit" gain-loss
}
condition material M "m" { direct 1110 }
condition charge LP "x" {
  line      "Cost"   row A amount 1
  line      "Sum"    row C
  line 6300 "Profit" row D formula "15 % C"
}
item X { unit-cost 1 condition material M condition charge LP }
"""


def test_a_row_whose_only_line_has_no_value_is_a_located_error():
    """Found by the release run (four inputs): a text line's row counted as a row with lines, so the
    formula reading it raised KeyError while costing; now it is `empty-row` at the row in the formula."""
    from costsheet.ruleset import analyze

    ruleset, diagnostics, _ = analyze(_ROW_WITHOUT_VALUE, file="t.cost")
    assert ruleset is None
    (error,) = [d for d in diagnostics if d.is_error]
    assert (error.code, error.span.line) == ("empty-row", 9) and "row C" in error.message
