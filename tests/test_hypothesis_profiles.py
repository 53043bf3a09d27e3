"""Hypothesis sizes come from the profile (tests/conftest.py, docs/testing.md "Profiles"), never from the tests."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent


def test_no_test_writes_its_own_example_count_or_deadline():
    written = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "conftest.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\b(max_examples\s*=|deadline\s*=\s*None)", line)
    ]
    assert not written, f"set these in a profile instead: {written}"
