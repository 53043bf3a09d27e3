"""What ``costsheet web`` shows: the loaded ruleset, reloaded when one of its files changes.

:class:`Project` is the one place that knows how a ruleset and its results are (re)made.
It keeps a :class:`costsheet.Session` (docs/session.md): :meth:`Project.reload` updates it,
so a change re-parses only the declarations it touched and re-costs only the items it reaches
through the where-used graph (:attr:`Snapshot.recosted`); every item's unit cost and list
price is the session's.  Until the ruleset first checks clean (and on a new day, whose costing
date differs) the reload starts a new session.

Files are watched by polling: :meth:`Project.changed` compares each watched file's
modification time, size and content hash with the last load's (a hash, so a file written
twice within the clock's resolution is still seen).  The watched files are the ruleset,
its includes and the CSV files of its master data (a master-data folder's ``*.csv``
files and its mapping file ``csv.rules``, so a new file is seen too).
:attr:`Project.results` holds the calculations of the current snapshot (:class:`Results`),
made on first use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path

import attrs

from ...costing import CostResult
from ...diagnostics import Diagnostic, RulesetError, Severity
from ...model import frozen_map
from ...ruleset import Ruleset
from ...session import Session

__all__ = ["Project", "Results", "Snapshot"]


def _frozen_sources(sources: Mapping[str, str]) -> Mapping[str, str]:
    return frozen_map(sources)


@attrs.frozen
class Snapshot:
    """One load of the ruleset: what every page of one generation is made from (immutable)."""

    generation: int
    ruleset: Ruleset | None  # None: the ruleset has errors (see ``diagnostics``)
    diagnostics: tuple[Diagnostic, ...]
    #: file name (as the diagnostics and spans name it) -> text: the ruleset's files and CSV files read
    sources: Mapping[str, str] = attrs.field(converter=_frozen_sources)
    #: the session's result of every item that could be costed (on ``date``), with ``ruleset``
    costed: Mapping[str, CostResult] | None = attrs.field(default=None, repr=False)
    date: dt.date | None = None
    #: the items costed again for this snapshot (every item on a new session); None without ``ruleset``
    recosted: frozenset[str] | None = None

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)


def _fingerprint(paths: tuple[Path, ...]) -> tuple[tuple[str, int, int, str], ...]:
    """``(path, mtime, size, hash)`` of each file; a missing file is ``(path, -1, -1, "")``."""
    found = []
    for path in paths:
        try:
            stat = path.stat()
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            found.append((str(path), -1, -1, ""))
            continue
        found.append((str(path), stat.st_mtime_ns, stat.st_size, digest))
    return tuple(found)


class Project:
    """The ruleset ``path`` with its ``master_data`` (folders or CSV files), loaded and reloaded.

    Thread-safe: :attr:`snapshot` is replaced whole by :meth:`reload`, never changed."""

    def __init__(self, path: str | os.PathLike[str], master_data: tuple[str, ...] = ()) -> None:
        self.path = Path(path)
        self.master_data = tuple(Path(p) for p in master_data)
        self._lock = threading.Lock()
        self._seen: tuple[tuple[str, int, int, str], ...] = ()
        self._session: Session | None = None
        self.snapshot = Snapshot(0, None, (), {})
        self.results = Results(self.snapshot)
        self.reload()

    def watched(self) -> tuple[Path, ...]:
        """The files whose change makes a reload: the ruleset, every file the last load read (its
        includes, its CSV files) and the ``*.csv`` and ``csv.rules`` of each master-data folder."""
        files = [self.path, *(Path(name) for name in self.snapshot.sources)]
        for given in self.master_data:
            if given.is_dir():
                files.extend(sorted(given.glob("*.csv")))
                files.append(given / "csv.rules")
            else:
                files.append(given)
        return tuple(dict.fromkeys(files))

    def reload(self) -> Snapshot:
        """Read the ruleset and its master data again (a session update) and make it the snapshot."""
        with self._lock:
            self.snapshot = self._load(self.snapshot.generation + 1)
            self.results = Results(self.snapshot)
            self._seen = _fingerprint(self.watched())
            return self.snapshot

    def _load(self, generation: int) -> Snapshot:
        session = self._session
        if session is not None and session.costing.date == dt.date.today():
            update = session.update()
            if not update.ok:
                return Snapshot(generation, None, update.diagnostics, update.sources)
            recosted = update.recosted
            diagnostics, sources = update.diagnostics, update.sources
        else:
            master = [str(p) for p in self.master_data] or None
            try:
                session = self._session = Session(self.path, master_data=master)
            except RulesetError as error:
                return Snapshot(generation, None, error.diagnostics, error.sources)
            recosted = frozenset(session.results)
            diagnostics, sources = session.ruleset.diagnostics, session.ruleset.sources
        costing = session.costing
        return Snapshot(generation, costing.ruleset, diagnostics, sources, costing.results, costing.date, recosted)

    def changed(self) -> bool:
        """Whether a watched file changed (or appeared, or went) since the last load."""
        return _fingerprint(self.watched()) != self._seen


class Results:
    """The calculations of one snapshot, made when first asked for and kept (the snapshot is immutable).

    Thread-safe; a page asks in a worker thread so that the server keeps answering meanwhile."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._lock = threading.Lock()
        self._calculations: dict[tuple[str, str | None, str | None], tuple[object, tuple[Diagnostic, ...]]] = {}
        self._summary: dict[str, tuple[object, object]] | None = None
        self._valuation: tuple[object, tuple[Diagnostic, ...]] | None = None

    def calculation(self, item: str, lot_size: str | None = None, date: dt.date | None = None):
        """``(CostResult or None, diagnostics)`` of ``item`` with the explain steps and the costing BOM."""
        assert self.snapshot.ruleset is not None
        key = (item, lot_size, date.isoformat() if date else None)
        with self._lock:
            found = self._calculations.get(key)
        if found is None:
            found = self.snapshot.ruleset.calculate_with_diagnostics(item, lot_size, date, explain=True)
            with self._lock:
                if len(self._calculations) > 256:
                    self._calculations.clear()
                self._calculations[key] = found
        return found

    def summary(self):
        """item code -> ``(unit cost or None, list price or None)`` of every item (the session's results)."""
        assert self.snapshot.ruleset is not None
        costed = self.snapshot.costed
        with self._lock:
            if self._summary is None and costed is not None:
                self._summary = {
                    code: (costed[code].unit_cost, costed[code].list_price) if code in costed else (None, None)
                    for code in self.snapshot.ruleset.model.items
                }
            if self._summary is None:
                self._summary = {
                    code: (result.unit_cost, result.list_price) if result is not None else (None, None)
                    for code, result, _ in self.snapshot.ruleset.calculate_many()
                }
            return self._summary

    def valuation(self):
        """``(ValuationResult or None, diagnostics)`` of every ledger."""
        assert self.snapshot.ruleset is not None
        with self._lock:
            if self._valuation is None:
                self._valuation = self.snapshot.ruleset.value_with_diagnostics()
            return self._valuation
