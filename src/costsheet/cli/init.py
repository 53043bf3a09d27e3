"""``costsheet init DIR``: write the demo ruleset (seed: "Create Setup Data")."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["command", "DEMO_FILES"]

#: The files of the demo ruleset, as shipped under rulesets/.
DEMO_FILES = ("demo.cost", "demo-ledger.cost")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite demo files that already exist.")
def command(directory, force):
    """Write the demo ruleset (items ICO-0001 to ICO-0008) into DIRECTORY."""
    from ..resources import resource_text

    target = Path(directory)
    existing = [name for name in DEMO_FILES if (target / name).exists()]
    if existing and not force:
        click.echo(f"error: {', '.join(str(target / n) for n in existing)} already exist(s); "
                   "pass --force to overwrite, or choose another directory", err=True)
        sys.exit(1)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in DEMO_FILES:
            (target / name).write_text(resource_text(f"rulesets/{name}"), encoding="utf-8")
    except OSError as error:
        click.echo(f"error: cannot write the demo into {target}: {error.strerror or error}", err=True)
        sys.exit(1)
    main = target / "demo.cost"
    click.echo(f"wrote {', '.join(str(target / n) for n in DEMO_FILES)}")
    click.echo("next, cost the racing bike:")
    click.echo(f"  costsheet calc {main} ICO-0001")
