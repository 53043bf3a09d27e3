"""docs/costing.md, "Where-used": its commands print what the page shows, and its Python runs."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path or environment set-up above

PAGE = ROOT / "docs" / "costing.md"


def test_the_where_used_session_prints_what_the_page_shows():
    assert doctext.differences(PAGE) == [], "run `python tools/doctext.py update docs/costing.md` and review"


def test_the_python_example_runs_on_the_page_s_ruleset(monkeypatch):
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("## Where-used") : text.index("## Performance")]
    [example] = [block.text for block in doctext.blocks(section) if block.info == "python"]
    [ruleset] = [step for step in doctext.session(section) if isinstance(step, doctext.File)]  # its own file
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / ruleset.name).write_text(ruleset.text, encoding="utf-8")
        monkeypatch.chdir(folder)
        names: dict = {}
        exec(compile(example, "costing.md", "exec"), names)
    index = names["index"]
    assert index.affected(["K"]) == {"K", "L", "R", "T"}
    assert index.costing_order({"T", "K", "R", "L"}) == ("K", "L", "R", "T")
    assert [(row.item, str(row.per_unit)) for row in names["answer"].items] == [
        ("L", "2"),
        ("R", "3.465"),
        ("T", "9.930"),
    ]
