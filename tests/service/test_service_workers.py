"""The worker processes: busy, timed out, out of memory, crashed, oversized answers (in-process app)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time

import pytest
from service_client import make_client
from service_samples import diamond, many_items

from costsheet.service import ServiceSettings
from costsheet.service import worker as worker_module
from costsheet.service.errors import ServiceError
from costsheet.service.jobs import WorkerPool

pytestmark = pytest.mark.thorough

SLOW = many_items(8000)  # about 2 s of checking


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _wait_until_busy(pool) -> None:
    deadline = time.monotonic() + 10
    while pool.idle and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not pool.idle


def _post_later(client, path, body, results):
    thread = threading.Thread(target=lambda: results.append(client.post(path, json=body)))
    thread.start()
    return thread


def test_when_every_worker_is_busy_new_work_is_503_at_once_and_formulas_are_served():
    with make_client(request_timeout=30) as c:
        c.post("/v1/ruleset/validate", json={"text": many_items(1)})  # the worker is ready
        results: list = []
        thread = _post_later(c, "/v1/ruleset/validate", {"text": SLOW}, results)
        _wait_until_busy(c.app.state.jobs)
        started = time.monotonic()
        busy = c.post("/v1/ruleset/validate", json={"text": many_items(1)})
        formula = c.post("/v1/formula/validate", json={"formula": "2 § (C + D)"})
        waited = time.monotonic() - started
        thread.join()
        after = c.post("/v1/ruleset/validate", json={"text": many_items(1)})
    assert (busy.status_code, busy.json()["code"]) == (503, "server-busy")
    assert formula.status_code == 200 and waited < 1.0
    assert results[0].status_code == 200 and results[0].json()["valid"] is True
    assert after.status_code == 200  # the worker is free again


def test_a_timed_out_request_kills_its_worker_and_a_fresh_one_serves_the_next():
    with make_client(request_timeout=0.5) as c:
        pool = c.app.state.jobs
        c.post("/v1/ruleset/validate", json={"text": many_items(1)})
        (before,) = pool.pids()
        late = c.post("/v1/ruleset/validate", json={"text": SLOW})
        assert late.status_code == 408
        assert not _alive(before)  # killed before the 408 was sent
        (replacement,) = pool.pids()
        assert replacement != before
        assert c.post("/v1/ruleset/validate", json={"text": many_items(1)}).status_code == 200  # not 503


def test_a_worker_killed_while_working_is_422_worker_crashed_and_replaced():
    with make_client(request_timeout=30) as c:
        pool = c.app.state.jobs
        c.post("/v1/ruleset/validate", json={"text": many_items(1)})
        (pid,) = pool.pids()
        results: list = []
        thread = _post_later(c, "/v1/ruleset/validate", {"text": SLOW}, results)
        _wait_until_busy(pool)
        time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)
        thread.join()
        answer = results[0]
        assert (answer.status_code, answer.json()["code"]) == (422, "worker-crashed"), answer.text
        assert "signal 9" in answer.json()["detail"]
        assert c.post("/v1/ruleset/validate", json={"text": many_items(1)}).status_code == 200


def test_a_worker_that_died_while_idle_is_replaced_without_failing_the_request():
    with make_client() as c:
        pool = c.app.state.jobs
        c.post("/v1/ruleset/validate", json={"text": many_items(1)})
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
        assert c.post("/v1/ruleset/validate", json={"text": many_items(1)}).status_code == 200
        assert pool.pids() != (pid,)


def test_a_request_needing_more_than_the_memory_limit_is_422_and_its_worker_replaced():
    """A worker loads the language in about 42 MB of address space and needs about 66 MB to check
    a 1 MB ruleset; here it may use 56 MiB."""
    with make_client(worker_memory_mb=56, request_timeout=60, max_body_bytes=2_000_000) as c:
        pool = c.app.state.jobs
        assert c.post("/v1/ruleset/validate", json={"text": many_items(1)}).status_code == 200
        (pid,) = pool.pids()
        answer = c.post("/v1/ruleset/validate", json={"text": many_items(15000)})
        assert (answer.status_code, answer.json()["code"]) == (422, "memory-limit-exceeded"), answer.text
        assert "56 MiB" in answer.json()["detail"]
        assert pool.pids() != (pid,)
        assert c.post("/v1/ruleset/validate", json={"text": many_items(1)}).status_code == 200


def test_memory_errors_anywhere_in_a_job_are_answered_and_retire_the_worker(monkeypatch):
    def exhausted(settings, **args):
        raise MemoryError

    monkeypatch.setitem(worker_module.JOBS, "check-ruleset", exhausted)
    frame = json.dumps({"job": "check-ruleset", "args": {}}).encode()
    status, body, retire = worker_module.run_job(frame, ServiceSettings())
    assert (status, json.loads(body)["code"], retire) == (422, "memory-limit-exceeded", True)


def test_a_bug_in_a_job_is_a_500_that_names_it_and_the_worker_stays(monkeypatch, capsys):
    def broken(settings, **args):
        raise KeyError("oops")

    monkeypatch.setitem(worker_module.JOBS, "check-ruleset", broken)
    # a large memory limit: this process (pytest) is no worker, and its peak must not look like running out
    settings = ServiceSettings(worker_memory_mb=1 << 20)
    status, body, retire = worker_module.run_job(b'{"job": "check-ruleset", "args": {}}', settings)
    assert (status, json.loads(body)["code"], retire) == (500, "internal-error", False)
    assert "KeyError" in json.loads(body)["detail"] and "KeyError" in capsys.readouterr().err


def test_an_answer_over_the_response_limit_is_422_result_too_large():
    duplicated = many_items(1) + 'item X000000 "Again" { replenishment purchase unit-cost 1.00 }\n' * 50  # 50 errors
    with make_client(max_response_bytes=2000) as c:
        answer = c.post("/v1/ruleset/validate", json={"text": duplicated})
        small = c.post("/v1/ruleset/validate", json={"text": many_items(1)})
    assert (answer.status_code, answer.json()["code"]) == (422, "result-too-large")
    assert "2000" in answer.json()["detail"] and small.status_code == 200


def test_a_refusal_whose_diagnostics_pass_the_limit_is_sent_without_them():
    duplicated = many_items(1) + 'item X000000 "Again" { replenishment purchase unit-cost 1.00 }\n' * 50
    with make_client(max_response_bytes=3000) as c:
        answer = c.post("/v1/calculate", json={"text": duplicated, "item": "X000000"})
    assert (answer.status_code, answer.json()["code"]) == (422, "ruleset-has-errors")
    assert answer.json()["diagnostics"] == [] and "left out" in answer.json()["detail"]


def test_a_calculation_over_the_response_limit_is_refused_and_not_recorded(tmp_path):
    store = tmp_path / "h.sqlite3"
    with make_client(max_response_bytes=5000, record_history=True, history_path=str(store), request_timeout=60) as c:
        answer = c.post("/v1/calculate", json={"text": diamond(8), "item": "A00"})
        fits = c.post("/v1/calculate", json={"text": diamond(1), "item": "A00"})
    assert (answer.status_code, answer.json()["code"]) == (422, "result-too-large")
    assert fits.status_code == 200
    from costsheet.history import HistoryStore

    assert [c.item for c in HistoryStore(store).list()] == ["A00"]  # only the one that was answered


def test_a_closed_pool_reopens():
    pool = WorkerPool(ServiceSettings(max_concurrent_jobs=1))
    args = {"text": many_items(1), "files": None, "main": None}
    assert asyncio.run(pool.run("check-ruleset", **args)).status == 200
    pool.close()
    assert asyncio.run(pool.run("check-ruleset", **args)).status == 200
    pool.close()
    assert pool.pids() == ()


def test_busy_is_a_service_error_of_the_pool():
    pool = WorkerPool(ServiceSettings(max_concurrent_jobs=1, request_timeout=30))
    args = {"text": SLOW, "files": None, "main": None}

    async def scenario():
        first = asyncio.ensure_future(pool.run("check-ruleset", **args))
        await asyncio.sleep(0.1)
        with pytest.raises(ServiceError) as refused:
            await pool.run("check-ruleset", **args)
        return refused.value, await first

    try:
        refused, first = asyncio.run(scenario())
    finally:
        pool.close()
    assert (refused.status, refused.code, first.status) == (503, "server-busy", 200)
