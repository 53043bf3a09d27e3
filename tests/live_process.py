"""``costsheet COMMAND ...`` in a child process until a block ends, once it answers on loopback.

Shared by the live service tests (tests/service/live_server.py), the web view's tests
(tests/web/web_live.py) and tools/web_screenshots.py.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

_SRC = str(Path(__file__).resolve().parents[1] / "src")


@contextlib.contextmanager
def running_costsheet(
    args: Sequence[str],
    ready_url: str,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    start_timeout: float = 60,
    poll_timeout: float = 2,
) -> Iterator[subprocess.Popen[bytes]]:
    """``costsheet ARGS`` from this checkout's src/; yields the process once ``ready_url`` answers
    200, and stops it (terminate, then kill) when the block ends. Its standard error is kept for
    the message when it does not start."""
    environ = dict(os.environ, **(env or {}))
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, (_SRC, os.environ.get("PYTHONPATH"))))
    code = "from costsheet.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=environ,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    log: list[bytes] = []
    stderr = process.stderr
    assert stderr is not None
    reader = threading.Thread(target=lambda: log.extend(iter(stderr.readline, b"")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(ready_url, timeout=poll_timeout).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                command = " ".join(args[:1])
                raise RuntimeError(f"costsheet {command} did not start:\n" + b"".join(log).decode(errors="replace"))
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
