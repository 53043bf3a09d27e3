"""Running heavy requests (rulesets, calculations, valuations) in worker processes that can be killed.

Why processes: the work is synchronous Python that can take long on hostile
input, and a thread cannot be stopped.  So each heavy request goes to one of
``max_concurrent_jobs`` worker processes (:mod:`costsheet.service.worker`),
each working on one request at a time under a memory limit; the server only
forwards the request's JSON and the worker's JSON answer, so the server's
own event loop stays free for ``/health`` and formula validation.

- When a request passes its time limit the worker is killed (SIGKILL) before
  the client gets its 408, and a fresh worker is started in its place: the
  timed-out work stops consuming CPU at once.
- When every worker is busy, new heavy requests get 503 at once instead of
  queueing without bound.
- A worker that runs out of memory answers 422 ``memory-limit-exceeded`` and
  is replaced; one that dies without answering (a crash, the system's
  out-of-memory killer) is 422 ``worker-crashed`` and is replaced.

The waiting happens in one thread per worker (blocked in ``select``, not
spinning), so the pool works from any event loop, and from none.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import attrs

from .channel import ChannelClosedError, FrameTooLargeError, read_frame, write_frame
from .errors import ServiceError
from .settings import ServiceSettings
from .worker import READY

__all__ = ["Answer", "Worker", "WorkerPool"]

#: seconds a new worker may take to load the language before it is given up
STARTUP_TIMEOUT = 60.0
#: seconds a worker may take to exit after its input closes, before it is killed
STOP_GRACE = 2.0
#: room for an answer's status frame and a refusal beside the response limit
_FRAME_SLACK = 64 * 1024


@attrs.frozen
class Answer:
    """What a worker answered: the HTTP status and the JSON body, as bytes to send as they are."""

    status: int
    body: bytes


def _package_root() -> str:
    """The directory holding this ``costsheet`` package, so a worker imports the same code as the server."""
    return str(Path(__file__).resolve().parents[2])


@attrs.define
class Worker:
    """One worker process and its pipes."""

    process: subprocess.Popen[bytes]
    ready: bool = False

    @classmethod
    def start(cls, settings: ServiceSettings) -> Worker:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (_package_root(), env.get("PYTHONPATH"))))
        process = subprocess.Popen(
            [sys.executable, "-m", "costsheet.service.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        worker = cls(process)
        write_frame(worker._inbox, json.dumps(settings.to_json()).encode("ascii"))
        return worker

    @property
    def _inbox(self) -> int:
        assert self.process.stdin is not None
        return self.process.stdin.fileno()

    @property
    def _outbox(self) -> int:
        assert self.process.stdout is not None
        return self.process.stdout.fileno()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _wait_ready(self) -> None:
        if self.ready:
            return
        try:
            said = read_frame(self._outbox, deadline=time.monotonic() + STARTUP_TIMEOUT, limit=len(READY))
        except TimeoutError:
            raise ChannelClosedError(f"the worker did not start within {STARTUP_TIMEOUT:g} s") from None
        if said != READY:
            raise ChannelClosedError("the worker did not say it was ready")
        self.ready = True

    def call(self, job: bytes, timeout: float, answer_limit: int) -> tuple[Answer, bool]:
        """Send ``job`` and wait at most ``timeout`` seconds for (answer, retire).

        Raises ``TimeoutError`` after ``timeout`` and ``ChannelClosedError`` (or
        ``FrameTooLargeError``) when the worker dies or misbehaves; the caller then
        kills it.  The time limit starts once the worker is ready.
        """
        self._wait_ready()
        deadline = time.monotonic() + timeout
        write_frame(self._inbox, job)
        status = json.loads(read_frame(self._outbox, deadline=deadline, limit=1024))
        body = read_frame(self._outbox, deadline=deadline, limit=answer_limit + _FRAME_SLACK)
        return Answer(int(status["status"]), body), bool(status["retire"])

    def kill(self) -> None:
        """SIGKILL the worker and reap it."""
        self.process.kill()
        self.process.wait()
        self._close_pipes()

    def stop(self) -> None:
        """Close its input (it exits after its current job), killing it if it does not exit soon."""
        self._close_pipes()
        try:
            self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.kill()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass

    def describe_end(self) -> str:
        """How a worker whose channel broke ended (it is reaped, or killed if it still runs)."""
        try:
            code = self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.kill()
            return "it sent a broken answer"
        return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


@attrs.define
class WorkerPool:
    """``settings.max_concurrent_jobs`` workers; each heavy request takes an idle one or gets 503."""

    settings: ServiceSettings
    _idle: collections.deque[Worker] = attrs.field(init=False, factory=collections.deque)
    _workers: dict[int, Worker] = attrs.field(init=False, factory=dict)
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)
    _threads: concurrent.futures.ThreadPoolExecutor | None = attrs.field(init=False, default=None)

    @property
    def size(self) -> int:
        return self.settings.max_concurrent_jobs

    def start(self) -> None:
        """Start the workers (they load the language in parallel); a no-op once started."""
        with self._lock:
            if self._threads is not None:
                return
            self._threads = concurrent.futures.ThreadPoolExecutor(self.size, thread_name_prefix="costsheet-worker")
            for _ in range(self.size):
                self._idle.append(self._spawn())

    def _spawn(self) -> Worker:
        worker = Worker.start(self.settings)
        self._workers[worker.process.pid] = worker
        return worker

    def pids(self) -> tuple[int, ...]:
        """The process ids of the current workers (for tests and monitoring)."""
        with self._lock:
            return tuple(self._workers)

    @property
    def idle(self) -> int:
        """How many workers are waiting for work (for tests and monitoring)."""
        with self._lock:
            return len(self._idle)

    def _take(self) -> tuple[Worker, concurrent.futures.ThreadPoolExecutor]:
        """An idle worker and the thread that will wait for it, or 503."""
        self.start()
        with self._lock:
            if not self._idle or self._threads is None:
                raise ServiceError(
                    503,
                    "server-busy",
                    f"all {self.size} workers are busy with other rulesets; retry in a moment",
                )
            return self._idle.popleft(), self._threads

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if self._threads is not None:  # ready workers first: a fresh one may still be loading
                (self._idle.appendleft if worker.ready else self._idle.append)(worker)
                return
        worker.stop()  # the pool closed while the worker was busy
        with self._lock:
            self._workers.pop(worker.process.pid, None)

    def _replace(self, worker: Worker) -> Worker:
        worker.kill()
        with self._lock:
            self._workers.pop(worker.process.pid, None)
            return self._spawn()

    def _serve(self, worker: Worker, job: bytes) -> Answer:
        """Run ``job`` on ``worker`` (in a pool thread); the worker, or its replacement, goes back idle."""
        try:
            if not worker.alive:  # it died while idle (killed from outside): not this request's fault
                worker = self._replace(worker)
            try:
                answer, retire = worker.call(job, self.settings.request_timeout, self.settings.max_response_bytes)
            except TimeoutError:
                worker = self._replace(worker)
                raise ServiceError(
                    408,
                    "request-timeout",
                    f"the request took longer than the {self.settings.request_timeout:g} s limit and was stopped; "
                    "send a smaller ruleset",
                ) from None
            except (ChannelClosedError, FrameTooLargeError, BrokenPipeError, ValueError, KeyError) as problem:
                if not worker.ready:
                    worker = self._replace(worker)
                    raise ServiceError(
                        503,
                        "server-busy",
                        f"a worker could not be started; retry in a moment (see the server's log: {problem})",
                    ) from None
                end = worker.describe_end()
                worker = self._replace(worker)
                raise ServiceError(
                    422,
                    "worker-crashed",
                    f"the worker working on this request ended without answering ({end}); most often the request "
                    f"needed more than the {self.settings.worker_memory_mb} MiB a worker may use",
                ) from None
            if retire:  # it exits by itself after this answer
                worker = self._replace(worker)
            return answer
        finally:
            self._give_back(worker)

    async def run(self, job: str, **args: object) -> Answer:
        """Run ``job`` with JSON ``args`` in an idle worker: its answer, or 503 / 408 / 422 as above."""
        frame = json.dumps({"job": job, "args": args}, ensure_ascii=True).encode("ascii")
        worker, threads = self._take()
        try:
            future = asyncio.get_running_loop().run_in_executor(threads, self._serve, worker, frame)
        except BaseException:
            self._give_back(worker)
            raise
        return await future

    def close(self) -> None:
        """Stop every worker (a later :meth:`run` starts new ones; ASGI hosts may run the lifespan twice)."""
        with self._lock:
            threads, self._threads = self._threads, None
            idle = list(self._idle)
            self._idle.clear()
            self._workers.clear()
        for worker in idle:
            worker.stop()
        if threads is not None:
            threads.shutdown(wait=False)
