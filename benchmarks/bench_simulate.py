"""Benchmark: a simulation of 10,000 runs on a generated 1,000-item ruleset.

The ruleset: 49 product families of 8 purchased parts and 12 produced items (each with
three BOM lines drawn from its family's earlier items and one of 20 parts all families
share, and a routing operation on its family's work center), and the 20 shared parts:
1,000 items.  The simulation varies three inputs of the first family: the unit cost of a
part (triangular, relative), its work center's rate (uniform), a subassembly's scrap
(normal); it reports the family's two top items and another family's top item.  Each run
re-costs only the cone of those inputs (the first family's produced items); the other
family's item keeps its baseline cost.

Three executors, each timed on the same job, best of R rounds taken in turn (so a burst of
load elsewhere hits all alike), in runs per second:

* ``local-1``    one process (no pool);
* ``local-2``    two local worker processes (``--workers 2``);
* ``cluster-2``  a ``distributed.LocalCluster`` of two worker processes over loopback
                 (``--scheduler``), started once before the rounds.

All three must give the identical result (checked).  Run:
``PYTHONPATH=src python benchmarks/bench_simulate.py [--runs N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

FAMILIES = 49  # product families of 20 items each, and 20 parts they all share: 1,000 items
SHARED = 20


def ruleset_text(seed: int = 7) -> str:
    """The ruleset, with ``{runs}`` for the simulation's runs."""
    rng = random.Random(seed)
    lines = [
        "chart {",
        '  1110 element "Direct material"   material',
        '  1120 element "Material overhead" material-overhead',
        '  2110 element "Direct labour"     capacity',
        '  2120 element "Labour overhead"   capacity-overhead',
        '  3100 element "Mfg overhead"      mfg-overhead',
        "}",
        'condition material   M "Parts" { direct 1110 overhead 1120 line 1120 "Freight" percent 3 }',
        'condition production P "Made"  { direct 1110 overhead 3100 line 3100 "Tooling" percent 4 }',
        'condition capacity   C "Hours" { direct 2110 overhead 2120 line 2120 "Energy" amount 4.50 }',
        "setup { default material M  default production P  default capacity C }",
    ]
    shared = [f"S{index}" for index in range(SHARED)]
    lines.extend(f'item {code} "Shared part" {{ unit-cost {rng.randint(10, 500) / 100:.2f} }}' for code in shared)
    for family in range(FAMILIES):
        lines.append(f'workcenter WC-{family} "Line {family}" {{ direct-unit-cost {rng.randint(35, 60)}.00/h }}')
        codes = []
        for index in range(8):
            code = f"F{family}-P{index}"
            lines.append(f'item {code} "Part" {{ unit-cost {rng.randint(10, 5000) / 100:.2f} }}')
            codes.append(code)
        for index in range(12):
            code = f"F{family}-A{index}"
            components = [*rng.sample(codes, 3), rng.choice(shared)]
            bom = "  ".join(f"{c} {rng.randint(1, 4)}" for c in components)
            lines.append(
                f'item {code} "Made" {{ replenishment prod-order lot-size 10 '
                f"bom {{ {bom} }} routing {{ 10 WC-{family} setup 10min run {rng.randint(1, 30)}min }} }}"
            )
            codes.append(code)
    lines.append(
        'simulation RISK "Bench" {\n  runs {runs}\n  seed 42\n'
        "  item F0-P0 unit-cost triangular -5% 0% +15%\n"
        "  workcenter WC-0 direct-unit-cost uniform 40.00/h 46.00/h\n"
        "  item F0-A6 scrap normal 2% 0.5%\n}"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from distributed import LocalCluster

    from costsheet.ruleset import analyze
    from costsheet.scenarios import Job, read_definitions, run_local, run_on_cluster

    text = ruleset_text().replace("{runs}", str(args.runs))
    ruleset, diagnostics, _ = analyze(text, file="bench.cost")
    assert ruleset is not None, [d.message for d in diagnostics[:5]]
    simulation = read_definitions(ruleset.files).simulations["RISK"]
    top = ("F0-A11", "F0-A10", "F1-A11")  # the first family's two top items, and another family's
    job = Job((("bench.cost", text),), "RISK", top, dt.date(2026, 6, 15))
    cone = len(read_cone(ruleset, simulation))
    print(f"{len(ruleset.model.items)} items, {args.runs} runs, the inputs' cone: {cone} items, {len(top)} reported")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        executors = {
            "local-1": lambda: run_local(job, simulation, 1),
            "local-2": lambda: run_local(job, simulation, 2),
            "cluster-2": lambda: run_on_cluster(job, simulation, cluster.scheduler_address),
        }
        best: dict[str, float] = {}
        results = {}
        for _ in range(args.repeat):
            for name, run in executors.items():
                start = time.perf_counter()
                results[name] = run()
                best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    assert results["local-2"] == results["local-1"] == results["cluster-2"], "executors disagree"
    for name, seconds in best.items():
        print(f"{name:10} {seconds:8.2f} s  {args.runs / seconds:9.0f} runs/s  {best['local-1'] / seconds:5.2f}x")


def read_cone(ruleset, simulation):
    from costsheet.scenarios import Baseline, changed_by

    base = Baseline.build(ruleset.model, ruleset.program, (), dt.date(2026, 6, 15))
    return base.cone(changed_by(v.target for v in simulation.variations))


if __name__ == "__main__":
    main()
