"""A worker process: runs the service's heavy requests, one at a time, where they can be killed.

Started by :class:`costsheet.service.jobs.WorkerPool` as
``python -m costsheet.service.worker``.  It talks to the server over its
standard input and output in frames (:mod:`costsheet.service.channel`):

1. the server sends the settings (JSON); the worker caps its own address
   space (``RLIMIT_AS``, ``worker_memory_mb``), lowers its priority below
   the server's, loads the language and answers ``ready``;
2. then, per job, the server sends ``{"job": NAME, "args": {...}}`` and the
   worker answers two frames: ``{"status": N, "retire": BOOL}`` and the
   answer's JSON text, exactly the HTTP body the client gets.

The worker never decides about time: the server kills it (SIGKILL) when a
request passes its limit.  It exits when its input closes, after a
``MemoryError`` (answered 422 ``memory-limit-exceeded``), and after any job
whose peak memory passed half its limit (``retire``), so memory a request
took is given back to the system by a fresh worker.  Anything it would print
goes to the server's standard error, never into the channel.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import traceback
from collections.abc import Callable

from .channel import ChannelClosedError, read_frame, write_frame
from .errors import ServiceError, error_body
from .settings import ServiceSettings

__all__ = ["JOBS", "READY", "encode", "main"]

READY = b"ready"
#: how much lower than the server a worker runs (heavy requests yield the CPU to /health and formulas)
NICENESS = 10


def encode(answer: object, limit: int) -> bytes:
    """``answer`` as compact ASCII JSON (lone surrogates escaped), refused past ``limit`` bytes."""
    body = json.dumps(answer, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    if len(body) > limit:
        raise ServiceError(
            422,
            "result-too-large",
            f"the answer would have {len(body)} bytes; at most {limit} are sent (the service's response limit)",
        )
    return body


def _check(settings: ServiceSettings, text: str | None, files: dict[str, str] | None, main: str | None) -> object:
    from . import work

    return work.check_ruleset(*work.ruleset_sources(text, files, main, settings))


def _calculate(
    settings: ServiceSettings,
    text: str | None,
    files: dict[str, str] | None,
    main: str | None,
    item: str,
    lot_size: str | None,
    date: str | None,
) -> object:
    from . import work

    sources, entry = work.ruleset_sources(text, files, main, settings)
    return work.calculate(sources, entry, item, lot_size, work.parse_date(date, "date"), settings)


def _value(
    settings: ServiceSettings,
    text: str | None,
    files: dict[str, str] | None,
    main: str | None,
    item: str | None,
    as_of: str | None,
) -> object:
    from . import work

    sources, entry = work.ruleset_sources(text, files, main, settings)
    return work.value(sources, entry, item, work.parse_date(as_of, "as_of"))


#: the jobs a worker runs, by the name the server sends; the arguments are the request's fields, checked
#: here (file names, nesting, dates), so the server does no per-character work on a request
JOBS: dict[str, Callable[..., object]] = {"check-ruleset": _check, "calculate": _calculate, "value": _value}


def _peak_rss_bytes() -> int:
    """This process's peak resident memory.

    Linux's ``ru_maxrss`` survives ``exec``: a worker started by a large
    process would start with its parent's peak, so ``VmHWM`` is read instead.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _refusal_body(refusal: ServiceError, limit: int) -> bytes:
    """The refusal's JSON; without its diagnostics if they alone would pass the response limit."""
    try:
        return encode(error_body(refusal.code, refusal.detail, refusal.diagnostics), limit)
    except ServiceError as too_large:
        detail = f"{refusal.detail} ({len(refusal.diagnostics)} diagnostics left out: {too_large.detail})"
        return encode(error_body(refusal.code, detail), limit)


def run_job(frame: bytes, settings: ServiceSettings) -> tuple[int, bytes, bool]:
    """(HTTP status, JSON body, retire) for one job frame; never raises."""
    limit = settings.max_response_bytes
    out_of_memory = False
    try:
        request = json.loads(frame)
        return 200, encode(JOBS[request["job"]](settings, **request["args"]), limit), False
    except ServiceError as refusal:
        return refusal.status, _refusal_body(refusal, limit), False
    except MemoryError:
        out_of_memory = True  # answered below, once the frames holding the memory are gone
    except RecursionError:  # wherever it happens, the input nests deeper than the code can follow
        detail = "the request is nested too deeply to be processed (a bill of materials or an expression)"
        return 422, encode(error_body("too-deeply-nested", detail), limit), False
    except Exception as exc:
        # An allocation failing deep inside CPython does not always surface as
        # MemoryError (a SystemError, say): near the limit, it is the memory.
        out_of_memory = _peak_rss_bytes() > _memory_bytes(settings) * 3 // 4
        if not out_of_memory:  # a bug: the client gets a 500 it can report
            traceback.print_exc(file=sys.stderr)
            detail = (
                f"costsheet failed on this request ({type(exc).__name__}); this is a bug, "
                "please report it with the request"
            )
            return 500, encode(error_body("internal-error", detail), limit), False
    assert out_of_memory
    detail = (
        f"the request needed more than the {settings.worker_memory_mb} MiB a worker may use; "
        "send a smaller ruleset or bill of materials"
    )
    return 422, encode(error_body("memory-limit-exceeded", detail), limit), True


def _memory_bytes(settings: ServiceSettings) -> int:
    return settings.worker_memory_mb * 1024 * 1024


def _limit_memory(settings: ServiceSettings) -> None:
    wanted = _memory_bytes(settings)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def main() -> None:
    """Serve jobs until the server closes the channel (or goes away)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then closes our input
    inbox, outbox = sys.stdin.fileno(), os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the channel
    try:
        _serve(inbox, outbox)
    except (ChannelClosedError, BrokenPipeError):
        pass  # the server closed the channel: nothing left to do


def _serve(inbox: int, outbox: int) -> None:
    """The worker's loop: settings, ``ready``, then one job after the other until its input closes."""
    settings = ServiceSettings(**json.loads(read_frame(inbox)))
    _limit_memory(settings)
    os.nice(NICENESS)
    from . import work

    work.check_ruleset({"warm-up.cost": ""}, "warm-up.cost")  # build the parser before the first job
    write_frame(outbox, READY)
    while True:
        frame = read_frame(inbox)
        status, body, retire = run_job(frame, settings)
        retire = retire or _peak_rss_bytes() > _memory_bytes(settings) // 2
        write_frame(outbox, json.dumps({"status": status, "retire": retire}).encode("ascii"))
        write_frame(outbox, body)
        if retire:
            return


if __name__ == "__main__":
    main()
