"""Running heavy requests (rulesets, calculations, valuations) with a time limit.

Why threads and a semaphore: the work is synchronous Python, so the event
loop must not run it (one slow ruleset would stall every other client), and a
thread cannot be killed when it overruns.  So the request is answered with
408 once its time is up, while the thread finishes in the background still
holding its slot; when every slot is taken, new heavy requests get 503 at
once instead of queueing without bound.  Formula validation is bounded by its
length and depth limits and runs inline (a thread hop would cost more than
the work).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import TypeVar

import attrs

from .errors import ServiceError

__all__ = ["JobRunner"]

T = TypeVar("T")


def _consume(future: "asyncio.Future[object]") -> None:
    """Retrieve the outcome of a job nobody waits for any more (after a 408), so asyncio does not log it."""
    if not future.cancelled():
        future.exception()


@attrs.define
class JobRunner:
    """At most ``slots`` jobs at once, each answered within ``timeout`` seconds."""

    slots: int
    timeout: float
    _executor: concurrent.futures.ThreadPoolExecutor | None = attrs.field(init=False, default=None)
    _free: threading.BoundedSemaphore = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._free = threading.BoundedSemaphore(self.slots)

    def _pool(self) -> concurrent.futures.ThreadPoolExecutor:
        """The worker threads, started on first use and again after :meth:`close`.

        An ASGI server may run the app's lifespan (startup, shutdown) more than
        once, e.g. one test client after another: a closed runner reopens.
        """
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(self.slots, thread_name_prefix="costsheet-job")
        return self._executor

    async def run(self, func: Callable[..., T], *args: object) -> T:
        """``func(*args)`` in a worker thread; 503 when all slots are busy, 408 after the time limit."""
        if not self._free.acquire(blocking=False):
            raise ServiceError(
                503, "server-busy",
                f"all {self.slots} workers are busy with other rulesets; retry in a moment",
            )

        def job() -> T:
            try:
                return func(*args)
            finally:
                self._free.release()

        try:
            future = asyncio.get_running_loop().run_in_executor(self._pool(), job)
        except BaseException:
            self._free.release()
            raise
        future.add_done_callback(_consume)
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.timeout)
        except TimeoutError:
            raise ServiceError(
                408, "request-timeout",
                f"the request took longer than the {self.timeout:g} s limit; send a smaller ruleset",
            ) from None

    def close(self) -> None:
        """Stop the worker threads (running jobs finish; the next :meth:`run` starts new ones)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
