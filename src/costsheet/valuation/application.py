"""FIFO, LIFO, specific and standard: decreases take the value of the increases they are applied to.

One function serves all four (beancount's booking methods share code the same
way): they differ only in which open increase a decrease takes next (the
oldest or the newest by date, then entry number), and in what an increase is
worth (its cost, or the standard cost with a purchase variance).

A fast path (:func:`_value_plain`) values the common ledger: no item
charges, no revaluations, an amount precision that is a power of ten, every
decrease covered by what is on hand and every fixed application by its
increase.  It runs the same arithmetic in one flat loop with everything in
local variables; when it meets anything else it gives up and the general
path below starts again from a fresh book.  tests/valuation/test_fast_paths.py
checks that both give the same result on random ledgers.

Two passes keep the general path fast.  The first applies decreases to
increases in posting order and values each application at the increase's own
cost, rounded; when an increase is used up its residual becomes a rounding
entry.  The second runs only for increases that later changed value (item
charges, revaluations): it replays those changes over the increase's
applications in written order and books the difference on each decrease as an
adjustment dated like the decrease.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import deque
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..model import LedgerEntry
from ..numbers import CONTEXT, ZERO
from .prepare import Book, ChargeLine, Group, RevaluationLine
from .result import RevaluationAmount, RoundingEntry, Variance

__all__ = ["value_by_application", "plain_applies"]

# layer slots (a list per open increase, for speed)
_REMAINING, _VALUE, _QTY, _BASE, _ENTRY, _EVENTS = range(6)


def _insert(queue: deque, layer: list, slot: int) -> None:
    """Keep the open increases ordered by (date, entry number); back-dated ones go in place.

    ``slot`` is where the layer keeps its date (general path: the entry).
    """
    def date_of(item: list):
        return item[slot] if slot != _ENTRY else item[_ENTRY].date

    date = date_of(layer)
    if not queue or date_of(queue[-1]) <= date:
        queue.append(layer)
        return
    index = len(queue)
    while index and date_of(queue[index - 1]) > date:
        index -= 1
    queue.insert(index, layer)


def plain_applies(group: Group) -> bool:
    """Whether :func:`_value_plain` may try ``group``: nothing changes an increase's value later."""
    return group.quantum is not None and not group.charges and not group.revaluations


def value_by_application(group: Group, book: Book, newest_first: bool) -> Decimal:
    """Value ``group`` by application; returns the value on hand.  See the module docstring."""
    if plain_applies(group):
        on_hand = _value_plain(group, book, newest_first)
        if on_hand is not None:
            return on_hand
        book.clear()
    return value_general(group, book, newest_first)


