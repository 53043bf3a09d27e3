"""Test-wide settings.

- No test writes to the user's real calculation history or parser cache.
- Hypothesis runs under a profile, never with counts written into tests:
  ``quick`` (the default: the whole suite in well under a minute) or
  ``thorough`` (``.ci/run``: ``--hypothesis-profile thorough``, or
  ``COSTSHEET_HYPOTHESIS=thorough``), which tries thirty times as many examples.
- Heavy tests (``@pytest.mark.thorough``: the service under attack, worker
  processes killed, 5,000-level BOMs, most browser pages; docs/testing.md lists
  them) run only under the thorough profile.
- Tests that need an outside tool carry ``@pytest.mark.external("TOOL")``: they
  are skipped where the tool is missing, except when ``COSTSHEET_REQUIRE_EXTERNAL=1``
  (``.ci/run`` sets it after installing the tools), where a missing tool fails
  the test, so CI always runs them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: tool name -> how to tell that it is here
_TOOLS: dict[str, Callable[[], bool]] = {
    "node": lambda: shutil.which("node") is not None,
    "npm": lambda: shutil.which("npm") is not None,
    "wrk": lambda: shutil.which("wrk") is not None,
    "nvim": lambda: shutil.which("nvim") is not None,
    "chromium": lambda: shutil.which("chromium") is not None and shutil.which("chromedriver") is not None,
    # npm packages: `npm ci --prefix tests/editors`, `npm ci --prefix editors/vscode`
    "vscode-textmate": lambda: (Path(__file__).parent / "editors" / "node_modules" / "vscode-textmate").is_dir(),
    "vscode-languageclient": lambda: (
        Path(__file__).parents[1] / "editors" / "vscode" / "node_modules" / "vscode-languageclient"
    ).is_dir(),
}

#: profile name -> examples per property; deadlines are off (a loaded CI machine is slow, not wrong)
_PROFILES = {"quick": 10, "thorough": 300}
for _name, _examples in _PROFILES.items():
    settings.register_profile(
        _name, max_examples=_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
settings.load_profile(os.environ.get("COSTSHEET_HYPOTHESIS", "quick"))


def _available(tool: str) -> bool:
    probe = _TOOLS.get(tool)
    if probe is not None:
        return probe()
    return importlib.util.find_spec(tool) is not None  # a Python package (pygls, dask, openpyxl ...)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "thorough: a heavy test that runs only under the thorough profile (.ci/run), "
        "so that the default run stays quick",
    )
    config.addinivalue_line(
        "markers",
        "external(*tools): needs outside tools (node, chromium, a Python extra ...); skipped where "
        "missing unless COSTSHEET_REQUIRE_EXTERNAL=1, which makes a missing tool a failure",
    )


def _profile(config: pytest.Config) -> str:
    return config.getoption("--hypothesis-profile", default=None) or os.environ.get("COSTSHEET_HYPOTHESIS", "quick")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("thorough") is not None and _profile(item.config) != "thorough":
        pytest.skip(
            'a heavy test (docs/testing.md, "Quick and thorough"): runs under the thorough '
            "profile, as .ci/run does (--hypothesis-profile thorough)"
        )
    for marker in item.iter_markers("external"):
        missing = [tool for tool in marker.args if not _available(tool)]
        if not missing:
            continue
        reason = f"needs {', '.join(missing)}, which is not installed"
        if os.environ.get("COSTSHEET_REQUIRE_EXTERNAL") == "1":
            pytest.fail(f"{reason} (COSTSHEET_REQUIRE_EXTERNAL=1: CI must install it)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _private_parser_cache(tmp_path_factory):
    """Built parsers go to a cache folder of the test run (subprocesses inherit it), not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COSTSHEET_CACHE_DIR", str(tmp_path_factory.mktemp("parser-cache")))
        yield


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
