"""Benchmark: the language server's re-check of a 10,000-line ruleset after a keystroke.

The ruleset is the demo with generated items appended (each a produced item of ten lines: two
BOM lines onto the demo's parts and one routing line) up to ``--lines`` lines.  Each round
times, one after the other (so that load elsewhere hits them alike; best of R rounds each):

- the server's re-check after a keystroke that keeps the line count, as it makes it after the
  debounce delay: :class:`costsheet.lsp.analysis.SessionLoad` (the session updated: only the
  declaration that changed parsed again, the other declarations' model records reused, only the
  edited item's where-used cone costed again) and the symbol index;
- the same on a whole load that parses only what changed (:func:`~costsheet.lsp.analysis.full_load` on a
  :class:`~costsheet.lsp.analysis.PieceCache`, the server's loader before the session: the whole ruleset
  loaded, model, check and plan, but only the declaration that changed parsed again) and the symbol index;
- a whole load (:func:`~costsheet.lsp.analysis.full_load`, everything parsed) and the index;
- ``costsheet check`` of the same text (``costsheet.ruleset.analyze``), the baseline;
- the parse of the file alone, and the inlay hints of one screen (lines 190-250, the racing
  bike: its costing).

Run: ``PYTHONPATH=src python benchmarks/bench_lsp.py [--lines N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import tempfile
import time
from pathlib import Path

from costsheet.lsp import amounts
from costsheet.lsp.analysis import PieceCache, SessionLoad, full_load
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
        server, check, hints, parsing, indexing, cached = [], [], [], [], [], []
        loader = functools.partial(full_load, parse_file=PieceCache())  # the server's loader before the session
        loader(entry, {entry: text})  # the file as opened
        on_session, sessioned = SessionLoad(), []
        on_session(entry, {entry: text})
        for round_ in range(args.repeat):  # each way once per round: load elsewhere hits all alike
            start = time.perf_counter()
            typed = text.replace("unit-cost      1210.00", f"unit-cost      12{round_:02d}.00")  # a keystroke
            analysis = loader(entry, {entry: typed})
            build_index(analysis.trees.values())
            cached.append(time.perf_counter() - start)
            start = time.perf_counter()
            analysis = on_session(entry, {entry: typed})
            build_index(analysis.trees.values())
            sessioned.append(time.perf_counter() - start)
            assert analysis.recosted is not None, analysis.diagnostics[:3]
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
        print(f"  the server's re-check after a keystroke (SessionLoad + index): {min(sessioned) * 1000:7.1f} ms")
        print(f"  the same on full_load + PieceCache + index:                  {min(cached) * 1000:7.1f} ms")
        print(f"  a whole load (full_load + index):                            {min(server) * 1000:7.1f} ms")
        print(f"  costsheet check of the same text:                            {min(check) * 1000:7.1f} ms")
        print(f"  ratio server's re-check / check:                             {min(sessioned) / min(check):7.2f}")
        print(f"  ratio PieceCache re-check / check:                           {min(cached) / min(check):7.2f}")
        print(f"  ratio whole load / check:                                    {min(server) / min(check):7.2f}")
        print(f"  the parse of the edited file alone:                          {min(parsing) * 1000:7.1f} ms")
        print(f"  the symbol index alone:                                      {min(indexing) * 1000:7.1f} ms")
        print(f"  inlay hints of one screen (ICO-0001's costing):              {min(hints) * 1000:7.1f} ms")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
