"""Benchmark: the whole ``costsheet calc RULESET --all`` command on a generated ruleset file, against
an earlier version of costsheet measured in the same run.

The ruleset is ``check_speed.py``'s (a quarter assemblies with a BOM of three parts, a routing and a
charge condition with formulas; the rest purchased parts with a price line), N items, written to an
entry file that includes a part file per 30,000 items (a file holds at most 10 MB).  A run that does
not exit 0 stops the benchmark with its error.  Each run is a fresh process running the command as a
user does: parse, build, checks, costing, writing the answer to standard output, a file (JSON by
default: ``--format``).  The versions take turns (this tree, the baseline, this tree, ...), best of
``--repeat``, so a burst of load from elsewhere hits both alike; the figures are wall-clock seconds,
CPU seconds (user + system of the child) and the child's peak resident memory.

``--baseline REV`` checks out that revision of this repository into a temporary worktree (``git
worktree add --detach``, removed afterwards) and runs its ``src``; without it only this tree runs.
Both use a fresh parser cache folder of their own, built once before the timed runs (where the
version has one).

Run: ``python benchmarks/bench_calc_all.py [--items N] [--repeat R] [--format json|csv|table]
[--baseline REV]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from check_speed import HEAD, item_text  # noqa: E402  (the benchmark folder is not a package)

#: Items per file: a file holds at most 10,000,000 bytes (docs/language.md), so a large ruleset is an
#: entry file that includes parts of this many items each (about 4 MB).
ITEMS_PER_FILE = 30_000

#: The command a run executes, as ``costsheet`` does (the console script calls ``costsheet.cli.main``).
COMMAND = "import sys; from costsheet.cli import main; sys.argv[0] = 'costsheet'; main()"


@contextlib.contextmanager
def baseline_source(revision: str | None) -> Iterator[Path | None]:
    """The ``src`` folder of ``revision`` in a temporary worktree (None: no baseline)."""
    if revision is None:
        yield None
        return
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), revision], check=True)
        try:
            yield tree / "src"
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)


def measured(arguments: list[str], env: dict[str, str], stream: IO[bytes]) -> tuple[int, str, dict[str, float]]:
    """Run ``arguments`` in a fresh process, standard output to ``stream``: ``(exit status,
    standard error, {"wall": s, "cpu": user + system s of the child, "peak_mb": its peak RSS})``."""
    start = time.perf_counter()
    process = subprocess.Popen(arguments, env=env, stdout=stream, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    figures = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}
    return os.waitstatus_to_exitcode(status), errors, figures


def run(source: Path, ruleset: Path, output: Path, fmt: str, cache: Path) -> dict[str, float]:
    """One ``calc --all`` in a fresh process: wall and CPU seconds, peak MB."""
    env = {**os.environ, "PYTHONPATH": str(source), "COSTSHEET_CACHE_DIR": str(cache)}
    arguments = [sys.executable, "-c", COMMAND, "calc", str(ruleset), "--all", "--format", fmt]
    with output.open("wb") as stream:  # standard output to a file (older versions have no --output)
        returncode, errors, figures = measured(arguments, env, stream)
    if returncode != 0:
        raise SystemExit(f"calc --all failed ({returncode}) with {source}:\n{errors}")
    return figures


def write_ruleset(folder: Path, items: int) -> Path:
    """check_speed's ruleset of ``items`` items in ``folder``: an entry file with the shared declarations
    that includes a part file per :data:`ITEMS_PER_FILE` items; the entry file."""
    entry = folder / "generated.cost"
    includes = []
    for number, start in enumerate(range(0, items, ITEMS_PER_FILE)):
        part = folder / f"part-{number}.cost"
        part.write_text("".join(item_text(i) for i in range(start, min(start + ITEMS_PER_FILE, items))), "utf-8")
        includes.append(f'include "{part.name}"\n')
    entry.write_text(HEAD + "".join(includes), encoding="utf-8")
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", default="json", choices=("json", "csv", "table"))
    parser.add_argument("--baseline", metavar="REV", help="an earlier revision to measure beside this tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, baseline_source(args.baseline) as baseline:
        work = Path(folder)
        ruleset = write_ruleset(work, args.items)
        versions = {"this tree": ROOT / "src", **({f"baseline {args.baseline}": baseline} if baseline else {})}
        size = sum(path.stat().st_size for path in work.glob("*.cost"))
        print(f"calc --all --format {args.format}: {args.items:,} items, {size / 1e6:.1f} MB")
        caches = {name: work / f"cache-{index}" for index, name in enumerate(versions)}
        for name, source in versions.items():  # build each version's parser cache outside the timing
            run(source, ruleset, work / "warm.out", args.format, caches[name])
        best: dict[str, dict[str, float]] = {}
        for round_number in range(args.repeat):
            for name, source in versions.items():
                found = run(source, ruleset, work / "out", args.format, caches[name])
                print(
                    f"round {round_number + 1}: {name:24} {found['wall']:6.1f} s  cpu {found['cpu']:6.1f} s  "
                    f"{found['peak_mb']:6.0f} MB",
                    flush=True,
                )
                kept = best.get(name)
                if kept is None or found["cpu"] < kept["cpu"]:
                    best[name] = found
    base = best[next(iter(versions))]
    print(f"\nbest of {args.repeat} (CPU time)")
    print(f"{'version':28} {'wall s':>7} {'cpu s':>7} {'vs this tree':>13} {'peak MB':>8}")
    for name, found in best.items():
        print(
            f"{name:28} {found['wall']:7.1f} {found['cpu']:7.1f} {found['cpu'] / base['cpu']:12.2f}x "
            f"{found['peak_mb']:8.0f}"
        )


if __name__ == "__main__":
    main()
