"""Parse speed: costsheet's parser against CPython's own ``ast.parse``.

Generates a ruleset of about 50,000 lines with a realistic mix (items with
BOMs and routings, work centers, conditions, prices and discounts, ledgers),
and a Python module of the same size in characters, then times both in the
same run and prints lines per second and the ratio.  Run:

    PYTHONPATH=src python benchmarks/bench_parse.py [--lines N] [--repeat R] [--profile]

``--baseline OLD/src`` compares with another source tree (e.g. a checkout before a
change): each of ``--rounds`` rounds runs this benchmark once in a child process per
tree, alternately, and the table lists every round's ratio to ``ast.parse`` (each
measured in its own process, so machine load shifts both sides of a ratio alike).
"""

from __future__ import annotations

import argparse
import ast
import gc
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path


def generate_ruleset(target_lines: int) -> str:
    """A deterministic ruleset of about ``target_lines`` lines."""
    out: list[str] = [
        "setup {",
        "  cost-base           unit/direct/last",
        "  default material    M-BASE",
        "  default production  P-BASE",
        "  default capacity    C-BASE",
        "  amount-precision    0.01",
        "}",
        "accounting-periods { 2026-01-01 2026-04-01 2026-07-01 2026-10-01 }",
        "chart {",
        '  1100 begin-total "Material costs"',
        '  1110 element     "Direct material"   material',
        '  1120 element     "Material overhead" material-overhead',
        '  1199 end-total   "Total material"',
        '  2110 element     "Direct labour"     capacity',
        '  2120 element     "Labour overhead"   capacity-overhead',
        '  3100 element     "Mfg overhead"      mfg-overhead',
        '  5000 total       "COGM"              1100..1199 | 2110..2120 | 3100',
        '  6100 element     "Sales overhead"    sales-overhead',
        "}",
        "rounding CENTS nearest 0.01",
    ]
    n = 0
    while len(out) < target_lines:
        n += 1
        out += [
            f'vendor V-{n:05d} "Vendor {n}"',
            f'workcenter WC-{n:05d} "Center {n}" {{',
            "  direct-unit-cost 42.00/h   # per hour",
            "  indirect-cost    10%",
            "  overhead-rate    3.00/h",
            "  condition        C-BASE",
            "}",
            f'condition material M-{n:05d} "Material {n}" {{',
            "  direct   1110",
            "  overhead 1120",
            '  line 1120 "Purchasing"        percent 8',
            '  line 1120 "Freight"           row F amount 0.40',
            '  line 1120 "Freight insurance" row F percent 2.5',
            "}",
            f'condition charge LP-{n:05d} "List price {n}" {{',
            '  line      "COGM"           row A element 5000',
            '  line 6100 "Sales overhead" row B formula "10 % A"',
            '  line      "List price"     formula "A + B" list-price round CENTS',
            "}",
            f'item P-{n:05d} "Part {n}" {{',
            "  replenishment purchase",
            f"  vendor        V-{n:05d}",
            "  unit-cost     12.50",
            "  costing-method fifo",
            f"  condition material M-{n:05d}",
            "}",
            f"price    P-{n:05d} vendor V-{n:05d} from 2026-01-01 unit-cost 11.90",
            f"price    P-{n:05d} vendor V-{n:05d} from 2026-01-01 min-qty 100 unit-cost 11.20",
            f"discount P-{n:05d} vendor V-{n:05d} from 2026-06-01 to 2026-12-31 min-qty 50 5%",
            f'item A-{n:05d} "Assembly {n}" {{',
            "  replenishment  prod-order",
            "  lot-size       10",
            "  scrap          2%",
            "  indirect-cost  5%",
            f"  condition charge LP-{n:05d}",
            "  bom {",
            f"    P-{n:05d}  2",
            f"    P-{max(n - 1, 1):05d}  1  scrap 5%",
            "  }",
            "  routing {",
            f"    10 WC-{n:05d} setup 30min run 12min",
            f"    20 WC-{n:05d} run 4.5min",
            "  }",
            "}",
            f"ledger P-{n:05d} {{",
            "  2026-01-02 purchase +10 cost 125.00",
            "  2026-01-05 sale     -4",
            "  2026-01-09 sale     -1 applies-to 1",
            "  2026-02-01 charge 1 amount 2.50",
            "  2026-03-01 revaluation unit-cost 13.00",
            "}",
        ]
    return "\n".join(out) + "\n"


