"""Benchmark: building the where-used index of a 100,000-item ruleset, as a ratio to loading it.

The ruleset (written as text, as a user would): 20% purchased parts with a
vendor and a price line, the rest produced items with up to 8 BOM lines
(components drawn half from the previous 2,000 items and half from anywhere
below, so subassemblies are shared, as in bench_costing.py) and one or two
routing operations on ten work centers and ten machine centers.

Loading (parse, check, model) and building the index (``build_index``) take
turns, best of R rounds each, in one run, so a burst of load elsewhere hits
both alike; the ratio is build / load.  Then the answers a user or an
incremental re-cost asks for, each timed once: the where-used of the most used
part, of a work center and of the default material condition, and the
affected cone of one part with its costing order.

Run: ``PYTHONPATH=src python benchmarks/bench_whereused.py [--items N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import tempfile
import time
from pathlib import Path

import costsheet
from costsheet.whereused import Kind, build_index

HEADER = """
setup {
  default material   M
  default production P
  default capacity   C
}
chart {
  1110 element "Direct material"        material
  1120 element "Material overhead"      material-overhead
  2110 element "Direct labour"          capacity
  2120 element "Labour overhead"        capacity-overhead
  3100 element "Manufacturing overhead" mfg-overhead
}
condition material   M "Material"   { direct 1110 overhead 1120 }
condition production P "Production" { direct 1110 overhead 3100 }
condition capacity   C "Capacity"   { direct 2110 overhead 2120 line 2120 "Energy" amount 4.50 }
vendor V1 "Vendor one"
vendor V2 "Vendor two"
"""


#: items per included file (costsheet reads files of at most 10 MB)
CHUNK = 10_000


def _cents(value: int) -> str:
    """``1234`` -> ``"12.34"`` (no float on the way)."""
    return f"{value // 100}.{value % 100:02d}"


def generate(n: int, seed: int = 7) -> dict[str, str]:
    """``{file name: text}``: bench.cost including one file per CHUNK items."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    out: list[str] = []
    centers = out
    for k in range(10):
        out.append(f'workcenter WC{k} "Center {k}" {{ direct-unit-cost {30 + k}.00/h }}')
        out.append(f'machinecenter MC{k} "Machine {k}" in WC{k} {{ direct-unit-cost {40 + k}.00/h }}')
    purchased = n // 5
    for index in range(n):
        if index % CHUNK == 0:
            out = []
            files[f"items{index // CHUNK:03d}.cost"] = out  # filled in below, joined at the end
        code = f"I{index:06d}"
        if index < purchased:
            vendor = "V1" if index % 2 else "V2"
            out.append(f'item {code} "Part {index}" {{ unit-cost {_cents(rng.randint(100, 99999))} vendor {vendor} }}')
            out.append(f"price {code} vendor {vendor} from 2026-01-01 unit-cost {_cents(rng.randint(100, 99999))}")
            continue
        components = {
            f"I{rng.randrange(max(0, index - 2000), index):06d}"
            if rng.random() < 0.5
            else f"I{rng.randrange(0, index):06d}"
            for _ in range(8)
        }
        bom = " ".join(
            f"{c} {_cents(rng.randint(1, 24))}" + (" scrap 5%" if rng.random() < 0.3 else "")
            for c in sorted(components)
        )
        routing = " ".join(
            f"{10 * (k + 1)} {rng.choice(('WC', 'MC'))}{rng.randrange(10)} "
            f"setup {rng.randint(0, 60)}min run {rng.randint(1, 30)}min"
            for k in range(rng.randint(1, 2))
        )
        out.append(
            f'item {code} "Assembly {index}" {{ replenishment prod-order lot-size {rng.choice((1, 5, 10, 50))} '
            f"scrap {rng.choice((0, 1, 2))}% bom {{ {bom} }} routing {{ {routing} }} }}"
        )
    entry = [HEADER, *centers, *(f'include "{name}"' for name in files)]
    return {"bench.cost": "\n".join(entry) + "\n", **{name: "\n".join(lines) + "\n" for name, lines in files.items()}}


def interleaved(functions: dict, repeat: int) -> tuple[dict, dict]:
    """Best time of each function over ``repeat`` rounds that run them in turn, and each one's last value."""
    best: dict = {}
    values: dict = {}
    for _ in range(repeat):
        for name, function in functions.items():
            values[name] = None
            gc.collect()
            start = time.perf_counter()
            values[name] = function()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    return best, values


def once(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = generate(args.items)
    folder = Path(tempfile.mkdtemp(prefix="bench-whereused-"))
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    entry = str(folder / "bench.cost")
    model = costsheet.load(entry).model
    lines = sum(len(item.bom) for item in model.items.values())
    size = sum(len(text) for text in files.values())
    print(f"{len(model.items):,} items, {lines:,} BOM lines, {size:,} characters in {len(files)} files")
    best, values = interleaved(
        {
            "load": lambda: costsheet.load(entry),
            "index": lambda: build_index(model),
        },
        args.repeat,
    )
    print(f"load the ruleset   {best['load']:8.3f} s  1.000x")
    print(
        f"build the index    {best['index']:8.3f} s  {best['index'] / best['load']:.3f}x  "
        f"(best of {args.repeat}, interleaved)"
    )
    index = values["index"]
    part = max(index.parents, key=lambda code: len(index.parents[code]))
    for label, function in (
        (
            f"where-used of the most used part {part} ({len(index.parents[part])} parents)",
            lambda: index.where_used(part, Kind.ITEM),
        ),
        ("where-used of work center WC0", lambda: index.where_used("WC0", Kind.RESOURCE)),
        ("where-used of the default material condition M", lambda: index.where_used("M", Kind.CONDITION)),
        (f"affected cone of {part} in costing order", lambda: index.costing_order(index.affected([part]))),
    ):
        elapsed, answer = once(function)
        size = len(answer.items) if hasattr(answer, "items") else len(answer)
        print(f"{label}: {elapsed:.3f} s, {size:,} items")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
