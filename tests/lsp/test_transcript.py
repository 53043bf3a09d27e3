"""The session in docs/editors.md is what tools/lsp_transcript.py prints today: a real client
talking to `costsheet lsp` over stdio."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.thorough
def test_the_transcript_in_the_docs_is_current():
    page = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    start = page.index("````text\n$ costsheet lsp") + len("````text\n")
    documented = page[start : page.index("\n````", start) + 1]
    printed = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lsp_transcript.py"), str(ROOT / "rulesets" / "demo.cost")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    ).stdout
    assert printed == documented, "run: PYTHONPATH=src python tools/lsp_transcript.py and paste its output"
