"""Shared fixtures for the history tests: result JSON (docs/json.md) and a store in tmp_path."""

from __future__ import annotations

import copy

import pytest
from history_samples import SECTION_9_RESULT

from costsheet.history import HistoryStore


@pytest.fixture
def result() -> dict:
    return copy.deepcopy(SECTION_9_RESULT)


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "history.sqlite3"


@pytest.fixture
def store(store_path) -> HistoryStore:
    return HistoryStore(store_path)
