"""``simulate``: many runs of a model edited by draws, and their statistics.

A :class:`Job` is everything a worker needs, as plain data (the ruleset's texts, the
simulation's code, the items, the date and the lot size): it is what is shipped to a worker
once.  :func:`run_batch` makes the runs ``start..stop-1`` of a job and returns a
:class:`Batch`; each run draws from the seed and its own index only
(:mod:`.sampling`), so batches can be made anywhere, in any order.  :func:`combine` puts
batches back in run order and computes the :class:`SimulationResult`: the same whatever
the number of batches, workers or machines.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from ..check.values import LOT_SIZES
from ..diagnostics import Diagnostic
from ..jsontext import json_text
from ..numbers import ZERO, to_text
from .definitions import Edit, Simulation, Variation, read_definitions
from .edits import apply_edits, changed_by
from .recost import Baseline, recost
from .sampling import draw
from .statistics import Summary, rank_correlation, summarize

__all__ = ["Job", "Batch", "Influence", "ItemSummary", "SimulationResult", "run_batch", "combine", "batches"]


@attrs.frozen(cache_hash=True)
class Job:
    """A simulation to run: ``texts`` are the ruleset's files (name, text), the first the entry."""

    texts: tuple[tuple[str, str], ...]
    simulation: str
    items: tuple[str, ...]
    date: dt.date
    lot_size: Decimal | None = None


@attrs.frozen(eq=False)
class _Prepared:
    baseline: Baseline
    simulation: Simulation


@functools.lru_cache(maxsize=4)
def _prepared(job: Job) -> _Prepared:
    """The job's ruleset loaded and costed once per process (a worker keeps it for every batch)."""
    from ..ruleset import load_texts

    ruleset, diagnostics, _ = load_texts(dict(job.texts), job.texts[0][0])
    if ruleset is None:
        raise ValueError(f"the ruleset of the job does not load: {[d.code for d in diagnostics]}")
    simulation = read_definitions(ruleset.files).simulations[job.simulation]
    baseline = Baseline.build(ruleset.model, ruleset.program, job.items, job.date, job.lot_size)
    return _Prepared(baseline, simulation)


@attrs.frozen
class Batch:
    """Runs ``start`` .. ``start + len(draws) - 1``: per run the draws (one per variation) and
    per item the unit cost and list price (None when it has none); ``failures`` are
    ``(run, item, message)`` of the calculations that failed."""

    start: int
    draws: tuple[tuple[Decimal, ...], ...]
    values: tuple[tuple[tuple[Decimal, Decimal | None] | None, ...], ...]
    failures: tuple[tuple[int, str, str], ...] = ()


def _floor(variation: Variation) -> Decimal | None:
    """The least value a drawn field takes (docs/scenarios.md, "Draws"): lot sizes the least
    lot size the checker accepts, other master data 0; condition lines are not clamped."""
    target = variation.target
    if target.kind == "condition":
        return None
    return LOT_SIZES[0] if target.field == "lot-size" else ZERO


def _edits(simulation: Simulation, draws: Sequence[Decimal]) -> list[Edit]:
    return [
        attrs.evolve(variation.edit(value), floor=_floor(variation))
        for variation, value in zip(simulation.variations, draws, strict=True)
    ]


def run_batch(job: Job, start: int, stop: int) -> Batch:
    """Runs ``start`` to ``stop - 1`` of ``job``."""
    prepared = _prepared(job)
    baseline, simulation = prepared.baseline, prepared.simulation
    changed = changed_by(v.target for v in simulation.variations)
    all_draws, all_values, failures = [], [], []
    for run in range(start, stop):
        draws = tuple(
            draw(v.distribution, v.parameters, simulation.seed, run, index)
            for index, v in enumerate(simulation.variations)
        )
        results = recost(baseline, apply_edits(baseline.model, _edits(simulation, draws)), changed)
        values = []
        for code in baseline.items:
            result, diagnostics = results[code]
            if result is None:
                errors = [d.message for d in diagnostics if d.is_error] or ["it could not be costed"]
                failures.append((run, code, errors[0]))
                values.append(None)
            else:
                values.append((result.unit_cost, result.list_price))
        all_draws.append(draws)
        all_values.append(tuple(values))
    return Batch(start, tuple(all_draws), tuple(all_values), tuple(failures))


