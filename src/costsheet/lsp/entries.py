"""Which ruleset an open file belongs to: the file that includes it (directly or through other
files) and is included by none, among the ``*.cost`` files of the workspace folders and of the
file's own folder; the file itself when nothing includes it.  When several files include it,
the first by path is taken."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..files import read_text
from ..loader import included_paths

__all__ = ["MAX_SCANNED_FILES", "entry_of"]

#: At most this many ``*.cost`` files of the workspace are read to find who includes a file.
MAX_SCANNED_FILES = 2_000


def _candidates(path: str, roots: Iterable[str]) -> list[str]:
    found: dict[str, None] = {}
    for root in roots:
        for candidate in Path(root).rglob("*.cost"):
            if len(found) >= MAX_SCANNED_FILES:
                break
            found[os.path.normpath(candidate)] = None
    folder = os.path.dirname(path)
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            if name.endswith(".cost"):
                found[os.path.normpath(os.path.join(folder, name))] = None
    return list(found)


def entry_of(path: str, documents: Mapping[str, str], roots: Iterable[str] = ()) -> str:
    """The entry file of the ruleset ``path`` belongs to (open ``documents`` read as they are
    in the editor)."""
    includers: dict[str, set[str]] = {}
    for candidate in {*_candidates(path, roots), *documents}:
        try:
            text = documents[candidate] if candidate in documents else read_text(candidate)
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        for included in included_paths(text, candidate):
            includers.setdefault(included, set()).add(candidate)
    seen = {path}
    frontier = [path]
    tops = []
    while frontier:
        current = frontier.pop()
        parents = includers.get(current, set()) - seen
        if not includers.get(current):
            tops.append(current)
        seen.update(parents)
        frontier.extend(sorted(parents))
    tops = [top for top in tops if top != path] or [path]
    return min(tops)