def _value_plain(group: Group, book: Book, newest_first: bool) -> Decimal | None:
    """The general path's arithmetic without charges, revaluations and open decreases.

    Returns the value on hand, or None (the book then holds a partial result
    and must be dropped) at the first decrease that the open increases, or its
    fixed increase, cannot cover.  Layers are ``[remaining, value, quantity,
    base, number, date]``; each application is valued at base x taken /
    quantity rounded, an increase taken whole at its base, and the residual
    of a used-up increase is its rounding entry, as in :func:`value_general`.
    """
    quantum = group.quantum
    half_up = decimal.ROUND_HALF_UP
    context = CONTEXT
    standard = group.method == "standard"
    std_cost = group.standard_cost if group.standard_cost is not None else ZERO
    zero = ZERO
    cost = book.cost
    rounding = book.rounding
    variances = book.variances
    layers: dict[int, list] = {}
    queue: deque = deque()
    append = queue.append
    head = -1 if newest_first else 0
    drop = queue.pop if newest_first else queue.popleft
    latest = dt.date.min
    for entry in group.entries:
        quantity = entry.quantity
        number = entry.number
        if quantity > 0:
            actual = entry.cost
            if actual is not None:
                actual = actual.quantize(quantum, half_up, context)
            if standard:
                base = (std_cost * quantity).quantize(quantum, half_up, context)
                if actual is not None and actual != base:
                    variances.append(Variance("purchase", number, actual - base))
            else:
                base = actual if actual is not None else zero
            cost[number] = base
            date = entry.date
            layer = [quantity, base, quantity, base, number, date]
            layers[number] = layer
            if date >= latest:  # the queue is in date order, so its last date is at most ``latest``
                latest = date
                append(layer)
            elif not queue or queue[-1][5] <= date:
                append(layer)
            else:
                _insert(queue, layer, 5)
            continue
        need = -quantity
        fixed = entry.applies_to
        if fixed is None and queue:
            layer = queue[head]
            remaining = layer[0]
            if need < remaining:  # the usual decrease: part of one increase (the loop below, unrolled)
                share = (layer[3] * need / layer[2]).quantize(quantum, half_up, context)
                layer[0] = remaining - need
                layer[1] -= share
                cost[number] = -(zero + share)
                continue
        total = zero
        while need:
            if fixed is not None:
                layer = layers.get(fixed)
                fixed = None
                if layer is None or layer[0] < need:
                    return None  # the general path warns applies-to-exhausted
            elif queue:
                layer = queue[head]
            else:
                return None  # an open decrease
            remaining = layer[0]
            if not remaining:
                drop()
                continue
            amount = need if need < remaining else remaining
            share = layer[3] if amount == layer[2] else (layer[3] * amount / layer[2]).quantize(
                quantum, half_up, context)
            remaining -= amount
            layer[0] = remaining
            left = layer[1] - share
            if not remaining and left:
                rounding.append(RoundingEntry(layer[4], -left))
                left = zero
            layer[1] = left
            total += share
            need -= amount
        cost[number] = -total
    on_hand = zero
    for layer in layers.values():
        if layer[0]:
            on_hand += layer[1]
    return on_hand


def value_general(group: Group, book: Book, newest_first: bool) -> Decimal:
    """Any ledger: fixed applications, open decreases, charges and revaluations."""
    rnd = group.round
    standard = group.method == "standard"
    std_cost = group.standard_cost if group.standard_cost is not None else ZERO
    item_wide = any(r.entry is None for r in group.revaluations)
    changed = {c.entry for c in group.charges} | {r.entry for r in group.revaluations if r.entry is not None}
    layers: dict[int, list] = {}
    queue: deque = deque()
    open_decreases: deque = deque()  # [decrease, open quantity, provisional value]
    applications: dict[int, list] = {}  # increase number -> [decrease, quantity, rounded share]
    last_unit = ZERO
    cost = book.cost
    rounding = book.rounding

    def take(layer: list, quantity: Decimal, decrease: LedgerEntry) -> Decimal:
        if quantity == layer[_QTY]:
            share = layer[_BASE]
        else:
            share = rnd(layer[_BASE] * quantity / layer[_QTY])
        layer[_REMAINING] -= quantity
        layer[_VALUE] -= share
        if layer[_EVENTS]:
            applications[layer[_ENTRY].number].append([decrease, quantity, share])
        elif not layer[_REMAINING] and layer[_VALUE]:
            rounding.append(RoundingEntry(layer[_ENTRY].number, -layer[_VALUE]))
            layer[_VALUE] = ZERO
        return share

    for entry in group.entries:
        quantity = entry.quantity
        if quantity > 0:
            actual = rnd(entry.cost) if entry.cost is not None else None
            if standard:
                base = rnd(std_cost * quantity)
                if actual is not None:
                    book.variance("purchase", entry.number, actual - base)
            else:
                base = actual if actual is not None else ZERO
            cost[entry.number] = base
            events = item_wide or entry.number in changed
            layer = [quantity, base, quantity, base, entry, events]
            layers[entry.number] = layer
            if events:
                applications[entry.number] = []
            last_unit = base / quantity
            while open_decreases and layer[_REMAINING]:
                pending = open_decreases[0]
                amount = min(pending[1], layer[_REMAINING])
                share = take(layer, amount, pending[0])
                released = pending[2] if amount == pending[1] else rnd(pending[2] * amount / pending[1])
                pending[1] -= amount
                pending[2] -= released
                if not pending[1]:
                    open_decreases.popleft()
                book.adjust(pending[0], "application", released - share, entry.number)
            if layer[_REMAINING]:
                _insert(queue, layer, _ENTRY)
            continue
        need = -quantity
        total = ZERO
        if entry.applies_to is not None:
            fixed = layers.get(entry.applies_to)
            if fixed is not None and fixed[_REMAINING]:
                amount = min(need, fixed[_REMAINING])
                total += take(fixed, amount, entry)
                need -= amount
            if need:
                book.diagnostics.append(Diagnostic.warning(
                    "applies-to-exhausted",
                    f"entry {entry.number} of {group.item} applies to entry {entry.applies_to}, which has "
                    f"{need} too few units left; the rest is applied by the {group.method} rule",
                    entry.span,
                    hint="check the quantities, or apply the decrease to an increase with enough remaining quantity",
                ))
        while need and queue:
            layer = queue[-1] if newest_first else queue[0]
            if not layer[_REMAINING]:
                queue.pop() if newest_first else queue.popleft()
                continue
            amount = need if need < layer[_REMAINING] else layer[_REMAINING]
            total += take(layer, amount, entry)
            need -= amount
            if not layer[_REMAINING]:
                queue.pop() if newest_first else queue.popleft()
        if need:
            provisional = rnd(last_unit * need)
            total += provisional
            open_decreases.append([entry, need, provisional])
        cost[entry.number] = -total

    on_hand = ZERO
    for number, layer in layers.items():
        if layer[_EVENTS]:
            on_hand += _replay(group, book, layer, applications[number], standard)
        elif layer[_REMAINING]:
            on_hand += layer[_VALUE]
    for pending in open_decreases:
        on_hand -= pending[2]
    return on_hand


