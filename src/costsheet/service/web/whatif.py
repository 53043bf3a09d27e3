"""The data of the what-if page of ``costsheet web``: the ruleset's scenarios and simulations, a
scenario beside the ruleset, a simulation's statistics, histogram and influence.

Plain functions over the loaded ruleset (no HTTP here); the numbers are the scenarios API's
(:func:`costsheet.scenarios.run_whatif`, :func:`~costsheet.scenarios.run_batch` and
:func:`~costsheet.scenarios.combine`), as ``costsheet whatif`` and ``costsheet simulate`` give
them.  A simulation runs in the web server's process, at most :data:`MAX_RUNS` runs per request
(docs/web.md, "What-if"): the first runs of the simulation, drawn as the command line draws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ...numbers import CONTEXT, D, outgoing, quantize_display, to_text
from ...scenarios import Baseline, Job, combine, read_definitions, run_batch, run_whatif

__all__ = [
    "MAX_RUNS",
    "MAX_ITEMS",
    "BINS",
    "read_definitions",
    "definitions_view",
    "scenario_view",
    "simulation_view",
    "histogram",
]

#: the most runs of a simulation one request of the what-if page runs (the command line runs them all)
MAX_RUNS = 1000
#: the most items one scenario request costs (the first of the ruleset, unless the request names them)
MAX_ITEMS = 500
#: the bars of the histogram of an item's unit cost over the runs
BINS = 20


def _cells(texts: dict[str, str | None], places: tuple[int, int]) -> dict[str, dict[str, str] | None]:
    """Exact decimal strings as the page's cells: ``{"value": exact, "shown": with places decimals}``."""
    return {
        key: None if text is None else {"value": text, "shown": quantize_display(D(text), *places)}
        for key, text in texts.items()
    }


def definitions_view(ruleset) -> dict[str, Any]:
    """The ruleset's scenarios (code, description, number of changes) and simulations (code,
    description, runs, seed, inputs), in the order written."""
    found = read_definitions(ruleset.files)
    return {
        "scenarios": [
            {"code": s.code, "description": s.description, "edits": len(s.edits)} for s in found.scenarios.values()
        ],
        "simulations": [
            {
                "code": s.code,
                "description": s.description,
                "runs": s.runs,
                "seed": s.seed,
                "inputs": [v.target.label for v in s.variations],
            }
            for s in found.simulations.values()
        ],
        "max_runs": MAX_RUNS,
    }


def scenario_view(ruleset, code: str, items: Sequence[str], date: dt.date) -> dict[str, Any]:
    """Scenario ``code`` for ``items``: per item base, scenario, difference and % of the unit cost and the
    list price (exact decimal strings: the JSON of ``costsheet whatif``), and the calculations'
    diagnostics (an item that could not be costed has no row).  Each number is a cell
    ``{"value": exact, "shown": with the setup's decimals amounts}`` (percentages: 2 decimals)."""
    scenario = read_definitions(ruleset.files).scenarios[code]
    base = Baseline.build(ruleset.model, ruleset.program, tuple(items), date, None)
    result = run_whatif(base, scenario)
    places = ruleset.model.setup.amount_decimals
    rows = []
    for entry in result.items:
        item = ruleset.model.items.get(entry.item)
        figures = entry.to_dict()
        rows.append(
            {
                "item": entry.item,
                "description": item.description if item else "",
                **{key: _cells(figures[key], places) for key in ("base", "scenario", "difference")},
                "percent": _cells(figures["percent"], (2, 2)),
            }
        )
    return {
        "scenario": result.scenario,
        "description": result.description,
        "date": result.date.isoformat(),
        "items": rows,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }


def histogram(values: Sequence[Decimal], bins: int = BINS) -> list[dict[str, Any]]:
    """``bins`` bars of equal width from the least to the greatest value: ``low``, ``high`` (exact
    decimal strings) and ``count`` (a value on an inner edge counts in the bar above it; the greatest in
    the last).  All values equal: one bar."""
    low, high = min(values), max(values)
    if low == high:
        return [{"low": to_text(low), "high": to_text(high), "count": len(values)}]
    width = CONTEXT.divide(CONTEXT.subtract(high, low), bins)
    counts = [0] * bins
    for value in values:
        index = int(CONTEXT.divide(CONTEXT.subtract(value, low), width).to_integral_value(rounding="ROUND_FLOOR"))
        counts[min(index, bins - 1)] += 1
    edges = [outgoing(CONTEXT.add(low, CONTEXT.multiply(width, index))) for index in range(bins)] + [high]
    edges[0] = low
    return [
        {"low": to_text(edges[index]), "high": to_text(edges[index + 1]), "count": count}
        for index, count in enumerate(counts)
    ]


def simulation_view(ruleset, code: str, item: str, date: dt.date) -> dict[str, Any]:
    """Simulation ``code`` for ``item``: the statistics of its unit cost and list price, the histogram of
    its unit cost over the runs and the influence of each input (strongest first), over at most
    :data:`MAX_RUNS` runs (``runs`` says how many ran, ``declared`` how many the simulation has).
    ``diagnostics`` is not empty when a run could not be costed (then there are no statistics).  The
    statistics are cells as in :func:`scenario_view`; the histogram's edges and the correlations exact
    decimal strings."""
    simulation = read_definitions(ruleset.files).simulations[code]
    runs = min(simulation.runs, MAX_RUNS)
    job = Job(tuple(ruleset.sources.items()), code, (item,), date, None)
    batch = run_batch(job, 0, runs)
    result = combine(job, attrs.evolve(simulation, runs=runs), [batch])
    data: dict[str, Any] = {
        "simulation": code,
        "description": simulation.description,
        "item": item,
        "date": date.isoformat(),
        "runs": runs,
        "declared": simulation.runs,
        "seed": simulation.seed,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }
    if result.diagnostics:
        return {**data, "statistics": None, "histogram": [], "influence": []}
    (summary,) = result.items
    places = ruleset.model.setup.amount_decimals
    statistics = {
        figure: None if texts is None else _cells(texts, places) for figure, texts in summary.to_dict().items()
    }
    return {
        **data,
        "statistics": statistics,
        "histogram": histogram([values[0][0] for values in batch.values]),
        "influence": [{"input": i.input, "rank_correlation": to_text(i.rank_correlation)} for i in result.influence],
    }
