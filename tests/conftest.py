"""Test-wide settings: no test writes to the user's real calculation history."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_history(tmp_path_factory, monkeypatch):
    """Every test records calculations into its own throwaway SQLite file."""
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path_factory.mktemp("history") / "history.sqlite3"))


@pytest.fixture(autouse=True)
def _no_python_reprs_in_messages(monkeypatch):
    """No diagnostic made during any test shows Python's repr of a number (``Decimal('1E-10')``):
    messages show numbers as a person writes them (costsheet.numbers.readable)."""
    from costsheet.diagnostics import Diagnostic

    original = Diagnostic.__init__

    def checked(self, *args, **kwargs):
        original(self, *args, **kwargs)
        for text in (self.message, self.hint or ""):
            assert "Decimal('" not in text, f"a Python repr in the {self.code} diagnostic: {text}"

    monkeypatch.setattr(Diagnostic, "__init__", checked)
