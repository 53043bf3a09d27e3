"""Every fast path of the valuation engine against the general path it stands in for.

* The flat FIFO/LIFO/specific/standard loop (application.value_plain) gives exactly what the
  general path gives, on random ledgers it accepts; where it gives up, value() still equals
  the general path.  Equality is exact: same Decimals (exponent and sign included), same
  rounding entries, variances and warnings.
* The applies-to rule's column scan (check.ledgers._no_applications) only skips the entry-by-entry
  walk when the walk would find nothing: on random ledgers, malformed ones included, the rule
  gives exactly the walk's diagnostics.
* The quantize rounder (prepare.make_rounder) rounds as numbers.round_to does, to the
  precision's exponent.

benchmarks/bench_valuation.py measures what each one saves (docs/valuation.md, "Performance").
"""

from __future__ import annotations

import datetime as dt
import decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from costsheet.check.ledgers import application_problems, applications
from costsheet.model import Item, Ledger, LedgerEntry, Model, Setup, frozen_map
from costsheet.numbers import CONTEXT, D, round_to
from costsheet.valuation import value
from costsheet.valuation.application import is_plain, value_general, value_plain
from costsheet.valuation.prepare import HALF_UP, Book, make_rounder, prepare_groups

from .test_properties import ledgers

APPLICATION_METHODS = ("fifo", "lifo", "specific", "standard")
PRECISIONS = ("0.01", "1", "0.001", "10", "0.010")  # 10: a quantum with a positive exponent


def build(method: str, ledger: Ledger, precision: str) -> Model:
    item = Item("X", costing_method=method, standard_cost=D("12.34") if method == "standard" else None)
    return Model(
        setup=Setup(amount_precision=D(precision)), items=frozen_map({"X": item}), ledgers=frozen_map({"X": ledger})
    )


def plain_ledgers(method: str):
    """Random ledgers without charges and revaluations: back-dated entries, fixed applications
    (extras) and decreases beyond what is on hand (negative) come and go."""
    return st.one_of(
        ledgers(method, extras=True),
        ledgers(method, extras=False, negative=False),
        ledgers(method, extras=True, negative=False),
    ).map(lambda ledger: Ledger("X", ledger.entries))


def _book_state(book: Book, on_hand):
    return (
        repr(on_hand),
        repr(sorted(book.cost.items())),
        repr(book.rounding),
        repr(book.variances),
        repr(book.adjustments),
        repr(book.revaluations),
        [d.code for d in book.diagnostics],
    )


def _both(method: str, ledger, precision: str):
    model = build(method, ledger, precision)
    group = prepare_groups(model, ledger)[0]
    newest_first = method == "lifo"
    with decimal.localcontext(CONTEXT):
        fast = Book(group)
        fast_on_hand = value_plain(group, fast, newest_first)
        slow = Book(group)
        slow_on_hand = value_general(group, slow, newest_first)
    return group, fast, fast_on_hand, slow, slow_on_hand


@given(
    st.sampled_from(APPLICATION_METHODS).flatmap(lambda m: st.tuples(st.just(m), plain_ledgers(m))),
    st.sampled_from(PRECISIONS),
)
def test_plain_path_equals_general_path(case, precision):
    """Ledgers without charges or revaluations (open decreases and exhausted fixed applications
    allowed: the fast path must give up on them, never answer differently)."""
    method, ledger = case
    group, fast, fast_on_hand, slow, slow_on_hand = _both(method, ledger, precision)
    assert is_plain(group)
    if fast_on_hand is not None:
        assert _book_state(fast, fast_on_hand) == _book_state(slow, slow_on_hand)
    result, _ = value(build(method, ledger, precision))
    assert repr(result["X"].inventory_value) == repr(group.round(slow_on_hand))
    assert [repr(e.cost_amount) for e in result["X"].entries] == [
        repr(slow.cost.get(e.number, group.round(decimal.Decimal(0)))) for e in ledger.entries
    ]


