"""The HTTP service: formula and ruleset validation, calculation and valuation (FastAPI).

FastAPI is an optional dependency (``pip install 'costsheet[service]'``) and
slow to import, so nothing here imports it until :func:`create_app` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .settings import ServiceSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServiceSettings", "create_app", "serve", "serve_web"]


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The FastAPI application; see :func:`costsheet.service.app.create_app`."""
    from .app import create_app as _create_app

    return _create_app(settings)


def serve(settings: ServiceSettings, host: str, port: int, **options) -> None:
    """Run the service; see :func:`costsheet.service.server.serve` (imports uvicorn when called)."""
    from .server import serve as _serve

    _serve(settings, host, port, **options)


def serve_web(ruleset: str, master_data: tuple[str, ...], host: str, port: int, **options) -> None:
    """Run ``costsheet web`` over ``ruleset``; see :func:`costsheet.service.server.serve_web`."""
    from .server import serve_web as _serve_web

    _serve_web(ruleset, master_data, host, port, **options)
