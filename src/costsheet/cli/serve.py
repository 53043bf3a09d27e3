"""``costsheet serve``: the validation and calculation API over HTTP (FastAPI under uvicorn).

FastAPI and uvicorn are an optional extra and take most of a second to
import, so they are imported only when this command runs, and their absence
is a friendly message naming the extra to install, not a traceback.  Every
limit of :class:`~costsheet.service.ServiceSettings` is an option here, with
the settings' default (docs/service.md, "Limits").
"""

from __future__ import annotations

from typing import Any

import attrs
import click

from ..service import ServiceSettings
from ..syntax import MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH

__all__ = ["command"]

INSTALL_HINT = "pip install 'costsheet[service]'"
_POSITIVE = click.FloatRange(min=0, min_open=True)
_COUNT = click.IntRange(min=1)


def _default(name: str) -> Any:
    return getattr(attrs.fields(ServiceSettings), name).default


def _limit(flag: str, name: str, kind: click.ParamType, text: str) -> Any:
    return click.option(flag, name, type=kind, default=_default(name), show_default=True, help=text)


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@_limit("--max-body-bytes", "max_body_bytes", _COUNT, "Largest request body accepted (413 above).")
@_limit(
    "--max-formula-chars",
    "max_formula_chars",
    click.IntRange(1, MAX_FORMULA_LENGTH),
    "Longest formula accepted (422 above); at most the language's own limit.",
)
@_limit(
    "--max-depth",
    "max_nesting_depth",
    click.IntRange(1, MAX_FORMULA_DEPTH),
    "Deepest formula / parenthesis nesting accepted (422 above); at most the language's own limit.",
)
@_limit("--max-files", "max_files", _COUNT, "Most files in one ruleset request (422 above).")
@_limit(
    "--timeout",
    "request_timeout",
    _POSITIVE,
    "Seconds a ruleset, calculation or valuation may take; then its worker is killed (408).",
)
@_limit(
    "--workers",
    "max_concurrent_jobs",
    _COUNT,
    "Worker processes for rulesets, calculations and valuations (503 when all are busy).",
)
@_limit("--worker-memory", "worker_memory_mb", _COUNT, "MiB of address space per worker (422 above).")
@_limit(
    "--max-response-bytes",
    "max_response_bytes",
    _COUNT,
    "Largest answer of a ruleset, calculation or valuation (422 result-too-large above).",
)
@_limit("--header-timeout", "header_timeout", _POSITIVE, "Seconds a client may take to send its request headers.")
@_limit("--body-timeout", "body_timeout", _POSITIVE, "Seconds a client may take to send the body (408 after).")
@_limit("--keep-alive-timeout", "keep_alive_timeout", _POSITIVE, "Seconds an idle connection stays open.")
@_limit(
    "--max-connections",
    "max_connections",
    _COUNT,
    "Open connections beyond which requests get 503 too-many-connections.",
)
@click.option(
    "--record-history/--no-history",
    "record_history",
    default=False,
    show_default=True,
    help="Record every calculation in the history (off unless asked for).",
)
@click.option(
    "--history",
    "history_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="History database (with --record-history; default: $COSTSHEET_HISTORY, else the per-user one).",
)
@_limit(
    "--history-keep",
    "history_keep",
    _COUNT,
    "With --record-history: keep the newest N records made by the service, delete older ones.",
)
@click.pass_context
def command(ctx: click.Context, host: str, port: int, **limits: Any) -> None:
    """Serve formula and ruleset validation, calculation and valuation over HTTP.

    The OpenAPI document is at /openapi.json and interactive docs at /docs.
    Listens on 127.0.0.1 unless told otherwise: put a reverse proxy with
    authentication in front before exposing it.
    """
    if not limits["record_history"]:
        for option, name in (("--history", "history_path"), ("--history-keep", "history_keep")):
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
                raise click.UsageError(f"{option} needs --record-history (the service records nothing without it)")
    try:
        import fastapi  # noqa: F401 - imported only to see that it is installed
        import uvicorn  # noqa: F401 - imported only to see that it is installed
    except ImportError as error:
        click.echo(
            f"error[service-not-installed]: the HTTP service needs {error.name or 'fastapi'}, which is not installed",
            err=True,
        )
        click.echo(f"  = hint: {INSTALL_HINT}", err=True)
        raise SystemExit(1) from None
    from ..service import serve

    serve(ServiceSettings(**limits), host, port, log_level="info")
