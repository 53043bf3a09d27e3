"""Test-wide settings: no test writes to the user's real calculation history."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_history(tmp_path_factory, monkeypatch):
    """Every test records calculations into its own throwaway SQLite file."""
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path_factory.mktemp("history") / "history.sqlite3"))
