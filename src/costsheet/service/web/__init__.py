"""``costsheet web``: a local web view of a ruleset's costs (FastAPI, pages in plain HTML/JS/CSS).

Nothing here imports FastAPI until :func:`create_web_app` runs (an optional extra:
``pip install 'costsheet[web]'``).  docs/web.md describes the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .project import Project, Snapshot

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["Project", "Snapshot", "create_web_app"]


def create_web_app(project: Project, *, history: str | None = None, watch: bool = True) -> FastAPI:
    """The application over ``project``; see :func:`costsheet.service.web.app.create_web_app`."""
    from .app import create_web_app as _create

    return _create(project, history=history, watch=watch)
