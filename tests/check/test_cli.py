"""`costsheet check` through click's CliRunner: exit codes, the JSON shape, no tracebacks."""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from costsheet.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "language"
CLEAN = DATA / "all.cost"
BROKEN = 'chart { 1110 element "Direct" }\nitem A "a" { unit-cost 1 condition material NOPE }\n'
WARNING_ONLY = "accounting-periods { 2026-01-01 2026-01-01 }\n"


def run(*args: str):
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def broken(tmp_path) -> Path:
    path = tmp_path / "broken.cost"
    path.write_text(BROKEN)
    return path


def test_clean_ruleset_exits_0_with_a_summary():
    result = run(str(CLEAN))
    assert result.exit_code == 0
    assert result.output == "0 errors, 0 warnings in 9 files\n"


def test_errors_exit_1_and_are_rendered_with_source_and_hint(broken):
    result = run(str(broken))
    assert result.exit_code == 1
    assert f"{broken}:1:9: error[missing-cost-group]: element 1110 has no cost group" in result.output
    assert "  = hint: " in result.output and "^^^^" in result.output
    assert result.output.endswith("2 errors, 0 warnings in 1 file\n")


def test_warnings_alone_exit_0(tmp_path):
    path = tmp_path / "w.cost"
    path.write_text(WARNING_ONLY)
    result = run(str(path))
    assert result.exit_code == 0 and "warning[duplicate-date]" in result.output
    assert result.output.endswith("0 errors, 1 warning in 1 file\n")


def test_json_is_a_list_of_section9_objects(broken):
    result = run(str(broken), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        assert {"severity", "file", "line", "column", "end_line", "end_column", "code", "message"} <= set(item)
        assert item["severity"] in ("error", "warning") and item["file"] == str(broken)
        assert all(isinstance(item[k], int) for k in ("line", "column", "end_line", "end_column"))
    assert [d["line"] for d in data] == sorted(d["line"] for d in data)


def test_json_of_a_clean_ruleset_is_an_empty_list():
    result = run(str(CLEAN), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output) == []


def test_several_rulesets_are_checked_together(broken, tmp_path):
    result = run(str(CLEAN), str(broken))
    assert result.exit_code == 1 and result.output.endswith("2 errors, 0 warnings in 10 files\n")


def test_missing_file_is_a_diagnostic_not_a_traceback(tmp_path):
    result = run(str(tmp_path / "nope.cost"))
    assert result.exit_code == 1 and "error[file-not-found]" in result.output


def test_directory_instead_of_a_file(tmp_path):
    result = run(str(tmp_path))
    assert result.exit_code == 1 and "error[file-unreadable]" in result.output and "is a directory" in result.output


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.cost"
    path.write_bytes('item A "Caf\xe9" { unit-cost 1 }\n'.encode("latin-1"))
    result = run(str(path))
    assert result.exit_code == 1 and "error[file-unreadable]" in result.output


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.cost"
    path.write_text(WARNING_ONLY)
    path.chmod(0)
    result = run(str(path))
    assert result.exit_code == 1 and "error[file-unreadable]" in result.output


def test_binary_garbage_gives_diagnostics(tmp_path):
    path = tmp_path / "garbage.cost"
    path.write_text('\x00\x01{{{}}} item "')
    result = run(str(path), "--format", "json")
    assert result.exit_code == 1 and json.loads(result.output)


@pytest.mark.parametrize("args", [[], ["--format", "xml", "x.cost"], ["--bogus", "x.cost"]])
def test_wrong_usage_exits_2(args):
    result = run(*args)
    assert result.exit_code == 2


def test_help_teaches_the_usage():
    result = run("--help")
    assert result.exit_code == 0
    assert "RULESET..." in result.output and "--format" in result.output and "--master-data" in result.output


def test_master_data_option_resolves_references(tmp_path):
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "items.csv").write_text("code,description,replenishment,unit_cost\nK,Bolt,purchase,0.10\n")
    path = tmp_path / "r.cost"
    path.write_text(
        (DATA / "section11_shared.cost").read_text().split("item ICO-0002")[0]
        + (DATA / "section3_chart.cost").read_text()
        + "setup { default production P-BASE default material M-BASE }\n"
        'item A "a" { replenishment prod-order bom { K 2 } }\n'
    )
    assert "error[unknown-item]" in run(str(path)).output
    result = run(str(path), "--master-data", str(tmp_path / "md"))
    assert "unknown-item" not in result.output, result.output


