"""Properties over random ledgers (hypothesis): nothing is lost, FIFO/LIFO match a naive
reference, and an average lies between the unit costs it averages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from costsheet.model import Charge, Item, Ledger, LedgerEntry, Model, Revaluation, Setup, frozen_map
from costsheet.numbers import D
from costsheet.valuation import value

from .support import PRODUCTION_CHART

METHODS = (
    "fifo",
    "lifo",
    "average",
    "moving-average",
    "weighted-average",
    "specific",
    "standard",
    "periodic-lifo",
    "lifo-date",
    "weighted-average-date",
)
PER_ITEM_REVALUATION = ("average", "moving-average", "weighted-average", "weighted-average-date")
START = dt.date(2024, 1, 1)
CENTS = st.integers(min_value=0, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def ledgers(draw, method: str, extras: bool = True, negative: bool = True, even: bool = False):
    """A random ledger; ``extras`` adds charges, revaluations and fixed applications,
    ``negative`` allows decreases beyond the quantity on hand, ``even`` makes every cost an
    exact multiple of its quantity (no rounding in the shares)."""
    entries, charges, revaluations = [], [], []
    increases: list[LedgerEntry] = []
    capacity: dict[int, int] = {}  # quantity still free for fixed application
    on_hand = 0
    sequence = 0
    day = 0
    for _ in range(draw(st.integers(min_value=1, max_value=14))):
        sequence += 1
        day += draw(st.integers(min_value=-3 if extras else 0, max_value=10))
        date = START + dt.timedelta(days=max(day, 0))
        roll = draw(st.integers(0, 9))
        if increases and extras and roll == 0:
            target = draw(st.sampled_from(increases))
            charges.append(Charge(date, target.number, draw(CENTS), sequence))
            continue
        if increases and extras and roll == 1:
            entry = (
                None
                if method in PER_ITEM_REVALUATION or draw(st.booleans())
                else draw(st.sampled_from(increases)).number
            )
            revaluations.append(Revaluation(date, draw(CENTS), entry, sequence))
            continue
        number = len(entries) + 1
        wants_decrease = increases and roll >= 6 and (negative or on_hand > 0)
        if not wants_decrease:
            quantity = draw(st.integers(min_value=1, max_value=6))
            cost = draw(CENTS) * quantity if even else draw(CENTS)
            entry = LedgerEntry(number, date, "purchase", Decimal(quantity), cost)
            increases.append(entry)
            capacity[number] = quantity
            on_hand += quantity
        else:
            most = 6 if negative else on_hand
            quantity = draw(st.integers(min_value=1, max_value=most))
            applies_to = None
            if method == "specific" or (extras and draw(st.integers(0, 4)) == 0):
                fitting = [i for i in increases if capacity[i.number] >= quantity]
                if not fitting and method == "specific":
                    quantity = 1
                    fitting = [i for i in increases if capacity[i.number] >= quantity]
                if fitting:
                    applies_to = draw(st.sampled_from(fitting)).number
                    capacity[applies_to] -= quantity
                elif method == "specific":  # nothing left to apply to: no decrease this time
                    sequence -= 1
                    continue
            entry = LedgerEntry(number, date, "sale", Decimal(-quantity), None, applies_to=applies_to)
            on_hand -= quantity
        entries.append(entry)
    return Ledger("X", tuple(entries), tuple(charges), tuple(revaluations))


def build(method: str, ledger: Ledger, period: str = "week") -> Model:
    item = Item("X", costing_method=method, standard_cost=D("12.34") if method == "standard" else None)
    return Model(
        setup=Setup(average_cost_period=period), items=frozen_map({"X": item}), ledgers=frozen_map({"X": ledger})
    )


def valued(method: str, ledger: Ledger, period: str = "week", as_of: dt.date | None = None):
    result, diagnostics = value(build(method, ledger, period), as_of=as_of)
    assert not [d for d in diagnostics if d.is_error], diagnostics
    return result["X"]


def assert_conserved(item, ledger: Ledger, as_of: dt.date | None = None) -> None:
    """Value on hand + decreases + variances + rounding = increases + charges + revaluations,
    counting only what is dated on or before ``as_of``."""
    kept = {e.number: e for e in ledger.entries if as_of is None or e.date <= as_of}
    decreases = sum((e.cost_amount for e in item.entries if e.quantity < 0), Decimal(0))
    rounding = sum((r.amount for r in item.rounding), Decimal(0))
    variances = sum((v.amount for v in item.variances), Decimal(0))
    left = item.inventory_value - decreases - rounding + variances
    costs = sum((e.cost for e in kept.values() if e.quantity > 0 and e.cost is not None), Decimal(0))
    charges = sum(
        (c.amount for c in ledger.charges if c.entry in kept and (as_of is None or c.date <= as_of)), Decimal(0)
    )
    revaluations = sum((r.amount for r in item.revaluations), Decimal(0))
    assert left == costs + charges + revaluations
    assert item.quantity_on_hand == sum((e.quantity for e in kept.values()), Decimal(0))


@given(
    st.sampled_from(METHODS).flatmap(lambda m: st.tuples(st.just(m), ledgers(m))),
    st.sampled_from(("day", "week", "month")),
)
def test_nothing_is_lost(case, period):
    """docs/valuation.md, "The methods": value on hand + decreases' values + variances + rounding =
    increases' values + charges + revaluations (decreases and rounding counted as outflows),
    and an item with nothing on hand is worth nothing."""
    method, ledger = case
    item = valued(method, ledger, period)
    assert_conserved(item, ledger)
    if item.quantity_on_hand == 0 and not (method == "average" and _crosses(ledger, period)):
        assert item.inventory_value == 0


@given(ledgers("weighted-average"), st.sampled_from(("day", "week", "month")), st.data())
def test_weighted_average_nothing_on_hand_is_worth_nothing_after_every_close(ledger, period, data):
    """Weighted-average inventory close (docs/valuation.md): valued as of the last day of any
    period of the ledger (that period is closed), quantity on hand 0 means inventory value 0
    (late charges and marked issues across periods included); valued as of any date, nothing
    is lost."""
    from costsheet.valuation.periods import period_end_function

    end = period_end_function(period)
    dates = sorted({line.date for line in (*ledger.entries, *ledger.charges, *ledger.revaluations)})
    for as_of in (None, *data.draw(st.lists(st.sampled_from(dates), max_size=3, unique=True))):
        closed = end(as_of) if as_of is not None else None
        for when in (as_of, closed):
            item = valued("weighted-average", ledger, period, when)
            assert_conserved(item, ledger, when)
        if item.quantity_on_hand == 0:
            assert item.inventory_value == 0, closed


def test_charge_dated_before_its_receipts_period_is_kept_while_that_period_is_open():
    """The shrunk counterexample of the property above: a 0.01 charge dated Sunday 2024-01-07 on a
    receipt of Monday 2024-01-08 counts in the receipt's week; valued as of 2024-01-08 (the first
    week closed, the second open) the close models lost it from the running average (on hand 0.00,
    the receipt worth 0.01).  Every method, as of every date of the ledger."""
    day = dt.date(2024, 1, 8)
    ledger = Ledger(
        "X",
        (
            LedgerEntry(1, START, "purchase", Decimal(1), D("0.00")),
            LedgerEntry(2, day, "purchase", Decimal(1), D("0.00")),
        ),
        (Charge(day - dt.timedelta(days=1), 2, D("0.01"), 3),),
        (Revaluation(day - dt.timedelta(days=1), D("0.00"), None, 4),),
    )
    for method in METHODS:
        for as_of in (None, START, day - dt.timedelta(days=1), day):
            item = valued(method, ledger, "week", as_of)
            assert_conserved(item, ledger, as_of)


def _crosses(ledger: Ledger, period: str) -> bool:
    """A fixed application in a later average-cost period than its increase (see periodic.py):
    Business Central's average keeps the quantity-value mismatch; weighted-average settles it."""
    from costsheet.valuation.periods import period_start_function

    start = period_start_function(period)
    by_number = {e.number: e for e in ledger.entries}
    return any(
        e.applies_to is not None and start(by_number[e.applies_to].date) != start(e.date) for e in ledger.entries
    )


