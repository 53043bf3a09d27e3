"""The ``costsheet`` command line.

Each command lives in its own module under :mod:`costsheet.cli` and is
imported only when it runs, so ``costsheet --help`` stays fast and heavy
dependencies (FastAPI, the costing engine) load only where needed.
"""

from __future__ import annotations

import atexit
import gc
import importlib
from collections.abc import Sequence
from typing import Any

import click

#: command name -> (module under costsheet.cli, one-line help shown by --help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "Check rulesets and report every diagnostic."),
    "fmt": ("fmt", "Rewrite rulesets in the canonical layout."),
    "calc": ("calc", "Cost an item: element breakdown, unit cost, list price."),
    "value": ("value", "Value inventory ledgers with each item's costing method."),
    "init": ("init", "Write the demo ruleset into a directory."),
    "whatif": ("whatif", "Cost items with a scenario applied: base, scenario, difference, %."),
    "simulate": ("simulate", "Run a simulation: cost statistics and the inputs' influence."),
    "worksheet": (
        "worksheet",
        "Standard cost worksheet: current and new standard costs; --implement writes them back.",
    ),
    "where-used": ("whereused", "List every item a component, resource, condition, element or vendor reaches."),
    "history": ("history", "List, show and compare recorded calculations."),
    "serve": ("serve", "Serve the formula validation and calculation API over HTTP."),
    "web": ("web", "Serve a web view of a ruleset's costs, updated as its files change."),
    "lsp": ("lsp", "Serve the Language Server Protocol over stdio for editors."),
}


class LazyGroup(click.Group):
    """A click group whose commands are imported on first use."""

    def main(self, args: Sequence[str] | None = None, *more: Any, **options: Any) -> Any:
        """Click's, and when it runs the command line itself (no ``args``: the console script, or
        ``main()`` as a program's last line; not a caller's list, as tests give), the process
        skips the garbage collector's last passes over every object at exit: ``gc.freeze()`` as
        the exit begins.  Those passes were a fifth of a ``costsheet check`` of the demo
        (docs/language.md, "Start-up"); what costsheet writes is closed before it returns."""
        if args is None:
            atexit.register(gc.freeze)
        return super().main(args, *more, **options)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, _ = COMMANDS[name]
        module = importlib.import_module(f"{__name__}.{module_name}")
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="costsheet")
def main() -> None:
    """costsheet: cost condition sheets for manufacturing cost calculation.

    A ruleset (*.cost) holds a chart of cost elements, cost conditions and the
    master data they apply to.  Typical use:

    \b
      costsheet init demo                  # write the demo ruleset
      costsheet check demo/demo.cost       # diagnostics, exit 1 on errors
      costsheet calc demo/demo.cost ICO-0001
      costsheet value demo/demo.cost --format json

    Exit status: 0 success, 1 the ruleset or a calculation has errors,
    2 wrong usage.
    """