def generate_python(target_chars: int) -> str:
    """Python source of about ``target_chars`` characters: classes, functions, literals."""
    out: list[str] = []
    size = n = 0
    while size < target_chars:
        n += 1
        block = (
            f"class Part{n}:\n"
            f'    """Part {n}."""\n'
            f"    code = 'P-{n:05d}'\n"
            f"    costs = {{'unit': 12.50, 'overhead': [1, 2, 3], 'rate': {n} * 0.5}}\n"
            "\n"
            f"    def price(self, qty, date=None):\n"
            "        if qty >= 100 and date is not None:\n"
            "            return self.costs['unit'] * (1 - 5 / 100)  # discount\n"
            "        total = sum(x * qty for x in self.costs['overhead'])\n"
            f"        return total + qty * {n}.25\n"
            "\n"
        )
        out.append(block)
        size += len(block)
    return "".join(out)


def timed(func, *args) -> tuple[float, float]:
    """Wall time and CPU time of one run with garbage collection off (costsheet's
    parse turns it off itself; ast.parse gets the same terms).  The CPU time leaves
    out the time other processes had the core, so on a loaded machine it is the
    steadier figure."""
    gc.collect()
    gc.disable()
    try:
        start, start_cpu = time.perf_counter(), time.process_time()
        func(*args)
        return time.perf_counter() - start, time.process_time() - start_cpu
    finally:
        gc.enable()


def best_pair(repeat: int, ours, theirs) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (wall, CPU) times of both, measured alternately so that a noisy
    machine slows both sides alike."""
    best_ours = best_theirs = (float("inf"), float("inf"))
    for _ in range(repeat):
        wall, cpu = timed(*ours)
        best_ours = (min(best_ours[0], wall), min(best_ours[1], cpu))
        wall, cpu = timed(*theirs)
        best_theirs = (min(best_theirs[0], wall), min(best_theirs[1], cpu))
    return best_ours, best_theirs


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=50_000)
    options.add_argument("--repeat", type=int, default=5)
    options.add_argument("--profile", action="store_true", help="profile one parse with cProfile")
    options.add_argument("--baseline", help="another source tree to compare with, e.g. OLD/src")
    options.add_argument("--rounds", type=int, default=5, help="with --baseline: runs per tree")
    args = options.parse_args()
    if args.baseline:
        compare(args)
        return

    from costsheet.syntax.parser import parse

    ruleset = generate_ruleset(args.lines)
    python = generate_python(len(ruleset))
    ruleset_lines = ruleset.count("\n")
    python_lines = python.count("\n")

    result, diagnostics = parse(ruleset, "bench.cost")  # warm up: builds the parser once
    assert result is not None and not diagnostics, diagnostics[:3]

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(parse, ruleset, "bench.cost")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return

    (ours, ours_cpu), (theirs, theirs_cpu) = best_pair(args.repeat, (parse, ruleset, "bench.cost"), (ast.parse, python))
    print(f"ruleset: {ruleset_lines:,} lines, {len(ruleset):,} chars, {len(result.declarations):,} declarations")
    print(f"python:  {python_lines:,} lines, {len(python):,} chars")
    print(f"costsheet parse: {ours:.3f} s  {ruleset_lines / ours:,.0f} lines/s  {len(ruleset) / ours / 1e6:.2f} MB/s")
    print(
        f"ast.parse:       {theirs:.3f} s  {python_lines / theirs:,.0f} lines/s  {len(python) / theirs / 1e6:.2f} MB/s"
    )
    print(f"ratio (costsheet time / ast.parse time, same characters): {ours / theirs:.2f}x")
    print(f"ratio of CPU times ({ours_cpu:.3f} s / {theirs_cpu:.3f} s): {ours_cpu / theirs_cpu:.2f}x")


def compare(args: argparse.Namespace) -> None:
    """This benchmark in child processes, the baseline tree and this one alternately."""
    trees = {"before": args.baseline, "after": str(Path(__file__).resolve().parents[1] / "src")}
    ratios: dict[str, dict[str, list[float]]] = {name: {"wall": [], "CPU": []} for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            command = [sys.executable, __file__, "--lines", str(args.lines), "--repeat", str(args.repeat)]
            env = dict(os.environ, PYTHONPATH=src)
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
            wall = float(re.search(r"same characters\): ([\d.]+)x", out).group(1))
            cpu = float(re.search(r"ratio of CPU times .*: ([\d.]+)x", out).group(1))
            ratios[name]["wall"].append(wall)
            ratios[name]["CPU"].append(cpu)
            print(f"{name:6} ratio to ast.parse: wall {wall:.2f}x, CPU {cpu:.2f}x", flush=True)
    for name, kinds in ratios.items():
        for kind, values in kinds.items():
            print(
                f"{name:6} {kind:4} ratio: best {min(values):.2f}x, median {statistics.median(values):.2f}x, "
                f"worst {max(values):.2f}x"
            )


if __name__ == "__main__":
    main()
