"""What pausing the cyclic garbage collector buys (costsheet.gcpause; docs/costing.md, "Threads and the garbage
collector").

The parser, the CSV reader and the roll-up (``Calculator.cost``) run inside
``paused_gc()``.  This times each as shipped and again with the pause
replaced by a no-op (the collector running as usual), taking turns, best of
``--repeat``, in process CPU time (the collector's passes are CPU time; other
processes' load moves it less than the wall clock):

* ``parse``    ``syntax.parse`` of the ruleset of benchmarks/bench_parse.py (``--lines``);
* ``csv``      ``read_master_data`` of the folder of benchmarks/bench_csv.py (``--rows``);
* ``roll-up``  the graph of benchmarks/bench_costing.py (``--items``), items asked for
               bottom-up (each a pause of one item) and top-down (the first item's walk
               costs most of the graph in one pause).

It also gives the cost of one pause (enter and exit, no contention).  Run:

    PYTHONPATH=src python benchmarks/bench_gcpause.py [--lines N] [--rows N] [--items N] [--repeat R]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_costing
import bench_csv
import bench_parse
from costsheet.costing import Calculator, plan_program, rollup
from costsheet.csvdata import master, read_master_data
from costsheet.gcpause import paused_gc
from costsheet.syntax import parser

#: the modules that pause the collector, each under the name it imports paused_gc as
_USERS = (parser, master, rollup)
DATE = dt.date(2026, 6, 15)


@contextlib.contextmanager
def collector_running():
    """The code under test with its pauses replaced by no-ops."""
    for module in _USERS:
        module.paused_gc = contextlib.nullcontext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in _USERS:
            module.paused_gc = paused_gc  # type: ignore[attr-defined]


def interleaved(paused: Callable[[], object], running: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best CPU seconds of ``paused`` and of ``running``, taking turns (the first to go alternates)."""
    best = {"paused": float("inf"), "running": float("inf")}
    for round_ in range(repeat):
        for mode in ("paused", "running") if round_ % 2 == 0 else ("running", "paused"):
            gc.collect()
            start = time.process_time()
            (paused if mode == "paused" else running)()
            best[mode] = min(best[mode], time.process_time() - start)
    return best["paused"], best["running"]


def unpaused(work: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        with collector_running():
            return work()

    return run


def pause_cost(count: int = 200_000) -> float:
    """Microseconds per ``with paused_gc(): pass`` (enter + exit, one thread)."""
    start = time.process_time()
    for _ in range(count):
        with paused_gc():
            pass
    return (time.process_time() - start) / count * 1e6


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--lines", type=int, default=20_000)
    arguments.add_argument("--rows", type=int, default=50_000)
    arguments.add_argument("--items", type=int, default=30_000)
    arguments.add_argument("--repeat", type=int, default=5)
    options = arguments.parse_args()

    text = bench_parse.generate_ruleset(options.lines)
    parser.parse("vendor V", "warm.cost")  # the grammar is built (or loaded) once per process, not timed

    def parse() -> None:
        tree, diagnostics = parser.parse(text, "bench.cost")
        assert tree is not None and not diagnostics

    model = bench_costing.build(options.items)
    program = plan_program(model)
    bottom_up, top_down = list(model.items), list(reversed(model.items))

    def roll_up(order: list[str]) -> Callable[[], None]:
        def run() -> None:
            calculator = Calculator(program, DATE)
            for code in order:
                assert calculator.cost(code) is not None

        return run

    with tempfile.TemporaryDirectory() as folder:
        rows = bench_csv.generate(Path(folder), options.rows)

        def read_csv() -> None:
            _, diagnostics = read_master_data(Path(folder))
            assert not any(d.is_error for d in diagnostics)

        print(f"best of {options.repeat}, CPU seconds: paused (as shipped), and with the collector running")
        for name, paused, running, size in (
            ("parse", parse, unpaused(parse), f"{options.lines} lines"),
            ("csv", read_csv, unpaused(read_csv), f"{rows} rows"),
            ("roll-up", roll_up(bottom_up), unpaused(roll_up(bottom_up)), f"{options.items} items, bottom-up"),
            ("roll-up", roll_up(top_down), unpaused(roll_up(top_down)), f"{options.items} items, top-down"),
        ):
            paused_time, running_time = interleaved(paused, running, options.repeat)
            print(
                f"{name:8} {size:36} paused {paused_time:6.2f}s  running {running_time:6.2f}s  "
                f"running/paused {running_time / paused_time:.2f}x"
            )
    print(f"one pause (enter + exit): {pause_cost():.2f} us")


if __name__ == "__main__":
    main()
