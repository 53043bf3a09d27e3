"""Frames over a pipe: how the server and its worker processes talk.

A frame is a 4-byte big-endian length and that many bytes (JSON text, never
a pickle).  Reads can have a deadline, so the server can wait for a worker's
answer for exactly as long as the request may take; writes are plain
blocking writes (the other side is always reading when one is sent).
"""

from __future__ import annotations

import os
import select
import struct
import time

__all__ = ["ChannelClosedError", "FrameTooLargeError", "read_frame", "write_frame"]

_LENGTH = struct.Struct("!I")
_CHUNK = 1 << 20


class ChannelClosedError(EOFError):
    """The other side closed the pipe (or died) before a whole frame arrived."""


class FrameTooLargeError(ValueError):
    """The other side announced a frame larger than the reader accepts."""


def write_frame(fd: int, payload: bytes) -> None:
    """Write one frame to ``fd`` (raises ``BrokenPipeError`` if the reader is gone)."""
    view = memoryview(_LENGTH.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    parts: list[bytes] = []
    missing = size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError(f"no frame within the deadline ({size - missing} of {size} bytes read)")
        chunk = os.read(fd, min(missing, _CHUNK))
        if not chunk:
            raise ChannelClosedError(f"the pipe closed after {size - missing} of {size} bytes")
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


def read_frame(fd: int, *, deadline: float | None = None, limit: int | None = None) -> bytes:
    """The next frame from ``fd``; ``TimeoutError`` once ``time.monotonic()`` passes ``deadline``."""
    (size,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size, deadline))
    if limit is not None and size > limit:
        raise FrameTooLargeError(f"a frame of {size} bytes was announced; at most {limit} are accepted")
    return _read_exactly(fd, size, deadline)
