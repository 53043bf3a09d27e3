"""The FastAPI application: validation, calculation and valuation over HTTP.

Endpoints are ``async def`` (a sync endpoint hops to a thread pool, 4× slower
for short work); formula validation runs inline, bounded by its limits;
ruleset, calculation and valuation requests run in the job runner's threads
with a time limit.  Every status an endpoint can answer is declared in the
OpenAPI document, and every refusal has the same JSON shape (:class:`ErrorAnswer`).
"""

from __future__ import annotations

import contextlib

import attrs
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from .. import __version__
from . import engine
from .errors import error_body, install_handlers
from .jobs import JobRunner
from .limits import BodyLimitMiddleware
from .schemas import (
    CalculateAnswer,
    CalculateRequest,
    ErrorAnswer,
    FormulaAnswer,
    FormulaRequest,
    HealthAnswer,
    RulesetAnswer,
    RulesetRequest,
    ValueAnswer,
    ValueRequest,
)
from .settings import ServiceSettings

__all__ = ["create_app"]

DESCRIPTION = """\
Validate cost formulas and rulesets, cost items and value ledgers with
[costsheet](https://example.invalid/costsheet).

Amounts are decimal strings, never JSON numbers. Diagnostics have the shape
of the command line's `--format json` (LANGUAGE.md section 9), with
positions inside the submitted text (file `<formula>` for a formula, the
submitted file names for a ruleset). Every refusal is an `ErrorAnswer` with a
stable `code`.

Limits of this instance: request body {max_body_bytes} bytes (413 above);
formula {max_formula_chars} characters and nesting {max_nesting_depth} levels
(422 above); {max_files} files per ruleset (422 above); {request_timeout:g} s
per ruleset, calculation or valuation request (408 after); {max_concurrent_jobs}
such requests at once (503 when all are busy).
"""


def _refusal(description: str) -> dict[str, Any]:
    return {"model": ErrorAnswer, "description": description}


#: statuses every POST endpoint can answer besides 200
_POST_REFUSALS: dict[int | str, dict[str, Any]] = {
    400: _refusal("Malformed HTTP request (e.g. a Content-Length that is not a number)."),
    413: _refusal("The request body is larger than the limit (`request-too-large`)."),
    422: _refusal(
        "The body is not valid JSON, misses a field, has an unknown field or a value of the wrong kind "
        "(`invalid-request`), or breaks a limit (`formula-too-long`, `too-deeply-nested`, `too-many-files`, "
        "`invalid-file-name`, `unknown-main-file`, `invalid-date`)."
    ),
}
#: statuses of the endpoints that load a ruleset in a worker thread
_JOB_REFUSALS: dict[int | str, dict[str, Any]] = {
    **_POST_REFUSALS,
    408: _refusal("The work took longer than the per-request time limit (`request-timeout`)."),
    503: _refusal("Every worker is busy with other rulesets (`server-busy`); retry later."),
}
_LOADING_422 = _refusal(
    "Refused as for every POST (see above), or the ruleset has errors (`ruleset-has-errors`), or the "
    "calculation or valuation failed (`calculation-failed`, `valuation-failed`); the diagnostics say where."
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """A new application with its own limits, worker threads and history settings (no shared state)."""
    settings = settings or ServiceSettings()
    jobs = JobRunner(settings.max_concurrent_jobs, settings.request_timeout)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()

    app = FastAPI(
        title="costsheet",
        version=__version__,
        description=DESCRIPTION.format(**attrs.asdict(settings)),
        lifespan=lifespan,
        responses={404: _refusal("No such endpoint."), 405: _refusal("Wrong method for this endpoint.")},
    )
    app.state.settings = settings
    app.state.jobs = jobs
    install_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)

    @app.get("/health", response_model=HealthAnswer, tags=["service"])
    async def health() -> JSONResponse:
        """The service is up."""
        return JSONResponse({"status": "ok", "version": __version__})

    @app.post("/v1/formula/validate", response_model=FormulaAnswer, responses=_POST_REFUSALS, tags=["validation"])
    async def validate_formula(request: FormulaRequest) -> JSONResponse:
        """Validate one formula of a charge line (`x % y`, `x § y`, rows, parentheses).

        With `rows`, naming a row that is not among them is an error. A
        formula that does not parse is answered 200 with `valid: false` and
        diagnostics whose columns point into the formula.
        """
        return JSONResponse(engine.check_formula(request.formula, request.rows, settings))

    @app.post("/v1/ruleset/validate", response_model=RulesetAnswer, responses=_JOB_REFUSALS, tags=["validation"])
    async def validate_ruleset(request: RulesetRequest) -> JSONResponse:
        """Check a whole ruleset (one text, or several files that include each other).

        Answered 200 whether or not it has errors: `valid` says, the
        diagnostics say where (file names as submitted).
        """
        sources, entry = engine.ruleset_sources(request.text, request.files, request.main, settings)
        return JSONResponse(await jobs.run(engine.check_ruleset, sources, entry))

    @app.post("/v1/calculate", response_model=CalculateAnswer, responses={**_JOB_REFUSALS, 422: _LOADING_422},
              tags=["calculation"])
    async def calculate(request: CalculateRequest) -> JSONResponse:
        """Cost one item of the submitted ruleset; the calculation is recorded in the history."""
        sources, entry = engine.ruleset_sources(request.text, request.files, request.main, settings)
        return JSONResponse(await jobs.run(
            engine.calculate, sources, entry, request.item, request.lot_size, engine.parse_date(request.date, "date"),
            settings))

    @app.post("/v1/value", response_model=ValueAnswer, responses={**_JOB_REFUSALS, 422: _LOADING_422},
              tags=["calculation"])
    async def value(request: ValueRequest) -> JSONResponse:
        """Value the ledgers of the submitted ruleset with each item's costing method."""
        sources, entry = engine.ruleset_sources(request.text, request.files, request.main, settings)
        as_of = engine.parse_date(request.as_of, "as_of")
        return JSONResponse(await jobs.run(engine.value, sources, entry, request.item, as_of))

    async def internal_error(request: Any, exc: Exception) -> JSONResponse:
        return JSONResponse(
            error_body("internal-error", f"costsheet failed on this request ({type(exc).__name__}); this is a bug, "
                       "please report it with the request"),
            status_code=500,
        )

    app.add_exception_handler(Exception, internal_error)
    _document_limits(app, settings)
    return app


def _document_limits(app: FastAPI, settings: ServiceSettings) -> None:
    """Put this instance's formula length limit into the OpenAPI schema (clients and fuzzers see it)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            formula = schema["components"]["schemas"]["FormulaRequest"]["properties"]["formula"]
            formula["maxLength"] = settings.max_formula_chars
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]
