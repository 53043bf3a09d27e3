"""Costing-BOM benchmark: the graph JSON against the expanded tree earlier versions returned.

    python benchmarks/bench_bom.py               # diamonds of 8 to 16 levels, a 5,000-level chain
    python benchmarks/bench_bom.py --repeat 5

A diamond BOM uses the next level twice at every level, so it has 2^n paths
to its leaf.  For each size the benchmark costs the top item once, then takes
turns (tree, graph, tree, graph ...) writing its costing BOM as JSON text:
the nested tree (``components`` inside ``components``, as the costing BOM
was written before it became a graph; rebuilt here without recursion) and
the graph (``CostResult.to_dict()["bom"]``, each item once).  Each figure is
the best of ``--repeat`` rounds; the ratio is tree over graph, measured in
the same run.  The 5,000-level chain shows the graph where the tree could
not be written at all (json.dumps recurses once per level).  Then
``bom_tree`` expands the 16-level diamond to the terminal's row limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import costsheet
from costsheet.cli.tables import BOM_ROWS
from costsheet.costing import bom_tree
from costsheet.numbers import to_text

DATE = dt.date(2026, 6, 15)
HEAD = """\
chart {
  1110 element "Direct material" material
  1120 element "Material overhead" material-overhead
  3100 element "Manufacturing overhead" mfg-overhead
}
setup { default material M default production P }
condition material M "M" { direct 1110 overhead 1120 }
condition production P "P" { direct 1110 overhead 3100 }
item L0 "Leaf" { unit-cost 1.00 indirect-cost 5 }
"""


def ruleset(levels: int, uses: int) -> str:
    lines = [
        f'item L{i} "Level {i}" {{ replenishment prod-order bom {{ {" ".join([f"L{i - 1} 1"] * uses)} }} }}'
        for i in range(1, levels)
    ]
    return HEAD + "\n".join(lines) + "\n"


def tree_text(root) -> str:
    """The costing BOM as the nested tree of earlier versions (every path expanded), as JSON text."""

    def entry(node) -> dict:
        return {
            "item": node.item,
            "description": node.description,
            "replenishment": node.replenishment,
            "lot_size": to_text(node.lot_size),
            "unit_cost": to_text(node.unit_cost),
            "components": [],
            "operations": [o.to_dict() for o in node.operations],
        }

    top = entry(root)
    stack = [(root, top)]
    while stack:
        node, data = stack.pop()
        for component in node.components:
            child = entry(component.node)
            child["quantity"] = to_text(component.quantity)
            data["components"].append(child)
            stack.append((component.node, child))
    return json.dumps(top)


def graph_text(result) -> str:
    return json.dumps(result.to_dict()["bom"])


def best(functions: dict, repeat: int) -> tuple[dict, dict]:
    times: dict = {}
    values: dict = {}
    for _ in range(repeat):
        for name, function in functions.items():
            values[name] = None
            gc.collect()
            start = time.perf_counter()
            values[name] = function()
            times[name] = min(times.get(name, float("inf")), time.perf_counter() - start)
    return times, values


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'BOM':<22} {'paths':>8} {'tree bytes':>12} {'tree s':>8} {'graph bytes':>12} {'graph s':>8} "
        f"{'bytes ratio':>12} {'time ratio':>11}"
    )
    for levels in (8, 10, 12, 14, 16):
        result = costsheet.load(ruleset(levels, 2)).calculate(f"L{levels - 1}", date=DATE)
        times, texts = best(
            {"tree": lambda r=result: tree_text(r.bom), "graph": lambda r=result: graph_text(r)}, args.repeat
        )
        tree, graph = len(texts["tree"]), len(texts["graph"])
        print(
            f"{f'diamond, {levels} levels':<22} {2 ** (levels - 1):>8,} {tree:>12,} {times['tree']:>8.4f} "
            f"{graph:>12,} {times['graph']:>8.4f} {tree / graph:>11.0f}x {times['tree'] / times['graph']:>10.0f}x"
        )
    chain = costsheet.load(ruleset(5_000, 1)).calculate("L4999", date=DATE)
    times, texts = best({"graph": lambda: graph_text(chain)}, args.repeat)
    try:
        tree_text(chain.bom)
        tree_note = "written"
    except RecursionError:
        tree_note = "RecursionError"
    print(
        f"{'chain, 5,000 levels':<22} {1:>8,} {tree_note:>12} {'':>8} {len(texts['graph']):>12,} {times['graph']:>8.4f}"
    )
    diamond = costsheet.load(ruleset(16, 2)).calculate("L15", date=DATE)
    times, trees = best({"rows": lambda: bom_tree(diamond.bom, max_rows=BOM_ROWS)}, args.repeat)
    print(
        f"bom_tree of the 16-level diamond, first {BOM_ROWS} rows: {times['rows'] * 1000:.2f} ms "
        f"({trees['rows'].left_out:,} rows left out, counted without expanding them)"
    )


if __name__ == "__main__":
    main()
