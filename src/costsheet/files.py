"""Reading the files a user names: regular files only, bounded in size.

A ruleset, an included file or a CSV file is read with :func:`read_text`,
which refuses what is not a regular file (``/dev/zero``, a named pipe, a
socket: these would grow without end or block forever) and a file larger
than :data:`MAX_FILE_BYTES`, before reading a byte of it.  The refusals are
:class:`OSError` subclasses with a message fit for a diagnostic, so callers
that already turn an ``OSError`` into a diagnostic need nothing new; a
file that is not UTF-8 raises :class:`UnicodeDecodeError` as before (see
:func:`decode_error_position` for where the bad byte is).
"""

from __future__ import annotations

import os
import stat

__all__ = [
    "MAX_FILE_BYTES",
    "read_text",
    "size_over_limit",
    "NotARegularFileError",
    "FileTooLargeError",
    "decode_error_position",
]

#: The largest file costsheet reads (ruleset, include or CSV), in bytes: 10 MB.
MAX_FILE_BYTES = 10_000_000

_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


class NotARegularFileError(OSError):
    """The path names a device, pipe or socket rather than a file."""


class FileTooLargeError(OSError):
    """The file is larger than the limit."""

    def __init__(self, message: str, size: int | None, limit: int):
        super().__init__(message)
        self.size, self.limit = size, limit


def read_text(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = None, limit: int = MAX_FILE_BYTES
) -> str:
    """The text of the regular file ``path``, at most ``limit`` bytes.

    ``newline=None`` translates ``\\r\\n`` and ``\\r`` to ``\\n`` (as ``open``
    does by default); ``newline=""`` keeps line endings as they are.  Raises
    ``FileNotFoundError``, ``IsADirectoryError``, :class:`NotARegularFileError`,
    :class:`FileTooLargeError` (all ``OSError``), other ``OSError`` and
    ``UnicodeDecodeError``; a path holding a NUL character, or one the file
    system cannot encode (a lone surrogate), is ``FileNotFoundError``: no
    file can have that name.
    """
    name = os.fspath(path)
    if "\x00" in name:
        raise FileNotFoundError(f"the path {name!r} holds a NUL character, which no file name can")
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        raise FileNotFoundError(f"the path {name!r} holds a character no file name here can") from None
    _refuse_unless_regular(os.stat(path), path, limit)  # a device or pipe is never opened
    # O_NONBLOCK: if the path was swapped for a pipe since the stat, open() still returns at once
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb", closefd=True) as handle:
        _refuse_unless_regular(os.fstat(handle.fileno()), path, limit)
        data = handle.read(limit + 1)  # the file may have grown since the stat
    if len(data) > limit:
        raise _too_large(path, None, limit)
    text = data.decode(encoding)
    if newline is None and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _refuse_unless_regular(status: os.stat_result, path, limit: int) -> None:
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{os.fspath(path)!r} is a folder, not a file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise NotARegularFileError(f"{os.fspath(path)} is {kind}, not a regular file")
    if status.st_size > limit:
        raise _too_large(path, status.st_size, limit)


def _too_large(path, size: int | None, limit: int) -> FileTooLargeError:
    """``size`` None: the file grew past the limit while it was read."""
    has = f"more than {limit:,}" if size is None else f"{size:,}"
    return FileTooLargeError(
        f"{os.fspath(path)} has {has} bytes; costsheet reads files of at most {limit:,} bytes", size, limit
    )


def size_over_limit(text: str, limit: int = MAX_FILE_BYTES) -> int | None:
    """The UTF-8 size of a text given directly (not read from a file) when it is over
    ``limit`` bytes, else None; a text is held to the limit of the file it stands for."""
    if len(text) * 4 <= limit:  # no text of this length can be larger: nothing to encode
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    return size if size > limit else None


def decode_error_position(error: UnicodeDecodeError) -> tuple[int, int]:
    """1-based (line, column) of the first byte that is not ``error.encoding``.

    The column counts the characters before it on its line, as the parser
    counts columns."""
    data = error.object
    start = error.start
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode(error.encoding, errors="replace")) + 1
    return line, column
