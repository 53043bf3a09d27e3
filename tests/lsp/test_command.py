"""`costsheet lsp` as a command: its options, and a clear message without the `lsp` extra."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from costsheet.cli import main


def test_without_pygls_the_command_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygls", None)  # an import of it fails, as when it is not installed
    result = CliRunner().invoke(main, ["lsp"])
    assert result.exit_code == 1
    assert "error[lsp-not-installed]: the language server needs pygls, which is not installed" in result.output
    assert "pip install 'costsheet[lsp]'" in result.output


def test_a_bad_debounce_is_a_usage_error():
    result = CliRunner().invoke(main, ["lsp", "--debounce", "-5"])
    assert result.exit_code == 2
    assert "--debounce" in result.output
