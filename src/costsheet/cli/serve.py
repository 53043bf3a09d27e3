"""``costsheet serve``: the validation and calculation API over HTTP (FastAPI under uvicorn).

FastAPI and uvicorn are an optional extra and take most of a second to
import, so they are imported only when this command runs, and their absence
is a friendly message naming the extra to install, not a traceback.
"""

from __future__ import annotations

import click

__all__ = ["command"]

INSTALL_HINT = "pip install 'costsheet[service]'"


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--max-body-bytes", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Largest request body accepted (413 above).")
@click.option("--max-formula-chars", type=click.IntRange(min=1), default=2_000, show_default=True,
              help="Longest formula accepted (422 above).")
@click.option("--max-depth", type=click.IntRange(min=1), default=64, show_default=True,
              help="Deepest formula / parenthesis nesting accepted (422 above).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="Seconds a ruleset, calculation or valuation request may take (408 after).")
@click.option("--workers", "jobs", type=click.IntRange(min=1), default=4, show_default=True,
              help="Ruleset requests worked on at once (503 when all are busy).")
@click.option("--history", "history_path", type=click.Path(dir_okay=False), default=None,
              help="History database for calculations (default: $COSTSHEET_HISTORY, else the per-user one).")
@click.option("--no-history", is_flag=True, help="Do not record calculations.")
def command(host: str, port: int, max_body_bytes: int, max_formula_chars: int, max_depth: int, timeout: float,
            jobs: int, history_path: str | None, no_history: bool) -> None:
    """Serve formula and ruleset validation, calculation and valuation over HTTP.

    The OpenAPI document is at /openapi.json and interactive docs at /docs.
    Listens on 127.0.0.1 unless told otherwise: put a reverse proxy with
    authentication in front before exposing it.
    """
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as error:
        click.echo(f"error[service-not-installed]: the HTTP service needs {error.name or 'fastapi'}, "
                   "which is not installed", err=True)
        click.echo(f"  = hint: {INSTALL_HINT}", err=True)
        raise SystemExit(1) from None
    from ..service import ServiceSettings, create_app

    settings = ServiceSettings(
        max_body_bytes=max_body_bytes, max_formula_chars=max_formula_chars, max_nesting_depth=max_depth,
        request_timeout=timeout, max_concurrent_jobs=jobs, record_history=not no_history, history_path=history_path,
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
