"""What ships stands on its own: no file points to the language's design notes, which users never see.

The code, the docs, the tests and the tools point into docs/ instead (docs/language.md,
docs/costing.md, docs/json.md ...).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the design notes' file name and folder, written so that this file does not name them itself
CONTRACT = re.compile(r"LANGUAGE\.md|shared[/]design")
SHIPPED = ("src", "docs", "tests", "grammar", "tools", "benchmarks", "editors", "rulesets")
SKIP = {"node_modules", ".git", "__pycache__"}


def _files():
    yield ROOT / "README.md"
    for folder in SHIPPED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and not SKIP.intersection(path.parts) and path.suffix not in {".pyc", ".vsix"}:
                yield path


def test_no_shipped_file_points_to_the_design_notes():
    found = []
    for path in _files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        found.extend(
            f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}" for match in CONTRACT.finditer(text)
        )
    assert found == [], "point into docs/ instead: " + ", ".join(found)


def test_the_pattern_finds_what_it_should():
    assert CONTRACT.search("see " + "LANGUAGE" + ".md, section " + "9") and CONTRACT.search("../shared" + "/design/")
    assert not CONTRACT.search('docs/language.md, "Setup"')