def batches(runs: int, size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive batches of at most ``size`` runs."""
    return [(start, min(start + size, runs)) for start in range(0, runs, size)]


@attrs.frozen
class ItemSummary:
    item: str
    unit_cost: Summary
    list_price: Summary | None  # None: the item has no charge condition

    def to_dict(self) -> dict[str, object]:
        return {
            "unit_cost": self.unit_cost.to_dict(),
            "list_price": None if self.list_price is None else self.list_price.to_dict(),
        }


@attrs.frozen
class Influence:
    """The Spearman rank correlation between the draws of ``input`` and ``item``'s unit cost."""

    item: str
    input: str
    rank_correlation: Decimal

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "input": self.input, "rank_correlation": to_text(self.rank_correlation)}


@attrs.frozen
class SimulationResult:
    simulation: str
    description: str
    runs: int
    seed: int
    date: dt.date
    items: tuple[ItemSummary, ...]
    influence: tuple[Influence, ...]  # per item (in the order asked), strongest first
    diagnostics: tuple[Diagnostic, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "simulation": self.simulation,
            "runs": self.runs,
            "seed": self.seed,
            "items": {entry.item: entry.to_dict() for entry in self.items},
            "influence": [entry.to_dict() for entry in self.influence],
        }

    def to_json(self) -> str:
        return json_text(self.to_dict())


def _failure_diagnostics(failures: Iterable[tuple[int, str, str]], simulation: Simulation) -> tuple[Diagnostic, ...]:
    found = sorted(failures)
    if not found:
        return ()
    run, item, message = found[0]
    more = f" ({len(found) - 1} more failed calculations)" if len(found) > 1 else ""
    return (
        Diagnostic.error(
            "run-failed",
            f"run {run} of simulation {simulation.code} could not cost item {item}: {message}{more}",
            simulation.span,
            "narrow the distributions so that every draw gives a ruleset that can be costed",
        ),
    )


def combine(job: Job, simulation: Simulation, found: Iterable[Batch]) -> SimulationResult:
    """The statistics of every run, from batches in any order (each run exactly once)."""
    ordered = sorted(found, key=lambda b: b.start)
    draws = [d for batch in ordered for d in batch.draws]
    values = [v for batch in ordered for v in batch.values]
    if len(draws) != simulation.runs:
        raise ValueError(f"expected {simulation.runs} runs, got {len(draws)}")
    diagnostics = _failure_diagnostics((f for b in ordered for f in b.failures), simulation)
    if diagnostics:
        return SimulationResult(
            simulation.code, simulation.description, simulation.runs, simulation.seed, job.date, (), (), diagnostics
        )
    summaries, influence = [], []
    labels = [v.target.label for v in simulation.variations]
    for position, item in enumerate(job.items):
        unit_costs = [run[position][0] for run in values]
        prices = [run[position][1] for run in values]
        list_price = None if any(p is None for p in prices) else summarize(prices)
        summaries.append(ItemSummary(item, summarize(unit_costs), list_price))
        found_influence = [
            Influence(item, label, rank_correlation([run[index] for run in draws], unit_costs))
            for index, label in enumerate(labels)
        ]
        found_influence.sort(key=lambda entry: -abs(entry.rank_correlation))  # stable: ties keep the order written
        influence.extend(found_influence)
    return SimulationResult(
        simulation.code,
        simulation.description,
        simulation.runs,
        simulation.seed,
        job.date,
        tuple(summaries),
        tuple(influence),
    )
