"""The FastAPI application: validation, calculation and valuation over HTTP.

Endpoints are ``async def`` (a sync endpoint hops to a thread pool, 4× slower
for short work); formula validation runs inline, bounded by its limits;
ruleset, calculation and valuation requests run in worker processes
(:mod:`costsheet.service.jobs`) with a time and memory limit, and their JSON
answer is sent as the worker wrote it.  Every status an endpoint can answer
is declared in the OpenAPI document, and every refusal has the same JSON
shape (:class:`ErrorAnswer`).  ``/docs`` is Swagger UI served from files
shipped in the package, so it works without a network.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import attrs
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from . import work
from .errors import error_body, install_handlers
from .jobs import Answer, WorkerPool
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
costsheet. The service is described in docs/service.md of the costsheet
distribution; every diagnostic code in docs/errors.md.

Amounts are decimal strings, never JSON numbers. Diagnostics have the shape
of the command line's `costsheet check --format json` (docs/errors.md), with
positions inside the submitted text (file `<formula>` for a formula, the
submitted file names for a ruleset). Every refusal is an `ErrorAnswer` with a
stable `code`.

Limits of this instance: request body {max_body_bytes} bytes (413 above),
sent within {body_timeout:g} s of the headers (408 after);
formula {max_formula_chars} characters and nesting {max_nesting_depth} levels
(422 above); {max_files} files per ruleset (422 above). Rulesets, calculations and
valuations run in {max_concurrent_jobs} worker processes (503 when all are
busy), each request for at most {request_timeout:g} s (408 after) and
{worker_memory_mb} MiB (422 above), with an answer of at most
{max_response_bytes} bytes (422 above).
"""

#: where the Swagger UI files shipped in the package are served
DOCS_ASSETS = "/docs/assets"
_SWAGGER_UI = Path(__file__).parent / "static" / "swagger-ui"


def _refusal(description: str) -> dict[str, Any]:
    return {"model": ErrorAnswer, "description": description}


#: statuses every POST endpoint can answer besides 200
_POST_REFUSALS: dict[int | str, dict[str, Any]] = {
    400: _refusal("Malformed HTTP request (e.g. a Content-Length that is not a number)."),
    408: _refusal("The body did not arrive within the body time limit (`body-timeout`)."),
    413: _refusal("The request body is larger than the limit (`request-too-large`)."),
    422: _refusal(
        "The body is not valid JSON, misses a field, has an unknown field or a value of the wrong kind "
        "(`invalid-request`), or breaks a limit (`formula-too-long`, `too-deeply-nested`, `too-many-files`, "
        "`invalid-file-name`, `unknown-main-file`, `invalid-date`)."
    ),
    503: _refusal("More connections are open than the server's limit (`too-many-connections`); retry later."),
}
#: statuses of the endpoints that load a ruleset in a worker process
_JOB_REFUSALS: dict[int | str, dict[str, Any]] = {
    **_POST_REFUSALS,
    408: _refusal(
        "The work took longer than the per-request time limit and was stopped (`request-timeout`), "
        "or the body was too slow (`body-timeout`)."
    ),
    503: _refusal(
        "Every worker is busy with other rulesets (`server-busy`), or too many connections are open "
        "(`too-many-connections`); retry later."
    ),
}
_LOADING_422 = _refusal(
    "Refused as for every POST (see above), or the ruleset has errors (`ruleset-has-errors`), or the "
    "calculation or valuation failed (`calculation-failed`, `valuation-failed`); the diagnostics say where. "
    "Also: the answer is larger than the response limit (`result-too-large`), the work needed more memory "
    "than a worker may use (`memory-limit-exceeded`), or its worker died (`worker-crashed`)."
)
_RULESET_422 = _refusal(
    "Refused as for every POST (see above), or the answer is larger than the response limit "
    "(`result-too-large`), the work needed more memory than a worker may use (`memory-limit-exceeded`), or its "
    "worker died (`worker-crashed`)."
)


def _sent(answer: Answer) -> Response:
    """A worker's answer, sent as the worker encoded it."""
    return Response(answer.body, status_code=answer.status, media_type="application/json")


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """A new application with its own limits, worker processes and history settings (no shared state)."""
    settings = settings or ServiceSettings()
    jobs = WorkerPool(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        jobs.start()
        yield
        jobs.close()

    app = FastAPI(
        title="costsheet",
        version=__version__,
        description=DESCRIPTION.format(**attrs.asdict(settings)),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        responses={404: _refusal("No such endpoint."), 405: _refusal("Wrong method for this endpoint.")},
    )
    app.state.settings = settings
    app.state.jobs = jobs
    install_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, timeout=settings.body_timeout)
    app.mount(DOCS_ASSETS, StaticFiles(directory=_SWAGGER_UI), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title="costsheet - API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},  # the validator badge would call a public server
        )

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
        return JSONResponse(work.check_formula(request.formula, request.rows, settings))

    @app.post(
        "/v1/ruleset/validate",
        response_model=RulesetAnswer,
        responses={**_JOB_REFUSALS, 422: _RULESET_422},
        tags=["validation"],
    )
    async def validate_ruleset(request: RulesetRequest) -> Response:
        """Check a whole ruleset (one text, or several files that include each other).

        Answered 200 whether or not it has errors: `valid` says, the
        diagnostics say where (file names as submitted).
        """
        return _sent(await jobs.run("check-ruleset", **request.model_dump()))

    @app.post(
        "/v1/calculate",
        response_model=CalculateAnswer,
        responses={**_JOB_REFUSALS, 422: _LOADING_422},
        tags=["calculation"],
    )
    async def calculate(request: CalculateRequest) -> Response:
        """Cost one item of the submitted ruleset; recorded in the history when the server was asked to."""
        return _sent(await jobs.run("calculate", **request.model_dump()))

    @app.post(
        "/v1/value", response_model=ValueAnswer, responses={**_JOB_REFUSALS, 422: _LOADING_422}, tags=["calculation"]
    )
    async def value(request: ValueRequest) -> Response:
        """Value the ledgers of the submitted ruleset with each item's costing method."""
        return _sent(await jobs.run("value", **request.model_dump()))

    async def internal_error(request: Any, exc: Exception) -> JSONResponse:
        return JSONResponse(
            error_body(
                "internal-error",
                f"costsheet failed on this request ({type(exc).__name__}); this is a bug, "
                "please report it with the request",
            ),
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

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema
