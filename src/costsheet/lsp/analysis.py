"""The one question the language server asks of the rest of costsheet: for the ruleset these
open documents belong to, what are its texts, syntax trees, diagnostics and (when it has no
error) its loaded :class:`~costsheet.ruleset.Ruleset`?

:class:`FullLoad` answers by loading the whole ruleset again (read, parse, model, check, plan),
as ``costsheet check`` does, on :func:`costsheet.syntax.parse` or on a :class:`PieceCache`, which
parses again only the declarations an edit touched.  :class:`SessionLoad` (the language
server's) keeps one :class:`costsheet.Session` per entry ruleset and updates it with the open
documents: only the declarations an edit touched are parsed again, the model records of the
others are reused and only the edited items and those above them are costed again; the unit
costs and list prices the editor shows are the session's.  The explained costings of the
inlay hints are made lazily, one item at a time, and kept with the analysis they belong to.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Protocol

import attrs

from ..costing import CostResult
from ..diagnostics import Diagnostic, RulesetError
from ..files import read_text
from ..loader import mapping_reader, read_sources
from ..ruleset import Ruleset, analyze_sources
from ..session import Session
from ..syntax import BYTE_ORDER_MARK, declaration_pieces, parse, parse_piece, parse_tolerant
from ..syntax import nodes as n

__all__ = [
    "Analysis",
    "Loader",
    "FullLoad",
    "Overlay",
    "PieceCache",
    "SessionLoad",
    "full_load",
    "MAX_CACHED_PIECES",
]

#: The language server keeps at most this many parsed declarations, the least recently used
#: dropped first (an item of ten lines takes about 4 KB: 40 MB for 10,000).
MAX_CACHED_PIECES = 10_000


class Overlay(Mapping[str, str]):
    """File texts by path: an open document's text (what the editor holds, saved or not),
    otherwise the file on disk, read when asked."""

    def __init__(self, documents: Mapping[str, str]):
        self._documents = dict(documents)

    def __getitem__(self, path: str) -> str:
        if path in self._documents:
            return self._documents[path]
        return read_text(path)  # raises the loader's errors (not found, too large ...)

    def __contains__(self, path: object) -> bool:
        return path in self._documents or (isinstance(path, str) and os.path.lexists(path))

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)


@attrs.frozen(eq=False)
class Analysis:
    """One load of a ruleset: the texts of ``entry``, every file it includes and the CSV files
    read with it (``sources``, by path), the syntax tree of each ruleset file (for a file with
    syntax errors, the declarations that parse on their own), every diagnostic of
    ``costsheet check``, and the ruleset when it has no error."""

    entry: str
    sources: Mapping[str, str]
    trees: Mapping[str, n.SourceFile]
    diagnostics: tuple[Diagnostic, ...]
    ruleset: Ruleset | None
    #: every item's result when a session made this load (its costing date: ``date``), else None
    results: Mapping[str, CostResult] | None = None
    date: dt.date | None = None
    #: the items a session costed again for this load (None: not a session's load)
    recosted: frozenset[str] | None = None
    #: what is computed from this load, once: costings by item, the where-used index ...
    memo: dict = attrs.field(factory=dict, init=False, repr=False)

    def diagnostics_of(self, path: str) -> tuple[Diagnostic, ...]:
        """The diagnostics located in ``path`` (those without a place go to the entry file)."""
        return tuple(d for d in self.diagnostics if (d.span.file if d.span else self.entry) == path)

    def costing(self, item: str):
        """``(CostResult with its explain trace, or None, diagnostics)`` for ``item``, made once."""
        if self.ruleset is None:
            return None, ()
        key = ("costing", item)
        if key not in self.memo:
            self.memo[key] = self.ruleset.calculate_with_diagnostics(item, date=self.date, explain=True)
        return self.memo[key]

    def summary(self, item: str) -> tuple[CostResult | None, tuple[Diagnostic, ...]]:
        """``(CostResult or None, diagnostics)`` for ``item``: the session's result when there is one
        (no explain trace), else :meth:`costing`'s."""
        if self.results is not None and item in self.results:
            return self.results[item], ()
        return self.costing(item)


class Loader(Protocol):
    """Loads the ruleset of ``entry`` with the open ``documents`` (path → text) read instead of
    the files on disk."""

    def __call__(self, entry: str, documents: Mapping[str, str], master_data: tuple[str, ...] = ()) -> Analysis: ...


