"""Messages say what is wrong in the user's words (issue 8, item 22).

Each test is a reproducer of a message that was wrong: a negative lot size
called "not a plain number", two messages for one missing ledger, "already
exist(s)", Python's ``Decimal('1E-10')`` in a message, and a mistyped history
path answered as an empty history.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

import costsheet
from costsheet.cli import main
from costsheet.numbers import readable


@pytest.fixture
def demo(tmp_path):
    assert CliRunner().invoke(main, ["init", str(tmp_path / "demo")]).exit_code == 0
    return tmp_path / "demo"


@pytest.mark.parametrize("lot", ["-5", "0", "-0.5", "+0"])
def test_a_lot_size_of_zero_or_less_is_asked_to_be_greater_than_zero(demo, lot):
    out = CliRunner().invoke(main, ["calc", str(demo / "demo.cost"), "ICO-0001", "--lot-size", lot, "--no-history"])
    assert out.exit_code == 2
    assert f"the lot size must be greater than 0, not {lot}" in out.output and "plain number" not in out.output


def test_a_lot_size_that_is_no_number_is_still_called_so(demo):
    out = CliRunner().invoke(main, ["calc", str(demo / "demo.cost"), "ICO-0001", "--lot-size", "-ten"])
    assert out.exit_code == 2 and "'-ten' is not a plain number" in out.output


def test_valuing_an_item_without_a_ledger_gives_one_message(demo):
    out = CliRunner().invoke(main, ["value", str(demo / "demo.cost"), "--item", "NOPE"])
    assert out.exit_code == 1
    assert "no-ledger" in out.output and "there is no ledger for item NOPE" in out.output
    assert "no ledgers to value" not in out.output


def test_a_ruleset_without_ledgers_still_says_there_is_nothing_to_value(tmp_path):
    path = tmp_path / "plain.cost"
    path.write_text('chart { 1110 element "Direct material" material }\n', encoding="utf-8")
    out = CliRunner().invoke(main, ["value", str(path)])
    assert out.exit_code == 0 and "no ledgers to value" in out.output


def test_init_names_the_existing_files_in_singular_and_plural(demo):
    both = CliRunner().invoke(main, ["init", str(demo)])
    assert both.exit_code == 1
    assert f"{demo / 'demo.cost'} and {demo / 'demo-ledger.cost'} already exist\n" in both.output
    (demo / "demo-ledger.cost").unlink()
    one = CliRunner().invoke(main, ["init", str(demo)])
    assert f"{demo / 'demo.cost'} already exists\n" in one.output and "exist(s)" not in one.output


@pytest.mark.parametrize(
    "lot, shown",
    [
        (Decimal("1E-10"), "0.0000000001"),
        (Decimal("1E+20"), "1" + "0" * 20),
        (Decimal("Infinity"), "Infinity"),
        (Decimal("-0"), "-0"),
        ("abc", "'abc'"),
    ],
)
def test_a_lot_size_is_shown_as_written_not_as_a_python_repr(demo, lot, shown):
    ruleset = costsheet.load(str(demo / "demo.cost"))
    _, diagnostics = ruleset.calculate_with_diagnostics("ICO-0001", lot)
    (error,) = [d for d in diagnostics if d.is_error]
    assert error.message == f"the lot size {shown} is not a number from 0.000001 to 1,000,000,000"


def test_readable_numbers():
    assert [readable(Decimal(text)) for text in ("1E-10", "2.50", "1E+3", "-0", "1E-31", "1E+31", "NaN")] == [
        "0.0000000001",
        "2.50",
        "1000",
        "-0",
        "1E-31",
        "1E+31",
        "NaN",
    ]


def test_a_history_path_with_nothing_there_is_named_and_not_created(tmp_path):
    typo = tmp_path / "typo.sqlite3"
    listed = CliRunner().invoke(main, ["history", "list", "--store", str(typo)])
    assert listed.exit_code == 0
    assert f"There is no history at {typo}: no calculation has been recorded there" in listed.output
    for args in (["show", "1"], ["diff", "1", "2"]):
        out = CliRunner().invoke(main, ["history", *args, "--store", str(typo)])
        assert out.exit_code == 1 and f"there is no history at {typo}" in out.output
    assert not typo.exists()
