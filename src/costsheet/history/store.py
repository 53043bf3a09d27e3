"""The SQLite store of calculations (stdlib :mod:`sqlite3`, one file per user).

Why it looks like this:

- every operation opens its own short-lived connection, so the store is safe
  to use from several threads and processes at once and holds no state;
- the database runs in WAL mode and every write is one ``BEGIN IMMEDIATE``
  transaction: concurrent writers queue on SQLite's lock (``busy_timeout``)
  instead of failing, readers never block writers, and a writer killed in the
  middle of a transaction leaves the committed records intact (its
  uncommitted frames are ignored at the next open);
- amounts are text (the result JSON keeps the decimal strings of docs/json.md, the
  ``lot_size`` and ``unit_cost`` columns are TEXT), never ``REAL``;
- the schema version is ``PRAGMA user_version``; opening an older file
  migrates it in place, one step per version (:data:`_MIGRATIONS`), so every
  history file ever written stays readable.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..inputs import Input
from ..jsontext import json_text
from . import codec
from .paths import resolve_store_path

__all__ = ["Calculation", "HistoryStore", "SCHEMA_VERSION", "StoreError"]

_SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS calculations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at  TEXT NOT NULL,   -- ISO 8601, UTC
    source       TEXT NOT NULL,   -- cli | api | service
    ruleset_hash TEXT NOT NULL,   -- sha256 of the ruleset's file texts
    ruleset_path TEXT,            -- where it was loaded from (NULL for submitted text)
    item         TEXT NOT NULL,
    lot_size     TEXT,            -- decimal text
    calc_date    TEXT,            -- ISO date the calculation was made for
    unit_cost    TEXT,            -- decimal text, copied from the result for listings
    ok           INTEGER NOT NULL,-- 1 when a result was produced
    result       TEXT,            -- the result JSON (NULL when the calculation failed)
    diagnostics  TEXT NOT NULL    -- JSON list of diagnostics: the log
);
CREATE INDEX IF NOT EXISTS calculations_item ON calculations (item, id);
"""

#: schema version -> the statements that bring a store of the version before it up to it
_MIGRATIONS: dict[int, str] = {
    1: _SCHEMA_1,
    # every input file of the calculation: a JSON list of {"path", "kind", "sha256"}
    # (NULL in records written before version 2, which did not record them)
    2: "ALTER TABLE calculations ADD COLUMN inputs TEXT",
}
SCHEMA_VERSION = max(_MIGRATIONS)

_COLUMNS = (
    "id, recorded_at, source, ruleset_hash, ruleset_path, item, lot_size, calc_date, unit_cost, ok, result,"
    " diagnostics, inputs"
)


class StoreError(Exception):
    """The history store cannot be used (a newer schema, a file that is not a database …)."""


