"""``costsheet init DIR``: write the demo ruleset (seed: "Create Setup Data")."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic
from .common import report

__all__ = ["command", "DEMO_FILES"]

#: The files of the demo ruleset, as shipped under rulesets/.
DEMO_FILES = ("demo.cost", "demo-ledger.cost")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite demo files that already exist.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help='json: {"files": [...], "next": "..."} on success, {"diagnostics": [...]} on failure.',
)
def command(directory, force, fmt):
    """Write the demo ruleset (items ICO-0001 to ICO-0008, conditions, a
    list price, inventory ledgers) into DIRECTORY, then tell what to run next.

    \b
      costsheet init demo && costsheet calc demo/demo.cost ICO-0001
    """
    from ..resources import resource_text

    target = Path(directory)
    existing = [str(target / name) for name in DEMO_FILES if (target / name).exists()]
    if existing and not force:
        verb = "exists" if len(existing) == 1 else "exist"
        report(
            [
                Diagnostic.error(
                    "demo-exists",
                    f"{' and '.join(existing)} already {verb}",
                    None,
                    "pass --force to overwrite, or choose another directory",
                )
            ],
            fmt,
        )
        sys.exit(1)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in DEMO_FILES:
            (target / name).write_text(resource_text(f"rulesets/{name}"), encoding="utf-8")
    except OSError as error:
        report(
            [
                Diagnostic.error(
                    "file-unwritable",
                    f"cannot write the demo into {target}: {error.strerror or error}",
                    None,
                    "choose a directory you can write to",
                )
            ],
            fmt,
        )
        sys.exit(1)
    written = [str(target / name) for name in DEMO_FILES]
    next_command = f"costsheet calc {target / 'demo.cost'} ICO-0001"
    if fmt == "json":
        click.echo(json.dumps({"files": written, "next": next_command}, indent=2))
        return
    click.echo(f"wrote {', '.join(written)}")
    click.echo("next, cost the racing bike:")
    click.echo(f"  {next_command}")