def _events(group: Group, increase: LedgerEntry) -> list[ChargeLine | RevaluationLine]:
    events: list[ChargeLine | RevaluationLine] = [c for c in group.charges if c.entry == increase.number]
    for r in group.revaluations:
        if r.entry == increase.number or (
                r.entry is None and increase.number <= r.after and increase.date <= r.date):
            events.append(r)
    events.sort(key=lambda line: line.sequence)
    return events


def _replay(group: Group, book: Book, layer: list, applied: list, standard: bool) -> Decimal:
    """Replay charges and revaluations over one increase's applications; returns its value on hand."""
    rnd = group.round
    increase: LedgerEntry = layer[_ENTRY]
    qty = layer[_QTY]
    base = layer[_BASE]
    remaining = layer[_REMAINING]
    exact = [base * q / qty for _, q, _ in applied]
    on_hand_exact = base * remaining / qty
    total = base
    for event in _events(group, increase):
        if isinstance(event, ChargeLine):
            amount = rnd(event.amount)
            if standard:  # a charge on a standard item is a purchase variance, not value
                book.variance("purchase", increase.number, amount)
                continue
            total += amount
            book.add(increase.number, amount)
            exact = [value + amount * q / qty for value, (_, q, _) in zip(exact, applied)]
            on_hand_exact += amount * remaining / qty
            kind = "charge"
        else:
            delta = ZERO
            for index, (decrease, q, _) in enumerate(applied):
                if event.touches(decrease):
                    target = event.unit_cost * q
                    delta += target - exact[index]
                    exact[index] = target
            target = event.unit_cost * remaining
            delta += target - on_hand_exact
            on_hand_exact = target
            amount = rnd(delta)
            if not amount:
                continue
            total += amount
            book.add(increase.number, amount)
            book.revaluations.append(RevaluationAmount(event.date, increase.number, amount))
            kind = "revaluation"
        for index, application in enumerate(applied):
            value = rnd(exact[index])
            if value != application[2]:
                book.adjust(application[0], kind, application[2] - value, increase.number)
                application[2] = value
    left = total - sum((a[2] for a in applied), ZERO)
    if remaining:
        return left
    if left:
        book.rounding.append(RoundingEntry(increase.number, -left))
    return ZERO
