"""The integer loop on the ledger's columns (valuation.columnar) against the Decimal loop.

* ``ledger_columns`` reads every quantity and every increase's cost exactly: ``count == quantity``
  and ``units x 10**exponent == cost`` for every entry, or None for a ledger with one of the
  features the module names (and only then).
* On random plain ledgers in date order (FIFO, LIFO, specific; amounts of any size and number of
  places, ``-0``, ``1E+3``, decreases beyond what is on hand, five precisions) ``value_columns``
  gives either None or exactly the Decimal loop's book and value on hand: same Decimals,
  exponents and signs of zero included, same rounding entries, same quantity.  It gives up only
  where the module says it does.
* ``value()`` on a ledger with columns gives the same result, to the byte of its JSON and the repr
  of every amount, as on the same entries written in another order (which has no columns and so
  runs the Decimal loops), with and without ``as_of``, per item or per item/location/variant.
* The costs kept as integers leave as Decimals exactly as the Decimal loop's go through ``outgoing``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from decimal import Decimal

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from costsheet.ledger_columns import ledger_columns
from costsheet.model import Item, Ledger, LedgerEntry, Model, Setup, frozen_map
from costsheet.numbers import CONTEXT, D, outgoing
from costsheet.valuation import value
from costsheet.valuation.application import value_plain
from costsheet.valuation.columnar import value_columns
from costsheet.valuation.prepare import Book, prepare_groups
from costsheet.valuation.result import ScaledCosts
from costsheet.valuation.scaled import LIMIT

from .test_fast_paths import PRECISIONS
from .test_scaled import AMOUNTS, wide_ledgers

START = dt.date(2024, 1, 1)
METHODS = ("fifo", "lifo", "specific")


#: small quantities: increases taken in several parts, so shares and used-up increases round
SMALL = st.integers(min_value=1, max_value=4)
#: mostly amounts in cents (the loop's usual case), else any size and number of places
CENTS = st.integers(min_value=0, max_value=99_999).map(lambda c: Decimal(c).scaleb(-2))
COSTS = st.one_of(CENTS, CENTS, CENTS, AMOUNTS)


@st.composite
def dated_ledgers(draw):
    """Plain ledgers in entry-number and date order (the ones that get columns), now and then
    a decrease beyond what is on hand, a cost with more places than the precision, an amount
    near or past the loop's limit."""
    entries: list[LedgerEntry] = []
    on_hand = 0
    day = 0
    for number in range(1, draw(st.integers(min_value=1, max_value=24)) + 1):
        day += draw(st.integers(min_value=0, max_value=3))
        date = START + dt.timedelta(days=day)
        quantity = draw(st.one_of(SMALL, st.integers(min_value=1, max_value=10 ** draw(st.integers(0, 6)))))
        if on_hand <= 0 or draw(st.booleans()):
            entries.append(LedgerEntry(number, date, "purchase", Decimal(quantity), draw(COSTS)))
            on_hand += quantity
            continue
        if draw(st.integers(0, 49)):  # mostly within what is on hand
            quantity = min(quantity, on_hand)
        entries.append(LedgerEntry(number, date, "sale", Decimal(-quantity)))
        on_hand -= quantity
    return Ledger("X", tuple(entries))


def build(method: str, ledger: Ledger, precision: str, by_location: bool = False) -> Model:
    setup = Setup(amount_precision=D(precision), average_cost_calc="item-location-variant" if by_location else "item")
    item = Item("X", costing_method=method)
    return Model(setup=setup, items=frozen_map({"X": item}), ledgers=frozen_map({"X": ledger}))


def _state(book: Book, on_hand: Decimal | None) -> tuple[object, ...]:
    return (
        repr(on_hand),
        repr(sorted(book.costs().items())),
        repr(book.rounding),
        repr(book.variances),
        repr(book.adjustments),
        [d.code for d in book.diagnostics],
    )


@given(st.one_of(dated_ledgers(), wide_ledgers("fifo")))
def test_columns_read_the_entries_exactly(ledger):
    columns = ledger_columns(ledger.entries)
    entries = ledger.entries
    plain = (
        all(e.applies_to is None for e in entries)
        and all(b.number == a.number + 1 and a.date <= b.date for a, b in itertools.pairwise(entries))
        and all(e.quantity.as_tuple().exponent == 0 for e in entries)
        and all(e.cost is not None and not e.cost.is_signed() for e in entries if e.quantity > 0)
    )
    assert (columns is not None) == plain
    if columns is None:
        return
    assert [Decimal(count) for count in columns.counts] == [e.quantity for e in entries]
    costs = [e.cost for e in entries if e.quantity > 0]
    assert [Decimal(unit).scaleb(columns.exponent, CONTEXT) for unit in columns.units] == costs
    assert columns.exponent == min(cost.as_tuple().exponent for cost in costs)  # type: ignore[union-attr]
    assert columns.largest_count == max(abs(count) for count in columns.counts)
    assert columns.largest_units == max(columns.units)


