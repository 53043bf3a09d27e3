"""The files a ruleset was loaded from: each one's name, kind and content hash.

A calculation depends on every file its ruleset was loaded from: the ruleset
and its includes, the CSV master data, the ledger CSV files, and the mapping
files (``csv.rules``) that said how to read them.
:class:`~costsheet.ruleset.Ruleset` carries them as :class:`Input` values, and
the calculation history records them, so that ``costsheet history diff``
can say which file changed between two calculations.
"""

from __future__ import annotations

import hashlib

import attrs

__all__ = ["Input", "KINDS"]

#: what an input file holds
KINDS = ("ruleset", "master-data", "ledgers", "mapping")


@attrs.frozen
class Input:
    """One file: ``path`` as it was named (on the command line, in an include, in a request),
    ``kind`` (one of :data:`KINDS`) and ``sha256``, the hex SHA-256 of its text as UTF-8."""

    path: str
    kind: str
    sha256: str

    @classmethod
    def of_text(cls, path: str, kind: str, text: str) -> Input:
        return cls(path, kind, text_hash(text))

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "sha256": self.sha256}


def text_hash(text: str) -> str:
    """The hex SHA-256 of ``text`` as UTF-8 (a lone surrogate is hashed as written, never an error)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
