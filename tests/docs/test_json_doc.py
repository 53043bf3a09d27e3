"""docs/json.md shows what the commands print: its commands run (tools/doctext.py) and their
outputs are compared with the page; each printed JSON and each example marked
``<!-- schema: NAME -->`` validates against docs/schema/NAME.schema.json."""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path set-up above

pytest.importorskip("jsonschema")
from test_schemas import validate  # noqa: E402 - after the sys.path set-up above

PAGE = ROOT / "docs" / "json.md"
TEXT = PAGE.read_text(encoding="utf-8")


def test_every_command_of_the_page_prints_what_the_page_shows():
    assert doctext.differences(PAGE) == [], "run `python tools/doctext.py update docs/json.md` and review"


def _shape(line: str, status: int) -> str:
    words = shlex.split(line)
    command = words[1]
    if status and command in ("calc", "value", "init"):
        return "failure"
    if command == "calc" and "--all" in words:
        return "calc-all"
    return command


def test_every_json_the_page_prints_validates():
    with tempfile.TemporaryDirectory() as folder:
        results = doctext.run(TEXT, Path(folder))
    assert len(results) >= 10
    for command, output, status in results:
        assert "--format json" in command.line, command.line
        validate(_shape(command.line, status), json.loads(output))


def test_the_static_examples_validate():
    marked = [b for b in doctext.blocks(TEXT) if "schema" in b.marks]
    assert {b.marks["schema"] for b in marked} == {"history-list", "history-diff"}
    for block in marked:
        validate(block.marks["schema"], json.loads(block.text))
