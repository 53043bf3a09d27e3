"""Benchmark: the language server's re-check of a 10,000-line ruleset after an edit.

The ruleset is the demo with generated items appended (each a produced item of ten lines: two
BOM lines onto the demo's parts and one routing line) up to ``--lines`` lines.  One edit is
timed as the server makes it after the debounce delay: the analysis (read, parse, model,
check, plan: :func:`costsheet.lsp.analysis.full_load` with the file open in the editor) and the
symbol index, then the inlay hints of one screen (lines 190-250, the racing bike's item: its
costing).  ``costsheet check`` of the same text (``costsheet.ruleset.analyze``) takes turns
with it, best of R rounds each, so the ratio says what the editor adds to a check; the parse
of the edited file alone and the symbol index are shown too (what an incremental load could
spare, and what the server adds).

Run: ``PYTHONPATH=src python benchmarks/bench_lsp.py [--lines N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from costsheet.lsp import amounts
from costsheet.lsp.analysis import full_load
from costsheet.lsp.symbols import build_index
from costsheet.ruleset import analyze
from costsheet.syntax import parse

ROOT = Path(__file__).resolve().parents[1]

ITEM = """
item GEN-{n:05d} "Generated assembly {n}" {{
  replenishment  prod-order
  lot-size       {lot}
  bom {{
    ICO-0003 1
    ICO-0005 {spokes}
  }}
  routing {{
    10 WC-100 setup 10min run {run}min
  }}
}}
"""


def ruleset(lines: int) -> str:
    text = (ROOT / "rulesets" / "demo.cost").read_text(encoding="utf-8")
    parts = [text]
    count, n = text.count("\n"), 0
    while count < lines:
        block = ITEM.format(n=n, lot=5 + n % 20, spokes=4 + n % 30, run=1 + n % 9)
        parts.append(block)
        count += block.count("\n")
        n += 1
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copy(ROOT / "rulesets" / "demo-ledger.cost", folder / "demo-ledger.cost")
        entry = str(folder / "demo.cost")
        text = ruleset(args.lines)
        (folder / "demo.cost").write_text(text, encoding="utf-8")
        edited = text.replace("unit-cost      1210.00", "unit-cost      1211.00")
        server, check, hints, parsing, indexing = [], [], [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            analysis = full_load(entry, {entry: edited})
            loaded = time.perf_counter()
            build_index(analysis.trees.values())
            server.append(time.perf_counter() - start)
            indexing.append(time.perf_counter() - loaded)
            assert analysis.ruleset is not None, analysis.diagnostics[:3]
            start = time.perf_counter()
            list(amounts.line_amounts(analysis, analysis.trees[entry], lines=(190, 250)))  # a screen: ICO-0001
            hints.append(time.perf_counter() - start)
            start = time.perf_counter()
            analyze(edited, file=entry)
            check.append(time.perf_counter() - start)
            start = time.perf_counter()
            parse(edited, entry)
            parsing.append(time.perf_counter() - start)
        lines = edited.count("\n")
        print(f"{lines:,} lines, best of {args.repeat}")
        print(f"  re-check in the server (load + symbol index): {min(server) * 1000:7.1f} ms")
        print(f"  costsheet check of the same text:             {min(check) * 1000:7.1f} ms")
        print(f"  ratio server / check:                         {min(server) / min(check):7.2f}")
        print(f"    of which the parse of the edited file:      {min(parsing) * 1000:7.1f} ms")
        print(f"    of which the symbol index:                  {min(indexing) * 1000:7.1f} ms")
        print(f"  inlay hints of one screen (ICO-0001's costing): {min(hints) * 1000:7.1f} ms")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