class PieceCache:
    """:func:`costsheet.syntax.parse` that keeps what it parsed: a file is cut before each line
    that starts a top-level declaration (:func:`~costsheet.syntax.declaration_pieces`) and each
    piece is parsed once for its text and first line, so an edit that keeps the line count (most
    keystrokes) parses one declaration again.  When a piece does not parse on its own, the whole
    file is parsed as ``costsheet check`` parses it (its syntax errors are reported the same);
    when every piece parses, their declarations are the file's."""

    def __init__(self, size: int = MAX_CACHED_PIECES):
        self.size = size
        self._pieces: OrderedDict[tuple[str, int, str], n.SourceFile] = OrderedDict()

    def __call__(self, text: str, file: str) -> tuple[n.SourceFile | None, tuple[Diagnostic, ...]]:
        declarations: list = []
        comments: list = []
        for line, piece in declaration_pieces(text.removeprefix(BYTE_ORDER_MARK)):
            key = (file, line, piece)
            tree = self._pieces.get(key)
            if tree is None:
                tree, _ = parse_piece(piece, file, line)
                if tree is None:
                    return parse(text, file)
                self._pieces[key] = tree
                if len(self._pieces) > self.size:
                    self._pieces.popitem(last=False)
            else:
                self._pieces.move_to_end(key)
            declarations.extend(tree.declarations)
            comments.extend(tree.comments)
        return n.SourceFile(tuple(declarations), file=file, comments=tuple(comments)), ()


def full_load(
    entry: str, documents: Mapping[str, str], master_data: tuple[str, ...] = (), *, parse_file=parse
) -> Analysis:
    """:class:`Loader` by a whole load, as ``costsheet check ENTRY --master-data ...`` makes it
    (``parse_file``: :func:`costsheet.syntax.parse` or a :class:`PieceCache`)."""
    overlay = Overlay(documents)
    read = read_sources(entry, mapping_reader(overlay), parse_file=parse_file)
    ruleset, diagnostics, texts = analyze_sources(read, master_data=list(master_data) or None)
    trees = {tree.file: tree for tree in read.files}
    for path, text in read.sources.items():
        if path not in trees:
            trees[path] = parse_tolerant(text, path)
    return Analysis(entry, {**read.sources, **texts}, trees, diagnostics, ruleset)


class SessionLoad:
    """A :class:`Loader` on one :class:`costsheet.Session` per entry ruleset and master data, updated
    with the open documents' texts (the language server's).

    Until the ruleset first checks clean there is no session: the load is :func:`full_load` on a
    :class:`PieceCache`, and the first clean one starts the session (as does the first load of a
    new day: a session's costing date is fixed)."""

    def __init__(self) -> None:
        self._sessions: dict[tuple[str, tuple[str, ...]], Session] = {}
        self._pieces = PieceCache()

    def __call__(self, entry: str, documents: Mapping[str, str], master_data: tuple[str, ...] = ()) -> Analysis:
        overlay = Overlay(documents)
        key = (entry, tuple(master_data))
        session = self._sessions.get(key)
        if session is not None and session.costing.date != dt.date.today():  # a new day: costs are today's
            session = None
        if session is None:
            analysis = full_load(entry, documents, master_data, parse_file=self._pieces)
            if analysis.ruleset is None:
                return analysis
            try:
                session = Session(
                    overlay[entry], file=entry, texts=overlay, master_data=list(master_data) or None, local_texts=True
                )
            except (RulesetError, OSError):
                return analysis
            self._sessions[key] = session
            costing = session.costing
            return attrs.evolve(
                analysis,
                ruleset=costing.ruleset,
                results=costing.results,
                date=costing.date,
                recosted=frozenset(costing.results),
            )
        try:
            text = overlay[entry]
        except OSError:
            return full_load(entry, documents, master_data, parse_file=self._pieces)
        update = session.update(text, texts=overlay)
        if not update.ok:
            return _of_session(entry, session, update.diagnostics, update.sources, None)
        return _of_session(entry, session, update.diagnostics, update.sources, update.recosted)


def _of_session(entry: str, session: Session, diagnostics, sources, recosted) -> Analysis:
    """The analysis of ``session``'s last update (``recosted`` None: it did not check clean, and the
    session kept its last good results, which the editor does not show)."""
    trees = dict(session.trees)
    for path, text in sources.items():  # a ruleset file with syntax errors: what parses on its own
        if path not in trees and not path.lower().endswith((".csv", ".rules")):
            trees[path] = parse_tolerant(text, path)
    if recosted is None:
        return Analysis(entry, sources, trees, diagnostics, None)
    costing = session.costing
    return Analysis(entry, sources, trees, diagnostics, costing.ruleset, costing.results, costing.date, recosted)


FullLoad: Loader = full_load
