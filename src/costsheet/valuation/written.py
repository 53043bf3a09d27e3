"""The ledger's lines in the order they were written (posting order).

Moving average and the running average of weighted-average inventory close
follow the order of posting, not of dates: an entry is numbered in written
order and a charge or revaluation written after entry k comes before entry
k + 1.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import LedgerEntry
from .prepare import ChargeEvent, Group, RevaluationEvent

__all__ = ["written_order"]


def written_order(group: Group) -> Iterator[LedgerEntry | ChargeEvent | RevaluationEvent]:
    """Entries, charges and revaluations as written; just the entries when there is nothing else."""
    if not group.charges and not group.revaluations:
        return iter(group.entries)
    keyed: list[tuple[tuple[int, int, int], LedgerEntry | ChargeEvent | RevaluationEvent]] = [
        ((e.number, 0, 0), e) for e in group.entries
    ]
    keyed.extend(((line.after, 1, line.sequence), line) for line in (*group.charges, *group.revaluations))
    keyed.sort(key=lambda pair: pair[0])
    return (line for _, line in keyed)
