"""Hostile numbers at the API boundary: diagnostics, never an exception (review findings B1, B2, B4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

import costsheet
from costsheet.cli import main
from costsheet.numbers import quantize_display
from costsheet.ruleset import analyze

RULESET = """
chart { 1110 element "Direct material" material
        1120 element "Material overhead" material-overhead
        3100 element "Manufacturing overhead" mfg-overhead }
condition material M { direct 1110 overhead 1120 }
condition charge CW { line 1110 "Charged to a material element (a warning)" amount 1 }
item A "Part" { unit-cost 2.50 condition material M }
item P "Made" { replenishment prod-order bom { A 3 } }
condition production PB { direct 1110 overhead 3100 }
setup { default production PB }
"""


@pytest.mark.parametrize("lot", [0, -3, "abc", "1e999999999", Decimal("Infinity")])
def test_a_lot_size_that_is_no_lot_is_a_diagnostic(lot):
    ruleset = costsheet.load(RULESET, file="r.cost")
    result, diagnostics = ruleset.calculate_with_diagnostics("P", lot_size=lot)
    assert result is None
    assert [d.code for d in diagnostics if d.is_error] == ["out-of-range"]
    with pytest.raises(costsheet.RulesetError):
        ruleset.calculate("P", lot_size=lot)


def test_numbers_beyond_the_exact_range_are_refused_where_written():
    text = 'item A "Part" { unit-cost 1' + "0" * 40 + " }\n"
    ruleset, diagnostics, _ = analyze(text, file="big.cost")
    assert ruleset is None
    (error,) = [d for d in diagnostics if d.is_error]
    assert (error.code, error.span.line, error.span.column) == ("out-of-range", 1, 17)


def test_a_ledger_cost_beyond_the_exact_range_is_refused_at_load():
    text = RULESET + "ledger A {\n  2026-01-01 purchase +1 cost 100000000000000000000000000000000\n}\n"
    with pytest.raises(costsheet.RulesetError) as caught:
        costsheet.load(text, file="r.cost")
    assert [d.code for d in caught.value.diagnostics if d.is_error] == ["out-of-range"]


def test_a_decimal_signal_while_calculating_is_a_diagnostic(monkeypatch):
    """The last net at the API boundary: whatever Decimal signal escapes the engines becomes a diagnostic."""
    import decimal

    import costsheet.costing
    import costsheet.valuation

    def overflow(*args, **kwargs):
        raise decimal.Overflow("simulated")

    ruleset = costsheet.load(RULESET, file="r.cost")
    monkeypatch.setattr(costsheet.costing, "calculate", overflow)
    monkeypatch.setattr(costsheet.valuation, "value", overflow)
    result, diagnostics = ruleset.calculate_with_diagnostics("P")
    assert result is None and [d.code for d in diagnostics if d.is_error] == ["arithmetic-overflow"]
    result, diagnostics = ruleset.value_with_diagnostics()
    assert result is None and [d.code for d in diagnostics if d.is_error] == ["arithmetic-overflow"]


def test_the_rulesets_warnings_come_with_every_calculation():
    ruleset = costsheet.load(RULESET, file="r.cost")
    assert any(d.code == "cost-group-mismatch" for d in ruleset.diagnostics)
    _, diagnostics = ruleset.calculate_with_diagnostics("P")
    assert any(d.code == "cost-group-mismatch" for d in diagnostics)
    _, diagnostics = ruleset.value_with_diagnostics()
    assert any(d.code == "cost-group-mismatch" for d in diagnostics)


def test_cli_refuses_an_exponent_lot_size_as_usage(tmp_path):
    path = tmp_path / "r.cost"
    path.write_text(RULESET, encoding="utf-8")
    result = CliRunner().invoke(main, ["calc", str(path), "P", "--lot-size", "1e999999999", "--no-history"])
    assert result.exit_code == 2
    assert "plain number" in result.output


def test_missing_ruleset_is_the_same_error_for_every_command(tmp_path):
    missing = str(tmp_path / "none.cost")
    for args in (["check", missing], ["calc", missing, "X", "--no-history"], ["value", missing]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, args
        assert "file-not-found" in result.output


def test_huge_amounts_are_shown_in_tables():
    assert quantize_display(Decimal("1" + "0" * 40), 2, 5) == "1" + "0" * 40 + ".00"