@given(
    st.sampled_from(APPLICATION_METHODS).flatmap(
        lambda m: st.tuples(st.just(m), ledgers(m, extras=False, negative=False))
    )
)
def test_plain_path_takes_covered_ledgers(case):
    """A ledger whose decreases never exceed what is on hand (FIFO, LIFO, standard) stays on the
    fast path, so the benchmark measures the path it means to."""
    method, ledger = case
    _, _, fast_on_hand, _, _ = _both(method, ledger, "0.01")
    if method != "specific":
        assert fast_on_hand is not None


AMOUNTS = st.sampled_from(("0", "-0", "0.00", "12.50", "-3.10", "7", "1E+1"))


@st.composite
def rough_ledgers(draw):
    """Ledgers the rules must judge: numbers out of order or repeated, zero quantities, negative
    costs on increases and decreases, applies-to naming nothing, a decrease, a later entry,
    entry 0, or too much of an increase; and as often clean ones."""
    count = draw(st.integers(min_value=0, max_value=8))
    clean = draw(st.booleans())
    entries = []
    for index in range(count):
        number = index + 1 if clean else draw(st.integers(min_value=0, max_value=count + 1))
        quantity = draw(st.integers(min_value=-5, max_value=5))
        if clean and quantity == 0:
            quantity = 1
        cost = draw(st.none() | AMOUNTS.map(D))
        if clean and quantity > 0 and cost is not None and cost < 0:
            cost = -cost
        applies_to = draw(st.none() | st.integers(min_value=0, max_value=count + 1))
        entries.append(
            LedgerEntry(
                number,
                dt.date(2024, 1, 1) + dt.timedelta(days=index),
                "purchase" if quantity > 0 else "sale",
                D(quantity),
                cost,
                applies_to=applies_to,
            )
        )
    return Ledger("X", tuple(entries))


def _located(diagnostics):
    return [(d.severity, d.code, d.message, d.span, d.hint) for d in diagnostics]


@given(rough_ledgers(), st.sampled_from(("fifo", "specific", "average")))
def test_rule_scan_skips_only_clean_walks(ledger, method):
    """The applies-to rule's column scan says "clean" only when its walk finds nothing: the
    rule's diagnostics are the walk's, in the same order."""
    model = build(method, ledger, "0.01")
    specific = method == "specific"
    assert _located(applications(model, ledger)) == _located(application_problems(ledger, specific))


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=8),
    st.sampled_from(("0.01", "1", "0.001", "10", "0.010", "1E+2")),
)
def test_quantize_rounder_is_round_to(amount, precision):
    """For a power-of-ten precision the rounder quantizes; it gives round_to's value and sign
    (half away from zero both), with the exponent of the precision in lowest terms (10 is 1E+1,
    0.010 is 0.01)."""
    step = D(precision)
    with decimal.localcontext(CONTEXT):
        fast = make_rounder(step)(amount)
        general = round_to(amount, step)
    assert fast == general and fast.is_signed() == general.is_signed()
    assert fast.as_tuple().exponent == step.normalize().as_tuple().exponent


@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False),
        st.sampled_from((D("-0.000"), D("-0"), D("0E+3"), D("0.005"), D("-0.005"), D("2.5E-1"))),
    ),
    st.sampled_from(("0.01", "1", "0.001", "1E+1", "0.00001")),
)
def test_half_up_context_quantize_is_decimal_quantize(amount, quantum):
    """The flat loops round with prepare.HALF_UP's bound quantize: the very Decimal (digits,
    exponent, sign of zero) that ``amount.quantize(quantum, ROUND_HALF_UP, CONTEXT)`` gives,
    or the same trapped signal (InvalidOperation past 34 digits)."""
    step = D(quantum)

    def outcome(round_it):
        try:
            return repr(round_it())
        except decimal.InvalidOperation:
            return "InvalidOperation"

    assert outcome(lambda: HALF_UP.quantize(amount, step)) == outcome(
        lambda: amount.quantize(step, decimal.ROUND_HALF_UP, CONTEXT)
    )


# ---------------------------------------------------------------- the inventory close models

CLOSE_METHODS = ("weighted-average", "weighted-average-date", "periodic-lifo", "lifo-date")


def _close_state(book: Book, on_hand):
    return (
        repr(on_hand),
        repr(sorted(book.cost.items())),
        repr(sorted(book.running.items())),
        repr(sorted(book.adjustments.items())),
        repr(book.revaluations),
        repr(book.rounding),
    )


