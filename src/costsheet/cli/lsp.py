"""``costsheet lsp``: the language server, over standard input and output (docs/editors.md).

pygls is an optional extra (``pip install 'costsheet[lsp]'``); without it the command says so
and exits with status 1.
"""

from __future__ import annotations

import os

import click

__all__ = ["command", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'costsheet[lsp]'"


@click.command()
@click.option(
    "--debounce",
    "debounce_ms",
    type=click.IntRange(0, 10_000),
    default=200,
    show_default=True,
    metavar="MS",
    help="Check a ruleset again this many milliseconds after the last change.",
)
@click.option(
    "--master-data",
    "master_data",
    type=click.Path(exists=True),
    multiple=True,
    metavar="DIR",
    help="CSV master data (a directory or files) loaded with every ruleset, as for `costsheet check`.",
)
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def command(debounce_ms: int, master_data: tuple[str, ...], stdio: bool) -> None:
    """Serve the Language Server Protocol over standard input and output.

    Editors start it (docs/editors.md): diagnostics as you type, hover with
    unit costs and amounts, go to definition, references, rename, completion,
    outline, formatting, folding, inlay hints and code lenses with the numbers.

    \b
      costsheet lsp
      costsheet lsp --debounce 500 --master-data masterdata/
    """
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as error:
        click.echo(
            f"error[lsp-not-installed]: the language server needs {error.name or 'pygls'}, which is not installed",
            err=True,
        )
        click.echo(f"  = hint: {INSTALL_HINT}", err=True)
        raise SystemExit(1) from None
    from ..lsp import serve

    serve(debounce=debounce_ms / 1000, master_data=tuple(os.path.abspath(path) for path in master_data))
