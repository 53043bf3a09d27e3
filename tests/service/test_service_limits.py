"""Hostile requests: size, time and concurrency limits, unknown paths, and the OpenAPI contract."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from click.testing import CliRunner
from service_client import make_client
from service_samples import many_items


def test_a_body_over_the_limit_is_413_from_its_length():
    with make_client(max_body_bytes=1000, record_history=False) as c:
        answer = c.post("/v1/ruleset/validate", json={"text": "#" * 2000})
        assert answer.status_code == 413
        assert answer.json()["code"] == "request-too-large" and "1000 bytes" in answer.json()["detail"]
        assert c.post("/v1/ruleset/validate", json={"text": "#" * 900}).status_code == 200


def test_a_streamed_body_without_length_is_cut_off_at_the_limit():
    def chunks():
        yield b'{"text": "'
        for _ in range(100):
            yield b"#" * 100
        yield b'"}'

    with make_client(max_body_bytes=1000, record_history=False) as c:
        answer = c.post("/v1/ruleset/validate", content=chunks(), headers={"content-type": "application/json"})
    assert answer.status_code == 413


def test_a_bad_content_length_is_400():
    from costsheet.service.limits import BodyLimitMiddleware

    sent = []

    async def app(scope, receive, send):  # pragma: no cover - never reached
        raise AssertionError("the request should have been refused")

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "headers": [(b"content-length", b"lots")]}
    asyncio.run(BodyLimitMiddleware(app, 10)(scope, receive, send))
    assert sent[0]["status"] == 400


@pytest.mark.thorough
def test_a_request_over_the_time_limit_is_408_and_the_server_keeps_serving():
    with make_client(request_timeout=0.3) as c:
        answer = c.post("/v1/ruleset/validate", json={"text": many_items(8000)})  # about 2 s of work
        assert answer.status_code == 408
        assert answer.json()["code"] == "request-timeout" and "stopped" in answer.json()["detail"]
        assert c.post("/v1/formula/validate", json={"formula": "1"}).status_code == 200
        assert c.post("/v1/ruleset/validate", json={"text": many_items(1)}).status_code == 200


def test_a_body_that_trickles_in_is_408_body_timeout():
    from costsheet.service.limits import BodyLimitMiddleware

    sent = []

    async def app(scope, receive, send):  # pragma: no cover - never reached
        raise AssertionError("the request should have been refused")

    async def send(message):
        sent.append(message)

    async def receive():
        await asyncio.sleep(0.05)
        return {"type": "http.request", "body": b"x", "more_body": True}

    asyncio.run(BodyLimitMiddleware(app, 10_000, timeout=0.3)({"type": "http", "headers": []}, receive, send))
    assert sent[0]["status"] == 408 and b"body-timeout" in sent[1]["body"]


def test_unknown_paths_and_methods_are_json_errors(shared_client):
    assert shared_client.get("/nope").status_code == 404
    assert shared_client.get("/nope").json()["code"] == "not-found"
    answer = shared_client.get("/v1/formula/validate")
    assert answer.status_code == 405 and answer.json()["code"] == "method-not-allowed"


def test_health(shared_client):
    assert shared_client.get("/health").json()["status"] == "ok"


def test_every_status_is_documented(shared_client):
    spec = shared_client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            if method == "post":
                assert {"200", "400", "413", "422"} <= documented, (path, documented)
                assert "ErrorAnswer" in str(operation["responses"]["422"])
            if path != "/v1/formula/validate" and method == "post":
                assert {"408", "503"} <= documented, path
    assert "HTTPValidationError" not in str(spec["paths"])


def test_import_costsheet_does_not_import_fastapi():
    code = "import costsheet, costsheet.service, costsheet.history, sys; print('fastapi' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_serve_without_the_extra_names_the_pip_command(monkeypatch):
    from costsheet.cli import main

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn -> ImportError
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "pip install 'costsheet[service]'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.thorough
def test_the_app_serves_again_after_a_second_lifespan(spec_files):
    """ASGI hosts may run startup/shutdown more than once (found by schemathesis)."""
    with make_client(record_history=False) as c:
        for _ in range(2):
            with c:
                assert c.post("/v1/ruleset/validate", json={"files": spec_files}).status_code == 200


@pytest.mark.thorough
def test_the_formula_limit_is_in_the_openapi_document():
    with make_client(max_formula_chars=77, record_history=False) as c:
        spec = c.get("/openapi.json").json()
    assert spec["components"]["schemas"]["FormulaRequest"]["properties"]["formula"]["maxLength"] == 77
    assert "formula 77 characters" in spec["info"]["description"]
