"""``applies-from``: an increase takes the exact cost of the decrease it names.

The rules are in docs/valuation.md ("Returns and transfers").  A sales return
or a transfer-in takes the value of the decrease it reverses, that
decrease's final value, later adjustments included (Business Central "Design
details: item application": an item charge on the purchase reaches the sale
and, through it, the return).  The increase is not a cost source for its own
decrease: it never fills an open decrease, an average takes it in only after
its period's decreases, and an inventory close does not settle earlier
issues against it.  So the decreases an ``applies-from`` increase depends on
are always written before it, and valuing again with the values found is
enough: each round settles one more link of a chain of returns.

:func:`value_with_returns` values the groups of one item (a transfer's two
entries are in different groups under ``average-cost-calc
item-location-variant``), reads each decrease's final cost, gives the
increases their values (``Group.returned``) and values the groups whose
values changed again, until nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from ..model import LedgerEntry, frozen_map
from ..numbers import ZERO
from .prepare import Book, Group

__all__ = ["value_with_returns"]

Valued = tuple[Group, Book, Decimal]


def value_with_returns(groups: Sequence[Group], method: Callable[[Group, Book], Decimal]) -> list[Valued]:
    """Value each group with ``method``; returns (group, book, value on hand) per group."""
    valued = [_value(group, method) for group in groups]
    if not any(group.returns for group in groups):  # Group.returns: the applies-from increases
        return valued
    returns = [
        (index, entry) for index, group in enumerate(groups) for entry in group.entries if entry.number in group.returns
    ]
    if not returns:
        return valued
    home = {entry.number: index for index, group in enumerate(groups) for entry in group.entries}
    by_number = {entry.number: entry for group in groups for entry in group.entries}
    for _ in range(len(returns) + 1):  # a chain of n returns settles in n + 1 rounds at most
        found: dict[int, dict[int, Decimal]] = {}
        for index, entry in returns:
            assert entry.applies_from is not None, "a return names the decrease it returns"
            decrease = by_number[entry.applies_from]
            cost = valued[home[decrease.number]][1].costs().get(decrease.number, ZERO)
            found.setdefault(index, {})[entry.number] = _share(groups[index], entry, decrease, cost)
        changed = [index for index, values in found.items() if dict(valued[index][0].returned) != values]
        if not changed:
            break
        for index in changed:
            valued[index] = _value(attrs.evolve(groups[index], returned=frozen_map(found[index])), method)
    return valued


def _value(group: Group, method: Callable[[Group, Book], Decimal]) -> Valued:
    book = Book(group)
    return group, book, method(group, book)


def _share(group: Group, increase: LedgerEntry, decrease: LedgerEntry, cost: Decimal) -> Decimal:
    """What ``increase`` takes of ``decrease``'s (negative) ``cost``: all of it for the whole quantity."""
    if increase.quantity == -decrease.quantity:
        return -cost
    return group.round(-cost * increase.quantity / -decrease.quantity)