@given(
    st.sampled_from(CLOSE_METHODS),
    st.one_of(ledgers("fifo", extras=False), ledgers("fifo", extras=False, negative=False)),
    st.sampled_from(PRECISIONS),
    st.sampled_from(("day", "week", "month")),
    st.booleans(),
    st.data(),
)
def test_plain_close_equals_general_close(method, ledger, precision, period, physical_value, data):
    """closing_plain.value_plain_close against closing.value_general on plain ledgers (entries in
    date order, issues beyond what is on hand allowed: the flat loop must give up on them), as of
    the end and as of a date inside the ledger: the same Decimals, adjustments and running costs."""
    from costsheet.valuation.closing import pool_settler, value_general
    from costsheet.valuation.closing_plain import LIFO_DATE, PERIODIC_LIFO, POOL, is_plain_close, value_plain_close
    from costsheet.valuation.lifo_close import lifo_date_settler, periodic_lifo_settler

    kind, settler = {
        "weighted-average": (POOL, pool_settler),
        "weighted-average-date": (POOL, pool_settler),
        "periodic-lifo": (PERIODIC_LIFO, periodic_lifo_settler),
        "lifo-date": (LIFO_DATE, lifo_date_settler),
    }[method]
    item = Item("X", costing_method=method)
    model = Model(
        setup=Setup(amount_precision=D(precision), average_cost_period=period, include_physical_value=physical_value),
        items=frozen_map({"X": item}),
        ledgers=frozen_map({"X": ledger}),
    )
    as_of = data.draw(st.sampled_from((None, *sorted({e.date for e in ledger.entries}))))
    group = prepare_groups(
        model, ledger, as_of, closing=True, pool_period="day" if method == "weighted-average-date" else None
    )[0]
    assert is_plain_close(group)
    with decimal.localcontext(CONTEXT):
        fast = Book(group)
        fast_on_hand = value_plain_close(group, fast, kind)
        slow = Book(group)
        slow_on_hand = value_general(group, slow, settler)
    if fast_on_hand is not None:
        assert _close_state(fast, fast_on_hand) == _close_state(slow, slow_on_hand)


@given(
    st.sampled_from(CLOSE_METHODS),
    st.one_of(ledgers("fifo", extras=False), ledgers("fifo", extras=False, negative=False)),
    st.data(),
)
def test_plain_close_gives_up_on_a_back_dated_entry(method, ledger, data):
    """The flat close loop checks the date order as it goes: with one entry dated before the one
    written before it, it gives up (None), and value() gives what the general close gives."""
    from costsheet.valuation.closing import pool_settler, value_general
    from costsheet.valuation.closing_plain import LIFO_DATE, PERIODIC_LIFO, POOL, value_plain_close
    from costsheet.valuation.lifo_close import lifo_date_settler, periodic_lifo_settler

    kind, settler = {
        "weighted-average": (POOL, pool_settler),
        "weighted-average-date": (POOL, pool_settler),
        "periodic-lifo": (PERIODIC_LIFO, periodic_lifo_settler),
        "lifo-date": (LIFO_DATE, lifo_date_settler),
    }[method]
    entries = list(ledger.entries)
    assume(len(entries) > 1)
    last = entries[-1]
    back = entries[0].date - dt.timedelta(days=data.draw(st.integers(1, 40)))
    entries[-1] = LedgerEntry(last.number, back, last.type, last.quantity, last.cost)
    ledger = Ledger("X", tuple(entries))
    model = Model(
        setup=Setup(average_cost_period="week"),
        items=frozen_map({"X": Item("X", costing_method=method)}),
        ledgers=frozen_map({"X": ledger}),
    )
    group = prepare_groups(
        model, ledger, closing=True, pool_period="day" if method == "weighted-average-date" else None
    )[0]
    with decimal.localcontext(CONTEXT):
        assert value_plain_close(group, Book(group), kind) is None
        slow = Book(group)
        slow_on_hand = value_general(group, slow, settler)
    result, _ = value(model)
    assert result["X"].inventory_value == group.round(slow_on_hand)
    assert {e.entry: e.cost_amount for e in result["X"].entries} == {n: slow.cost.get(n) for n in slow.cost}