def test_columns_refuse_each_feature():
    base = LedgerEntry(1, START, "purchase", D(5), D("12.30"))
    assert ledger_columns((base,)) is not None
    for changed in (
        {"applies_to": 1},
        {"expected_cost": D(1)},
        {"applies_from": 1},
        {"location": "BLUE"},
        {"variant": "V"},
        {"physical": True},
        {"quantity": D("5.0")},
        {"cost": None},
        {"cost": D("-0")},
        {"cost": Decimal("NaN")},
        {"cost": Decimal("Infinity")},
    ):
        assert ledger_columns((attrs.evolve(base, **changed),)) is None, changed
    later = LedgerEntry(2, START - dt.timedelta(days=1), "sale", D(-1))
    assert ledger_columns((base, later)) is None  # back-dated
    assert ledger_columns((attrs.evolve(later, date=START, number=1), attrs.evolve(base, number=2))) is not None
    assert ledger_columns((base, attrs.evolve(later, date=START, number=1))) is None  # not in number order
    assert ledger_columns((base, attrs.evolve(later, date=START, number=3))) is None  # not numbered one by one
    # a date the calendar does not have (2026-02-30) reaches the model as None: the checker reports it
    assert ledger_columns((attrs.evolve(base, date=None), attrs.evolve(later, date=START))) is None


def _gives_up_only_where_documented(ledger: Ledger, quantum: Decimal) -> bool:
    exponent = quantum.as_tuple().exponent
    assert isinstance(exponent, int)
    increases = [e for e in ledger.entries if e.quantity > 0]
    places = min(e.cost.as_tuple().exponent for e in increases)  # type: ignore[union-attr]
    largest = max(e.cost for e in increases) * max(abs(e.quantity) for e in ledger.entries)  # type: ignore[type-var]
    return exponent > 0 or places < exponent or largest / quantum >= LIMIT  # type: ignore[operator]


@given(st.sampled_from(METHODS), dated_ledgers(), st.sampled_from(PRECISIONS))
def test_column_loop_equals_decimal_loop(method, ledger, precision):
    model = build(method, ledger, precision)
    group = prepare_groups(model, ledger)[0]
    if group.columns is None:  # AMOUNTS holds -0: a signed cost
        assert any(e.cost is not None and e.cost.is_signed() for e in ledger.entries)
        return
    newest_first = method == "lifo"
    with decimal.localcontext(CONTEXT):
        ints = Book(group)
        ints_on_hand = value_columns(group, ints, newest_first)
        decimals = Book(group)
        decimals_on_hand = value_plain(group, decimals, newest_first)
    event("column loop answered" if ints_on_hand is not None else "column loop gave up")
    if ints_on_hand is not None:
        event("with rounding entries" if ints.rounding else "without rounding entries")
        assert decimals_on_hand is not None
        assert _state(ints, ints_on_hand) == _state(decimals, decimals_on_hand)
        assert ints.quantity is not None
        assert repr(ints.quantity) == repr(sum((e.quantity for e in ledger.entries), Decimal(0)))
        assert ints.freeze(ints_on_hand).to_dict(adjustments=True) == decimals.freeze(decimals_on_hand).to_dict(
            adjustments=True
        )
    elif decimals_on_hand is not None:
        assert _gives_up_only_where_documented(ledger, group.quantum)


@given(
    st.sampled_from((*METHODS, "standard")),
    dated_ledgers(),
    st.sampled_from(PRECISIONS),
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
)
def test_value_with_columns_equals_value_without(method, ledger, precision, by_location, days):
    """The same entries in reverse order get no columns (prepare sorts them back): the Decimal
    loops' result, which the columns' result must be to the last digit."""
    if ledger.columns is None:  # AMOUNTS holds -0: a signed cost
        assert any(e.cost is not None and e.cost.is_signed() for e in ledger.entries)
    reordered = Ledger("X", ledger.entries[::-1])
    as_of = None if days is None else START + dt.timedelta(days=days)
    assert_valued_alike(
        build(method, ledger, precision, by_location), build(method, reordered, precision, by_location), as_of
    )
    event("no columns for the reordered ledger" if reordered.columns is None else "one entry: columns both ways")


def assert_valued_alike(model: Model, other_model: Model, as_of: dt.date | None) -> None:
    """``value()`` of the two models gives the same JSON, diagnostics, rows and totals, digit for digit
    (their reprs: exponents and signs of zero included)."""
    ours, our_diagnostics = value(model, as_of=as_of)
    theirs, their_diagnostics = value(other_model, as_of=as_of)
    assert ours.to_json(adjustments=True) == theirs.to_json(adjustments=True)
    assert [d.code for d in our_diagnostics] == [d.code for d in their_diagnostics]
    for key, item in ours.items.items():
        other = theirs[key]
        assert [repr(row) for row in item.entries] == [repr(row) for row in other.entries]
        assert repr((item.quantity_on_hand, item.inventory_value, item.rounding)) == repr(
            (other.quantity_on_hand, other.inventory_value, other.rounding)
        )


@given(
    st.lists(st.integers(min_value=-(10**20), max_value=10**20), max_size=8), st.integers(min_value=-20, max_value=0)
)
def test_scaled_costs_leave_as_outgoing_amounts(units, exponent):
    """The rows take ``ScaledCosts.outgoing()`` as they take every other amount through ``outgoing``
    (which it skips where it changes nothing: 12 places or fewer)."""
    costs = ScaledCosts(units, exponent)
    made = [Decimal(unit).scaleb(exponent, CONTEXT) for unit in units]
    assert [repr(amount) for amount in costs.decimals()] == [repr(amount) for amount in made]
    assert [repr(amount) for amount in costs.outgoing()] == [repr(outgoing(amount)) for amount in made]
