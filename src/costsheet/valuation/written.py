"""The ledger's lines in the order they were written (posting order).

Moving average and the running average of weighted-average inventory close
follow the order of posting, not of dates: an entry is numbered in written
order and a charge or revaluation written after entry k comes before entry
k + 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import LedgerEntry
from .prepare import ChargeEvent, Group, InvoiceEvent, RevaluationEvent

__all__ = ["written_order", "in_written_order", "Line"]

Line = LedgerEntry | ChargeEvent | RevaluationEvent | InvoiceEvent


def written_order(group: Group) -> Iterator[Line]:
    """Entries, charges, revaluations and invoices as written; just the entries when there is nothing else."""
    return in_written_order(group.entries, (*group.charges, *group.revaluations, *group.invoices))


def in_written_order(
    entries: Sequence[LedgerEntry], others: Sequence[ChargeEvent | RevaluationEvent | InvoiceEvent]
) -> Iterator[Line]:
    """``entries`` (in posting order) and the ``others`` merged in the order they were written."""
    if not others:
        return iter(entries)
    keyed: list[tuple[tuple[int, int, int], Line]] = [((e.number, 0, 0), e) for e in entries]
    keyed.extend(((line.after, 1, line.sequence), line) for line in others)
    keyed.sort(key=lambda pair: pair[0])
    return (line for _, line in keyed)
