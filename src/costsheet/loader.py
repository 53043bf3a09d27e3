"""Reading a ruleset: a file and the files it includes.

``include "x.cost"`` is resolved relative to the including file; each file is
read at most once; a missing file or a cycle is a diagnostic at the include
line.  Files come through a ``read(name) -> str`` function, so the same code
serves the file system (the command line) and a set of submitted texts (the
HTTP service).  The file system reader reads regular files only, of at most
:data:`~costsheet.files.MAX_FILE_BYTES` (:mod:`costsheet.files`).  Every text
read is freed of lone surrogates (:mod:`costsheet.characters`) before it is
parsed or kept, each one an error at its line and column.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping

import attrs

from .characters import with_surrogates_reported, without_surrogates
from .diagnostics import Diagnostic, Span
from .files import (
    MAX_FILE_BYTES,
    FileTooLargeError,
    NotARegularFileError,
    decode_error_position,
    read_text,
    size_over_limit,
)
from .syntax import BYTE_ORDER_MARK, parse, unescape
from .syntax import nodes as n

__all__ = ["SourceSet", "read_sources", "file_reader", "mapping_reader", "included_paths", "MAX_INCLUDE_DEPTH"]

#: Includes nested deeper than this are refused (a generated chain, not a ruleset).
MAX_INCLUDE_DEPTH = 100

Reader = Callable[[str], str]
Parser = Callable[[str, str], tuple["n.SourceFile | None", tuple[Diagnostic, ...]]]


@attrs.frozen
class SourceSet:
    """The parsed files of one ruleset, entry file first, and their texts."""

    files: tuple[n.SourceFile, ...]
    sources: Mapping[str, str]
    diagnostics: tuple[Diagnostic, ...]


def file_reader(name: str) -> str:
    """A regular file's UTF-8 text, bounded in size (see :func:`costsheet.files.read_text`)."""
    return read_text(name)


def mapping_reader(texts: Mapping[str, str]) -> Reader:
    """A reader over submitted texts (names are posix paths relative to the entry file)."""

    def read(name: str) -> str:
        normal = posixpath.normpath(name)
        if normal in texts:
            return texts[normal]
        if name in texts:
            return texts[name]
        raise FileNotFoundError(name)

    return read


def read_sources(
    entry: str, read: Reader = file_reader, *, entry_text: str | None = None, parse_file: Parser = parse
) -> SourceSet:
    """Parse ``entry`` and every file it includes.

    ``entry_text`` gives the entry file's text directly (then ``entry`` is
    only its display name and the base of relative includes).  ``parse_file``
    is :func:`costsheet.syntax.parse` or one that gives the same trees (the
    language server's, which keeps the declarations it parsed before; the
    session's, which re-parses only the declarations a change touches).
    """
    if entry_text is None:
        try:
            entry_text = read(entry)
        except (OSError, UnicodeDecodeError) as error:
            return SourceSet((), {}, (_unreadable_entry(entry, error),))
    reading = _Reading(read, parse_file)
    reading.visit(entry, entry_text, ())
    return SourceSet(tuple(reading.files), reading.sources, tuple(reading.diagnostics))


@attrs.frozen
class _Reading:
    """One run of :func:`read_sources`: the files parsed so far, their texts and the diagnostics."""

    read: Reader
    parse_file: Parser
    files: list[n.SourceFile] = attrs.field(factory=list)
    sources: dict[str, str] = attrs.field(factory=dict)
    diagnostics: list[Diagnostic] = attrs.field(factory=list)

    def visit(self, name: str, text: str, stack: tuple[str, ...]) -> None:
        """Parse the file ``name`` of text ``text``, then read what it includes."""
        size = size_over_limit(text)  # a text given directly, by the API or the service, as a file would be
        if size is not None:
            self.sources[name] = ""
            self.diagnostics.append(
                Diagnostic.error(
                    "file-too-large",
                    f"{name} has {size:,} bytes; costsheet reads files of at most {MAX_FILE_BYTES:,} bytes",
                    Span.point(name, 1, 1),
                    "split it into several files and include them",
                )
            )
            return
        # the text kept (for excerpts and the content hash) is what follows a byte-order mark,
        # so that every column, the surrogates' too, counts as the parser's does
        text, surrogates = without_surrogates(text.removeprefix(BYTE_ORDER_MARK), name)
        self.sources[name] = text
        ruleset, syntax = self.parse_file(text, name)
        self.diagnostics.extend(with_surrogates_reported(surrogates, syntax))
        if ruleset is not None:
            self.files.append(ruleset)
            includes = [d for d in ruleset.declarations if isinstance(d, n.Include)]
        else:  # still read what it includes, so that one run reports every file's errors
            includes = list(_includes_of_broken_file(text, name))
        for decl in includes:
            self.include(decl, name, (*stack, name))

    def include(self, decl: n.Include, including: str, stack: tuple[str, ...]) -> None:
        """Read and visit the file ``decl`` of ``including`` names, unless it cannot or need not be."""
        if "\x00" in decl.path:
            self.diagnostics.append(_nul_in_include(decl))
            return
        target = _resolve(including, decl.path)
        if target in stack:
            self.diagnostics.append(_include_cycle(decl, target, stack))
            return
        if target in self.sources:
            return  # already read through another include: each file once
        if len(stack) >= MAX_INCLUDE_DEPTH:
            self.diagnostics.append(_include_too_deep(decl))
            return
        try:
            text = self.read(target)
        except (OSError, UnicodeDecodeError) as error:
            self.diagnostics.append(_unreadable_include(decl, target, error))
            return
        self.visit(target, text, stack)


