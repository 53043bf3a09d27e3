"""``costsheet simulate``: a simulation's statistics and the influence of its inputs
(docs/scenarios.md), on local processes or a Dask cluster (docs/scale.md).  The JSON is the
result's ``to_json()`` (docs/json.md, "costsheet simulate")."""

from __future__ import annotations

import datetime as dt
import sys

import click

from .calc import _lot_size
from .common import load_or_exit, parse_date, report
from .output import report_options
from .scenario_common import items_or_exit, named

__all__ = ["command"]


@click.command()
@click.argument("ruleset", type=click.Path())
@click.argument("simulation")
@click.argument("items", nargs=-1)
@click.option("--all", "all_items", is_flag=True, help="Every item of the ruleset.")
@click.option("--lot-size", callback=_lot_size, metavar="N", help="Lot size of the items named (default: their own).")
@click.option("--date", "date", callback=parse_date, metavar="YYYY-MM-DD", help="Calculation date (default: today).")
@report_options
@click.option(
    "--workers",
    type=click.IntRange(1, 1024),
    metavar="N",
    help="Local worker processes (default: the machine's cores).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the Dask distributed cluster of this scheduler (tcp://host:8786); needs costsheet[dask].",
)
def command(ruleset, simulation, items, all_items, lot_size, date, output, workers, scheduler):
    """Run SIMULATION of RULESET for ITEMs (or --all): mean, P5, P50, P95, min, max, influence.

    \b
      costsheet simulate demo.cost RISK ICO-0001
      costsheet simulate demo.cost RISK ICO-0001 --workers 2 --format json
      costsheet simulate demo.cost RISK ICO-0001 --scheduler tcp://10.0.0.5:8786
    """
    fmt = output.format
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both (a cluster has its own workers)")
    from ..scenarios import DaskMissingError, Job, read_definitions, run_simulation

    loaded = load_or_exit(ruleset, fmt, paused_to_the_end=False)  # the runs: in workers, or on a cluster
    chosen = named(read_definitions(loaded.files).simulations, simulation, "simulation", fmt)
    codes = items_or_exit(loaded.model, items, all_items, fmt)
    job = Job(tuple(loaded.sources.items()), chosen.code, codes, date or dt.date.today(), lot_size)
    try:
        result = run_simulation(job, chosen, workers=workers, scheduler=scheduler)
    except DaskMissingError as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:  # the scheduler cannot be reached
        raise click.ClickException(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    if result.diagnostics:
        report(result.diagnostics, fmt, loaded.sources)
        sys.exit(1)
    report(loaded.diagnostics, "table")
    if fmt == "json":
        output.json(result.to_json())
    elif fmt == "table" and output.part is None and output.path is None:
        from rich.console import Console

        from .scenario_tables import simulation_tables

        Console().print(simulation_tables(loaded.model, result))
    else:
        from ..reports import simulation_report

        output.report(simulation_report(loaded.model, result))
