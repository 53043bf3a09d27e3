"""Benchmark: ``costsheet calc --all`` on a generated 100,000-item BOM DAG, written as JSON, CSV, a
workbook (xlsx) and a table: time as a ratio to JSON, and the peak memory of each format.

The graph is bench_costing's (20% purchased parts, the rest produced with about 8 BOM lines and one or
two routing operations).  Each run is a fresh process that builds the graph, then runs the command's
own code (``costsheet.cli.calc``'s ``--all`` with ``--output FILE``): it costs every item and writes
the price list.  Only that is timed (not building the graph), so the times hold the costing, which is
the same for every format, and the writing.  ``none`` costs the items and writes nothing: the
difference to it is what writing costs.  The formats take turns (one round: none, json, csv, xlsx, ...;
best of ``--repeat`` rounds), so a burst of load from elsewhere hits them alike.

Peak memory is each process's maximum resident set (``ru_maxrss``): the graph itself (``graph`` in the
output, measured before costing) plus what costing and writing hold on top.  ``collected`` is the JSON
written the way it was before streaming (every result collected first, ``CostResults.to_json``), for
comparison; ``rich-table`` is the terminal table laid out by rich as a whole, the way it was written
before it was printed line by line (``costsheet.reports.PlainTable``).

Run: ``PYTHONPATH=src python benchmarks/bench_reports.py [--items N] [--repeat R] [--formats ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("none", "json", "csv", "xlsx", "table", "rich-table", "collected")
EXTENSION = {
    "json": ".json",
    "csv": ".csv",
    "xlsx": ".xlsx",
    "table": ".txt",
    "rich-table": ".txt",
    "collected": ".json",
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(fmt: str, items: int, folder: Path) -> dict[str, float]:
    """Build the graph, then cost every item and write it as ``fmt``: seconds, peak MB, bytes written."""
    sys.path.insert(0, str(HERE))
    from rich.console import Console

    from bench_costing import DATE, build
    from costsheet.cli.calc import _all
    from costsheet.cli.output import Output
    from costsheet.cli.tables import summary
    from costsheet.costing import CostResults, plan_program
    from costsheet.reports import TABLE_WIDTH
    from costsheet.ruleset import Ruleset

    model = build(items)
    loaded = Ruleset(model=model, program=plan_program(model), sources={})
    graph_mb = _peak_mb()

    def results():  # what ``calc --all`` writes, one by one
        return (result for _, result, _ in loaded.calculate_many(list(model.items), date=DATE) if result)

    path = folder / f"out{EXTENSION.get(fmt, '')}"
    start = time.perf_counter()
    if fmt == "none":
        count = sum(1 for _, result, _ in loaded.calculate_many(list(model.items), date=DATE) if result)
        assert count == items
    elif fmt == "collected":
        run = CostResults.collect(loaded.calculate_many(list(model.items), date=DATE))
        path.write_text(run.to_json() + "\n", encoding="utf-8")
    elif fmt == "rich-table":
        with path.open("w", encoding="utf-8") as stream:
            Console(file=stream, width=TABLE_WIDTH, no_color=True, highlight=False).print(
                summary(model, results()).rich()
            )
    else:
        status = _all(loaded, DATE, Output(fmt, str(path), None))
        assert status == 0
    seconds = time.perf_counter() - start
    size = path.stat().st_size if path.exists() else 0
    return {"seconds": seconds, "peak_mb": _peak_mb(), "graph_mb": graph_mb, "bytes": size}


def measure(fmt: str, items: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, __file__, "--one", fmt, "--items", str(items), "--folder", folder],
            capture_output=True,
            text=True,
            check=True,
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent / "src"), os.environ.get("PYTHONPATH")])),
            },
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--one", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.items, Path(args.folder))))
        return
    best: dict[str, dict[str, float]] = {}
    for round_number in range(args.repeat):
        for fmt in args.formats:
            found = measure(fmt, args.items)
            print(f"round {round_number + 1}: {fmt:9} {found['seconds']:7.1f}s  {found['peak_mb']:6.0f} MB", flush=True)
            kept = best.get(fmt)
            if kept is None or found["seconds"] < kept["seconds"]:
                best[fmt] = {**found, "peak_mb": max(found["peak_mb"], kept["peak_mb"] if kept else 0)}
    base = best.get("json", {}).get("seconds")
    print(f"\ncalc --all, {args.items:,} items, best of {args.repeat}")
    print(f"{'format':10} {'seconds':>8} {'vs json':>8} {'peak MB':>8} {'graph MB':>9} {'file MB':>8}")
    for fmt, found in best.items():
        ratio = f"{found['seconds'] / base:.2f}x" if base else "-"
        print(
            f"{fmt:10} {found['seconds']:8.1f} {ratio:>8} {found['peak_mb']:8.0f} {found['graph_mb']:9.0f} "
            f"{found['bytes'] / 1e6:8.1f}"
        )


if __name__ == "__main__":
    main()