def test_colour_only_on_a_terminal(broken, monkeypatch):
    plain = run(str(broken))
    assert "\x1b[" not in plain.output
    from costsheet.cli import check

    monkeypatch.setattr(check, "_use_colour", lambda: True)
    coloured = CliRunner().invoke(main, ["check", str(broken)])
    assert "\x1b[" in coloured.output and "missing-cost-group" in coloured.output
    assert coloured.exit_code == 1


def test_no_color_environment_switches_colour_off(monkeypatch):
    from costsheet.cli import check

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    assert check._use_colour() is False


def test_the_demo_ruleset_checks_clean():
    from costsheet.resources import resource_path

    result = run(str(resource_path("rulesets/demo.cost")))
    assert result.exit_code == 0 and result.output.startswith("0 errors, 0 warnings"), result.output


#: what `costsheet check` of a clean ruleset never imports (docs/language.md, "Start-up"): the
#: engines, the CSV reader, the history, the presentation, the other commands, the printer and the
#: incremental re-parse, and the standard modules only an error, `--format json` or an unusual
#: install needs
NOT_FOR_CHECK = (
    "costsheet.costing",
    "costsheet.valuation",
    "costsheet.csvdata",
    "costsheet.history",
    "costsheet.reports",
    "costsheet.scenarios",
    "costsheet.session",
    "costsheet.service",
    "costsheet.lsp",
    "costsheet.cli.calc",
    "costsheet.cli.tables",
    "costsheet.cli.value",
    "costsheet.syntax.printer",
    "costsheet.syntax.incremental",
    "rich",
    "sqlite3",
    "json",
    "difflib",
    "importlib.resources",
)

_CHECK_IN_A_FRESH_PROCESS = """
import sys
from costsheet.cli import main
from costsheet.syntax import parser
try:
    main(["check", sys.argv[1]])
except SystemExit as stop:
    print(stop.code, parser._parser.cache_info().currsize)
    print("\\n".join(sorted(sys.modules)))
"""


def test_check_imports_only_what_it_needs(tmp_path):
    """A fresh process that checks the demo (what `costsheet check` runs) loads none of the
    modules of NOT_FOR_CHECK, nor the formula parser (the demo's formulas all read); it fails
    when one of them is imported again at the top of a module that check imports."""
    from costsheet.resources import resource_path

    env = {**os.environ, "COSTSHEET_CACHE_DIR": str(tmp_path)}
    demo = str(resource_path("rulesets/demo.cost"))
    for _ in range(2):  # the parser built, then loaded from the cache
        out = subprocess.run(
            [sys.executable, "-c", _CHECK_IN_A_FRESH_PROCESS, demo], capture_output=True, text=True, env=env, check=True
        ).stdout.splitlines()
        assert out[0] == "0 errors, 0 warnings in 2 files"
        assert out[1] == "0 1"  # exit status 0; one parser loaded, the ruleset's
        imported = set(out[2:])
        assert {"costsheet.ruleset", "costsheet.check", "lark"} <= imported
        assert sorted(m for m in imported if any(m == name or m.startswith(f"{name}.") for name in NOT_FOR_CHECK)) == []


def test_the_command_line_skips_the_collectors_last_passes_and_a_caller_does_not():
    """`main()` running the command line itself freezes the objects as the exit begins (so the
    collector's last passes find nothing to walk); a caller's argument list (CliRunner here)
    leaves the exit alone.  The output and the exit status are the same either way."""
    before = atexit._ncallbacks()
    in_process = run(str(CLEAN))
    assert atexit._ncallbacks() == before
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"  # runs after costsheet's
        "from costsheet.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "check", str(CLEAN)], capture_output=True, text=True)
    assert done.returncode == in_process.exit_code == 0
    assert done.stdout.splitlines() == [*in_process.output.splitlines(), "frozen at exit: True"]
