"""The plain application loop on the ledger's integer columns: no Decimal in the loop at all.

:func:`value_columns` does what :func:`.application.value_plain` does for
FIFO, LIFO and specific (without fixed applications) on a plain ledger whose
quantities and costs were read as integers when the ledger was built
(:mod:`costsheet.ledger_columns`, ``Group.columns``).  Quantities are the
ledger's ints, amounts ints in units of the precision (``0.01`` -> cents), a
decrease's share of an increase is one integer division rounding half up
(as :func:`.scaled.share_units`), and the result keeps the costs as integers
(:class:`.result.ScaledCosts` in the book): the rows make each a Decimal
with the precision's exponent only when they are read, the value on hand is
made one here.  Every Decimal that leaves is the one the Decimal loop makes,
exponent and sign included (tests/valuation/test_columnar.py).

It gives up (returns None, and the caller tries the next loop on a fresh
book) where the Decimal loop could differ or gives up itself: a precision
that is not a power of ten or coarser than 1, costs with more places than
the precision (the Decimal loop rounds them first), an amount x quantity of
:data:`.scaled.LIMIT` units or more (checked once, on the largest of each),
or a decrease that what is on hand cannot cover.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from ..ledger_columns import LedgerColumns
from ..numbers import ZERO
from .prepare import Book, Group
from .result import RoundingEntry, ScaledCosts
from .scaled import LIMIT

__all__ = ["value_columns", "integer_inputs", "IntegerInputs"]

_NUMBER = operator.attrgetter("number")


class IntegerInputs(NamedTuple):
    """What the integer loops read of a group: its ledger's columns, the precision's exponent (units of
    the precision are ``10 ** places``), each entry's quantity (the group's entries only: an ``as_of``
    cut) and each increase's cost in units of the precision, in entry order."""

    columns: LedgerColumns
    places: int
    counts: tuple[int, ...]
    units: Iterator[int]


def integer_inputs(group: Group) -> IntegerInputs | None:
    """``group``'s columns as the integer loops read them, or None where they do not apply: no columns
    or precision, a precision that is not a power of ten or coarser than 1, costs with more places than
    the precision, or an amount x quantity of :data:`.scaled.LIMIT` units or more."""
    columns, quantum = group.columns, group.quantum
    if columns is None or quantum is None:
        return None
    places = quantum.as_tuple().exponent
    assert isinstance(places, int), "a power of ten"
    if places > 0 or columns.exponent < places:
        return None
    factor = 10 ** (columns.exponent - places)  # the costs' units -> units of the precision
    if columns.largest_units * factor * columns.largest_count >= LIMIT:
        return None
    units = iter(columns.units) if factor == 1 else (unit * factor for unit in columns.units)
    counts = columns.counts if len(group.entries) == len(columns.counts) else columns.counts[: len(group.entries)]
    return IntegerInputs(columns, places, counts, units)


def value_columns(group: Group, book: Book, newest_first: bool) -> Decimal | None:
    """:func:`.application.value_plain` on ``group.columns``; None where it gives up (module
    docstring).  The book then holds a partial result."""
    inputs = integer_inputs(group)
    if inputs is None:
        return None
    _, places, counts, units = inputs
    costs: list[int] = []  # every entry's cost in units, in entry order
    put = costs.append
    # the open increases: [received, remaining, base, value, number], in (date, entry number) order
    queue: deque[list[int]] = deque()
    add, head = queue.append, -1 if newest_first else 0
    drop = queue.pop if newest_first else queue.popleft
    used_up: list[tuple[int, int]] = []  # (entry number, residual in units) as increases are used up
    for count, number in zip(counts, map(_NUMBER, group.entries), strict=True):
        if count > 0:
            base = next(units)
            add([count, count, base, base, number])
            put(base)
            continue
        need = -count
        try:
            layer = queue[head]
        except IndexError:  # nothing on hand
            return None
        remaining = layer[1]
        if need < remaining:  # the usual decrease: part of one increase
            received = layer[0]
            share = (2 * layer[2] * need + received) // (2 * received)
            layer[1] = remaining - need
            layer[3] -= share
            put(-share)
            continue
        total = 0
        while need:
            if not queue:
                return None
            layer = queue[head]
            received, remaining = layer[0], layer[1]
            taken = need if need < remaining else remaining
            share = layer[2] if taken == received else (2 * layer[2] * taken + received) // (2 * received)
            remaining -= taken
            left = layer[3] - share
            if not remaining:
                drop()
                if left:
                    used_up.append((layer[4], left))
                left = 0
            layer[1], layer[3] = remaining, left
            total += share
            need -= taken
        put(-total)
    if used_up:
        book.rounding.extend(RoundingEntry(number, Decimal(-left).scaleb(places)) for number, left in used_up)
    book.units = ScaledCosts(costs, places)
    book.quantity = Decimal(sum(counts))
    if not queue:
        return ZERO
    return Decimal(sum([layer[3] for layer in queue])).scaleb(places)
