"""Benchmark: one purchased part's price changes; the session's update against a full load and run.

Two generated rulesets of N items (one include file per 10,000 items, as in
bench_whereused.py):

* ``shared``    the where-used benchmark's graph: components drawn half from
                the previous 2,000 items and half from anywhere below, so a
                part reaches a large share of the items;
* ``realistic`` levels 0 to 7 (depth 8): purchased parts at level 0, each
                produced item with 2 to 4 components from the level below,
                near its own position, so each part has a few parents.

For each, the price line of one purchased part changes.  ``full`` is what a
fresh start costs: load the changed files and cost every item
(``calculate_all``).  ``incremental`` is what a save costs a running session:
``Session.update()`` from the changed text to the new results (re-reading the
files, re-parsing the touched declarations, model, checks, the re-cost of the
cone).  The two take turns, best of R rounds each (the part's price
alternates between two values, so every round is a real change).  Printed:
both times, incremental / full, and the share of items re-costed.

Run: ``PYTHONPATH=src python benchmarks/bench_incremental.py [--items N] [--repeat R] [--graph G]``
(``--graph realistic`` or ``shared``: only that one; at 100,000 items a fresh run of the shared
graph takes minutes, so ``--items 100000 --repeat 1 --graph realistic`` is the affordable run:
one fresh run against two updates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import costsheet
from bench_whereused import CHUNK, HEADER, _cents
from bench_whereused import generate as shared_graph

DATE = dt.date(2026, 6, 15)


def realistic_graph(n: int, seed: int = 7) -> dict[str, str]:
    """``{file name: text}``: 8 levels, each produced item using 2-4 nearby items of the level below."""
    rng = random.Random(seed)
    centers = [f'workcenter WC{k} "Center {k}" {{ direct-unit-cost {30 + k}.00/h }}' for k in range(10)]
    sizes = [n * 4 // 10] + [n * 6 // 10 // 7] * 7
    sizes[-1] += n - sum(sizes)
    levels: list[list[str]] = []
    lines: list[str] = []
    index = 0
    for level, size in enumerate(sizes):
        codes = []
        for position in range(size):
            code = f"I{index:06d}"
            index += 1
            codes.append(code)
            if level == 0:
                vendor = "V1" if position % 2 else "V2"
                cost, price = _cents(rng.randint(100, 99999)), _cents(rng.randint(100, 99999))
                lines.append(f'item {code} "Part {position}" {{ unit-cost {cost} vendor {vendor} }}')
                lines.append(f"price {code} vendor {vendor} from 2026-01-01 unit-cost {price}")
                continue
            below = levels[-1]
            centre = position * len(below) // size
            components = sorted(
                {below[min(len(below) - 1, max(0, centre + rng.randint(-3, 3)))] for _ in range(rng.randint(2, 4))}
            )
            bom = " ".join(f"{c} {_cents(rng.randint(50, 300))}" for c in components)
            lines.append(
                f'item {code} "Assembly {position}" {{ replenishment prod-order lot-size {rng.choice((1, 5, 10))} '
                f"bom {{ {bom} }} routing {{ 10 WC{rng.randrange(10)} setup {rng.randint(0, 60)}min run "
                f"{rng.randint(1, 30)}min }} }}"
            )
        levels.append(codes)
    files = {
        f"items{k:03d}.cost": "\n".join(lines[k * 2 * CHUNK : (k + 1) * 2 * CHUNK]) + "\n"
        for k in range((len(lines) + 2 * CHUNK - 1) // (2 * CHUNK))
    }
    entry = [HEADER, *centers, *(f'include "{name}"' for name in files)]
    return {"bench.cost": "\n".join(entry) + "\n", **files}


def price_line(files: dict[str, str]) -> tuple[str, str]:
    """``(file, line)``: the first price line of the first items file (a purchased part)."""
    for name, text in files.items():
        for line in text.split("\n"):
            if line.startswith("price "):
                return name, line
    raise ValueError("no price line")


def run(label: str, files: dict[str, str], repeat: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-incremental-{label}-"))
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    entry = str(folder / "bench.cost")
    name, line = price_line(files)
    target = folder / name
    original = files[name]
    changed = original.replace(line, line.rsplit(" ", 1)[0] + " 1234.56", 1)
    session = costsheet.Session(entry, date=DATE)
    texts = [changed, original]
    best = {"full": float("inf"), "incremental": float("inf")}
    share = 0.0
    for round_ in range(repeat * 2):  # each round changes the price (and the next changes it back)
        target.write_text(texts[round_ % 2], encoding="utf-8")
        gc.collect()
        start = time.perf_counter()
        update = session.update()
        best["incremental"] = min(best["incremental"], time.perf_counter() - start)
        assert update.ok, update.diagnostics[:3]
        share = len(update.recosted) / len(session.results)
        if round_ % 2 == 0:
            gc.collect()
            start = time.perf_counter()
            fresh = costsheet.load(entry).calculate_all(date=DATE)
            best["full"] = min(best["full"], time.perf_counter() - start)
            assert dict(fresh.items) == dict(session.results)
    print(
        f"{label:10s} {len(session.results):,} items  full {best['full']:7.3f} s"
        f"  incremental {best['incremental']:7.3f} s  {best['incremental'] / best['full']:.3f}x"
        f"  re-costed {share:.2%} of the items"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--graph", choices=("shared", "realistic", "both"), default="both")
    args = parser.parse_args()
    if args.graph in ("shared", "both"):
        run("shared", shared_graph(args.items), args.repeat)
    if args.graph in ("realistic", "both"):
        run("realistic", realistic_graph(args.items), args.repeat)


if __name__ == "__main__":
    main()
