"""The mapping file of a master-data folder, ``csv.rules``: how an ERP export maps onto
the files costsheet reads (docs/master-data.md, "The mapping file").

Like hledger's ``.csv.rules``, it sits beside the CSV files and is read with
them, so that an export from Business Central or Finance and Operations loads
as it was exported::

    # how erp/ was exported
    encoding            cp1252
    separator           ;
    decimal-comma       yes
    thousands-separator .
    date-format         dd.mm.yyyy

    items.csv: file=Item.csv, code=No., description=Description, unit_cost="Unit Cost"
    items.csv replenishment: Purchase=purchase, "Prod. Order"=prod-order, Assembly=assembly

- a **setting** line, ``NAME VALUE``, applies to every file of the folder;
- a **file** line, ``FILE: KEY=VALUE, ...``, maps costsheet's columns of FILE to the
  export's headers (``code=No.``), may name the export's file (``file=Item.csv``)
  and may give settings for that file alone (``separator=","``);
- a **values** line, ``FILE COLUMN: EXPORTED=VALUE, ...``, translates the export's
  words in one column into the words costsheet reads (compared without regard to case);
- a line that starts with a blank continues the list of the line before it;
  a line whose first character other than blanks is ``#`` is a comment.

A value with a comma, an ``=``, a ``"`` or blanks at its ends is quoted,
``"Unit Cost"``, a quote inside doubled (``""``).  Every mistake is a
diagnostic located in the mapping file (``mapping-syntax``,
``mapping-unknown-setting``, ``mapping-bad-value``, ``mapping-unknown-file``,
``mapping-unknown-column``, ``mapping-duplicate``); the rest of the file
still counts, so one run reports them all.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..diagnostics import Diagnostic, Span
from ..files import FileTooLargeError, NotARegularFileError, decode_error_position, read_text
from ..inputs import Input
from ..model import frozen_map
from .formats import CANONICAL, SPACES, Format, date_format
from .table import column_name

__all__ = ["MAPPING_FILE", "SETTINGS", "Header", "FileMapping", "FolderMapping", "parse_mapping", "read_mapping"]

#: the mapping file's name in a master-data folder
MAPPING_FILE = "csv.rules"

#: setting -> what it takes (for hints)
SETTINGS: Mapping[str, str] = frozen_map(
    {
        "encoding": "the name of an encoding: utf-8 (the default), cp1252, latin-1, utf-16",
        "separator": "one character between the cells: , (the default), ; | or tab",
        "decimal-comma": "yes (1234,50) or no (1234.50, the default)",
        "thousands-separator": "the character between groups of three digits: . , ' space, or none (the default)",
        "date-format": "a pattern of yyyy, mm (or m), dd (or d) and separators: dd.mm.yyyy, m/d/yyyy, "
        "yyyy-mm-dd (the default)",
    }
)
#: the thousands separators besides blanks: the point, the comma, the apostrophe (Switzerland) and its typographic form
_THOUSANDS = ".,'\u2019"
_FIELD = {
    "encoding": "encoding",
    "separator": "separator",
    "decimal-comma": "decimal_comma",
    "thousands-separator": "thousands",
    "date-format": "date",
}


@attrs.frozen
class Header:
    """A header of the export as the mapping names it, and where the mapping names it."""

    text: str
    span: Span


@attrs.frozen
class FileMapping:
    """How one of costsheet's files is read: from which file of the folder (``name``), written in
    which :class:`~costsheet.csvdata.formats.Format`, with which of its headers holding which of
    costsheet's columns, and which of its words standing for which of costsheet's."""

    kind: str  # items.csv, bom.csv ...
    name: str  # the file of the folder read as ``kind``
    format: Format = CANONICAL
    columns: Mapping[str, Header] = frozen_map()  # costsheet's column -> the export's header
    values: Mapping[str, Mapping[str, str]] = frozen_map()  # column -> {the export's word, casefolded: costsheet's}
    span: Span | None = None  # its first line in the mapping file (None: the file has no line of its own)
    rules: str | None = None  # the mapping file's path


@attrs.frozen
class FolderMapping:
    """A folder's mapping file read: a :class:`FileMapping` for each of costsheet's files."""

    kinds: tuple[str, ...]
    path: str | None = None  # None: the folder has no mapping file
    text: str = ""
    format: Format = CANONICAL  # what the setting lines say, for every file
    sections: Mapping[str, FileMapping] = frozen_map()  # the files the mapping has lines for

    @property
    def input(self) -> Input | None:
        return Input.of_text(self.path, "mapping", self.text) if self.path is not None else None

    def file(self, kind: str) -> FileMapping:
        found = self.sections.get(kind)
        return found if found is not None else FileMapping(kind, kind, self.format, rules=self.path)

    def names(self) -> dict[str, str]:
        """The file name read as each kind: {name: kind}."""
        return {self.file(kind).name: kind for kind in self.kinds}


def read_mapping(folder: Path, columns: Mapping[str, tuple[str, ...]], diagnostics: list[Diagnostic]) -> FolderMapping:
    """The mapping file of ``folder`` (no mapping when there is none; an unreadable one is a diagnostic).
    ``columns`` are the columns of each of costsheet's files."""
    path = folder / MAPPING_FILE
    if not path.exists():
        return FolderMapping(tuple(columns))
    file = str(path)
    try:
        text = read_text(file, encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = decode_error_position(error)
        diagnostics.append(
            Diagnostic.error(
                "csv-unreadable",
                f"{file} is not UTF-8 text (byte {error.start + 1}, line {line})",
                Span.point(file, line, column),
                "save the mapping file as UTF-8 (it may name another encoding for the CSV files)",
            )
        )
        return FolderMapping(tuple(columns))
    except (FileTooLargeError, NotARegularFileError, OSError) as error:
        diagnostics.append(
            Diagnostic.error(
                "csv-unreadable",
                f"cannot read {file}: {getattr(error, 'strerror', None) or error}",
                Span.point(file, 1, 1),
                "make the mapping file a readable text file",
            )
        )
        return FolderMapping(tuple(columns))
    mapping, found = parse_mapping(text, file, columns)
    diagnostics.extend(found)
    return mapping


# ---------------------------------------------------------------- parsing


@attrs.frozen
class _Token:
    text: str
    span: Span


class _MalformedError(Exception):
    def __init__(self, message: str, span: Span, hint: str):
        super().__init__(message)
        self.message, self.span, self.hint = message, span, hint


@attrs.define
class _Section:
    """A file's lines as they are read: its settings, columns and values, each with its place."""

    kind: str
    span: Span
    name: _Token | None = None
    settings: dict[str, tuple[object, Span]] = attrs.Factory(dict)
    columns: dict[str, Header] = attrs.Factory(dict)
    values: dict[str, dict[str, tuple[str, Span]]] = attrs.Factory(dict)


def parse_mapping(
    text: str, file: str, columns: Mapping[str, tuple[str, ...]]
) -> tuple[FolderMapping, tuple[Diagnostic, ...]]:
    """The mapping of a mapping file's ``text`` (``file`` names it in diagnostics) and every mistake in it."""
    parser = _Parser(file, columns)
    for number, line in enumerate(text.split("\n"), start=1):
        try:
            parser.line(number, line.rstrip("\r"))
        except _MalformedError as error:
            parser.error("mapping-syntax", error.message, error.span, error.hint)
            parser.sink = _ignore
    return parser.mapping(text), tuple(parser.diagnostics)


def _ignore(pair: tuple[_Token, _Token]) -> None:
    """The list of a line already reported as wrong: its continuation lines say nothing more."""


class _Parser:
    def __init__(self, file: str, columns: Mapping[str, tuple[str, ...]]):
        self.file, self.columns = file, columns
        self.diagnostics: list[Diagnostic] = []
        self.settings: dict[str, tuple[object, Span]] = {}
        self.sections: dict[str, _Section] = {}
        self.sink: Callable[[tuple[_Token, _Token]], None] | None = None  # where a continuation line's pairs go

    def error(self, code: str, message: str, span: Span, hint: str) -> None:
        self.diagnostics.append(Diagnostic.error(code, message, span, hint))

    def span(self, line: int, start: int, end: int) -> Span:
        """Columns ``start`` to ``end`` (0-based, end exclusive) of ``line``."""
        return Span(self.file, line, start + 1, line, max(end, start + 1) + 1)

    # ------------------------------------------------------------ lines

    def line(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return
        if line[0] in " \t":
            if self.sink is None:
                start = len(line) - len(line.lstrip())
                raise _MalformedError(
                    "this line is indented, but there is no file line before it to continue",
                    self.span(number, start, len(line)),
                    "start it at the first column, or put it under a `FILE: KEY=VALUE` line",
                )
            if self.sink is not _ignore:  # the rest of a line reported as wrong says nothing more
                self.take(self.sink, line, number, 0)
            return
        first = re.match(r"[^\s:]+", line)
        word = first.group(0) if first else ""
        if word.lower() in SETTINGS:
            self.sink = None
            self.top_setting(word.lower(), line, number, first.end() if first else 0)
        elif ":" in line:
            self.head(line, number)
        else:
            self.sink = None
            close = difflib.get_close_matches(word.lower(), list(SETTINGS), n=1, cutoff=0.6)
            span = self.span(number, 0, len(word))
            if close:
                self.error(
                    "mapping-unknown-setting",
                    f"{word} is not a setting of a mapping file; did you mean {close[0]}?",
                    span,
                    f"write {close[0]} {SETTINGS[close[0]].split(':')[0]}",
                )
            else:
                raise _MalformedError(
                    f"this line is neither a setting ({', '.join(SETTINGS)}) nor a file line (FILE: KEY=VALUE, ...)",
                    self.span(number, 0, len(line.rstrip())),
                    "write `NAME VALUE` (decimal-comma yes), `items.csv: code=No., ...` or "
                    "`items.csv COLUMN: EXPORTED=VALUE, ...`; comments start with #",
                )

    def top_setting(self, name: str, line: str, number: int, end: int) -> None:
        rest = line[end:]
        start = end + len(rest) - len(rest.lstrip())
        value = self.value(rest.strip(), number, start)
        if not value.text and not rest.strip():
            self.error(
                "mapping-bad-value",
                f"the setting {name} has no value",
                self.span(number, 0, end),
                f"write {name} and {SETTINGS[name]}",
            )
            return
        self.setting(self.settings, name, value, "the mapping file")

    def head(self, line: str, number: int) -> None:
        colon = line.index(":")
        words = line[:colon].split()
        if len(words) not in (1, 2):
            raise _MalformedError(
                f"{line[:colon].strip()!r} is not a file, nor a file and a column",
                self.span(number, 0, colon),
                "write `items.csv: code=No., ...` or `items.csv replenishment: Purchase=purchase, ...`",
            )
        kind = words[0]
        kind_span = self.span(number, 0, len(kind))
        if kind not in self.columns:
            close = difflib.get_close_matches(kind.lower(), list(self.columns), n=1, cutoff=0.6)
            self.error(
                "mapping-unknown-file",
                f"{kind} is not one of costsheet's master data files",
                kind_span,
                (f"did you mean {close[0]}? " if close else "")
                + "the files are "
                + ", ".join(self.columns)
                + " (the export's own file name goes into file=NAME)",
            )
            self.sink = _ignore
            return
        section = self.sections.get(kind)
        if section is None:
            section = self.sections[kind] = _Section(kind, self.span(number, 0, colon + 1))
        if len(words) == 1:
            self.sink = lambda pair: self.file_pair(section, pair)
        else:
            column = self.known_column(
                kind,
                _Token(
                    words[1],
                    self.span(number, line.index(words[1], len(kind)), line.index(words[1], len(kind)) + len(words[1])),
                ),
            )
            if column is None:
                self.sink = _ignore
                return
            table = section.values.setdefault(column, {})
            self.sink = lambda pair: self.value_pair(section, column, table, pair)
        self.take(self.sink, line, number, colon + 1)

    def take(self, sink: Callable[[tuple[_Token, _Token]], None], line: str, number: int, start: int) -> None:
        """The pairs of ``line`` from ``start`` into ``sink``: those before a mistake too."""
        pairs, mistake = self.pairs(line, number, start)
        for pair in pairs:
            sink(pair)
        if mistake is not None:
            raise mistake

    # ------------------------------------------------------------ pairs

    def file_pair(self, section: _Section, pair: tuple[_Token, _Token]) -> None:
        key, value = pair
        name = key.text.strip().lower()
        if name == "file":
            if section.name is not None:
                self.twice(f"{section.kind} names its file", key.span, section.name.span)
            elif not value.text or "/" in value.text or "\\" in value.text:
                self.error(
                    "mapping-bad-value",
                    f"file={value.text!r} is not the name of a file in the folder",
                    value.span,
                    'write the export\'s file name without a folder: file="Item.csv"',
                )
            else:
                section.name = value
        elif name in SETTINGS:
            self.setting(section.settings, name, value, section.kind)
        else:
            column = self.known_column(section.kind, key)
            if column is None:
                return
            if column in section.columns:
                self.twice(f"{section.kind} maps {column}", key.span, section.columns[column].span)
            elif not value.text:
                self.error(
                    "mapping-bad-value",
                    f"{section.kind} maps {column} to an empty header",
                    value.span,
                    f'write the export\'s header that holds {column}: {column}="Header"',
                )
            else:
                section.columns[column] = Header(value.text, value.span)

    def value_pair(self, section: _Section, column: str, table: dict, pair: tuple[_Token, _Token]) -> None:
        exported, value = pair
        folded = exported.text.casefold()
        if folded in table:
            self.twice(
                f"the {column} values of {section.kind} translate {exported.text!r}", exported.span, table[folded][1]
            )
        else:
            table[folded] = (value.text, exported.span)

    def known_column(self, kind: str, key: _Token) -> str | None:
        column = column_name(key.text)
        known = self.columns[kind]
        if column in known:
            return column
        close = difflib.get_close_matches(column, known, n=1, cutoff=0.6)
        self.error(
            "mapping-unknown-column",
            f"{key.text} is not a column of {kind}",
            key.span,
            (f"did you mean {close[0]}? " if close else "") + f"the columns of {kind} are " + ", ".join(known),
        )
        return None

    def twice(self, what: str, span: Span, first: Span) -> None:
        self.error(
            "mapping-duplicate",
            f"{what} twice (first at line {first.line}, column {first.column})",
            span,
            "keep one of them: only one could count",
        )

    def setting(self, settings: dict, name: str, token: _Token, where: str) -> None:
        if name in settings:
            self.twice(f"{where} sets {name}", token.span, settings[name][1])
            return
        value = self.setting_value(name, token)
        if value is not None:
            settings[name] = (value, token.span)

    def setting_value(self, name: str, token: _Token) -> object | None:
        text = token.text
        problem = None
        if name == "encoding":
            try:
                codecs.lookup(text)
                b"x".decode(text, "replace")  # a codec that is not a text encoding (base64) refuses
                return text
            except (LookupError, ValueError):
                problem = f"{text!r} is not an encoding costsheet knows"
        elif name == "decimal-comma":
            if text.lower() in ("yes", "no"):
                return text.lower() == "yes"
            problem = f"decimal-comma takes yes or no, not {text!r}"
        elif name == "separator":
            separator = "\t" if text.lower() == "tab" else text
            if len(separator) == 1 and not separator.isalnum() and separator not in '"\r\n':
                return separator
            problem = f"{text!r} cannot separate cells"
        elif name == "thousands-separator":
            separator = {"none": "", "space": " "}.get(text.lower(), text)
            if not separator or separator in SPACES:
                return " " if separator else ""
            if separator in _THOUSANDS:
                return separator
            problem = f"{text!r} cannot separate thousands"
        else:
            compiled = date_format(text)
            if not isinstance(compiled, str):
                return text
            problem = f"the date format {text!r} cannot be read: {compiled}"
        self.error("mapping-bad-value", problem, token.span, f"{name} takes {SETTINGS[name]}")
        return None

    # ------------------------------------------------------------ tokens

    def pairs(self, line: str, number: int, start: int) -> tuple[list[tuple[_Token, _Token]], _MalformedError | None]:
        """The ``KEY=VALUE`` pairs of ``line`` from column ``start`` (0-based), separated by commas,
        and the mistake that ends them (None when the line is well made)."""
        pairs: list[tuple[_Token, _Token]] = []
        i, end = start, len(line)
        try:
            while True:
                while i < end and line[i] in " \t,":
                    i += 1
                if i >= end:
                    return pairs, None
                key, i = self.token(line, number, i, "=,")
                if not key.text:
                    raise _MalformedError("a key is missing before =", key.span, "write KEY=VALUE, e.g. code=No.")
                i = _blanks(line, i)
                if i >= end or line[i] != "=":
                    raise _MalformedError(
                        f"{key.text} has no =VALUE",
                        key.span,
                        'write KEY=VALUE, e.g. code=No.; quote a value with a comma: "Name, short"',
                    )
                value, i = self.token(line, number, _blanks(line, i + 1), ",")
                pairs.append((key, value))
                i = _blanks(line, i)
                if i < end and line[i] != ",":
                    raise _MalformedError(
                        "a comma is missing after the quoted value",
                        self.span(number, i, i + 1),
                        "separate the pairs with commas: code=No., description=Description",
                    )
        except _MalformedError as mistake:
            return pairs, mistake

    def value(self, text: str, number: int, start: int) -> _Token:
        """A setting's value: the rest of the line, or a quoted text."""
        if text.startswith('"'):
            token, end = self.token(text, number, 0, "", shift=start)
            if text[end:].strip():
                raise _MalformedError(
                    "the value goes on after its closing quote",
                    self.span(number, start + end, start + len(text)),
                    "write one value per setting line",
                )
            return token
        return _Token(text, self.span(number, start, start + len(text)))

    def token(self, line: str, number: int, i: int, stops: str, *, shift: int = 0) -> tuple[_Token, int]:
        """A quoted or bare token from ``i``: (the token, the position after it)."""
        if i < len(line) and line[i] == '"':
            parts, j = [], i + 1
            while True:
                close = line.find('"', j)
                if close < 0:
                    raise _MalformedError(
                        "this quote is not closed",
                        self.span(number, shift + i, shift + len(line)),
                        'close the quoted value with "; write a quote inside it as ""',
                    )
                parts.append(line[j:close])
                if line.startswith('"', close + 1):
                    parts.append('"')
                    j = close + 2
                    continue
                return _Token("".join(parts), self.span(number, shift + i, shift + close + 1)), close + 1
        j = i
        while j < len(line) and line[j] not in stops:
            j += 1
        text = line[i:j].rstrip()
        return _Token(text, self.span(number, shift + i, shift + i + len(text))), j

    # ------------------------------------------------------------ the result

    def mapping(self, text: str) -> FolderMapping:
        folder_format = self.format(CANONICAL, self.settings)
        self.names_once()
        sections = {}
        for kind, section in self.sections.items():
            file_format = self.format(folder_format, section.settings) if section.settings else folder_format
            values = {
                column: frozen_map({word: value for word, (value, _) in table.items()})
                for column, table in section.values.items()
            }
            sections[kind] = FileMapping(
                kind,
                section.name.text if section.name else kind,
                file_format,
                frozen_map(section.columns),
                frozen_map(values),
                section.span,
                self.file,
            )
        return FolderMapping(tuple(self.columns), self.file, text, folder_format, frozen_map(sections))

    def names_once(self) -> None:
        """Each file of the folder is read as one of costsheet's files: a ``file=`` that names the file
        another line names, or one of costsheet's own names that another file keeps, is ``mapping-duplicate``."""
        claimed: dict[str, tuple[str, Span | None]] = {}
        renamed = [kind for kind in self.columns if not (kind in self.sections and self.sections[kind].name)]
        for kind in [*renamed, *(kind for kind in self.columns if kind not in renamed)]:  # own names first
            section = self.sections.get(kind)
            token = section.name if section is not None else None
            name = token.text if token is not None else kind
            if name in claimed and section is not None and token is not None:
                other, first = claimed[name]
                if first is None:
                    message = f"{name} is the name of costsheet's {other}, so it cannot be read as {kind} too"
                else:
                    message = f"{name} is read as {other} (line {first.line}, column {first.column}) and as {kind}"
                self.error(
                    "mapping-duplicate",
                    message,
                    token.span,
                    f"name each export file once: {other} and {kind} need files of their own "
                    f"({other}: file=NAME names {other}'s)",
                )
                section.name = None
            else:
                claimed[name] = (kind, token.span if token is not None else None)

    def format(self, base: Format, settings: dict[str, tuple[object, Span]]) -> Format:
        # each setting's value was read as the type of its field (a text, or a yes/no for decimal-comma)
        changes: dict[str, Any] = {_FIELD[name]: value for name, (value, _) in settings.items()}
        result = attrs.evolve(base, **changes)
        if result.thousands and result.thousands == result.decimal:
            name = "thousands-separator" if "thousands-separator" in settings else "decimal-comma"
            self.error(
                "mapping-bad-value",
                f"the thousands separator {result.thousands!r} is the decimal separator too",
                settings[name][1],
                "numbers cannot use one character for both: decimal-comma yes goes with thousands-separator . or space",
            )
            return attrs.evolve(result, thousands="")
        return result


def _blanks(line: str, i: int) -> int:
    while i < len(line) and line[i] in " \t":
        i += 1
    return i
