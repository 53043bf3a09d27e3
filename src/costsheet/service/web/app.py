"""The FastAPI application of ``costsheet web``: the pages' data as JSON, live updates, downloads.

One process: the ruleset is loaded here (:class:`~.project.Project`) and calculated in a
thread of this process, so the event loop keeps answering.  The browser gets one HTML page
and its script and stylesheet, all shipped in the package (``static/``), and asks
``/api/...`` for data.  ``/api/events`` is a stream of server-sent events: ``reload`` each
time the ruleset was loaded again after one of its files changed.

Read-only and closed: no request names a file.  The only texts served are those the last
load read (``/api/source`` looks the name up among them), the package's own static files
and the history store's records.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from ... import __version__
from ..errors import ServiceError, install_handlers
from . import downloads, views
from .project import Project, Results

__all__ = ["create_web_app"]

STATIC = Path(__file__).parent / "static"
#: seconds between two looks at the watched files
POLL_SECONDS = 0.5
#: seconds between two keep-alive comments on an idle event stream
HEARTBEAT_SECONDS = 15.0


class Live:
    """Tells waiting event streams that a new snapshot is there."""

    def __init__(self) -> None:
        self.changed = asyncio.Event()

    def notify(self) -> None:
        changed, self.changed = self.changed, asyncio.Event()
        changed.set()


def _loaded(project: Project) -> Results:
    results = project.results
    if results.snapshot.ruleset is None:
        raise ServiceError(
            409,
            "ruleset-has-errors",
            f"{project.path} has {results.snapshot.errors} error(s); the diagnostics page shows them",
        )
    return results


def _item(results: Results, code: str) -> None:
    assert results.snapshot.ruleset is not None
    if code not in results.snapshot.ruleset.model.items:
        raise ServiceError(404, "unknown-item", f"item {code} is not defined in the ruleset")


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ServiceError(422, "invalid-date", f"{text!r} is not a date (write YYYY-MM-DD)") from None


async def _calculated(results: Results, code: str, lot_size: str | None, date: str | None):
    _item(results, code)
    result, diagnostics = await asyncio.to_thread(results.calculation, code, lot_size or None, _date(date))
    if result is None:
        snapshot = results.snapshot
        raise ServiceError(
            422,
            "calculation-failed",
            f"item {code} could not be costed",
            views.diagnostics_list(diagnostics, snapshot.sources),
        )
    return result


def create_web_app(project: Project, *, history: str | None = None, watch: bool = True) -> FastAPI:
    """The application over ``project``; with ``watch``, files are polled and pages told of changes."""
    live = Live()

    async def poll() -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if await asyncio.to_thread(project.changed):
                await asyncio.to_thread(project.reload)
                live.notify()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(poll()) if watch else None
        yield
        if task is not None:
            task.cancel()
        live.notify()  # event streams end

    app = FastAPI(title="costsheet web", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.project = project
    app.state.live = live
    install_handlers(app)
    app.mount("/assets", StaticFiles(directory=STATIC), name="assets")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/api/state")
    async def state() -> JSONResponse:
        snapshot = project.results.snapshot
        ruleset = snapshot.ruleset
        return JSONResponse(
            {
                "version": __version__,
                "generation": snapshot.generation,
                "ruleset": str(project.path),
                "files": sorted(snapshot.sources),
                "loaded": ruleset is not None,
                "errors": snapshot.errors,
                "warnings": snapshot.warnings,
                "items": len(ruleset.model.items) if ruleset is not None else 0,
            }
        )

    @app.get("/api/events")
    async def events() -> StreamingResponse:
        async def stream() -> AsyncIterator[str]:
            generation = project.results.snapshot.generation
            yield f"event: hello\ndata: {json.dumps({'generation': generation})}\n\n"
            while True:
                changed = live.changed
                try:
                    await asyncio.wait_for(changed.wait(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                now = project.results.snapshot.generation
                if now == generation:  # the server stops
                    return
                generation = now
                yield f"event: reload\ndata: {json.dumps({'generation': generation})}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def item_rows() -> tuple[Results, list[dict]]:
        results = _loaded(project)
        summary = await asyncio.to_thread(results.summary)
        return results, views.item_rows(results.snapshot, summary)

    @app.get("/api/items")
    async def items(
        q: str = "",
        sort: str = "code",
        desc: bool = False,
        offset: int = Query(0, ge=0),
        limit: int = Query(100, ge=1, le=views.MAX_PAGE),
    ) -> JSONResponse:
        results, rows = await item_rows()
        page = views.items_page(results.snapshot, rows, query=q, sort=sort, descending=desc, offset=offset, limit=limit)
        return JSONResponse(page)

    async def costing_data(code: str, lot_size: str | None, date: str | None, per: str) -> dict[str, Any]:
        results = _loaded(project)
        result = await _calculated(results, code, lot_size, date)
        return views.costing_view(results.snapshot, result, per_lot=per == "lot")

    @app.get("/api/items/{code}/costing")
    async def costing(code: str, lot_size: str | None = None, date: str | None = None, per: str = "unit"):
        return JSONResponse(await costing_data(code, lot_size, date, per))

    @app.get("/api/items/{code}/explain")
    async def explain(
        code: str, line: str, level: str = "rolled", lot_size: str | None = None, date: str | None = None
    ) -> JSONResponse:
        results = _loaded(project)
        result = await _calculated(results, code, lot_size, date)
        return JSONResponse(views.explain_view(results.snapshot, result, line, level))

    async def valuation_data(code: str) -> dict[str, Any]:
        results = _loaded(project)
        _item(results, code)
        valuation, diagnostics = await asyncio.to_thread(results.valuation)
        return views.valuation_view(results.snapshot, code, valuation, diagnostics)

    @app.get("/api/items/{code}/valuation")
    async def valuation(code: str) -> JSONResponse:
        return JSONResponse(await valuation_data(code))

    @app.get("/api/diagnostics")
    async def diagnostics() -> JSONResponse:
        return JSONResponse(views.diagnostics_view(project.results.snapshot))

    @app.get("/api/source")
    async def source(file: str) -> JSONResponse:
        """The text of one file the last load read, by the name the diagnostics give it; nothing else."""
        sources = project.results.snapshot.sources
        if file not in sources:
            raise ServiceError(404, "unknown-file", "only the ruleset's own files and its CSV files are shown")
        return JSONResponse({"file": file, "lines": sources[file].splitlines()})

    def store():
        from ...history import HistoryStore

        return HistoryStore.open(history)

    @app.get("/api/history")
    async def history_records(item: str | None = None, limit: int = Query(200, ge=1, le=1000)) -> JSONResponse:
        records = await asyncio.to_thread(store().list, item or None, limit)
        return JSONResponse({"records": views.history_list(records)})

    async def diff_data(a: int, b: int) -> dict[str, Any]:
        history_store = store()
        before, after = await asyncio.to_thread(history_store.get, a), await asyncio.to_thread(history_store.get, b)
        for number, record in ((a, before), (b, after)):
            if record is None:
                raise ServiceError(404, "unknown-calculation", f"the history has no calculation {number}")
        return views.history_diff(before, after)

    @app.get("/api/history/diff")
    async def history_diff(a: int, b: int) -> JSONResponse:
        return JSONResponse(await diff_data(a, b))

    @app.get("/api/download/{view}.{fmt}")
    async def download(
        view: str,
        fmt: str,
        item: str | None = None,
        lot_size: str | None = None,
        date: str | None = None,
        per: str = "unit",
        q: str = "",
        sort: str = "code",
        desc: bool = False,
        a: int | None = None,
        b: int | None = None,
    ) -> Response:
        """A view as a file (``fmt``: csv or json): items, costing, valuation, diagnostics, history-diff."""
        if fmt not in downloads.FORMATS:
            raise ServiceError(404, "unknown-format", f"downloads are {', '.join(downloads.FORMATS)}, not {fmt}")
        table = await _table(view, item, lot_size, date, per, q, sort, desc, a, b)
        content, media = downloads.render(table, fmt)
        name = f"{table.name}{'-' + item if item else ''}.{fmt}"
        return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def _table(view, item, lot_size, date, per, q, sort, desc, a, b) -> views.Table:
        if view == "items":
            _, rows = await item_rows()
            return views.items_table(views.select_rows(rows, q, sort, desc))
        if view in ("costing", "valuation") and not item:
            raise ServiceError(422, "missing-item", f"the {view} download needs ?item=CODE")
        if view == "costing":
            return views.costing_table(await costing_data(item, lot_size, date, per))
        if view == "valuation":
            return views.valuation_table(await valuation_data(item))
        if view == "diagnostics":
            return views.diagnostics_table(views.diagnostics_view(project.results.snapshot))
        if view == "history-diff":
            if a is None or b is None:
                raise ServiceError(422, "missing-calculations", "the history-diff download needs ?a=ID&b=ID")
            return views.history_diff_table(await diff_data(a, b))
        raise ServiceError(404, "unknown-view", f"there is no view {view} to download")

    return app
