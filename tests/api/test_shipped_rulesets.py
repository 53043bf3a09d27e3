"""The rulesets users copy from are clean: they check without a diagnostic and are in canonical layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from costsheet.ruleset import analyze
from costsheet.syntax import format_ruleset

RULESETS = sorted((Path(__file__).resolve().parents[2] / "rulesets").glob("*.cost"))


def test_there_is_a_demo():
    assert any(path.name == "demo.cost" for path in RULESETS)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
def test_shipped_ruleset_is_in_canonical_layout(path):
    text = path.read_text(encoding="utf-8")
    formatted, diagnostics = format_ruleset(text, str(path))
    assert diagnostics == ()
    assert formatted == text, f"run `costsheet fmt {path.name}`"


def test_demo_checks_without_a_diagnostic():
    ruleset, diagnostics, _ = analyze(str(next(p for p in RULESETS if p.name == "demo.cost")))
    assert ruleset is not None
    assert diagnostics == ()
