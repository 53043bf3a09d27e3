"""Hostile requests: size, time and concurrency limits, unknown paths, and the OpenAPI contract."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from costsheet.service.errors import ServiceError
from costsheet.service.jobs import JobRunner

from service_client import make_client


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


def test_a_request_over_the_time_limit_is_408_and_the_server_keeps_serving(spec_files):
    text = spec_files["main.cost"].replace('include "ledger.cost"', "") * 40  # certainly over 1 ms to check
    with make_client(request_timeout=0.001, record_history=False) as c:
        answer = c.post("/v1/ruleset/validate", json={"text": text})
        assert answer.status_code == 408
        assert answer.json()["code"] == "request-timeout" and "limit" in answer.json()["detail"]
        assert c.post("/v1/formula/validate", json={"formula": "1"}).status_code == 200


def test_when_every_worker_is_busy_new_work_is_503_at_once():
    release = threading.Event()
    runner = JobRunner(slots=1, timeout=5)

    async def scenario():
        first = asyncio.ensure_future(runner.run(release.wait, 5))
        await asyncio.sleep(0.05)
        with pytest.raises(ServiceError) as refused:
            await runner.run(lambda: 1)
        release.set()
        assert await first is True
        assert await runner.run(lambda: 2) == 2  # the slot is free again
        return refused.value

    refused = asyncio.run(scenario())
    runner.close()
    assert (refused.status, refused.code) == (503, "server-busy")


def test_a_timed_out_job_keeps_its_slot_until_it_ends():
    release = threading.Event()
    runner = JobRunner(slots=1, timeout=0.05)

    async def scenario():
        with pytest.raises(ServiceError) as late:
            await runner.run(release.wait, 5)
        with pytest.raises(ServiceError) as busy:
            await runner.run(lambda: 1)
        release.set()
        await asyncio.sleep(0.05)
        return late.value, busy.value, await runner.run(lambda: 3)

    late, busy, after = asyncio.run(scenario())
    runner.close()
    assert (late.status, busy.status, after) == (408, 503, 3)


def test_unknown_paths_and_methods_are_json_errors(client):
    assert client.get("/nope").status_code == 404
    assert client.get("/nope").json()["code"] == "not-found"
    answer = client.get("/v1/formula/validate")
    assert answer.status_code == 405 and answer.json()["code"] == "method-not-allowed"


def test_health(client):
    assert client.get("/health").json()["status"] == "ok"


def test_every_status_is_documented(client):
    spec = client.get("/openapi.json").json()
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


def test_the_app_serves_again_after_a_second_lifespan(spec_files):
    """ASGI hosts may run startup/shutdown more than once (found by schemathesis)."""
    with make_client(record_history=False) as c:
        for _ in range(2):
            with c:
                assert c.post("/v1/ruleset/validate", json={"files": spec_files}).status_code == 200


def test_a_closed_job_runner_reopens():
    runner = JobRunner(slots=1, timeout=5)
    assert asyncio.run(runner.run(lambda: 1)) == 1
    runner.close()
    assert asyncio.run(runner.run(lambda: 2)) == 2
    runner.close()


def test_the_formula_limit_is_in_the_openapi_document():
    with make_client(max_formula_chars=77, record_history=False) as c:
        spec = c.get("/openapi.json").json()
    assert spec["components"]["schemas"]["FormulaRequest"]["properties"]["formula"]["maxLength"] == 77
    assert "formula 77 characters" in spec["info"]["description"]