def naive(ledger: Ledger, newest_first: bool) -> dict[int, Decimal]:
    """One unit at a time: each decrease takes the oldest (newest) open unit by (date, entry)."""
    units: list[tuple[dt.date, int, Decimal]] = []
    result = {}
    for entry in ledger.entries:
        if entry.quantity > 0:
            unit = entry.cost / entry.quantity
            units.extend((entry.date, entry.number, unit) for _ in range(int(entry.quantity)))
            units.sort(key=lambda u: (u[0], u[1]))
        else:
            total = Decimal(0)
            for _ in range(int(-entry.quantity)):
                total += units.pop(-1 if newest_first else 0)[2]
            result[entry.number] = -total
    return result


@given(
    st.sampled_from(("fifo", "lifo")).flatmap(
        lambda m: st.tuples(st.just(m), ledgers(m, extras=False, negative=False, even=True))
    )
)
def test_fifo_lifo_match_naive_reference(case):
    """FIFO and LIFO agree with a unit-by-unit reference on small random ledgers."""
    method, ledger = case
    item = valued(method, ledger)
    expected = naive(ledger, newest_first=method == "lifo")
    assert {e.entry: e.cost_amount for e in item.entries if e.quantity < 0} == expected


@given(ledgers("average", extras=False, negative=False), st.sampled_from(("day", "week", "month", "year")))
def test_average_between_unit_costs(ledger, period):
    """Business Central's periodic average: every decrease's unit cost lies between the smallest
    and largest unit cost of the increases it averages (those dated up to the end of its
    period), give or take the rounding of one amount."""
    from costsheet.valuation.periods import period_start_function

    start = period_start_function(period)
    item = valued("average", ledger, period)
    for entry in item.entries:
        if entry.quantity > 0:
            continue
        units = [i.cost / i.quantity for i in ledger.entries if i.quantity > 0 and start(i.date) <= start(entry.date)]
        unit = -entry.cost_amount / -entry.quantity
        slack = Decimal("0.01") / -entry.quantity
        assert min(units) - slack <= unit <= max(units) + slack