@attrs.frozen
class Calculation:
    """One recorded calculation: its inputs, its result (JSON, docs/json.md) and its log."""

    id: int
    recorded_at: str
    source: str
    ruleset_hash: str
    ruleset_path: str | None
    item: str
    lot_size: str | None
    date: str | None
    unit_cost: str | None
    result: Mapping[str, Any] | None
    diagnostics: tuple[Mapping[str, Any], ...]
    #: every file the calculation read (ruleset files, CSV master data, ledgers); ``None``
    #: for a record written before costsheet recorded them
    inputs: tuple[Input, ...] | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None

    def to_dict(self) -> dict[str, object]:
        """The record as JSON-ready data (the ``result`` as it was recorded)."""
        return {
            "id": self.id,
            "recorded_at": self.recorded_at,
            "source": self.source,
            "ruleset_hash": self.ruleset_hash,
            "ruleset_path": self.ruleset_path,
            "item": self.item,
            "lot_size": self.lot_size,
            "date": self.date,
            "unit_cost": self.unit_cost,
            "result": codec.plain(self.result) if self.result is not None else None,
            "diagnostics": codec.plain(list(self.diagnostics)),
            "inputs": [i.to_dict() for i in self.inputs] if self.inputs is not None else None,
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as text: what ``costsheet history show ID --format json`` prints (and a line end)."""
        return json_text(self.to_dict())


def _utc_now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _text(value: object) -> str | None:
    """A column value as text (Decimals through the codec), ``None`` kept."""
    if value is None:
        return None
    plain = codec.plain(value)
    return plain if isinstance(plain, str) else str(plain)


def _create_owner_only(path: Path) -> None:
    """Create ``path`` readable and writable by its owner only (0600) unless it exists.

    Records hold whole rulesets' results; SQLite gives the ``-wal`` and
    ``-shm`` files the database file's permissions.  An existing file keeps
    the permissions it has.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _row_to_calculation(row: Sequence[Any]) -> Calculation:
    (id_, recorded_at, source, rhash, rpath, item, lot_size, calc_date, unit_cost, _ok, result, diagnostics, inputs) = (
        row
    )
    return Calculation(
        id=int(id_),
        recorded_at=recorded_at,
        source=source,
        ruleset_hash=rhash,
        ruleset_path=rpath,
        item=item,
        lot_size=lot_size,
        date=calc_date,
        unit_cost=unit_cost,
        result=codec.loads_object(result) if result is not None else None,
        diagnostics=tuple(codec.loads_list(diagnostics)),
        inputs=_inputs(inputs),
    )


def _inputs(text: str | None) -> tuple[Input, ...] | None:
    if text is None:
        return None
    return tuple(Input(str(i.get("path")), str(i.get("kind")), str(i.get("sha256"))) for i in codec.loads_list(text))


def _input_json(value: Input | Mapping[str, Any]) -> dict[str, str]:
    data = value.to_dict() if isinstance(value, Input) else value
    return {key: str(data[key]) for key in ("path", "kind", "sha256")}


@attrs.frozen
class HistoryStore:
    """The calculation history at ``path`` (see :func:`costsheet.history.paths.resolve_store_path`)."""

    path: Path = attrs.field(converter=Path)
    #: seconds a writer waits for another writer's transaction before giving up
    timeout: float = 30.0

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, timeout: float = 30.0) -> HistoryStore:
        """The store at ``path``, else ``$COSTSHEET_HISTORY``, else the per-user default."""
        return cls(resolve_store_path(path), timeout)

    # ------------------------------------------------------------ connections

    @contextlib.contextmanager
    def connect(self, *, create: bool = True) -> Iterator[sqlite3.Connection]:
        """An autocommit connection in WAL mode with the schema in place; closed on exit."""
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _create_owner_only(self.path)
        elif not self.path.exists():
            raise StoreError(f"no history store at {self.path}")
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            try:
                self._enable_wal(conn)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise
                raise StoreError(f"{self.path} is not a costsheet history store: {exc}") from exc
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer costsheet (schema {version}, this one knows {SCHEMA_VERSION})"
                )
            if version < SCHEMA_VERSION:
                self._migrate(conn)
            yield conn
        finally:
            conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Bring the file up to :data:`SCHEMA_VERSION`, in one transaction; the version is read
        again inside it, so two processes opening an old file at once migrate it once."""
        with self._transaction(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in filter(str.strip, _MIGRATIONS[step].split(";")):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _enable_wal(self, conn: sqlite3.Connection) -> None:
        """Switch the file to WAL (a no-op once it is), retrying while another process does the same.

        Switching a fresh file's journal mode can report "database is locked"
        at once, without SQLite's busy handler waiting, when two processes
        create the store together: retry until ``timeout``.
        """
        deadline = time.monotonic() + self.timeout
        pause = 0.005
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    @staticmethod
    @contextlib.contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back if anything inside fails."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one write transaction (committed when the block ends)."""
        with self.connect() as conn, self._transaction(conn):
            yield conn

    # ------------------------------------------------------------ writing

    @staticmethod
    def insert(
        conn: sqlite3.Connection,
        *,
        item: str,
        result: Mapping[str, Any] | None,
        diagnostics: Sequence[Mapping[str, Any]],
        ruleset_hash: str,
        ruleset_path: str | None = None,
        lot_size: object = None,
        date: object = None,
        source: str = "cli",
        recorded_at: str | None = None,
        inputs: Sequence[Input | Mapping[str, Any]] | None = None,
    ) -> int:
        """Insert one calculation on ``conn`` (inside the caller's transaction); returns its id.

        ``inputs`` are the files the calculation read (:class:`~costsheet.inputs.Input`
        or their JSON); ``None`` when unknown."""
        result_text = codec.dumps(result) if result is not None else None
        unit_cost = _text(result.get("unit_cost")) if result is not None else None
        cursor = conn.execute(
            "INSERT INTO calculations (recorded_at, source, ruleset_hash, ruleset_path, item, lot_size,"
            " calc_date, unit_cost, ok, result, diagnostics, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                recorded_at or _utc_now(),
                source,
                ruleset_hash,
                ruleset_path,
                item,
                _text(lot_size),
                _text(date.isoformat() if isinstance(date, datetime.date) else date),
                unit_cost,
                int(result is not None),
                result_text,
                codec.dumps(list(diagnostics)),
                codec.dumps([_input_json(i) for i in inputs]) if inputs is not None else None,
            ),
        )
        row_id = cursor.lastrowid
        assert row_id is not None, "an INSERT sets the row id"
        return row_id

    @staticmethod
    def prune(conn: sqlite3.Connection, source: str, keep: int) -> int:
        """Delete all but the newest ``keep`` records of ``source`` (inside the caller's transaction); how many went."""
        cursor = conn.execute(
            "DELETE FROM calculations WHERE source = ? AND id <= "
            "(SELECT id FROM calculations WHERE source = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (source, source, int(keep)),
        )
        return cursor.rowcount

    def add(self, keep: int | None = None, **fields: Any) -> int:
        """Record one calculation in its own transaction; see :meth:`insert` for the fields.

        With ``keep``, records of the same ``source`` beyond the newest ``keep``
        are deleted in the same transaction (the service's retention limit).
        """
        with self.write() as conn:
            calculation_id = self.insert(conn, **fields)
            if keep is not None:
                self.prune(conn, fields.get("source", "cli"), keep)
            return calculation_id

    # ------------------------------------------------------------ reading

    def get(self, calculation_id: int) -> Calculation | None:
        """The calculation with this id, or ``None``."""
        if not self.path.exists():
            return None
        with self.connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM calculations WHERE id = ?", (calculation_id,)).fetchone()
        return _row_to_calculation(row) if row else None

    def list(self, item: str | None = None, limit: int | None = None) -> tuple[Calculation, ...]:
        """Recorded calculations, newest first, optionally for one item and at most ``limit`` of them."""
        if not self.path.exists():
            return ()
        query = f"SELECT {_COLUMNS} FROM calculations"
        params: list[object] = []
        if item is not None:
            query += " WHERE item = ?"
            params.append(item)
        query += " ORDER BY id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(int(limit))
        with self.connect() as conn:
            rows = conn.execute(query, params).fetchall()
        return tuple(_row_to_calculation(row) for row in rows)

    def count(self) -> int:
        if not self.path.exists():
            return 0
        with self.connect() as conn:
            return int(conn.execute("SELECT count(*) FROM calculations").fetchone()[0])
