"""Fixtures for the service tests: an in-process client over a fresh app (or one app per module), and a
two-file ruleset."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from service_client import make_client
from service_samples import FILES


@pytest.fixture
def history_path(tmp_path):
    return tmp_path / "history.sqlite3"


@pytest.fixture
def client(history_path):
    """A client over an app that records calculations in ``history_path``."""
    with make_client(record_history=True, history_path=str(history_path)) as c:
        yield c


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory):
    """One app (and one worker process) for a whole module, for tests whose requests leave nothing
    behind that another test reads: starting a worker per test was most of the service tests' time."""
    history = tmp_path_factory.mktemp("shared-history") / "history.sqlite3"
    with make_client(record_history=True, history_path=str(history)) as c:
        yield c


@pytest.fixture
def spec_files() -> dict[str, str]:
    """A two-file ruleset from the examples of docs/language.md (``main.cost`` includes ``ledger.cost``)."""
    return dict(FILES)
