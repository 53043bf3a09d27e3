"""Writing a report: choosing the format, the files, and failing with a clear reason.

:func:`write_report` is the one entry: a :class:`~.model.Report`, a format
(``table``, ``csv`` or ``xlsx``; :func:`format_of` reads it from a file's
extension) and a destination (a path, or an open stream).  A file is written
through a temporary file beside it and a rename, so a failed run never leaves
half a file.  What cannot be done raises :class:`ReportError` with a stable
code, a message and a hint.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from .model import Report

__all__ = ["FORMATS", "EXTENSIONS", "ReportError", "format_of", "csv_paths", "write_report", "replacing"]

#: The formats :func:`write_report` writes (a command's ``--format json`` is the result's own JSON).
FORMATS = ("table", "csv", "xlsx")
#: File extensions and the format each means (``--output FILE`` without ``--format``).
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".txt": "table"}


@attrs.frozen
class ReportError(Exception):
    """What keeps a report from being written: ``code`` (kebab-case), ``message``, ``hint``."""

    code: str
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def format_of(path: str | os.PathLike[str]) -> str:
    """The format a file's extension names (``out.xlsx`` → ``xlsx``); ``ReportError`` for another one."""
    suffix = Path(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = ", ".join(EXTENSIONS)
    said = f"the extension {suffix}" if suffix else "no extension"
    raise ReportError(
        "output-format-unknown",
        f"cannot tell the format of {os.fspath(path)}: it has {said}",
        f"name the file with one of {known}, or give --format",
    )


def csv_paths(report: Report, path: str | os.PathLike[str]) -> dict[str, Path]:
    """Where each part of ``report`` goes as CSV: the first part to ``path``, every other part beside it
    as ``STEM.PART.csv`` (``ico.csv``, ``ico.charges.csv``, ``ico.bom.csv``)."""
    path = Path(path)
    return {
        part.name: path if index == 0 else path.with_name(f"{path.stem}.{part.name}{path.suffix or '.csv'}")
        for index, part in enumerate(report.parts)
    }


def write_report(
    report: Report, fmt: str, destination: str | os.PathLike[str] | IO[Any] | None = None, *, part: str | None = None
) -> tuple[Path, ...]:
    """Write ``report`` as ``fmt`` to ``destination`` and return the files written.

    ``destination`` is a path, an open stream (text for ``table`` and ``csv``, binary for ``xlsx``) or
    None for standard output (``table`` and ``csv`` only).  ``part`` writes that part alone.  CSV is one
    table per file: to a stream it needs ``part`` unless the report has one part; to a path every part is
    written (:func:`csv_paths`).  Raises :class:`ReportError` (``unknown-part``, ``output-needs-file``,
    ``output-unwritable``, ``xlsx-unavailable``) and ``ValueError`` for a format none of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: one of {', '.join(FORMATS)}")
    if part is not None:
        if part not in report.names:
            raise ReportError(
                "unknown-part", f"the report has no part {part}", f"its parts are {', '.join(report.names)}"
            )
        report = attrs.evolve(report, parts=(report.part(part),))
    if fmt == "csv":
        return _write_csv(report, destination)
    if destination is None and fmt == "xlsx":
        raise ReportError("output-needs-file", "a workbook is not written to the terminal", "give --output FILE.xlsx")
    writer = _writer(fmt)
    if not isinstance(destination, (str, os.PathLike)):
        writer(report, destination)
        return ()
    path = Path(destination)
    with replacing(path, binary=fmt == "xlsx") as stream:
        writer(report, stream)
    return (path,)


def _writer(fmt: str) -> Callable[[Report, Any], None]:
    if fmt == "xlsx":
        from .xlsxfile import write_xlsx

        return write_xlsx
    from .text import write_table

    return write_table


def _write_csv(report: Report, destination: str | os.PathLike[str] | IO[Any] | None) -> tuple[Path, ...]:
    from .csvfile import write_csv

    if not isinstance(destination, (str, os.PathLike)):
        if len(report.parts) != 1:
            raise ReportError(
                "unknown-part",
                f"CSV is one table, and the report has {len(report.parts)}: {', '.join(report.names)}",
                "choose one with --part, or give --output FILE.csv to write one file per part",
            )
        write_csv(report.parts[0], destination if destination is not None else sys.stdout)
        return ()
    paths = csv_paths(report, destination)
    for each in report.parts:
        with replacing(paths[each.name], binary=False, newline="") as stream:
            write_csv(each, stream)
    return tuple(paths.values())


@contextlib.contextmanager
def replacing(path: Path, *, binary: bool, newline: str | None = None) -> Iterator[IO[Any]]:
    """A stream into a temporary file beside ``path`` that replaces ``path`` when the block ends well
    (text is UTF-8); ``ReportError`` (``output-unwritable``) when the file cannot be written."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise _unwritable(path, "it is a directory")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    except OSError as error:
        raise _unwritable(path, error.strerror or str(error)) from None
    try:
        stream: IO[Any] = (
            os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline=newline)
        )
        with stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise _unwritable(path, error.strerror or str(error)) from None
    except BaseException:
        _remove(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _unwritable(path: Path, reason: str) -> ReportError:
    return ReportError(
        "output-unwritable",
        f"cannot write {path}: {reason}",
        "check that the folder exists and that you may write there",
    )
