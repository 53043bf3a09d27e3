"""Benchmark: save-to-output latency of ``costsheet calc RULESET --all --watch``.

Starts the real command (a subprocess, real file watching) on the realistic
graph of bench_incremental.py (N items, 10,000 by default), waits until it
watches, then R times changes one purchased part's price line on disk and
times from the write to the line of output that reports the move (the JSON
line of ``--format json``).  The baseline, in the same run and taking turns
with the saves (while the watching process waits): what the user would run
without ``--watch``, a fresh ``costsheet calc RULESET --all --format json``
process on the same files, from its start to its end.  Printed: the save's
latency (best, median, worst) and the fresh run's, and best / best.

Run: ``PYTHONPATH=src python benchmarks/bench_watch.py [--items N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_incremental import price_line, realistic_graph

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    files = realistic_graph(args.items)
    folder = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    name, line = price_line(files)
    target, original = folder / name, files[name]
    command = [
        *(sys.executable, "-c", "from costsheet.cli import main; main()", "calc", str(folder / "bench.cost")),
        *("--all", "--format", "json", "--date", "2026-06-15"),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [*command, "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    moved = threading.Event()
    ready = threading.Event()
    recosted: list[int] = []

    def read_out() -> None:
        for text in process.stdout:
            if text.startswith('{"moved"'):  # one line per save: what moved and how many were re-costed
                recosted.append(json.loads(text)["recosted"])
                moved.set()

    def read_err() -> None:
        for text in process.stderr:
            if text.startswith("watching"):
                ready.set()

    threading.Thread(target=read_out, daemon=True).start()
    threading.Thread(target=read_err, daemon=True).start()
    ready.wait(600)
    latencies, fresh = [], []
    for round_ in range(args.repeat):
        moved.clear()
        cost = "1234.56" if round_ % 2 == 0 else "99.00"
        start = time.perf_counter()
        target.write_text(original.replace(line, line.rsplit(" ", 1)[0] + " " + cost, 1), encoding="utf-8")
        if not moved.wait(120):
            raise SystemExit("no output after a save")
        latencies.append(time.perf_counter() - start)
        time.sleep(0.3)
        start = time.perf_counter()  # the baseline: the same files costed by a fresh process
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        fresh.append(time.perf_counter() - start)
    process.terminate()
    process.wait(30)
    print(
        f"{args.items:,} items: save to output best {min(latencies) * 1000:.0f} ms, "
        f"median {statistics.median(latencies) * 1000:.0f} ms, worst {max(latencies) * 1000:.0f} ms "
        f"over {args.repeat} saves; a fresh calc --all best {min(fresh):.2f} s, "
        f"median {statistics.median(fresh):.2f} s; save / fresh (best of each) {min(latencies) / min(fresh):.3f}x"
    )
    if recosted:  # what the watcher re-costed per save
        print(f"items re-costed per save: {min(recosted):,} to {max(recosted):,} of {args.items:,}")


if __name__ == "__main__":
    main()
