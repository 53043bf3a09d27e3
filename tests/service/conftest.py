"""Fixtures for the service tests: an in-process client over a fresh app, and a two-file ruleset."""

from __future__ import annotations

import warnings

import pytest

pytest.importorskip("fastapi")

from costsheet.service import ServiceSettings, create_app  # noqa: E402
from service_samples import FILES  # noqa: E402


def make_client(**limits):
    """A TestClient over an app with these settings (the history goes where ``history_path`` says)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient deprecation notice about httpx
        from fastapi.testclient import TestClient
    return TestClient(create_app(ServiceSettings(**limits)), raise_server_exceptions=False)


@pytest.fixture
def history_path(tmp_path):
    return tmp_path / "history.sqlite3"


@pytest.fixture
def client(history_path):
    with make_client(history_path=str(history_path)) as c:
        yield c


@pytest.fixture
def spec_files() -> dict[str, str]:
    """A two-file ruleset from the examples of LANGUAGE.md (``main.cost`` includes ``ledger.cost``)."""
    return dict(FILES)
