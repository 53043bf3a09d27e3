"""Benchmark: the start-up of ``costsheet check demo/demo.cost`` (the bundled demo), in CPU seconds.

Each run is a fresh process running the command as a user does (``costsheet.cli.main``, the console
script's entry), with a warm parser cache (a folder of its own, built before the timed runs) and the
modules' bytecode written by a first run.  Beside it, in the same rounds, the floor it stands on:
``python -c pass`` (the interpreter) and ``python -c "import lark"`` (the parser library alone), and,
with ``--baseline REV``, the same command on an earlier revision checked out into a temporary
worktree (``bench_calc_all.baseline_source``).  The runs take turns (pass, lark, this tree,
baseline, pass, ...), so a burst of load from elsewhere hits all alike; the figures are the CPU
seconds of the child (user + system, from ``os.wait4``), best and median of ``--repeat``.

``--cold`` adds the same checks without a parser cache (``COSTSHEET_CACHE_DIR`` empty: the parsers
built from the grammar in every run).  ``--breakdown`` prints, for this tree, where one run's CPU
goes: interpreter, attrs, click and lark, costsheet's imports, loading the ruleset parser from the
cache, the first parse, the check (measured inside the process, each phase the best of ``--repeat``
processes, after the rounds).

Run: ``python benchmarks/bench_startup.py [--repeat R] [--baseline REV] [--cold] [--breakdown]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_calc_all import COMMAND, baseline_source, measured  # noqa: E402  (the folder is not a package)

#: Where one run's CPU goes, measured inside the process (``--breakdown``).
BREAKDOWN = """
import resource, sys, time
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
marks = [("interpreter", cpu())]
import attrs, click, lark
marks.append(("import attrs, click, lark", cpu()))
import costsheet.cli.check, costsheet.ruleset
from costsheet.syntax.parser import _parser, parse
marks.append(("costsheet's imports", cpu()))
_parser("ruleset")
marks.append(("the ruleset parser from the cache", cpu()))
from pathlib import Path
entry = Path(sys.argv[1])
parse(entry.read_text(encoding="utf-8"), str(entry))
marks.append(("first parse of the entry file", cpu()))
costsheet.cli.check.check_paths([str(entry)])
marks.append(("the whole check (its parse again)", cpu()))
previous = 0.0
for name, at in marks:
    print(f"{name}\t{at - previous}")
    previous = at
"""


def breakdown(env: dict[str, str], entry: Path, runs: int) -> dict[str, float]:
    """Each phase of :data:`BREAKDOWN` (CPU seconds), the best of ``runs`` fresh processes."""
    best: dict[str, float] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", BREAKDOWN, str(entry)], env=env, check=True, capture_output=True, text=True
        )
        for line in done.stdout.splitlines():
            name, seconds = line.split("\t")
            best[name] = min(best.get(name, float("inf")), float(seconds))
    return best


def environment(source: Path | None, cache: Path | None) -> dict[str, str]:
    """The child's environment: ``source`` on the path, its own parser cache (None: none), bytecode kept."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["COSTSHEET_CACHE_DIR"] = "" if cache is None else str(cache)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


def cpu_of(arguments: list[str], env: dict[str, str], expected: tuple[int, ...] = (0,)) -> float:
    """CPU seconds (user + system) of one fresh process running ``arguments``."""
    with open(os.devnull, "wb") as sink:
        returncode, errors, figures = measured(arguments, env, sink)
    if returncode not in expected:
        raise SystemExit(f"{' '.join(arguments)} failed ({returncode}):\n{errors}")
    return figures["cpu"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--baseline", metavar="REV", help="an earlier revision to measure beside this tree")
    parser.add_argument("--breakdown", action="store_true", help="where one run of this tree's check goes")
    parser.add_argument("--cold", action="store_true", help="the check without a parser cache too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, baseline_source(args.baseline) as baseline:
        work = Path(folder)
        demo = work / "demo"
        init = [sys.executable, "-c", COMMAND, "init", str(demo)]
        subprocess.run(init, env=environment(ROOT / "src", work / "cache-init"), check=True, capture_output=True)
        check = ["-c", COMMAND, "check", str(demo / "demo.cost")]
        sources = {"this tree": ROOT / "src", **({f"baseline {args.baseline}": baseline} if baseline else {})}
        runs: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], environment(None, work / "cache-none")),
            "python -c 'import lark'": ([sys.executable, "-c", "import lark"], environment(None, work / "cache-none")),
            **{
                f"check ({name})": ([sys.executable, *check], environment(source, work / f"cache-{index}"))
                for index, (name, source) in enumerate(sources.items())
            },
        }
        if args.cold:  # COSTSHEET_CACHE_DIR empty: no parser kept, both built from the grammar
            runs.update(
                {
                    f"check, no cache ({name})": ([sys.executable, *check], environment(source, None))
                    for name, source in sources.items()
                }
            )
        for arguments, env in runs.values():  # bytecode and parser caches written outside the timing
            cpu_of(arguments, env)
            cpu_of(arguments, env)
        found: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, (arguments, env) in runs.items():
                found[name].append(cpu_of(arguments, env))
        this = min(found["check (this tree)"])
        print(f"costsheet check demo/demo.cost, warm parser cache: CPU seconds (user + system) of {args.repeat} runs")
        print(f"{'run':36} {'best':>7} {'median':>7} {'best vs this tree':>18}")
        for name, cpus in found.items():
            best = min(cpus)
            print(f"{name:36} {best:7.3f} {statistics.median(cpus):7.3f} {best / this:17.2f}x")
        if args.breakdown:
            print(f"\nthis tree, where the CPU goes (seconds inside the process, each the best of {args.repeat}):")
            phases = breakdown(runs["check (this tree)"][1], demo / "demo.cost", args.repeat)
            for name, seconds in phases.items():
                print(f"  {name:36} {seconds:6.3f}")
            print(f"  {'sum':36} {sum(phases.values()):6.3f}  (then the exit)")


if __name__ == "__main__":
    main()
