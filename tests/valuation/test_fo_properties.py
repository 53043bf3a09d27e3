"""Properties of the inventory close models, physical value, expected cost and returns (hypothesis).

* Conservation (docs/valuation.md, "Nothing is lost") for every method on random ledgers with
  physical entries, expected costs and their invoices, returns (``applies-from``), charges,
  revaluations and fixed applications, with and without include-physical-value, as of any date.
* A return is worth exactly what the decrease it names cost (its share of it).
* ``periodic-lifo`` and ``lifo-date`` against naive unit-by-unit references of F&O's rules, and
  ``weighted-average-date`` against a naive day-by-day reference.
* Until its close, an issue shows the running average it was posted at.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from costsheet.model import Charge, Invoice, Item, Ledger, LedgerEntry, Model, Revaluation, Setup, frozen_map
from costsheet.numbers import D
from costsheet.valuation import value
from costsheet.valuation.periods import period_end_function, period_start_function

from .test_properties import CENTS, METHODS, PER_ITEM_REVALUATION

START = dt.date(2024, 1, 1)


@st.composite
def featured_ledgers(draw, method: str):
    """A random ledger with physical entries, expected costs and invoices, returns, charges,
    revaluations and fixed applications, that the ledger rules accept."""
    entries: list[LedgerEntry] = []
    charges, revaluations, invoices = [], [], []
    capacity: dict[int, int] = {}  # financial increase -> quantity still free for fixed application
    returnable: dict[int, int] = {}  # financial decrease -> quantity still free for applies-from
    expected: list[LedgerEntry] = []  # receipts with an expected cost and no invoice yet
    sequence = day = 0
    for _ in range(draw(st.integers(min_value=1, max_value=16))):
        sequence += 1
        day += draw(st.integers(min_value=0, max_value=9))
        date = START + dt.timedelta(days=day)
        roll = draw(st.integers(0, 11))
        increases = [e for e in entries if e.quantity > 0 and not e.physical and e.applies_from is None]
        if increases and roll == 0:
            charges.append(Charge(date, draw(st.sampled_from(increases)).number, draw(CENTS), sequence))
            continue
        if increases and roll == 1:
            target = (
                None
                if method in PER_ITEM_REVALUATION or draw(st.booleans())
                else draw(st.sampled_from(increases)).number
            )
            revaluations.append(Revaluation(date, draw(CENTS), target, sequence))
            continue
        if expected and roll == 2:
            receipt = expected.pop(draw(st.integers(0, len(expected) - 1)))
            invoices.append(Invoice(date, receipt.number, draw(CENTS), sequence))
            continue
        number = len(entries) + 1
        physical = draw(st.integers(0, 4)) == 0
        open_returns = [n for n, left in returnable.items() if left > 0]
        if open_returns and not physical and roll == 3:
            source = draw(st.sampled_from(open_returns))
            quantity = draw(st.integers(min_value=1, max_value=returnable[source]))
            returnable[source] -= quantity
            entries.append(LedgerEntry(number, date, "sale", Decimal(quantity), applies_from=source))
            capacity[number] = quantity
            continue
        if not entries or roll < 7:
            quantity = draw(st.integers(min_value=1, max_value=6))
            amount = draw(CENTS)
            if not physical and draw(st.integers(0, 3)) == 0:
                entry = LedgerEntry(number, date, "purchase", Decimal(quantity), expected_cost=amount)
                expected.append(entry)
            else:
                entry = LedgerEntry(number, date, "purchase", Decimal(quantity), amount, physical=physical)
            if not physical:
                capacity[number] = quantity
        else:
            quantity = draw(st.integers(min_value=1, max_value=6))
            applies_to = None
            fitting = [n for n, free in capacity.items() if free >= quantity]
            if (method == "specific" or draw(st.integers(0, 4)) == 0) and fitting:
                applies_to = draw(st.sampled_from(fitting))
                capacity[applies_to] -= quantity
            elif method == "specific":
                sequence -= 1
                continue
            entry = LedgerEntry(number, date, "sale", Decimal(-quantity), applies_to=applies_to, physical=physical)
            if not physical:
                returnable[number] = quantity
        entries.append(entry)
    return Ledger("X", tuple(entries), tuple(charges), tuple(revaluations), tuple(invoices))


def build(method: str, ledger: Ledger, period: str, physical_value: bool) -> Model:
    item = Item("X", costing_method=method, standard_cost=D("12.34") if method == "standard" else None)
    return Model(
        setup=Setup(average_cost_period=period, include_physical_value=physical_value),
        items=frozen_map({"X": item}),
        ledgers=frozen_map({"X": ledger}),
    )


def valued(
    method: str, ledger: Ledger, period: str = "week", physical_value: bool = False, as_of: dt.date | None = None
):
    result, diagnostics = value(build(method, ledger, period, physical_value), as_of=as_of)
    assert not [d for d in diagnostics if d.is_error], diagnostics
    return result["X"]


def worth(row) -> Decimal:
    return row.cost_amount + row.expected_cost_amount


def assert_conserved(item, ledger: Ledger, method: str, as_of: dt.date | None) -> None:
    """Value on hand + decreases + variances + rounding = what the increases came in at (their
    invoiced cost, or their expected cost before the invoice; a return its decrease's value; a
    standard item's physical or uninvoiced receipt its standard cost) + charges + revaluations."""
    kept = {e.number: e for e in ledger.entries if as_of is None or e.date <= as_of}
    invoiced = {i.entry: i.cost for i in ledger.invoices if i.entry in kept and (as_of is None or i.date <= as_of)}
    rows = {row.entry: row for row in item.entries}
    inputs = Decimal(0)
    for entry in kept.values():
        if entry.quantity < 0:
            continue
        if entry.applies_from is not None:  # what it took of its decrease (valued in the same result)
            source = kept[entry.applies_from]
            inputs += (-worth(rows[source.number]) * entry.quantity / -source.quantity).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        elif method == "standard" and (
            entry.physical or (entry.expected_cost is not None and entry.number not in invoiced)
        ):
            inputs += (D("12.34") * entry.quantity).quantize(Decimal("0.01"))
        elif entry.expected_cost is not None:
            inputs += invoiced.get(entry.number, entry.expected_cost)
        else:
            inputs += entry.cost
    charges = sum(
        (c.amount for c in ledger.charges if c.entry in kept and (as_of is None or c.date <= as_of)), Decimal(0)
    )
    revaluations = sum((r.amount for r in item.revaluations), Decimal(0))
    decreases = sum((worth(row) for row in item.entries if row.quantity < 0), Decimal(0))
    rounding = sum((r.amount for r in item.rounding), Decimal(0))
    variances = sum((v.amount for v in item.variances), Decimal(0))
    assert item.inventory_value - decreases - rounding + variances == inputs + charges + revaluations
    assert item.quantity_on_hand == sum((e.quantity for e in kept.values()), Decimal(0))
    for entry in kept.values():  # a return is worth its share of its decrease's final cost (unless revalued since)
        if entry.applies_from is not None and not ledger.revaluations:
            source = kept[entry.applies_from]
            share = -worth(rows[source.number]) * entry.quantity / -source.quantity
            assert worth(rows[entry.number]) == share.quantize(Decimal("0.01"), ROUND_HALF_UP), entry


@given(
    st.sampled_from(METHODS).flatmap(lambda m: st.tuples(st.just(m), featured_ledgers(m))),
    st.sampled_from(("day", "week", "month")),
    st.booleans(),
    st.data(),
)
def test_nothing_is_lost_with_physical_expected_and_returns(case, period, physical_value, data):
    """docs/valuation.md, "Nothing is lost", with expected cost as a term: every method, physical
    entries with and without include-physical-value, expected costs before and after their
    invoices, returns following their decreases; as of the end and as of dates in between."""
    method, ledger = case
    dates = sorted({line.date for line in (*ledger.entries, *ledger.charges, *ledger.revaluations, *ledger.invoices)})
    for as_of in (None, *data.draw(st.lists(st.sampled_from(dates), max_size=2, unique=True))):
        item = valued(method, ledger, period, physical_value, as_of)
        assert_conserved(item, ledger, method, as_of)


# ---------------------------------------------------------------- the close models against naive references


@st.composite
def plain_ledgers(draw):
    """Receipts and issues in date order, issues never beyond what is on hand, every receipt's
    cost a whole multiple of its quantity in cents (unit costs are exact)."""
    entries = []
    on_hand = 0
    day = 0
    for number in range(1, draw(st.integers(min_value=1, max_value=14)) + 1):
        day += draw(st.integers(min_value=0, max_value=12))
        date = START + dt.timedelta(days=day)
        if on_hand and draw(st.booleans()):
            quantity = draw(st.integers(min_value=1, max_value=on_hand))
            entries.append(LedgerEntry(number, date, "sale", Decimal(-quantity)))
            on_hand -= quantity
        else:
            quantity = draw(st.integers(min_value=1, max_value=5))
            entries.append(LedgerEntry(number, date, "purchase", Decimal(quantity), draw(CENTS) * quantity))
            on_hand += quantity
    return Ledger("X", tuple(entries))


def naive_lifo(ledger: Ledger, period: str, by_date: bool) -> dict[int, Decimal]:
    """F&O's LIFO closes unit by unit: at each period's end the period's issues (in date order;
    under LIFO date the issues of one date last written first) each take, one unit at a time, the
    newest unit received by the close (LIFO date: the newest dated on or before the issue, else
    the nearest after it)."""
    end = period_end_function(period)
    units: list[tuple[dt.date, int, Decimal]] = []  # (date, receipt, unit cost), received and open
    issues = [e for e in ledger.entries if e.quantity < 0]
    result: dict[int, Decimal] = {}
    for close in sorted({end(e.date) for e in ledger.entries}):
        units.extend(
            (e.date, e.number, e.cost / e.quantity)
            for e in ledger.entries
            if e.quantity > 0 and end(e.date) == close
            for _ in range(int(e.quantity))
        )
        units.sort()
        closing = [e for e in issues if end(e.date) == close]
        closing.sort(key=(lambda e: (e.date, -e.number)) if by_date else (lambda e: (e.date, e.number)))
        for issue in closing:
            total = Decimal(0)
            for _ in range(int(-issue.quantity)):
                before = [u for u in units if u[0] <= issue.date] if by_date else units
                unit = before[-1] if before else min(u for u in units if u[0] > issue.date)
                units.remove(unit)
                total += unit[2]
            result[issue.number] = -total
    return result


@given(plain_ledgers(), st.sampled_from(("day", "week", "month")), st.sampled_from(("periodic-lifo", "lifo-date")))
def test_lifo_closes_match_naive_references(ledger, period, method):
    """docs/valuation.md, "The inventory close models": periodic-lifo and lifo-date settle as the
    unit-by-unit references of F&O's LIFO and LIFO date rules do."""
    item = valued(method, ledger, period)
    expected = naive_lifo(ledger, period, by_date=method == "lifo-date")
    assert {e.entry: e.cost_amount for e in item.entries if e.quantity < 0} == expected


def naive_weighted_average_date(ledger: Ledger) -> dict[int, Decimal]:
    """F&O's weighted average date day by day: each day's issues are valued at (value on hand at
    the day's start + the day's receipts) / (the same quantities), rounded with the residual
    carried from issue to issue (the amount multiplied out before it is divided, so that an exact
    amount stays exact), and what is left is the next day's start; a rounding residual
    left with nothing on hand goes to the day's issues (docs/valuation.md, "The weighted-average
    close")."""
    cent = Decimal("0.01")
    quantity = value_ = Decimal(0)
    result: dict[int, Decimal] = {}
    for day in sorted({e.date for e in ledger.entries}):
        todays = [e for e in ledger.entries if e.date == day]
        quantity += sum((e.quantity for e in todays if e.quantity > 0), Decimal(0))
        value_ += sum((e.cost for e in todays if e.quantity > 0), Decimal(0))
        issues = [e for e in todays if e.quantity < 0]
        cumulative = booked = Decimal(0)
        for issue in issues:  # value x cumulative quantity / quantity, the residual carried
            cumulative -= issue.quantity
            total = (value_ * cumulative / quantity).quantize(cent, ROUND_HALF_UP)
            result[issue.number] = booked - total
            booked = total
        quantity += sum((e.quantity for e in issues), Decimal(0))
        value_ -= booked
        if not quantity and value_ and issues:
            value_ -= _spread(issues, value_, result, cent)
    return result


def _spread(issues, amount: Decimal, result: dict[int, Decimal], cent: Decimal) -> Decimal:
    """Give ``amount`` to ``issues`` by quantity, rounding with the residual carried; returns it rounded."""
    total = -sum((e.quantity for e in issues), Decimal(0))
    cumulative = booked = Decimal(0)
    for issue in issues:
        cumulative -= issue.quantity
        share = (amount * cumulative / total).quantize(cent, ROUND_HALF_UP)
        result[issue.number] = result.get(issue.number, Decimal(0)) - (share - booked)
        booked = share
    return booked


@given(plain_ledgers(), st.sampled_from(("week", "month", "quarter")))
def test_weighted_average_date_matches_a_per_day_reference(ledger, period):
    """docs/valuation.md, "The inventory close models": weighted-average-date values each day's
    issues at that day's weighted average, whatever the average-cost period it closes."""
    item = valued("weighted-average-date", ledger, period)
    assert {e.entry: e.cost_amount for e in item.entries if e.quantity < 0} == naive_weighted_average_date(ledger)


@given(
    st.sampled_from(("weighted-average", "weighted-average-date", "periodic-lifo", "lifo-date")).flatmap(
        lambda m: st.tuples(st.just(m), featured_ledgers(m))
    ),
    st.sampled_from(("week", "month")),
    st.booleans(),
    st.data(),
)
def test_until_its_close_an_issue_shows_its_running_average(case, period, physical_value, data):
    """docs/valuation.md, "The inventory close models": valued as of a date inside a period, the
    issues of that period cost what they were posted at and carry no settlement; issues of
    closed periods cost their running average plus their adjustments."""
    method, ledger = case
    start = period_start_function(period)
    end = period_end_function(period)
    as_of = data.draw(st.sampled_from(sorted({e.date for e in ledger.entries})))
    item = valued(method, ledger, period, physical_value, as_of)
    for row in item.entries:
        if row.quantity > 0:
            continue
        moved = sum((a.amount for a in row.adjustments), Decimal(0))
        assert row.cost_amount == row.running_cost_amount + moved
        if start(row.date) == start(as_of) and end(as_of) > as_of:
            assert row.adjustments == () and row.cost_amount == row.running_cost_amount
