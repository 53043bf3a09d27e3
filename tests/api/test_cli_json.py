"""Every command takes --format json (docs/cli.md); init and fmt included."""

from __future__ import annotations

import json

from click.testing import CliRunner

from costsheet.cli import main


def test_init_json_names_the_files_and_the_next_command(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "demo"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [name.rsplit("/", 1)[-1] for name in data["files"]] == ["demo.cost", "demo-ledger.cost"]
    assert data["next"].endswith("demo.cost ICO-0001")


def test_init_refuses_to_overwrite_with_a_diagnostic(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["init", str(tmp_path)])
    result = runner.invoke(main, ["init", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    (diagnostic,) = json.loads(result.output)["diagnostics"]
    assert diagnostic["code"] == "demo-exists"
    assert "--force" in diagnostic["hint"]


def test_fmt_json_reports_each_file(tmp_path):
    clean = tmp_path / "clean.cost"
    clean.write_text('vendor V1 "One"\n', encoding="utf-8")
    messy = tmp_path / "messy.cost"
    messy.write_text('vendor   V2    "Two"\n', encoding="utf-8")
    broken = tmp_path / "broken.cost"
    broken.write_text("vendor\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", "--check", "--format", "json", str(clean), str(messy), str(broken)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [f["status"] for f in data["files"]] == ["unchanged", "would-reformat", "error"]
    assert [d["code"] for d in data["diagnostics"]] == ["unexpected-end"]
    assert messy.read_text(encoding="utf-8") == 'vendor   V2    "Two"\n'  # --check writes nothing
