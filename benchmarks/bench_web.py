"""Benchmark: ``costsheet web``'s reload and item list for a 100,000-item ruleset, as ratios to a fresh run.

The ruleset: a chart, one material condition with an overhead line and N purchased parts
costed from their unit cost (as tests/web's 100,000-item browser test).  The baseline is
what a fresh start costs: ``costsheet.load`` and ``calculate_all`` of the same file (what
``costsheet calc --all`` does).  Timed in one run, taking turns with the baseline, best of
R rounds each:

* ``reload``   one part's unit cost changed on disk and ``Project.reload()`` (the session's
               update: re-parse the declaration, re-check, re-cost the part);
* ``costing``  every item's unit cost and list price (``Results.summary``: what the list
               shows, made once per load from the session's results);
* ``sort``     the rows sorted by unit cost, descending (``views.select_rows``: once per
               order asked for; the server keeps the last four orders);
* ``page``     one page of 100 rows of the sorted rows (``views.items_page``: each request);
* ``search``   the rows whose code or description contains "99", and their first page.

Each is printed as a ratio to the baseline.  The first load is timed once.

Run: ``PYTHONPATH=src python benchmarks/bench_web.py [--items N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import tempfile
import time
from pathlib import Path

import costsheet
from costsheet.service.web import Project
from costsheet.service.web.project import Results
from costsheet.service.web.views import item_rows, items_page, select_rows

HEAD = """setup {
  cost-base unit-cost
  default material M-PART
}
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
  5000 total   "Cost"              1110..1120
}
condition material M-PART "Parts" {
  direct   1110
  overhead 1120
  line 1120 "Handling" percent 5
}
"""


def write_ruleset(path: Path, items: int) -> None:
    parts = [HEAD, *(f'item P{n:06d} "Part {n}" {{\n  unit-cost {n % 997}.{n % 89:02d}\n}}\n' for n in range(items))]
    path.write_text("\n".join(parts), encoding="utf-8")


def timed(work, into: list[float]):
    gc.collect()
    start = time.perf_counter()
    value = work()
    into.append(time.perf_counter() - start)
    return value


def one_round(project: Project, path: Path, text: str, round_: int, steps: dict[str, list[float]]):
    """The baseline, then a save and what the list does after it; ``(a page, a search)``."""
    timed(lambda: costsheet.load(str(path)).calculate_all(date=dt.date.today()), steps["fresh"])
    cost = "unit-cost 1234.56" if round_ % 2 == 0 else "unit-cost 0.00"  # P000000's: a real change
    path.write_text(text.replace("unit-cost 0.00", cost, 1), encoding="utf-8")
    snapshot = timed(project.reload, steps["reload"])
    assert snapshot.ruleset is not None and len(snapshot.recosted) == 1, snapshot.diagnostics[:3]
    results = Results(snapshot)  # nothing kept from the round before
    rows = timed(lambda: item_rows(snapshot, results.summary()), steps["costing"])
    ordered = timed(lambda: select_rows(rows, sort="unit_cost", descending=True), steps["sort"])
    shown = timed(lambda: items_page(snapshot, ordered, all_items=len(rows), offset=500, limit=100), steps["page"])
    found = timed(
        lambda: items_page(snapshot, select_rows(rows, query="99"), all_items=len(rows), limit=100), steps["search"]
    )
    return shown, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    steps: dict[str, list[float]] = {name: [] for name in ("fresh", "reload", "costing", "sort", "page", "search")}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "parts.cost"
        write_ruleset(path, args.items)
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        project = Project(path)
        load = time.perf_counter() - start
        for round_ in range(args.repeat):
            shown, found = one_round(project, path, text, round_, steps)
    assert len(shown["rows"]) == 100 and found["total"] > 0
    best = {name: min(times) for name, times in steps.items()}
    print(f"items: {args.items:,}; first load (parse, check, plan, session) once: {load:.1f} s")
    print(f"baseline, a fresh load and calculate_all (best of {args.repeat}): {best['fresh']:.2f} s")
    for name, label in (
        ("reload", "a reload after one part's cost changed"),
        ("costing", "costing every item for the list"),
        ("sort", "sorting them by unit cost"),
        ("page", "a page of the sorted rows"),
        ("search", f"a search ('99', {found['total']:,} rows)"),
    ):
        print(f"{label + ':':42s} {best[name] * 1000:9.1f} ms = {best[name] / best['fresh']:.5f} x fresh")


if __name__ == "__main__":
    main()
