"""Which entries of two versions of a mapping are not the same objects.

A session's models share the records of every declaration a change did not
touch (:mod:`costsheet.nodememo`), so what changed between two loads is found
by identity: :func:`not_same` is the keys whose values are not the very same
object in both (added and removed keys included).  It walks the two mappings
side by side while their keys run in the same order (the common case: no
declaration came, went or moved), without a lookup per key.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["not_same"]


def not_same(old: Mapping[str, object], new: Mapping[str, object]) -> frozenset[str]:
    """The keys of ``old`` or ``new`` whose values are not the same object in both."""
    if len(old) == len(new):
        changed = []
        for (key, before), (again, now) in zip(old.items(), new.items(), strict=True):
            if key != again:
                break  # the keys run in another order: look each up
            if before is not now:
                changed.append(key)
        else:
            return frozenset(changed)
    return frozenset(key for key in old.keys() | new.keys() if old.get(key, old) is not new.get(key, new))
