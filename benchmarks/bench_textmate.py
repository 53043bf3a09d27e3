"""Highlighting speed: the TextMate grammar (editors/textmate) in vscode-textmate, VS Code's
tokenizer, against costsheet's own parser on the same text.

Tokenizes the ~50,000-line ruleset of bench_parse.py line by line, as an editor does when
it opens the file, and parses the same text with ``costsheet.syntax.parser.parse``,
alternately, best of R each; prints lines per second, the ratio, and the slowest single
line (a regular expression that backtracks badly would show there).  Needs node and
``npm ci --prefix tests/editors``.  Run:

    PYTHONPATH=src python benchmarks/bench_textmate.py [--lines N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench_parse import generate_ruleset

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "editors" / "textmate" / "costsheet.tmLanguage.json"
TOKENIZE = ROOT / "tests" / "editors" / "tokenize.mjs"


def tokenize(path: Path) -> dict:
    """One tokenization of the file, timed inside node (start-up and loading excluded)."""
    result = subprocess.run(
        [shutil.which("node"), str(TOKENIZE), str(GRAMMAR), "--time", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=50_000)
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args()

    from costsheet.syntax.parser import parse

    text = generate_ruleset(args.lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.cost"
        path.write_text(text, encoding="utf-8")
        parse(text, "bench.cost")  # builds the parser once
        highlight, parsing, slowest = [], [], 0.0
        for _ in range(args.repeat):
            run = tokenize(path)
            highlight.append(run["seconds"])
            slowest = max(slowest, run["slowest_line_ms"])
            start = time.perf_counter()
            result, diagnostics = parse(text, "bench.cost")
            parsing.append(time.perf_counter() - start)
            assert result is not None and not diagnostics
    lines = text.count("\n")
    ours, theirs = min(highlight), min(parsing)
    print(f"ruleset: {lines:,} lines, {len(text):,} chars")
    print(f"TextMate tokenize: {ours:.3f} s  {lines / ours:,.0f} lines/s  slowest line {slowest:.2f} ms")
    print(f"costsheet parse:   {theirs:.3f} s  {lines / theirs:,.0f} lines/s")
    print(f"ratio (tokenize time / parse time): {ours / theirs:.2f}x")


if __name__ == "__main__":
    main()
