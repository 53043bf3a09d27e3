"""Error answers: one JSON shape for every 4xx, and the handlers that produce it.

Every refusal says what was wrong in words (``detail``), with a stable
kebab-case ``code`` a client can test, and the diagnostics (the shape of
``costsheet check --format json``, docs/errors.md) when the problem lies
inside the submitted text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["ServiceError", "error_body", "install_handlers", "STATUS_CODES"]

#: the code used for a bare HTTP status (unknown path, wrong method …)
STATUS_CODES = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    408: "request-timeout",
    413: "request-too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    503: "server-busy",
}


def error_body(code: str, detail: str, diagnostics: Iterable[Mapping[str, Any]] | None = None) -> dict[str, object]:
    """The JSON of every error answer."""
    return {"code": code, "detail": detail, "diagnostics": [dict(d) for d in diagnostics or ()]}


class ServiceError(Exception):
    """A request the service refuses: turned into ``status`` with :func:`error_body`."""

    def __init__(self, status: int, code: str, detail: str, diagnostics: Iterable[Mapping[str, Any]] = ()) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.diagnostics = tuple(diagnostics)


def _location(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_detail(errors: Iterable[Mapping[str, Any]]) -> tuple[str, list[dict[str, object]]]:
    """Pydantic's errors as one sentence and as diagnostics without a place."""
    messages: list[str] = []
    diagnostics: list[dict[str, object]] = []
    for error in errors:
        where = _location(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            ctx = error.get("ctx") or {}
            message = f"the body is not valid JSON ({ctx.get('error', 'cannot be parsed')})"
        elif where == "body" and error.get("type") in ("model_attributes_type", "dict_type", "missing"):
            message = "the body must be a JSON object, sent with Content-Type: application/json"
        else:
            message = f"{where}: {error.get('msg', 'invalid value')}"
        messages.append(message)
        diagnostics.append(
            {
                "severity": "error",
                "file": None,
                "line": None,
                "column": None,
                "end_line": None,
                "end_column": None,
                "code": "invalid-request",
                "message": message,
            }
        )
    return "; ".join(messages[:5]) + (f" (and {len(messages) - 5} more)" if len(messages) > 5 else ""), diagnostics


def install_handlers(app: Any) -> None:
    """Answer every refusal with :func:`error_body` (FastAPI's own shapes differ per error)."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    async def service_error(request: Any, exc: ServiceError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.detail, exc.diagnostics), status_code=exc.status)

    async def validation_error(request: Any, exc: RequestValidationError) -> JSONResponse:
        detail, diagnostics = _validation_detail(exc.errors())
        return JSONResponse(error_body("invalid-request", detail, diagnostics), status_code=422)

    async def http_error(request: Any, exc: HTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "http-error")
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
