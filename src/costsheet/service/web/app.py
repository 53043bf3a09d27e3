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
from . import downloads, views, whatif
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


class Pages:
    """The endpoints of ``costsheet web`` over one project (each method is one route, see :func:`create_web_app`)."""

    def __init__(self, project: Project, history: str | None, live: Live) -> None:
        self.project = project
        self.history = history
        self.live = live
        self._rows: tuple[Results, list[dict]] | None = None  # the item list of the current results
        #: the item list searched and sorted, for the last few (query, sort, direction) of the current results
        self._selected: dict[tuple[str, str, bool], list[dict]] = {}

    async def poll(self) -> None:
        """Reload the project whenever one of its files changed, and tell the pages."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if await asyncio.to_thread(self.project.changed):
                await asyncio.to_thread(self.project.reload)
                self.live.notify()

    async def index(self) -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    async def state(self) -> JSONResponse:
        """The loaded ruleset: its generation (one more per reload), files, errors and item count."""
        snapshot = self.project.results.snapshot
        ruleset = snapshot.ruleset
        return JSONResponse(
            {
                "version": __version__,
                "generation": snapshot.generation,
                "ruleset": str(self.project.path),
                "files": sorted(snapshot.sources),
                "loaded": ruleset is not None,
                "errors": snapshot.errors,
                "warnings": snapshot.warnings,
                "items": len(ruleset.model.items) if ruleset is not None else 0,
            }
        )

    async def events(self) -> StreamingResponse:
        """Server-sent events: ``hello`` first, then ``reload`` after each reload (comments keep it open)."""
        project, live = self.project, self.live

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

    async def _item_rows(self) -> tuple[Results, list[dict]]:
        """The item list of the current load, made once per load (100,000 rows take a while)."""
        results = _loaded(self.project)
        kept = self._rows
        if kept is None or kept[0] is not results:
            summary = await asyncio.to_thread(results.summary)
            kept = self._rows = (results, views.item_rows(results.snapshot, summary))
            self._selected = {}
        return kept

    async def _select(self, q: str, sort: str, desc: bool) -> tuple[Results, list[dict], int]:
        """``(results, rows chosen and sorted, number of items)``: paging through one order sorts once."""
        results, rows = await self._item_rows()
        key = (q.strip().casefold(), sort, desc)
        chosen = self._selected.get(key)
        if chosen is None:
            chosen = await asyncio.to_thread(views.select_rows, rows, q, sort, desc)
            if len(self._selected) >= 4:
                self._selected.pop(next(iter(self._selected)))
            self._selected[key] = chosen
        return results, chosen, len(rows)

    async def items(
        self,
        q: str = "",
        sort: str = "code",
        desc: bool = False,
        offset: int = Query(0, ge=0),
        limit: int = Query(100, ge=1, le=views.MAX_PAGE),
    ) -> JSONResponse:
        """One page of the item list, searched and sorted on the server."""
        results, chosen, count = await self._select(q, sort, desc)
        page = views.items_page(
            results.snapshot, chosen, all_items=count, sort=sort, descending=desc, offset=offset, limit=limit
        )
        return JSONResponse(page)

    async def _costing(self, code: str, lot_size: str | None, date: str | None, per: str) -> dict[str, Any]:
        results = _loaded(self.project)
        result = await _calculated(results, code, lot_size, date)
        return views.costing_view(results.snapshot, result, per_lot=per == "lot")

    async def costing(
        self, code: str, lot_size: str | None = None, date: str | None = None, per: str = "unit"
    ) -> JSONResponse:
        """The costing of one item: chart breakdown, costing BOM tree, charges, list price."""
        return JSONResponse(await self._costing(code, lot_size, date, per))

    async def explain(
        self, code: str, line: str, level: str = "rolled", lot_size: str | None = None, date: str | None = None
    ) -> JSONResponse:
        """Where one amount of the costing came from, step by step, with the ruleset line of each."""
        results = _loaded(self.project)
        result = await _calculated(results, code, lot_size, date)
        return JSONResponse(views.explain_view(results.snapshot, result, line, level))

    async def _valuation(self, code: str) -> dict[str, Any]:
        results = _loaded(self.project)
        _item(results, code)
        valuation, diagnostics = await asyncio.to_thread(results.valuation)
        return views.valuation_view(results.snapshot, code, valuation, diagnostics)

    async def valuation(self, code: str) -> JSONResponse:
        """The valuation of one item's ledger."""
        return JSONResponse(await self._valuation(code))

    async def diagnostics(self) -> JSONResponse:
        return JSONResponse(views.diagnostics_view(self.project.results.snapshot))

    async def source(self, file: str) -> JSONResponse:
        """The text of one file the last load read, by the name the diagnostics give it; nothing else."""
        sources = self.project.results.snapshot.sources
        if file not in sources:
            raise ServiceError(404, "unknown-file", "only the ruleset's own files and its CSV files are shown")
        return JSONResponse({"file": file, "lines": sources[file].splitlines()})

    def _store(self):
        from ...history import HistoryStore

        return HistoryStore.open(self.history)

    async def history_records(self, item: str | None = None, limit: int = Query(200, ge=1, le=1000)) -> JSONResponse:
        """The recorded calculations, newest first."""
        records = await asyncio.to_thread(self._store().list, item or None, limit)
        return JSONResponse({"records": views.history_list(records)})

    async def _diff(self, a: int, b: int) -> dict[str, Any]:
        store = self._store()
        before, after = await asyncio.to_thread(store.get, a), await asyncio.to_thread(store.get, b)
        for number, record in ((a, before), (b, after)):
            if record is None:
                raise ServiceError(404, "unknown-calculation", f"the history has no calculation {number}")
        return views.history_diff(before, after)

    async def history_diff(self, a: int, b: int) -> JSONResponse:
        """Two recorded calculations compared: inputs, then every amount."""
        return JSONResponse(await self._diff(a, b))

    async def download(
        self,
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
        """A view as a file (``fmt``: csv, json or xlsx): items, costing, valuation, diagnostics, history-diff."""
        if fmt not in downloads.FORMATS:
            raise ServiceError(404, "unknown-format", f"downloads are {', '.join(downloads.FORMATS)}, not {fmt}")
        if view == "items":
            _, chosen, _ = await self._select(q, sort, desc)
            table = views.items_table(chosen)
        elif view in ("costing", "valuation") and not item:
            raise ServiceError(422, "missing-item", f"the {view} download needs ?item=CODE")
        elif view == "costing":
            table = views.costing_table(await self._costing(str(item), lot_size, date, per))
        elif view == "valuation":
            table = views.valuation_table(await self._valuation(str(item)))
        elif view == "diagnostics":
            table = views.diagnostics_table(views.diagnostics_view(self.project.results.snapshot))
        elif view == "history-diff" and a is not None and b is not None:
            table = views.history_diff_table(await self._diff(a, b))
        elif view == "history-diff":
            raise ServiceError(422, "missing-calculations", "the history-diff download needs ?a=ID&b=ID")
        else:
            raise ServiceError(404, "unknown-view", f"there is no view {view} to download")
        from ...reports import ReportError

        try:
            content, media = downloads.render(table, fmt)
        except ReportError as error:  # xlsx-unavailable: openpyxl is not installed
            raise ServiceError(501, error.code, f"{error.message}: {error.hint}") from None
        name = f"{table.name}{'-' + item if item else ''}.{fmt}"
        return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # ------------------------------------------------------------ what-if

    def _definitions(self):
        results = _loaded(self.project)
        ruleset = results.snapshot.ruleset
        return ruleset, whatif.read_definitions(ruleset.files)

    async def what_if(self) -> JSONResponse:
        """The ruleset's scenarios and simulations."""
        ruleset, _ = self._definitions()
        return JSONResponse(whatif.definitions_view(ruleset))

    async def what_if_scenario(self, code: str, items: str = "", date: str | None = None) -> JSONResponse:
        """Scenario ``code`` beside the ruleset for ``items`` (comma separated; default the first
        :data:`whatif.MAX_ITEMS` items of the ruleset)."""
        ruleset, found = self._definitions()
        if code not in found.scenarios:
            raise ServiceError(404, "unknown-scenario", f"scenario {code} is not declared in the ruleset")
        asked = tuple(dict.fromkeys(c.strip() for c in items.split(",") if c.strip()))
        for item in asked:
            if item not in ruleset.model.items:
                raise ServiceError(404, "unknown-item", f"item {item} is not defined in the ruleset")
        if len(asked) > whatif.MAX_ITEMS:
            raise ServiceError(422, "too-many-items", f"a scenario request costs at most {whatif.MAX_ITEMS} items")
        chosen = asked or tuple(ruleset.model.items)[: whatif.MAX_ITEMS]
        when = _date(date) or dt.date.today()
        view = await asyncio.to_thread(whatif.scenario_view, ruleset, code, chosen, when)
        return JSONResponse(
            {**view, "total": len(ruleset.model.items), "limited": not asked and len(chosen) < len(ruleset.model.items)}
        )

    async def what_if_simulation(self, code: str, item: str, date: str | None = None) -> JSONResponse:
        """Simulation ``code`` for ``item``: statistics, histogram of the unit cost, influence."""
        ruleset, found = self._definitions()
        if code not in found.simulations:
            raise ServiceError(404, "unknown-simulation", f"simulation {code} is not declared in the ruleset")
        if item not in ruleset.model.items:
            raise ServiceError(404, "unknown-item", f"item {item} is not defined in the ruleset")
        when = _date(date) or dt.date.today()
        return JSONResponse(await asyncio.to_thread(whatif.simulation_view, ruleset, code, item, when))


#: path -> Pages method name (all GET)
ROUTES = {
    "/api/state": "state",
    "/api/events": "events",
    "/api/items": "items",
    "/api/items/{code}/costing": "costing",
    "/api/items/{code}/explain": "explain",
    "/api/items/{code}/valuation": "valuation",
    "/api/diagnostics": "diagnostics",
    "/api/source": "source",
    "/api/history": "history_records",
    "/api/history/diff": "history_diff",
    "/api/download/{view}.{fmt}": "download",
    "/api/what-if": "what_if",
    "/api/what-if/scenarios/{code}": "what_if_scenario",
    "/api/what-if/simulations/{code}": "what_if_simulation",
}


def create_web_app(project: Project, *, history: str | None = None, watch: bool = True) -> FastAPI:
    """The application over ``project``; with ``watch``, files are polled and pages told of changes."""
    live = Live()
    pages = Pages(project, history, live)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(pages.poll()) if watch else None
        yield
        if task is not None:
            task.cancel()
        live.notify()  # event streams end

    app = FastAPI(title="costsheet web", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.pages = pages
    install_handlers(app)
    app.mount("/assets", StaticFiles(directory=STATIC), name="assets")
    app.add_api_route("/", pages.index, methods=["GET"], include_in_schema=False)
    for path, name in ROUTES.items():
        app.add_api_route(path, getattr(pages, name), methods=["GET"])
    return app
