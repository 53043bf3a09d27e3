"""The real server: ``costsheet serve`` in a child process on a free loopback port, and /proc readings of it.

Used by the tests that need real sockets (slow clients, connection limits)
and real processes (a killed worker's CPU time, the memory of the server and
its workers).  Linux only: the readings come from /proc.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import attrs

from live_process import running_costsheet

HOST = "127.0.0.1"  # loopback only
_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@attrs.frozen
class LiveServer:
    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def workers(self) -> tuple[int, ...]:
        return children(self.pid)

    def rss_bytes(self) -> int:
        """Resident memory of the server and all its worker processes together."""
        return sum(rss_bytes(pid) for pid in (self.pid, *self.workers()))


def children(pid: int) -> tuple[int, ...]:
    """The live child processes of ``pid`` (each thread lists the children it started)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return tuple(child for child in sorted(found) if alive(child))


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process, ``None`` once it is gone."""
    fields = _stat(pid)
    if fields is None or fields[0] == "Z":
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14 and 15 of stat)


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return 0


@contextlib.contextmanager
def running_server(*options: str) -> Iterator[LiveServer]:
    """``costsheet serve`` with ``options`` on a free port until the block ends."""
    port = free_port()
    args = ["serve", "--host", HOST, "--port", str(port), *options]
    with running_costsheet(args, f"http://{HOST}:{port}/health") as process:
        yield LiveServer(process, port)


class MemoryWatch:
    """Samples the server's total RSS every 20 ms while the block runs; ``peak`` is the highest sample."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_bytes())
            self._stop.wait(0.02)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
