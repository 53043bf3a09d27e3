"""Benchmark: a page of ``costsheet web``'s item list for a 100,000-item ruleset, as a ratio to costing them.

The ruleset: a chart, one material condition with an overhead line and N purchased parts
costed from their unit cost (as tests/web's 100,000-item browser test).  Timed in one run,
taking turns, best of R rounds each:

* ``costing``  every item's unit cost and list price (``Results.summary``: what the list
               shows, made once per load);
* ``sort``     the rows sorted by unit cost, descending (``views.select_rows``: once per
               order asked for; the server keeps the last four orders);
* ``page``     one page of 100 rows of the sorted rows (``views.items_page``: each request);
* ``search``   the rows whose code or description contains "99", and their first page.

The ratios to ``costing`` say how much of a list request is left once the costs are
known.  The load itself (parse, check) is timed once.

Run: ``PYTHONPATH=src python benchmarks/bench_web.py [--items N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

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


def best(times: list[float]) -> float:
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "parts.cost"
        write_ruleset(path, args.items)
        start = time.perf_counter()
        project = Project(path)
        load = time.perf_counter() - start
    snapshot = project.snapshot
    costing, sort, page, search = [], [], [], []
    for _ in range(args.repeat):
        results = Results(snapshot)  # nothing kept from the round before
        start = time.perf_counter()
        rows = item_rows(snapshot, results.summary())
        costing.append(time.perf_counter() - start)
        start = time.perf_counter()
        ordered = select_rows(rows, sort="unit_cost", descending=True)
        sort.append(time.perf_counter() - start)
        start = time.perf_counter()
        shown = items_page(snapshot, ordered, all_items=len(rows), offset=500, limit=100)
        page.append(time.perf_counter() - start)
        start = time.perf_counter()
        found = items_page(snapshot, select_rows(rows, query="99"), all_items=len(rows), limit=100)
        search.append(time.perf_counter() - start)
    assert len(shown["rows"]) == 100 and found["total"] > 0
    print(f"items: {args.items:,}; load (parse, check, plan) once: {load:.1f} s")
    print(f"costing every item (best of {args.repeat}): {best(costing):.2f} s")
    print(f"sorting them by unit cost:   {best(sort) * 1000:.0f} ms = {best(sort) / best(costing):.3f} x costing")
    print(f"a page of the sorted rows:   {best(page) * 1000:.1f} ms = {best(page) / best(costing):.4f} x costing")
    ratio = best(search) / best(costing)
    print(f"a search ('99', {found['total']:,} rows): {best(search) * 1000:.0f} ms = {ratio:.3f} x costing")


if __name__ == "__main__":
    main()
