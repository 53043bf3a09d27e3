"""Re-checking only what changed since the previous load of the same ruleset (a session's).

A session's load keeps what each check found (:class:`Run`, carried to the
next load by :class:`costsheet.nodememo.NodeMemo`).  The next load finds what
changed once (:class:`Changes`: the declaration objects re-parsing made anew,
those that are gone, the item codes whose model object is not the same), and
each check takes over its previous findings for everything else.  A check
says what its findings read, in one of three shapes (methods of
:class:`costsheet.check.Context`):

- ``each``: findings per declaration, from the declaration and an ``env``
  (a value summing up what else they read: the codes declared, the setup);
  while the env compares equal, only new declarations (and the ``dirty``
  ones the check names) are checked again;
- ``keyed``: findings per code (an item), re-found for the codes a change
  reaches;
- ``whole``: findings of the whole model, taken over when the check says the
  change cannot have touched them.

The previous load is always one that checked clean (a session keeps nothing
from a load with errors), and the findings equal those of a fresh run: the
hypothesis properties of tests/session compare the two after random edits,
broken ones included.  With CSV master data every check runs in full.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from ..diagnostics import Diagnostic
from ..identity import not_same
from ..model import Model
from ..syntax import nodes as n

__all__ = ["Changes", "Run", "Findings", "each", "keyed", "whole", "item_declarations", "item_index"]

T = TypeVar("T")

#: a check's findings per declaration: id -> (the declaration, what was found there); only non-empty ones
Findings = dict[int, tuple[n.Declaration, tuple[Diagnostic, ...]]]


@attrs.frozen
class Run:
    """What one run of the checks leaves for the next: its files and model, and each check's state
    by name (filled in as the checks run)."""

    files: tuple[n.SourceFile, ...]
    model: Model
    found: dict[str, object] = attrs.field(factory=dict, eq=False)


@attrs.frozen
class Changes:
    """What differs from the previous run (:class:`Run`) of the checks."""

    previous: Run
    #: declarations of this run that the previous one did not have (new objects), in file order
    added: tuple[n.Declaration, ...]
    #: declarations of the previous run that this one does not have
    removed: tuple[n.Declaration, ...]
    #: the ids of ``removed`` (the previous run keeps them alive: no new object has one of them)
    removed_ids: frozenset[int]
    #: item codes whose model object is not the same one (added, removed or built anew)
    items: frozenset[str]

    @classmethod
    def since(cls, previous: Run, run: Run) -> Changes:
        """A file whose syntax tree is the same object has the same declarations (re-parsing keeps
        the tree of a file whose text did not change); the others are compared declaration by
        declaration."""
        before = dict(_named(previous.files))
        added: list[n.Declaration] = []
        removed: list[n.Declaration] = []
        for name, file in _named(run.files):
            old = before.pop(name, None)
            if old is file:
                continue
            was, now = _middles(old.declarations if old is not None else (), file.declarations)
            kept = {id(d): d for d in was}
            added.extend(decl for decl in now if kept.pop(id(decl), None) is not decl)
            removed.extend(kept.values())
        for old in before.values():  # files no longer read
            removed.extend(old.declarations)
        items = not_same(previous.model.items, run.model.items)
        return cls(previous, tuple(added), tuple(removed), frozenset(map(id, removed)), items)

    def touched(self, kinds: type | tuple[type, ...]) -> tuple[Any, ...]:
        """The added and removed declarations of ``kinds``."""
        return tuple(d for d in (*self.added, *self.removed) if isinstance(d, kinds))

    def state(self, what: str) -> object | None:
        """What the check ``what`` left in the previous run."""
        return self.previous.found.get(what)


def _middles(old: Sequence[T], new: Sequence[T]) -> tuple[Sequence[T], Sequence[T]]:
    """``old`` and ``new`` without the objects they share at the start and at the end (re-parsing keeps
    the declarations before and after a change, in their order)."""
    start, limit = 0, min(len(old), len(new))
    while start < limit and old[start] is new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] is new[len(new) - 1 - end]:
        end += 1
    return old[start : len(old) - end], new[start : len(new) - end]


def _named(files: Iterable[n.SourceFile]) -> Iterator[tuple[tuple[str, int], n.SourceFile]]:
    """Each file by (its name, how many files of that name came before it)."""
    seen: dict[str, int] = {}
    for file in files:
        seen[file.file] = seen.get(file.file, -1) + 1
        yield (file.file, seen[file.file]), file


def each(
    changes: Changes | None,
    run: Run,
    what: str,
    declarations: Iterable[n.Declaration],
    kinds: type | tuple[type, ...],
    find: Callable[[Any], Iterable[Diagnostic]],
    env: object,
    dirty: Callable[[], Iterable[n.Declaration]],
    unchanged: Callable[[Changes], bool],
) -> list[Diagnostic]:
    """See :meth:`costsheet.check.Context.each`."""
    previous = changes.state(what) if changes is not None else None
    findings: Findings
    if changes is not None and isinstance(previous, tuple) and previous[0] == env and unchanged(changes):
        gone = changes.removed_ids
        findings = {key: kept for key, kept in previous[1].items() if key not in gone}
        for decl in (*changes.added, *dirty()):
            if isinstance(decl, kinds):
                _record(findings, decl, tuple(find(decl)))
    else:
        findings = {}
        for decl in declarations:
            if isinstance(decl, kinds):
                _record(findings, decl, tuple(find(decl)))
    run.found[what] = (env, findings)
    return [diagnostic for _, found in findings.values() for diagnostic in found]


def _record(findings: Findings, decl: n.Declaration, found: tuple[Diagnostic, ...]) -> None:
    if found:
        findings[id(decl)] = (decl, found)
    else:
        findings.pop(id(decl), None)


def keyed(
    changes: Changes | None,
    run: Run,
    what: str,
    find: Callable[[Collection[str] | None], Mapping[str, tuple[Diagnostic, ...]]],
    env: object,
    dirty: Callable[[Changes], Collection[str]],
) -> list[Diagnostic]:
    """See :meth:`costsheet.check.Context.keyed`."""
    previous = changes.state(what) if changes is not None else None
    found: dict[str, tuple[Diagnostic, ...]]
    if changes is not None and isinstance(previous, tuple) and previous[0] == env:
        codes = set(dirty(changes))
        found = {code: kept for code, kept in previous[1].items() if code not in codes}
        found.update((code, again) for code, again in find(codes).items() if again)
    else:
        found = {code: again for code, again in find(None).items() if again}
    run.found[what] = (env, found)
    return [diagnostic for diagnostics in found.values() for diagnostic in diagnostics]


def whole(
    changes: Changes | None,
    run: Run,
    what: str,
    find: Callable[[], Iterable[Diagnostic]],
    unchanged: Callable[[Changes], bool],
) -> tuple[Diagnostic, ...]:
    """See :meth:`costsheet.check.Context.whole`."""
    previous = changes.state(what) if changes is not None else None
    reusable = changes is not None and isinstance(previous, tuple) and unchanged(changes)
    found = previous if reusable and isinstance(previous, tuple) else tuple(find())
    run.found[what] = found
    return found


_ITEMS = "item-declarations"  # the key of the run's index of item declarations in Run.found


def item_declarations(
    changes: Changes | None, run: Run, declarations: Iterable[n.Declaration]
) -> Mapping[str, tuple[n.ItemDecl, ...]]:
    """code -> the run's item declarations of it (several: duplicates, in no particular order); made
    once per run, from the previous run's by the item declarations added and removed when it has one."""
    index = run.found.get(_ITEMS)
    if isinstance(index, dict):
        return index
    before = changes.state(_ITEMS) if changes is not None else None
    if changes is not None and isinstance(before, dict):
        index = dict(before)
        touched = changes.touched(n.ItemDecl)
        gone = changes.removed_ids
        for code in {decl.code.text for decl in touched}:
            kept = tuple(d for d in index.get(code, ()) if id(d) not in gone)
            index[code] = kept + tuple(d for d in changes.added if isinstance(d, n.ItemDecl) and d.code.text == code)
            if not index[code]:
                del index[code]
    else:
        index = item_index(declarations)
    run.found[_ITEMS] = index
    return index


def item_index(declarations: Iterable[n.Declaration]) -> dict[str, tuple[n.ItemDecl, ...]]:
    """code -> its item declarations, in file order."""
    index: dict[str, list[n.ItemDecl]] = {}
    for decl in declarations:
        if isinstance(decl, n.ItemDecl):
            index.setdefault(decl.code.text, []).append(decl)
    return {code: tuple(found) for code, found in index.items()}
