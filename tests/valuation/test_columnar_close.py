"""The inventory close models on the ledger's integer columns (valuation.columnar_close) against
the flat Decimal close loop (closing_plain.value_plain_close): the weighted averages' pools and
the LIFO models' stack of open receipts.

* On random plain ledgers in date order (amounts of any size and number of places, ``1E+3``,
  issues beyond what is on hand, five precisions, three average-cost periods, with and without
  include-physical-value, as of the end and of a date inside the ledger) ``value_close_columns``
  gives either None or exactly the Decimal loop's book and value on hand: same Decimals,
  exponents and signs of zero included, same running costs, settlements and quantity.
* On ledgers whose issues never go beyond what is on hand, in cents at a precision of 0.01, it
  always answers (it gives up only where its module says).
* ``value()`` on a ledger with columns gives the same result, to the byte of its JSON and the repr
  of every amount, as on the same entries written in another order (no columns: the Decimal
  loops), with and without ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from hypothesis import event, given
from hypothesis import strategies as st

from costsheet.model import Item, Ledger, LedgerEntry, Model, Setup, frozen_map
from costsheet.numbers import CONTEXT, D
from costsheet.valuation.closing_plain import LIFO_DATE, PERIODIC_LIFO, POOL, value_plain_close
from costsheet.valuation.columnar_close import value_close_columns
from costsheet.valuation.prepare import Book, prepare_groups

from .test_columnar import CENTS, SMALL, START, assert_valued_alike, dated_ledgers
from .test_fast_paths import PRECISIONS

#: each close model and its flat loop
KINDS = {
    "weighted-average": POOL,
    "weighted-average-date": POOL,
    "periodic-lifo": PERIODIC_LIFO,
    "lifo-date": LIFO_DATE,
}
METHODS = tuple(KINDS)
PERIODS = ("day", "week", "month")


def build(method: str, ledger: Ledger, precision: str, period: str, physical_value: bool) -> Model:
    setup = Setup(amount_precision=D(precision), average_cost_period=period, include_physical_value=physical_value)
    return Model(
        setup=setup, items=frozen_map({"X": Item("X", costing_method=method)}), ledgers=frozen_map({"X": ledger})
    )


def _group(model: Model, ledger: Ledger, method: str, as_of: dt.date | None):
    pool = "day" if method == "weighted-average-date" else None
    return prepare_groups(model, ledger, as_of, closing=True, pool_period=pool)[0]


def _state(book: Book, on_hand: Decimal | None) -> tuple[object, ...]:
    return (
        repr(on_hand),
        repr(sorted(book.costs().items())),
        repr(sorted(book.running_costs().items())),
        repr(sorted(book.adjustment_args().items())),
        repr(book.revaluations),
        repr(book.rounding),
        [d.code for d in book.diagnostics],
    )


def _both(method, ledger, precision, period, physical_value, as_of):
    group = _group(build(method, ledger, precision, period, physical_value), ledger, method, as_of)
    with decimal.localcontext(CONTEXT):
        ints = Book(group)
        ints_on_hand = value_close_columns(group, ints, KINDS[method])
        decimals = Book(group)
        decimals_on_hand = value_plain_close(group, decimals, KINDS[method])
    return group, ints, ints_on_hand, decimals, decimals_on_hand


@st.composite
def covered_ledgers(draw):
    """Ledgers in date order whose issues never go beyond what is on hand, costs in cents."""
    entries: list[LedgerEntry] = []
    on_hand = 0
    day = 0
    for number in range(1, draw(st.integers(min_value=1, max_value=30)) + 1):
        day += draw(st.integers(min_value=0, max_value=4))
        date = START + dt.timedelta(days=day)
        quantity = draw(st.one_of(SMALL, st.integers(min_value=1, max_value=1000)))
        if on_hand <= 0 or draw(st.booleans()):
            entries.append(LedgerEntry(number, date, "purchase", Decimal(quantity), draw(CENTS)))
            on_hand += quantity
            continue
        quantity = min(quantity, on_hand)
        entries.append(LedgerEntry(number, date, "sale", Decimal(-quantity)))
        on_hand -= quantity
    return Ledger("X", tuple(entries))


@given(
    st.sampled_from(METHODS),
    st.one_of(dated_ledgers(), covered_ledgers()),
    st.sampled_from(PRECISIONS),
    st.sampled_from(PERIODS),
    st.booleans(),
    st.data(),
)
def test_pool_columns_equal_the_decimal_close(method, ledger, precision, period, physical_value, data):
    as_of = data.draw(st.sampled_from((None, *sorted({e.date for e in ledger.entries}))))
    group, ints, ints_on_hand, decimals, decimals_on_hand = _both(
        method, ledger, precision, period, physical_value, as_of
    )
    if group.columns is None:  # a signed cost (-0): no columns, nothing to compare
        assert any(e.cost is not None and e.cost.is_signed() for e in ledger.entries)
        return
    event("column close answered" if ints_on_hand is not None else "column close gave up")
    if ints_on_hand is None:
        return
    event("with settlements" if ints.adjustment_args() else "without settlements")
    assert decimals_on_hand is not None
    assert _state(ints, ints_on_hand) == _state(decimals, decimals_on_hand)
    assert repr(ints.quantity) == repr(sum((e.quantity for e in group.entries), Decimal(0)))
    assert ints.freeze(ints_on_hand).to_dict(adjustments=True) == decimals.freeze(decimals_on_hand).to_dict(
        adjustments=True
    )


@given(st.sampled_from(METHODS), covered_ledgers(), st.sampled_from(PERIODS), st.booleans(), st.data())
def test_pool_columns_take_covered_ledgers(method, ledger, period, physical_value, data):
    as_of = data.draw(st.sampled_from((None, *sorted({e.date for e in ledger.entries}))))
    _, ints, ints_on_hand, decimals, decimals_on_hand = _both(method, ledger, "0.01", period, physical_value, as_of)
    assert ints_on_hand is not None
    assert _state(ints, ints_on_hand) == _state(decimals, decimals_on_hand)


@given(
    st.sampled_from(METHODS),
    st.one_of(dated_ledgers(), covered_ledgers()),
    st.sampled_from(PRECISIONS),
    st.sampled_from(PERIODS),
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)
def test_value_with_columns_equals_value_without(method, ledger, precision, period, physical_value, days):
    """The same entries in reverse order get no columns (prepare sorts them back): the Decimal
    loops' result, which the columns' result must be to the last digit."""
    reordered = Ledger("X", ledger.entries[::-1])
    as_of = None if days is None else START + dt.timedelta(days=days)
    assert_valued_alike(
        build(method, ledger, precision, period, physical_value),
        build(method, reordered, precision, period, physical_value),
        as_of,
    )
    event("no columns for the reordered ledger" if reordered.columns is None else "one entry: columns both ways")
