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
from .files import MAX_FILE_BYTES, FileTooLarge, NotARegularFile, decode_error_position, read_text, size_over_limit
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
    files: list[n.SourceFile] = []
    sources: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []

    def visit(name: str, text: str, stack: tuple[str, ...]) -> None:
        size = size_over_limit(text)  # a text given directly, by the API or the service, as a file would be
        if size is not None:
            sources[name] = ""
            diagnostics.append(
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
        sources[name] = text
        ruleset, syntax = parse_file(text, name)
        diagnostics.extend(with_surrogates_reported(surrogates, syntax))
        if ruleset is not None:
            files.append(ruleset)
            includes = [d for d in ruleset.declarations if isinstance(d, n.Include)]
        else:  # still read what it includes, so that one run reports every file's errors
            includes = list(_includes_of_broken_file(text, name))
        for decl in includes:
            include(decl, name, stack + (name,))

    def include(decl: n.Include, including: str, stack: tuple[str, ...]) -> None:
        if "\x00" in decl.path:
            diagnostics.append(
                Diagnostic.error(
                    "include-not-found",
                    f"the include path {decl.path!r} holds a NUL character (\\x00), which no file name can",
                    decl.span,
                    "remove the NUL character from the path",
                )
            )
            return
        target = _resolve(including, decl.path)
        if target in stack:
            cycle = " -> ".join(stack[stack.index(target) :] + (target,))
            diagnostics.append(
                Diagnostic.error(
                    "include-cycle",
                    f"including {decl.path!r} closes a cycle: {cycle}",
                    decl.span,
                    "remove one of the includes in the cycle; each file is included once",
                )
            )
            return
        if target in sources:
            return  # already read through another include: each file once
        if len(stack) >= MAX_INCLUDE_DEPTH:
            diagnostics.append(
                Diagnostic.error(
                    "include-too-deep",
                    f"includes are nested more than {MAX_INCLUDE_DEPTH} levels deep",
                    decl.span,
                    "include the files from one top-level file instead of chaining them",
                )
            )
            return
        try:
            text = read(target)
        except IsADirectoryError:
            diagnostics.append(
                Diagnostic.error(
                    "include-unreadable",
                    f"the included {decl.path!r} is a folder, not a file",
                    decl.span,
                    "include each .cost file by its name",
                )
            )
            return
        except FileNotFoundError:
            diagnostics.append(
                Diagnostic.error(
                    "include-not-found",
                    f"cannot find the included file {decl.path!r} (looked for {target})",
                    decl.span,
                    "include paths are relative to the including file; check the name and folder",
                )
            )
            return
        except FileTooLarge as error:
            diagnostics.append(
                Diagnostic.error(
                    "file-too-large",
                    f"the included file {decl.path!r} is too large: {error}",
                    decl.span,
                    "split it into several files, each included on its own",
                )
            )
            return
        except NotARegularFile as error:
            diagnostics.append(
                Diagnostic.error(
                    "include-unreadable",
                    f"cannot read the included file {decl.path!r}: {error}",
                    decl.span,
                    "include a .cost file, not a device, pipe or socket",
                )
            )
            return
        except UnicodeDecodeError as error:
            line, column = decode_error_position(error)
            diagnostics.append(
                Diagnostic.error(
                    "include-unreadable",
                    f"cannot read the included file {decl.path!r}: it is not UTF-8 text "
                    f"(a byte at line {line}, column {column})",
                    decl.span,
                    "save the included file as UTF-8",
                )
            )
            return
        except OSError as error:
            diagnostics.append(
                Diagnostic.error(
                    "include-unreadable",
                    f"cannot read the included file {decl.path!r}: {_reason(error)}",
                    decl.span,
                    "make the file readable and save it as UTF-8",
                )
            )
            return
        visit(target, text, stack)

    if entry_text is None:
        try:
            entry_text = read(entry)
        except IsADirectoryError:
            return SourceSet(
                (),
                {},
                (
                    Diagnostic.error(
                        "file-unreadable",
                        f"{entry!r} is a folder, not a ruleset file",
                        Span.point(entry, 1, 1),
                        f"name the .cost file inside it, e.g. {posixpath.join(entry, 'demo.cost')}",
                    ),
                ),
            )
        except FileNotFoundError:
            return SourceSet(
                (),
                {},
                (
                    Diagnostic.error(
                        "file-not-found",
                        f"cannot find the ruleset {entry!r}",
                        Span.point(entry, 1, 1),
                        "check the path; run `costsheet init DIR` to write the demo ruleset",
                    ),
                ),
            )
        except FileTooLarge as error:
            return SourceSet(
                (),
                {},
                (
                    Diagnostic.error(
                        "file-too-large",
                        f"the ruleset is too large: {error}",
                        Span.point(entry, 1, 1),
                        "split it into several files and include them from one entry file",
                    ),
                ),
            )
        except NotARegularFile as error:
            return SourceSet(
                (),
                {},
                (
                    Diagnostic.error(
                        "file-unreadable",
                        f"cannot read the ruleset {entry!r}: {error}",
                        Span.point(entry, 1, 1),
                        "name a .cost file, not a device, pipe or socket",
                    ),
                ),
            )
        except UnicodeDecodeError as error:
            line, column = decode_error_position(error)
            return SourceSet(
                (),
                {},
                (
                    Diagnostic.error(
                        "file-unreadable",
                        f"cannot read the ruleset {entry!r}: it is not UTF-8 text "
                        f"(this byte is {error.object[error.start]:#04x})",
                        Span.point(entry, line, column),
                        "save the file as UTF-8",
                    ),
                ),
            )
        except OSError as error:
            return SourceSet(
                (),
                {},
                (
                    Diagnostic.error(
                        "file-unreadable",
                        f"cannot read the ruleset {entry!r}: {_reason(error)}",
                        Span.point(entry, 1, 1),
                        "make the file readable and save it as UTF-8",
                    ),
                ),
            )
    visit(entry, entry_text, ())
    return SourceSet(tuple(files), sources, tuple(diagnostics))


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