# ---------------------------------------------------------------- production orders

#: the master data of the random production ledgers: capacity and production conditions with
#: amount, percent, setup-only and row lines, a subcontracted work center
PRODUCTION_BASE = (
    PRODUCTION_CHART
    + """
condition material   M   "Plain material" { direct 1110 overhead 1120 }
condition production P   "Production" {
  direct 1110 overhead 3100
  line 3100 "Tooling"   percent 3.7
  line 3100 "Checks"    amount 0.33
  line 1110 "Packaging" amount 0.19
}
condition capacity   C   "Machine hours" {
  direct 2110 overhead 2120
  line 2120 "Energy"      amount 4.37
  line 2120 "Setup crew"  amount 11.00 setup-only
  line 2120 "Maintenance" percent 13
  line 2120 "Tooling"     percent 20 allocation 33%
}
condition capacity   SUB "Subcontracting" { direct 2130 overhead 2140  line 2140 "Freight" percent 7 }
setup { default material M  default production P  default capacity C  default subcontract SUB }
vendor V "Paint shop"
workcenter WC    "Assembly" { direct-unit-cost 41.00/h }
workcenter PAINT "Paint"    { direct-unit-cost 0.37/min  subcontractor V }
item K "Part" { unit-cost 3.00 }
item A "Made" {
  replenishment prod-order  standard-cost 23.45  bom { K 2 }  routing { 10 WC run 7min  20 PAINT run 3min }
}
"""
)
PRODUCED_METHODS = ("fifo", "lifo", "average", "moving-average", "weighted-average", "standard")
ORDERS = ("MO1", "MO2", "MO3")


@st.composite
def production_ledgers(draw):
    """A component K and an item A made from it by up to three orders: K's purchases, charges and
    consumption, A's capacity lines, outputs and sales, in random methods; A's standard cost may
    change on a random date, with declared shares or from the costing breakdown."""
    from costsheet.model import CapacityUse, CostKind, StandardCostLine

    k_entries, k_charges, a_entries, capacities = [], [], [], []
    k_line = a_line = 0
    day = 0
    purchases: list[LedgerEntry] = []
    for _ in range(draw(st.integers(min_value=1, max_value=16))):
        day += draw(st.integers(min_value=0, max_value=4))
        date = START + dt.timedelta(days=day)
        roll = draw(st.integers(0, 9))
        order = draw(st.sampled_from(ORDERS))
        if roll <= 2 or not purchases:
            k_line += 1
            entry = LedgerEntry(len(k_entries) + 1, date, "purchase", Decimal(draw(st.integers(1, 6))), draw(CENTS))
            k_entries.append(entry)
            purchases.append(entry)
        elif roll == 3:
            k_line += 1
            k_charges.append(Charge(date, draw(st.sampled_from(purchases)).number, draw(CENTS), k_line))
        elif roll <= 5:
            k_line += 1
            k_entries.append(
                LedgerEntry(len(k_entries) + 1, date, "consumption", -Decimal(draw(st.integers(1, 4))), order=order)
            )
        elif roll <= 7:
            a_line += 1
            minutes = st.integers(0, 90).map(lambda m: Decimal(m * 60))
            capacities.append(
                CapacityUse(date, draw(st.sampled_from(("WC", "PAINT"))), order, draw(minutes), draw(minutes), a_line)
            )
        elif roll == 8:
            a_line += 1
            a_entries.append(
                LedgerEntry(len(a_entries) + 1, date, "output", Decimal(draw(st.integers(1, 3))), order=order)
            )
        else:
            a_line += 1
            a_entries.append(LedgerEntry(len(a_entries) + 1, date, "sale", -Decimal(draw(st.integers(1, 3)))))
    standards = ()
    if draw(st.booleans()):
        starting = START + dt.timedelta(days=draw(st.integers(0, max(day, 0))))
        shares = None
        if draw(st.booleans()):
            parts = draw(st.lists(CENTS, min_size=5, max_size=5))
            shares = dict(zip(CostKind, parts, strict=True))
        amount = sum(shares.values(), Decimal(0)) if shares else draw(CENTS)
        standards = (StandardCostLine("A", starting, amount, shares and frozen_map(shares)),)
    methods = (draw(st.sampled_from(PRODUCED_METHODS)), draw(st.sampled_from(PRODUCED_METHODS)))
    ledgers = {
        "K": Ledger("K", tuple(k_entries), tuple(k_charges)),
        "A": Ledger("A", tuple(a_entries), capacities=tuple(capacities)),
    }
    return methods, ledgers, standards, draw(st.sampled_from((None, *sorted({e.date for e in k_entries}))))


