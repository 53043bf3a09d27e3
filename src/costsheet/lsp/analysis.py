"""The one question the language server asks of the rest of costsheet: for the ruleset these
open documents belong to, what are its texts, syntax trees, diagnostics and (when it has no
error) its loaded :class:`~costsheet.ruleset.Ruleset`?

:class:`FullLoad` answers by loading the whole ruleset again (read, parse, model, check, plan),
as ``costsheet check`` does; an incremental loader that re-checks only what an edit touches can
replace it behind the same :class:`Loader` protocol.  The costings the editor shows are made
lazily, one item at a time, and kept with the analysis they belong to.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Protocol

import attrs

from ..diagnostics import Diagnostic
from ..files import read_text
from ..loader import mapping_reader, read_sources
from ..ruleset import Ruleset, analyze_sources
from ..syntax import nodes as n
from ..syntax import parse_tolerant

__all__ = ["Analysis", "Loader", "FullLoad", "Overlay"]


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
            self.memo[key] = self.ruleset.calculate_with_diagnostics(item, explain=True)
        return self.memo[key]


class Loader(Protocol):
    """Loads the ruleset of ``entry`` with the open ``documents`` (path → text) read instead of
    the files on disk."""

    def __call__(self, entry: str, documents: Mapping[str, str], master_data: tuple[str, ...] = ()) -> Analysis: ...


def full_load(entry: str, documents: Mapping[str, str], master_data: tuple[str, ...] = ()) -> Analysis:
    """:class:`Loader` by a whole load, as ``costsheet check ENTRY --master-data ...`` makes it."""
    overlay = Overlay(documents)
    read = read_sources(entry, mapping_reader(overlay))
    ruleset, diagnostics, texts = analyze_sources(read, master_data=list(master_data) or None)
    trees = {tree.file: tree for tree in read.files}
    for path, text in read.sources.items():
        if path not in trees:
            trees[path] = parse_tolerant(text, path)
    return Analysis(entry, {**read.sources, **texts}, trees, diagnostics, ruleset)


FullLoad: Loader = full_load
