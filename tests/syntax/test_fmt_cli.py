"""``costsheet fmt``: rewrite, --check, --diff, syntax errors as diagnostics, usage errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from costsheet.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "language"
MESSY = 'vendor   V-1 "One"   # the first\n\nitem X "x" { unit-cost 1.50  replenishment purchase }\n'


def run(*args):
    return CliRunner().invoke(main, ["fmt", *args], catch_exceptions=False)


def test_rewrites_in_place_and_is_then_stable(tmp_path):
    path = tmp_path / "a.cost"
    path.write_text(MESSY, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text == (
        'vendor V-1 "One"  # the first\n\nitem X "x" {\n  replenishment purchase\n  unit-cost     1.50\n}\n'
    )
    assert run("--check", str(path)).exit_code == 0


def test_check_lists_files_that_would_change_and_writes_nothing(tmp_path):
    messy, clean = tmp_path / "messy.cost", tmp_path / "clean.cost"
    messy.write_text(MESSY, encoding="utf-8")
    clean.write_text('vendor V-1 "One"\n', encoding="utf-8")
    result = run("--check", str(messy), str(clean))
    assert result.exit_code == 1
    assert f"would reformat {messy}" in result.output and str(clean) not in result.output
    assert messy.read_text(encoding="utf-8") == MESSY


def test_diff_shows_the_change(tmp_path):
    path = tmp_path / "a.cost"
    path.write_text(MESSY, encoding="utf-8")
    result = run("--diff", str(path))
    assert result.exit_code == 1
    assert '-vendor   V-1 "One"   # the first' in result.output and "+  unit-cost     1.50" in result.output
    assert path.read_text(encoding="utf-8") == MESSY


def test_syntax_errors_are_diagnostics_and_leave_the_file_alone(tmp_path):
    path = tmp_path / "bad.cost"
    bad = "item X { unit-cost abc }\nvendor V-1\n"
    path.write_text(bad, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 1
    assert f"{path}:1:20: error[syntax-error]: expected a number after unit-cost" in result.output
    assert "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == bad


def test_usage_errors_exit_2(tmp_path):
    assert run().exit_code == 2
    assert run("--bogus", str(tmp_path / "x.cost")).exit_code == 2


def test_missing_file_is_a_diagnostic(tmp_path):
    result = run(str(tmp_path / "nope.cost"))
    assert result.exit_code == 1
    assert "error[file-unreadable]" in result.output


def test_language_examples_format_idempotently(tmp_path):
    for example in sorted(DATA.glob("section*.cost")):
        path = tmp_path / example.name
        path.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
        assert run(str(path)).exit_code == 0
        once = path.read_text(encoding="utf-8")
        assert run("--check", str(path)).exit_code == 0, example.name
        assert path.read_text(encoding="utf-8") == once
