"""A plain ledger's quantities and costs as exact integers, made once when the ledger is built.

The application methods' integer loop (:mod:`costsheet.valuation.columnar`)
needs every quantity as an ``int`` and every increase's cost as an ``int`` in
units of the amount precision.  Reading a Decimal as an integer costs about
what the Decimal arithmetic it saves costs (docs/valuation.md, "Performance"),
so the reading is done here, once per ledger, in bulk (C-level ``map``), when
the :class:`~costsheet.model.Ledger` is made: a model valued several times
(as of several dates, what-if runs, the language server, the service) pays it
once, and ``value()`` does none of it.

:func:`ledger_columns` gives None for a ledger the loop would not take
anyway: an entry with a fixed application, an expected cost, a ``physical``
mark, an ``applies-from`` return, a location or a variant; entries not
numbered one by one (the checker's 1..n), without a date (one the calendar
does not have, which the checker reports) or not in date order; a quantity
that is not written as a whole number (exponent 0); an increase without a
cost, or with a negative cost (or ``-0``).  The costs are held at their smallest exponent
(``12.3`` and ``4.56`` -> 1230 and 456 hundredths), exactly; the loop scales
them to the precision, or gives up when they have more places than it.
"""

from __future__ import annotations

import decimal
import operator
from collections.abc import Sequence
from decimal import Decimal
from itertools import compress, repeat
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from .model import LedgerEntry

__all__ = ["LedgerColumns", "ledger_columns"]

_ONE = Decimal(1)
_NUMBER = operator.attrgetter("number")
_DATE = operator.attrgetter("date")
_QUANTITY = operator.attrgetter("quantity")
_COST = operator.attrgetter("cost")
#: what a plain entry has in these fields: none of the features the integer loop leaves alone
_FEATURES = operator.attrgetter("applies_to", "expected_cost", "applies_from", "location", "variant", "physical")
_PLAIN = (None, None, None, None, None, False)
#: exact: a scaling that would round or overflow raises (and the ledger gets no columns)
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow],
)


@attrs.frozen(eq=False)
class LedgerColumns:
    """``counts``: every entry's quantity as an int, in entry order; ``units``: every
    increase's cost (in entry order) in units of ``10 ** exponent``; ``largest_count`` and
    ``largest_units``: the largest of each (the loop's bound on ``units x quantity``)."""

    counts: tuple[int, ...]
    units: tuple[int, ...]
    exponent: int
    largest_count: int
    largest_units: int


def ledger_columns(entries: Sequence[LedgerEntry]) -> LedgerColumns | None:
    """The columns of ``entries``, or None where the integer loop would not take them (module docstring)."""
    if not entries or list(map(_FEATURES, entries)).count(_PLAIN) != len(entries):
        return None
    numbers = list(map(_NUMBER, entries))
    dates = list(map(_DATE, entries))
    if None in dates:  # a date the calendar does not have (2026-02-30): the checker reports it
        return None
    first = numbers[0]
    if numbers != list(range(first, first + len(numbers))) or dates != sorted(dates):  # sorted(): linear here
        return None
    quantities = list(map(_QUANTITY, entries))
    if not all(map(Decimal.same_quantum, quantities, repeat(_ONE))):  # exponent 0: whole, and finite
        return None
    counts = tuple(map(int, quantities))
    costs = list(compress(map(_COST, entries), map((0).__lt__, counts)))
    try:  # an increase without a cost (None) is no Decimal: is_signed refuses it
        if not costs or any(map(Decimal.is_signed, costs)):
            return None
    except TypeError:
        return None
    head = costs[0]
    if not head.is_finite():
        return None
    if all(map(Decimal.same_quantum, costs, repeat(head))):  # the usual case: one exponent
        exponent = head.as_tuple().exponent
    elif all(map(Decimal.is_finite, costs)):
        exponent = min(cost.as_tuple().exponent for cost in costs)
    else:
        return None
    assert isinstance(exponent, int), "finite"
    try:
        units = tuple(map(int, map(_EXACT.scaleb, costs, repeat(Decimal(-exponent)))))
    except decimal.DecimalException:
        return None
    return LedgerColumns(counts, units, exponent, max(max(counts), -min(counts)), max(units))
