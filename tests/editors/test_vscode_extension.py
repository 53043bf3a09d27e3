"""The VS Code extension of editors/vscode: its manifest, and extension.js run outside VS Code.

extension.js is run by tests/editors/extension_harness.cjs with stand-ins for the ``vscode``
module and the language client (VS Code itself does not install here); a last test loads
the real vscode-languageclient that ``npm ci --prefix editors/vscode`` installs and checks
that it has what extension.js uses.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from .highlight import HERE, ROOT

sys.path.insert(0, str(ROOT / "tools"))

import textmate

EXTENSION = ROOT / "editors" / "vscode"
MANIFEST = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))


def test_the_manifest_contributes_the_language_and_the_generated_grammar():
    (language,) = MANIFEST["contributes"]["languages"]
    (grammar,) = MANIFEST["contributes"]["grammars"]
    assert language["id"] == grammar["language"] == "costsheet"
    assert language["extensions"] == [".cost"]
    assert (EXTENSION / grammar["path"]).resolve() == textmate.VSCODE_JSON
    assert (EXTENSION / language["configuration"]).resolve() == textmate.VSCODE_CONFIGURATION
    generated = json.loads(textmate.VSCODE_JSON.read_text(encoding="utf-8"))
    assert grammar["scopeName"] == generated["scopeName"]
    assert (EXTENSION / MANIFEST["main"]).is_file()
    commands = {c["command"] for c in MANIFEST["contributes"]["commands"]}
    assert commands == {"costsheet.restartServer"}
    settings = MANIFEST["contributes"]["configuration"]["properties"]
    assert settings["costsheet.server.command"]["default"] == "costsheet"
    assert settings["costsheet.server.args"]["default"] == ["lsp"]


def test_the_language_configuration():
    configuration = json.loads(textmate.VSCODE_CONFIGURATION.read_text(encoding="utf-8"))
    assert configuration["comments"] == {"lineComment": "#"}
    assert configuration["brackets"] == [["{", "}"], ["(", ")"]]
    assert {"open": '"', "close": '"', "notIn": ["string", "comment"]} in configuration["autoClosingPairs"]
    word = re.compile(configuration["wordPattern"])
    assert word.match("ICO-0001..ICO-0009").group() == "ICO-0001"
    assert word.match("unit/direct/last").group() == "unit/direct/last"
    start = re.compile(configuration["folding"]["markers"]["start"])
    assert start.search('item ICO-0001 "Racing bike" {  # a comment')
    assert not start.search('  line "{"')


def test_the_client_package_is_locked():
    lock = json.loads((EXTENSION / "package-lock.json").read_text(encoding="utf-8"))
    ((name, version),) = MANIFEST["dependencies"].items()
    assert lock["packages"][f"node_modules/{name}"]["version"] == version
    assert lock["packages"][""]["dependencies"] == MANIFEST["dependencies"]


def _run(tmp_path, **scenario) -> dict:
    node = shutil.which("node")
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    result = subprocess.run(
        [node, str(HERE / "extension_harness.cjs"), str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


STDIO = 0


@pytest.mark.external("node")
def test_activation_starts_costsheet_lsp_over_stdio(tmp_path):
    report = _run(tmp_path)
    (client,) = report["clients"]
    server = {"command": "costsheet", "args": ["lsp"], "transport": STDIO}
    assert client["serverOptions"] == {"run": server, "debug": server}
    assert client["id"] == "costsheet"
    selector = client["clientOptions"]["documentSelector"]
    assert {"scheme": "file", "language": "costsheet"} in selector
    assert client["clientOptions"]["synchronize"]["fileEvents"] == {"glob": "**/*.{cost,csv}"}
    assert client["clientOptions"]["synchronize"]["configurationSection"] == "costsheet"
    assert client["clientOptions"]["initializationOptions"] == {"item": "", "masterData": []}
    assert report["starts"] == 1 and report["warnings"] == []
    assert report["commands"] == ["costsheet.restartServer"]


@pytest.mark.external("node")
def test_the_settings_name_the_program(tmp_path):
    report = _run(
        tmp_path,
        settings={
            "costsheet.server.command": "/opt/venv/bin/costsheet",
            "costsheet.server.args": ["lsp", "--log", "debug"],
        },
    )
    assert report["clients"][0]["serverOptions"]["run"] == {
        "command": "/opt/venv/bin/costsheet",
        "args": ["lsp", "--log", "debug"],
        "transport": STDIO,
    }


@pytest.mark.external("node")
def test_a_server_that_does_not_start_gets_one_warning(tmp_path):
    report = _run(tmp_path, startFails=True)
    (warning,) = report["warnings"]
    assert "`costsheet lsp` did not start (spawn costsheet ENOENT)" in warning
    assert "Highlighting works without it" in warning and "costsheet.server.command" in warning


@pytest.mark.external("node")
def test_without_the_client_package_highlighting_still_works(tmp_path):
    report = _run(tmp_path, clientMissing=True)
    assert report["clients"] == []
    (warning,) = report["warnings"]
    assert "npm ci --omit=dev" in warning


@pytest.mark.external("node")
def test_the_server_can_be_switched_off(tmp_path):
    report = _run(tmp_path, settings={"costsheet.server.enabled": False})
    assert report["clients"] == [] and report["warnings"] == []
    assert report["commands"] == ["costsheet.restartServer"]


@pytest.mark.external("node")
def test_restart_and_a_changed_setting_start_a_new_server(tmp_path):
    report = _run(
        tmp_path, run=["costsheet.restartServer"], changeSettings={"costsheet.server.command": "other"}, deactivate=True
    )
    assert [c["serverOptions"]["run"]["command"] for c in report["clients"]] == ["costsheet", "costsheet", "other"]
    assert report["starts"] == 3 and report["stops"] == 3


@pytest.mark.external("node", "vscode-languageclient")
def test_the_installed_client_has_what_the_extension_uses():
    result = subprocess.run(
        [shutil.which("node"), str(HERE / "extension_harness.cjs"), "--real-client"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "LanguageClient": "function",
        "start": "function",
        "stop": "function",
        "stdio": STDIO,
    }
