"""The content hash that identifies a ruleset in the history.

Two calculations ran on "the same ruleset" when the texts of all its files are
the same, wherever the files lie: the hash covers the contents only (file
names matter only through the ``include`` lines, which are content).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

__all__ = ["ruleset_hash"]


def ruleset_hash(sources: str | bytes | Mapping[str, str] | Iterable[str]) -> str:
    """SHA-256 (hex) over the ruleset's file texts, independent of their order and paths.

    ``sources`` is one text, or the ``{file name: text}`` mapping of a ruleset
    and its includes, or an iterable of texts.
    """
    if isinstance(sources, (str, bytes)):
        texts: list[str | bytes] = [sources]
    elif isinstance(sources, Mapping):
        texts = list(sources.values())
    else:
        texts = list(sources)
    digests = sorted(hashlib.sha256(_bytes(t)).hexdigest() for t in texts)
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha256("\n".join(digests).encode("ascii")).hexdigest()


def _bytes(text: str | bytes) -> bytes:
    """UTF-8, with a lone surrogate (never in a loaded ruleset: the loader replaces them)
    encoded as its three bytes rather than raising, so hashing any string succeeds."""
    return text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