_BASE_MODEL: list[Model] = []


def production_model(methods, ledgers, standards) -> Model:
    import attrs

    from costsheet.ruleset import load

    if not _BASE_MODEL:
        _BASE_MODEL.append(load(PRODUCTION_BASE, file="production.cost").model)
    base = _BASE_MODEL[0]
    items = {
        "K": attrs.evolve(base.items["K"], costing_method=methods[0], standard_cost=D("2.97")),
        "A": attrs.evolve(base.items["A"], costing_method=methods[1]),
    }
    return attrs.evolve(
        base,
        items=frozen_map(items),
        ledgers=frozen_map(ledgers),
        standard_costs=standards,
        setup=attrs.evolve(base.setup, average_cost_period="week"),
    )


@given(production_ledgers())
def test_nothing_is_lost_with_production_orders(case):
    """docs/valuation.md, "Production orders": for every order, consumption + capacity +
    overhead = output + work in process + production variances, exactly; what an order
    consumed is what its consumption entries cost; the component and the produced item each
    conserve their value (value on hand + decreases + variances + rounding = increases +
    charges + revaluations, the produced item's increases being what its orders' outputs
    carry); and so the whole: purchases + charges + capacity + overhead = on hand + sales +
    work in process + every variance + rounding."""
    methods, ledgers, standards, as_of = case
    result, diagnostics = value(production_model(methods, ledgers, standards), as_of=as_of)
    assert not [d for d in diagnostics if d.is_error], diagnostics
    component, made = result["K"], result["A"]
    kept = {e.number for e in ledgers["K"].entries if as_of is None or e.date <= as_of}
    for code, order in result.orders.items():
        variances = sum((v.amount for v in order.variances), Decimal(0))
        assert order.consumption + order.capacity + order.overhead == order.output + order.wip + variances
        assert order.consumption == -sum(
            (
                e.cost_amount
                for e in component.entries
                if e.type == "consumption" and ledgers["K"].entries[e.entry - 1].order == code and e.entry in kept
            ),
            Decimal(0),
        )
        outputs = [e for e in made.entries if e.type == "output" and ledgers["A"].entries[e.entry - 1].order == code]
        if methods[1] != "moving-average":  # which books an output that meets a negative quantity as a variance
            assert order.output == sum((e.cost_amount for e in outputs), Decimal(0))
        assert order.output_quantity == sum((e.quantity for e in outputs), Decimal(0))
        if order.output_quantity:
            assert order.wip == 0
        else:
            assert order.output == 0 and order.variances == ()
    assert_conserved(component, ledgers["K"], as_of)
    left = (
        made.inventory_value
        - sum((e.cost_amount for e in made.entries if e.quantity < 0), Decimal(0))
        - sum((r.amount for r in made.rounding), Decimal(0))
        + sum((v.amount for v in made.variances), Decimal(0))
    )
    outputs = sum((o.output for o in result.orders.values()), Decimal(0))
    assert left == outputs + sum((r.amount for r in made.revaluations), Decimal(0))

    # the whole: what came in = where it is now
    def total(values):
        return sum(values, Decimal(0))

    came_in = (
        total(e.cost for e in ledgers["K"].entries if e.quantity > 0 and e.number in kept)
        + total(c.amount for c in ledgers["K"].charges if c.entry in kept and (as_of is None or c.date <= as_of))
        + total(o.capacity + o.overhead for o in result.orders.values())
        + total(r.amount for item in (component, made) for r in item.revaluations)
    )
    sales = -total(e.cost_amount for e in made.entries if e.quantity < 0)
    variances = total(v.amount for item in (component, made) for v in item.variances) + total(
        v.amount for o in result.orders.values() for v in o.variances
    )
    rounding = total(r.amount for item in (component, made) for r in item.rounding)
    assert (
        came_in
        == component.inventory_value
        + made.inventory_value
        + sales
        + total(o.wip for o in result.orders.values())
        + variances
        - rounding
    )
