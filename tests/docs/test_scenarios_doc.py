"""docs/scenarios.md runs as written: its ruleset checks clean, its commands print what the page shows."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402

PAGE = ROOT / "docs" / "scenarios.md"


def test_every_command_of_the_page_prints_what_the_page_shows():
    assert doctext.differences(PAGE) == [], "run `python tools/doctext.py update docs/scenarios.md` and review"


def test_the_worked_numbers_of_the_page():
    """The prose's arithmetic: the frame's 80.00 + 0.40 becomes 86.40 + 0.50."""
    text = PAGE.read_text(encoding="utf-8")
    assert "80.00 × 1.08 = 86.40 and 0.50: 86.90, 8.08%" in text
    assert "│    80.40  │  86.90    │    6.50    │ 8.08% │" in text


def test_the_python_example_prints_what_the_page_says(tmp_path, monkeypatch, capsys):
    text = PAGE.read_text(encoding="utf-8")
    blocks = {block.info: block.text for block in doctext.blocks(text)}
    cost = next(b.text for b in doctext.blocks(text) if b.info == "cost")
    (tmp_path / "steel.cost").write_text(cost, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks["python"], "scenarios.md", "exec"), {})
    assert capsys.readouterr().out.split("\n")[:3] == ["138.848320", "142.558263691505", "item FRAME unit-cost"]
    assert "prints `138.848320`, `142.558263691505` and `item FRAME unit-cost`" in text
