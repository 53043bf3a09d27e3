"""The integer application loop (valuation.scaled) against the Decimal loop it stands in for.

* ``share_units`` rounds ``units x taken / received`` as the Decimal loop does: the quotient in
  the engine's context, then ``quantize`` half up, for any amount below the loop's limit.
* On random plain ledgers (FIFO, LIFO, specific, standard; back-dated entries, fixed
  applications, decreases beyond what is on hand, costs with more places than the precision, so
  shares and used-up increases round, amounts up to the limit and beyond it, quantities that are
  not whole numbers, increases without a cost, five precisions) ``value_scaled`` gives either
  None or exactly the Decimal loop's book and value on hand: same Decimals, exponents and signs
  of zero included, same rounding entries and variances.  It gives up only where the module
  says it does.
* ``value()`` gives the Decimal loop's result whichever loop ``pays`` picks.
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

from hypothesis import event, given
from hypothesis import strategies as st

from costsheet.model import Item, Ledger, LedgerEntry, Model, Setup, frozen_map
from costsheet.numbers import CONTEXT, D
from costsheet.valuation import value
from costsheet.valuation.application import value_plain
from costsheet.valuation.prepare import Book, prepare_groups
from costsheet.valuation.scaled import LIMIT, pays, share_units, value_scaled

from .test_fast_paths import APPLICATION_METHODS, PRECISIONS, _book_state, plain_ledgers

START = dt.date(2024, 1, 1)


@given(
    st.integers(min_value=-(10**14), max_value=10**14),
    st.integers(min_value=1, max_value=10**9).flatmap(lambda r: st.tuples(st.integers(1, r), st.just(r))),
    st.integers(min_value=0, max_value=6),
)
def test_share_units_rounds_as_decimal_quantize(units, taken_received, places):
    taken, received = taken_received
    quantum = Decimal(1).scaleb(-places)
    with decimal.localcontext(CONTEXT):
        base = Decimal(units) * quantum
        expected = (base * Decimal(taken) / Decimal(received)).quantize(quantum, decimal.ROUND_HALF_UP, CONTEXT)
    assert Decimal(share_units(units, taken, received)) * quantum == expected


AMOUNTS = st.one_of(
    st.integers(min_value=0, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2)),
    st.tuples(st.integers(min_value=0, max_value=10**17), st.integers(min_value=0, max_value=5)).map(
        lambda pair: Decimal(pair[0]).scaleb(-pair[1])  # more places than the precision, large amounts
    ),
    st.sampled_from((D("-0"), D("0"), D("0.005"), D("0.0049999"), D("1E+3"))),
)


@st.composite
def wide_ledgers(draw, method: str):
    """Plain ledgers with amounts of any size and places, quantities up to 10**6 (now and then not
    a whole number), increases without a cost, back-dated entries and fixed applications."""
    entries: list[LedgerEntry] = []
    capacity: dict[int, Decimal] = {}
    on_hand = Decimal(0)
    day = 0
    for _ in range(draw(st.integers(min_value=1, max_value=16))):
        number = len(entries) + 1
        day += draw(st.integers(min_value=-2, max_value=5))
        date = START + dt.timedelta(days=max(day, 0))
        quantity = Decimal(draw(st.integers(min_value=1, max_value=10 ** draw(st.integers(0, 6)))))
        if draw(st.integers(0, 9)) == 0:
            quantity = quantity / 4  # .25, .5, .75: not a whole number
        if not capacity or draw(st.booleans()):
            cost = None if draw(st.integers(0, 9)) == 0 else draw(AMOUNTS)
            entries.append(LedgerEntry(number, date, "purchase", quantity, cost))
            capacity[number] = quantity
            on_hand += quantity
            continue
        quantity = min(quantity, max(on_hand, Decimal(1)))
        applies_to = None
        if method == "specific" or draw(st.integers(0, 3)) == 0:
            fitting = [n for n, left in capacity.items() if left >= quantity]
            if fitting:
                applies_to = draw(st.sampled_from(fitting))
                capacity[applies_to] -= quantity
        entries.append(LedgerEntry(number, date, "sale", -quantity, None, applies_to=applies_to))
        on_hand -= quantity
    return Ledger("X", tuple(entries))


def build(method: str, ledger: Ledger, precision: str, standard: Decimal) -> Model:
    item = Item("X", costing_method=method, standard_cost=standard if method == "standard" else None)
    return Model(
        setup=Setup(amount_precision=D(precision)), items=frozen_map({"X": item}), ledgers=frozen_map({"X": ledger})
    )


def _gives_up_only_where_documented(method: str, ledger: Ledger, quantum: Decimal, standard: Decimal) -> bool:
    """The reasons of the module docstring, read off the ledger (the amount limit loosely: an
    increase whose value x quantity is at least half the limit in units of the precision)."""
    increases = [e for e in ledger.entries if e.quantity > 0]

    def worth(entry: LedgerEntry) -> Decimal:
        return abs(standard * entry.quantity if method == "standard" else entry.cost or Decimal(0))

    return (
        any(e.quantity != e.quantity.to_integral_value() for e in ledger.entries)
        or (method != "standard" and any(e.cost is None for e in increases))
        or quantum.as_tuple().exponent > 0  # type: ignore[operator]
        or any(worth(e) * e.quantity / quantum >= LIMIT / 2 for e in increases)
    )


STANDARDS = st.sampled_from((D("12.34"), D("0.005"), D("-3.10"), D("1234567.891")))


@given(
    st.sampled_from(APPLICATION_METHODS).flatmap(
        lambda m: st.tuples(st.just(m), st.one_of(plain_ledgers(m), wide_ledgers(m)))
    ),
    st.sampled_from(PRECISIONS),
    STANDARDS,
)
def test_integer_loop_equals_decimal_loop(case, precision, standard):
    method, ledger = case
    model = build(method, ledger, precision, standard)
    group = prepare_groups(model, ledger)[0]
    newest_first = method == "lifo"
    with decimal.localcontext(CONTEXT):
        ints = Book(group)
        ints_on_hand = value_scaled(group, ints, newest_first)
        decimals = Book(group)
        decimals_on_hand = value_plain(group, decimals, newest_first)
    event("integer loop answered" if ints_on_hand is not None else "integer loop gave up")
    if ints_on_hand is not None:
        event("with rounding entries" if ints.rounding else "without rounding entries")
        assert decimals_on_hand is not None
        assert _book_state(ints, ints_on_hand) == _book_state(decimals, decimals_on_hand)
    elif decimals_on_hand is not None:
        assert _gives_up_only_where_documented(method, ledger, group.quantum, standard)


@given(
    st.sampled_from(APPLICATION_METHODS).flatmap(lambda m: st.tuples(st.just(m), wide_ledgers(m))),
    st.sampled_from(PRECISIONS),
)
def test_value_is_the_same_whichever_loop_pays(case, precision):
    """value() picks the loop by ``pays``; forcing the other answer gives the same result."""
    method, ledger = case
    model = build(method, ledger, precision, D("12.34"))
    group = prepare_groups(model, ledger)[0]
    result, _ = value(model)
    with decimal.localcontext(CONTEXT):
        decimals = Book(group)
        on_hand = value_plain(group, decimals, method == "lifo")
    if on_hand is None:
        return
    assert [repr(e.cost_amount) for e in result["X"].entries] == [
        repr(decimals.cost.get(e.number, group.round(Decimal(0)))) for e in ledger.entries
    ]
    assert repr(result["X"].inventory_value) == repr(group.round(on_hand))


def _shaped(decreases_per_increase: int) -> Ledger:
    entries = []
    for n in range(1, 61):
        if n % (decreases_per_increase + 1) == 1:
            entries.append(LedgerEntry(n, START, "purchase", D(10), D("12.34")))
        else:
            entries.append(LedgerEntry(n, START, "sale", D(-1)))
    return Ledger("X", tuple(entries))


def test_pays_from_two_decreases_per_increase():
    for per_increase, expected in ((1, False), (2, True), (4, True)):
        ledger = _shaped(per_increase)
        model = build("fifo", ledger, "0.01", D(0))
        assert pays(prepare_groups(model, ledger)[0]) is expected
