"""``costsheet web``: a local web view of a ruleset's costs, updated live as its files change.

FastAPI and uvicorn are the ``web`` extra, imported only when this command runs; their
absence is a message naming the extra (docs/web.md).
"""

from __future__ import annotations

import click

__all__ = ["command"]

INSTALL_HINT = "pip install 'costsheet[web]'"


@click.command(name="web")
@click.argument("ruleset", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--master-data",
    "master_data",
    type=click.Path(exists=True),
    multiple=True,
    help="CSV master data (a directory or files: items, bom, routing, prices ...); watched like the ruleset.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option(
    "--history",
    "history_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="History database shown on the History page (default: $COSTSHEET_HISTORY, else the per-user one).",
)
def command(ruleset: str, master_data: tuple[str, ...], host: str, port: int, history_path: str | None) -> None:
    """Serve a web view of RULESET's costs on http://HOST:PORT/ (open it in a browser).

    \b
      costsheet web demo.cost
      costsheet web demo.cost --master-data erp/ --port 8090

    Items, costing BOMs with every amount explained, valuation, history and
    diagnostics; pages update when the ruleset or a CSV file changes.  Reads
    the files, never writes them; listens on 127.0.0.1 unless told otherwise.
    """
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        click.echo(
            f"error[web-not-installed]: costsheet web needs {error.name or 'fastapi'}, which is not installed",
            err=True,
        )
        click.echo(f"  = hint: {INSTALL_HINT}", err=True)
        raise SystemExit(1) from None
    from ..service import serve_web

    click.echo(f"costsheet web: http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    serve_web(ruleset, master_data, host, port, history=history_path, log_level="warning")