def _nul_in_include(decl: n.Include) -> Diagnostic:
    return Diagnostic.error(
        "include-not-found",
        f"the include path {decl.path!r} holds a NUL character (\\x00), which no file name can",
        decl.span,
        "remove the NUL character from the path",
    )


def _include_cycle(decl: n.Include, target: str, stack: tuple[str, ...]) -> Diagnostic:
    cycle = " -> ".join((*stack[stack.index(target) :], target))
    return Diagnostic.error(
        "include-cycle",
        f"including {decl.path!r} closes a cycle: {cycle}",
        decl.span,
        "remove one of the includes in the cycle; each file is included once",
    )


def _include_too_deep(decl: n.Include) -> Diagnostic:
    return Diagnostic.error(
        "include-too-deep",
        f"includes are nested more than {MAX_INCLUDE_DEPTH} levels deep",
        decl.span,
        "include the files from one top-level file instead of chaining them",
    )


def _unreadable_include(decl: n.Include, target: str, error: OSError | UnicodeDecodeError) -> Diagnostic:
    """Why the file an include names could not be read."""
    if isinstance(error, IsADirectoryError):
        code, message, hint = (
            "include-unreadable",
            f"the included {decl.path!r} is a folder, not a file",
            "include each .cost file by its name",
        )
    elif isinstance(error, FileNotFoundError):
        code, message, hint = (
            "include-not-found",
            f"cannot find the included file {decl.path!r} (looked for {target})",
            "include paths are relative to the including file; check the name and folder",
        )
    elif isinstance(error, FileTooLargeError):
        code, message, hint = (
            "file-too-large",
            f"the included file {decl.path!r} is too large: {error}",
            "split it into several files, each included on its own",
        )
    elif isinstance(error, NotARegularFileError):
        code, message, hint = (
            "include-unreadable",
            f"cannot read the included file {decl.path!r}: {error}",
            "include a .cost file, not a device, pipe or socket",
        )
    elif isinstance(error, UnicodeDecodeError):
        line, column = decode_error_position(error)
        code, message, hint = (
            "include-unreadable",
            f"cannot read the included file {decl.path!r}: it is not UTF-8 text "
            f"(a byte at line {line}, column {column})",
            "save the included file as UTF-8",
        )
    else:
        code, message, hint = (
            "include-unreadable",
            f"cannot read the included file {decl.path!r}: {_reason(error)}",
            "make the file readable and save it as UTF-8",
        )
    return Diagnostic.error(code, message, decl.span, hint)


def _unreadable_entry(entry: str, error: OSError | UnicodeDecodeError) -> Diagnostic:
    """Why the entry file could not be read."""
    where = Span.point(entry, 1, 1)
    if isinstance(error, IsADirectoryError):
        code, message, hint = (
            "file-unreadable",
            f"{entry!r} is a folder, not a ruleset file",
            f"name the .cost file inside it, e.g. {posixpath.join(entry, 'demo.cost')}",
        )
    elif isinstance(error, FileNotFoundError):
        code, message, hint = (
            "file-not-found",
            f"cannot find the ruleset {entry!r}",
            "check the path; run `costsheet init DIR` to write the demo ruleset",
        )
    elif isinstance(error, FileTooLargeError):
        code, message, hint = (
            "file-too-large",
            f"the ruleset is too large: {error}",
            "split it into several files and include them from one entry file",
        )
    elif isinstance(error, NotARegularFileError):
        code, message, hint = (
            "file-unreadable",
            f"cannot read the ruleset {entry!r}: {error}",
            "name a .cost file, not a device, pipe or socket",
        )
    elif isinstance(error, UnicodeDecodeError):
        line, column = decode_error_position(error)
        where = Span.point(entry, line, column)
        code, message, hint = (
            "file-unreadable",
            f"cannot read the ruleset {entry!r}: it is not UTF-8 text (this byte is {error.object[error.start]:#04x})",
            "save the file as UTF-8",
        )
    else:
        code, message, hint = (
            "file-unreadable",
            f"cannot read the ruleset {entry!r}: {_reason(error)}",
            "make the file readable and save it as UTF-8",
        )
    return Diagnostic.error(code, message, where, hint)


_INCLUDE_LINE = re.compile(r'^[ \t]*include[ \t]+"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)


def _includes_of_broken_file(text: str, name: str):
    """The include statements of a file that did not parse, found line by line."""
    for match in _INCLUDE_LINE.finditer(text):
        statement = match.group(0).lstrip()
        start = match.end() - len(statement)
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        span = Span(name, line, column, line, column + len(statement))
        yield n.Include(unescape('"' + match.group(1) + '"'), span=span)


def included_paths(text: str, name: str) -> tuple[str, ...]:
    """The files ``name`` (with the text ``text``) includes, resolved as a load resolves them,
    found line by line (a file need not parse): how an editor finds the files that include it."""
    return tuple(_resolve(name, decl.path) for decl in _includes_of_broken_file(text, name))


def _resolve(including: str, path: str) -> str:
    if posixpath.isabs(path):
        return posixpath.normpath(path)
    return posixpath.normpath(posixpath.join(posixpath.dirname(including), path))


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
