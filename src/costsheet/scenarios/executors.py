"""Where a simulation's runs are made: this process, local worker processes, or a Dask
distributed cluster (docs/scale.md).  An executor only maps :func:`~.simulate.run_batch` over
batches of runs; :func:`~.simulate.combine` makes the result, so the numbers never depend on
the executor.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from .definitions import Simulation
from .simulate import Batch, Job, SimulationResult, batches, combine, run_batch

__all__ = ["default_workers", "batch_size", "run_local", "run_on_cluster", "run_simulation", "DaskMissingError"]

#: at most this many runs per batch: a batch's result is a few hundred bytes per run and item
MAX_BATCH = 500


class DaskMissingError(RuntimeError):
    """``--scheduler`` was given without the ``dask`` extra installed."""


def default_workers() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def batch_size(runs: int, workers: int) -> int:
    """About four batches per worker (so a slow worker does not hold up the end), at most :data:`MAX_BATCH`."""
    return max(1, min(MAX_BATCH, -(-runs // (4 * workers))))


def run_local(job: Job, simulation: Simulation, workers: int) -> SimulationResult:
    """The runs in this process (``workers`` 1) or in ``workers`` local processes."""
    ranges = batches(simulation.runs, batch_size(simulation.runs, workers))
    if workers == 1 or len(ranges) == 1:
        return combine(job, simulation, [run_batch(job, start, stop) for start, stop in ranges])
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(ranges))) as pool:
        found = list(pool.map(run_batch, *zip(*((job, start, stop) for start, stop in ranges), strict=True)))
    return combine(job, simulation, found)


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise DaskMissingError(
            "--scheduler needs Dask distributed, which is not installed: pip install 'costsheet[dask]'"
        ) from None
    return Client(address, timeout="30s")


def run_on_cluster(job: Job, simulation: Simulation, address: str, *, client_factory: Callable = _client):
    """The runs on the Dask cluster whose scheduler is at ``address``: the job is scattered to
    every worker once, the batches are mapped over them, the results gathered here."""
    client = client_factory(address)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        ranges = batches(simulation.runs, batch_size(simulation.runs, workers))
        shipped = client.scatter(job, broadcast=True, hash=False)
        futures = client.map(
            run_batch,
            [shipped] * len(ranges),
            [start for start, _ in ranges],
            [stop for _, stop in ranges],
            pure=False,
        )
        found: list[Batch] = client.gather(futures)
    finally:
        client.close()
    return combine(job, simulation, found)


def run_simulation(
    job: Job, simulation: Simulation, *, workers: int | None = None, scheduler: str | None = None
) -> SimulationResult:
    """``scheduler`` given: on that Dask cluster; else on ``workers`` local processes (default: the cores)."""
    if scheduler is not None:
        return run_on_cluster(job, simulation, scheduler)
    return run_local(job, simulation, workers or default_workers())
