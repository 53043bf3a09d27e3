"""Production orders with actual cost, work in process and production variances
(docs/valuation.md, "Production orders"), and dated standard costs (docs/valuation.md,
"Standard costs by date").

The Business Central articles give the rules and one worked example with numbers (the bike
chain); the other cases are worked by hand in their docstrings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from costsheet.check import ledger_problems
from costsheet.model import CostKind
from costsheet.numbers import D
from costsheet.ruleset import load
from costsheet.standards import shares_from_breakdown, standard_cost_on
from costsheet.valuation import value

from .support import PRODUCTION_CHART

BASE = (
    PRODUCTION_CHART
    + """
condition material   M   "Plain material"   { direct 1110 overhead 1120 }
condition production P   "Plain production" { direct 1110 overhead 3100 }
condition capacity   C   "Plain capacity"   { direct 2110 overhead 2120 }
condition capacity   SUB "Subcontracting"   { direct 2130 overhead 2140 }
setup { default material M  default production P  default capacity C  default subcontract SUB }
vendor V "Paint shop"
"""
)


def valued(text: str, *, item=None, as_of=None):
    ruleset = load(BASE + text, file="t.cost")
    result, diagnostics = ruleset.value_with_diagnostics(item, as_of)
    assert not [d for d in diagnostics if d.is_error], diagnostics
    return result


def order_json(result, code: str) -> dict:
    return result.to_dict()["orders"][code]


def entry_cost(result, item: str, number: int) -> str:
    return str(result[item].entry(number).cost_amount)


# ---------------------------------------------------------------- Business Central's worked example

BIKE_CHAIN = """
workcenter WC "Chain assembly" { direct-unit-cost 2.00/min  indirect-cost 10% }
item LINK  "Link"  { unit-cost 1.00  overhead-rate 0.02  costing-method standard  standard-cost 1.00 }
item CHAIN "Chain" {
  replenishment prod-order  costing-method standard  standard-cost 150.00  overhead-rate 25.00
  bom     { LINK 150 }
  routing { 10 WC run 60min }
}
ledger LINK {
  2020-01-01 purchase    +150 cost 168.00    # steps 1-2: invoiced 165.00 direct + 3.00 indirect (150 x 0.02)
  2020-01-05 consumption -150 order MO1      # step 5
}
ledger CHAIN {
  2020-01-03 sale        -1                  # steps 3-4, before the chain is produced
  2020-01-05 capacity    WC 60min order MO1  # step 6
  2020-01-06 output      +1 order MO1        # steps 7-8
}
"""


def test_bike_chain_reconciliation_with_the_general_ledger():
    """BC "Design details: reconciliation with the general ledger", the bike chain
    (https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-reconciliation-with-the-general-ledger):
    LINK (standard 1.00, overhead rate 0.02) is bought, 150 links, invoiced at 165.00 direct
    plus 3.00 overhead: a purchase variance of 18.00.  CHAIN (standard 150.00, overhead rate
    25.00) consumes the 150 links at standard (150.00), uses a work center 60 minutes at 2.00
    with 10% indirect cost (120.00 + 12.00), takes 25.00 manufacturing overhead when the
    output is posted: actual cost 307.00, output at the standard 150.00, "a variance amount of
    LCY 157.00".  The chain sold before it was produced costs its standard, 150.00 (COGS).
    Step 9 (revaluing the chain to 140.00) is left out: the one chain is sold, so nothing is
    on hand to revalue (the article's own ambiguity).

    The article shows one variance account; the split by kind needs the chain's standard
    shares, which it does not give.  Here they come from the chain's single-level breakdown
    (docs/valuation.md, "Standard costs by date"): 150 links at 1.02 (1.00 + 0.02 overhead) =
    153.00 material, 120.00 capacity, 12.00 capacity overhead, 25.00 manufacturing overhead,
    310.00 in all, scaled to 150.00: 74.0322..., 58.0645..., 5.8064..., 12.0967...; the
    output's 150.00 split with the rounding carried from kind to kind: 74.03, 58.07, 5.80,
    12.10.  Variances: 75.97, 61.93, 6.20, 12.90, which add up to the article's 157.00.
    """
    result = valued(BIKE_CHAIN)
    assert [(v.kind, str(v.amount)) for v in result["LINK"].variances] == [("purchase", "18.00")]
    assert entry_cost(result, "LINK", 2) == "-150.00"
    order = order_json(result, "MO1")
    assert {k: order[k] for k in ("item", "consumption", "capacity", "overhead", "output", "wip")} == {
        "item": "CHAIN",
        "consumption": "150.00",
        "capacity": "120.00",
        "overhead": "37.00",
        "output": "150.00",
        "wip": "0.00",
    }
    assert order["costs"] == {
        "material": "150.00",
        "capacity": "120.00",
        "subcontracted": "0.00",
        "capacity-overhead": "12.00",
        "mfg-overhead": "25.00",
    }
    assert order["variances"] == [
        {"kind": "material", "amount": "75.97"},
        {"kind": "capacity", "amount": "61.93"},
        {"kind": "capacity-overhead", "amount": "6.20"},
        {"kind": "mfg-overhead", "amount": "12.90"},
    ]
    assert sum(v.amount for v in result.orders["MO1"].variances) == D("157.00")
    chain = result["CHAIN"]
    assert entry_cost(result, "CHAIN", 1) == "-150.00" and entry_cost(result, "CHAIN", 2) == "150.00"
    assert chain.quantity_on_hand == 0 and chain.inventory_value == 0
    assert chain.variances == ()  # production variances belong to the order, not to a purchase


def test_bike_chain_net_inventory_is_the_standard():
    """BC bike chain, "Checks": after step 8 the chain's inventory is 282 + 25 - 157 = 150, its
    standard: valued before the sale would have happened, the chain on hand is worth 150.00."""
    text = BIKE_CHAIN.replace(
        "  2020-01-03 sale        -1                  # steps 3-4, before the chain is produced\n", ""
    )
    result = valued(text)
    order = result.orders["MO1"]
    assert order.costs["material"] + order.costs["capacity"] + order.costs["capacity-overhead"] == D("282.00")
    assert order.actual == D("307.00")
    assert result["CHAIN"].inventory_value == D("150.00") == order.actual - sum(v.amount for v in order.variances)


# ---------------------------------------------------------------- Business Central's rules, worked by hand

PUTTING = """
workcenter WC "Assembly" { direct-unit-cost 60.00/h  indirect-cost 10%  overhead-rate 6.00/h }
item FELT  "Felt"  { unit-cost 20.00 }
item GREEN "Green" {
  replenishment prod-order  indirect-cost 5%  overhead-rate 1.00
  bom { FELT 1 }  routing { 10 WC run 30min }
}
ledger FELT {
  2024-01-01 purchase    +3 cost 60.00
  2024-01-02 consumption -2 order MO1
}
ledger GREEN {
  2024-01-02 capacity WC setup 15min run 45min order MO1
  2024-01-03 output   +1 order MO1
  2024-01-04 output   +1 order MO1
  2024-01-05 sale     -1
}
"""


def test_actual_cost_is_capitalised_and_work_in_process_until_output():
    """BC "Design details: production order posting"
    (https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-production-order-posting):
    WIP "increased by material consumption, capacity consumption and manufacturing overhead,
    decreased by output"; "in non-standard environments the actual cost is capitalized".
    Consumption 2 x 20.00 = 40.00; capacity 1 h at 60.00 = 60.00, with 10% indirect cost and
    6.00/h overhead rate = 12.00; manufacturing overhead when output is posted: (40 + 60 + 12)
    x 5% + 1.00 per unit x 2 = 7.60: actual 119.60, 59.80 a unit.  As of 2024-01-02 nothing is
    output yet: 112.00 is work in process (no manufacturing overhead); as of 2024-01-03 one
    unit is output and carries all of it (119.60 - 1.00 for the unit not output: 5.60 + 1.00)."""
    result = valued(PUTTING)
    order = order_json(result, "MO1")
    assert {k: order[k] for k in ("consumption", "capacity", "overhead", "output", "wip", "output_quantity")} == {
        "consumption": "40.00",
        "capacity": "60.00",
        "overhead": "19.60",
        "output": "119.60",
        "wip": "0.00",
        "output_quantity": "2",
    }
    assert order["costs"]["mfg-overhead"] == "7.60" and order["variances"] == []
    assert [entry_cost(result, "GREEN", n) for n in (1, 2, 3)] == ["59.80", "59.80", "-59.80"]
    assert result["GREEN"].inventory_value == D("59.80")

    early = order_json(valued(PUTTING, as_of=dt.date(2024, 1, 2)), "MO1")
    assert (early["output"], early["wip"], early["overhead"], early["costs"]["mfg-overhead"]) == (
        "0.00",
        "112.00",
        "12.00",
        "0.00",
    )
    one = valued(PUTTING, as_of=dt.date(2024, 1, 3))
    assert order_json(one, "MO1")["output"] == "118.60" and entry_cost(one, "GREEN", 1) == "118.60"
    assert "MO1" not in valued(PUTTING, as_of=dt.date(2023, 12, 31)).orders


def test_outputs_share_the_cost_by_quantity_with_the_rounding_carried():
    """The actual cost flows to the outputs by quantity: 100.00 over outputs of 1 and 2 units is
    33.33 and 66.67 (the second takes round(100 x 3/3) - 33.33), never a cent lost."""
    text = """
item K "Part" { unit-cost 1.00 }
item A "Made" { replenishment prod-order }
ledger K { 2026-01-01 purchase +1 cost 100.00  2026-01-02 consumption -1 order MO1 }
ledger A { 2026-01-03 output +1 order MO1  2026-01-04 output +2 order MO1 }
"""
    result = valued(text)
    assert [entry_cost(result, "A", n) for n in (1, 2)] == ["33.33", "66.67"]
    assert order_json(result, "MO1")["output"] == "100.00"


def test_variances_by_kind_with_declared_shares():
    """BC "Design details: variance"
    (https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-variance):
    "actual cost - standard cost = variance", one per cost component (BC "production order
    posting": raw materials, capacity, subcontractor, capacity overhead, manufacturing
    overhead).  S's standard from 2026-01-01 is 50.00: material 30.00, capacity 12.00,
    subcontracted 4.00, capacity overhead 2.00, manufacturing overhead 2.00.  Order MO1 makes 2:
    material 2 x 2 x 16.00 = 64.00, capacity 30 min at 20.00/h = 10.00 with 20% = 2.00, 1 h of
    subcontracting at 9.00/h = 9.00 (its condition has no overhead), manufacturing overhead 5%
    of (64 + 10 + 2 + 9) = 4.25.  Standard for 2 units: 60.00, 24.00, 8.00, 4.00, 4.00 = 100.00;
    variances 4.00, -14.00, 1.00, -2.00, 0.25 (89.25 actual, 10.75 under the standard)."""
    text = """
workcenter WC "Assembly"  { direct-unit-cost 20.00/h  indirect-cost 20% }
workcenter PAINT "Paint"  { direct-unit-cost 9.00/h  subcontractor V }
item K "Part" { unit-cost 16.00 }
item S "Standard set" {
  replenishment prod-order  costing-method standard  standard-cost 45.00  indirect-cost 5%
  bom { K 2 }
}
standard-cost S from 2026-01-01 50.00 shares {
  material 30.00  capacity 12.00  subcontracted 4.00  capacity-overhead 2.00  mfg-overhead 2.00
}
ledger K { 2026-01-01 purchase +4 cost 64.00  2026-01-02 consumption -4 order MO1 }
ledger S {
  2026-01-02 capacity WC    30min order MO1
  2026-01-02 capacity PAINT 1h    order MO1
  2026-01-03 output +2 order MO1
}
"""
    result = valued(text)
    order = order_json(result, "MO1")
    assert order["costs"] == {
        "material": "64.00",
        "capacity": "10.00",
        "subcontracted": "9.00",
        "capacity-overhead": "2.00",
        "mfg-overhead": "4.25",
    }
    assert (order["output"], order["wip"]) == ("100.00", "0.00")
    assert order["variances"] == [
        {"kind": "material", "amount": "4.00"},
        {"kind": "capacity", "amount": "-14.00"},
        {"kind": "subcontracted", "amount": "1.00"},
        {"kind": "capacity-overhead", "amount": "-2.00"},
        {"kind": "mfg-overhead", "amount": "0.25"},
    ]
    assert result["S"].inventory_value == D("100.00")


def test_a_later_charge_on_a_consumed_purchase_updates_the_variance():
    """BC "Design details: variance": "If the actual cost changes, for example, because you post
    an item charge on a later date, the variance updates accordingly."  The consumed entries
    count at their final, adjusted cost: a 4.00 charge on K's purchase after the order adds
    4.00 to the consumption and to the material variance."""
    text = """
item K "Part" { unit-cost 10.00 }
item S "Set" { replenishment prod-order  costing-method standard  standard-cost 20.00 }
standard-cost S from 2026-01-01 20.00 shares { material 20.00 }
ledger K {
  2026-01-01 purchase +2 cost 20.00
  2026-01-02 consumption -2 order MO1
  2026-02-01 charge 1 amount 4.00
}
ledger S { 2026-01-03 output +1 order MO1 }
"""
    before = order_json(valued(text, as_of=dt.date(2026, 1, 31)), "MO1")
    after = order_json(valued(text), "MO1")
    assert (before["consumption"], before["variances"]) == ("20.00", [])
    assert (after["consumption"], after["variances"]) == ("24.00", [{"kind": "material", "amount": "4.00"}])


def test_components_are_valued_before_the_items_made_from_them():
    """A subassembly's order output is the next order's consumption: TOP's ledger is written
    before SUB's and K's, and the items are still valued components first.  SUB: 3 x 2.00 +
    0.50 manufacturing overhead (overhead rate) = 6.50 a unit, 13.00 for 2; TOP consumes one SUB
    (FIFO, 6.50) and K (2.00): 8.50."""
    text = """
item K   "Part" { unit-cost 2.00 }
item SUB "Sub"  { replenishment prod-order  overhead-rate 0.50 }
item TOP "Top"  { replenishment prod-order }
ledger TOP { 2026-01-05 output +1 order MO2 }
ledger SUB {
  2026-01-03 output +2 order MO1
  2026-01-04 consumption -1 order MO2
}
ledger K {
  2026-01-01 purchase +7 cost 14.00
  2026-01-02 consumption -6 order MO1
  2026-01-04 consumption -1 order MO2
}
"""
    result = valued(text)
    assert order_json(result, "MO1")["output"] == "13.00"
    assert order_json(result, "MO2")["consumption"] == "8.50"
    assert entry_cost(result, "TOP", 1) == "8.50"
    only = valued(text, item="TOP")
    assert set(only.items) == {"TOP"} and set(only.orders) == {"MO2"}
    assert entry_cost(only, "TOP", 1) == "8.50"


def test_capacity_conditions_work_as_in_costing():
    """A capacity line is costed like a routing operation of one unit (docs/costing.md,
    "Produced and assembly items"): the resource's condition with `setup-only` lines on the
    setup part and percent lines on the direct cost.  The language examples' production
    order (tests/data/language/section12_production.cost; its capacity condition C-STD:
    4.50/h energy, 12.00/h setup crew setup-only, 15% maintenance, 20% shared tooling at
    50%): 40 min on WC-100 at 42.00/h is 28.00, overhead 3.00 + 0 + 4.20 +
    2.80 = 10.00; 15 min setup + 10 min run is 17.50, overhead 1.875 + 3.00 + 2.625 + 1.75 =
    9.25; with 20.00 of felt, MO1 costs 84.75 and so does PG's output."""
    from pathlib import Path

    ruleset = load(Path(__file__).parents[1] / "data" / "language" / "all.cost")
    result = ruleset.value()
    order = result.orders["MO1"]
    assert (order.consumption, order.capacity, order.overhead, order.output, order.wip) == (
        D("20.00"),
        D("45.50"),
        D("19.25"),
        D("84.75"),
        D("0.00"),
    )
    assert result["PG"].inventory_value == D("84.75")
    first = ruleset.value(as_of=dt.date(2024, 1, 2)).orders["MO1"]
    assert (first.capacity, first.overhead, first.output) == (D("28.00"), D("10.00"), D("58.00"))


def test_orders_under_item_location_variant():
    """Under `average-cost-calc item-location-variant` the consumed entries are found in any
    group of their item, and the output's group gets the order's cost."""
    text = """
setup { average-cost-calc item-location-variant }
item K "Part" { unit-cost 1.00 costing-method average }
item A "Made" { replenishment prod-order }
ledger K {
  2026-01-01 purchase +2 cost 10.00 location BLUE
  2026-01-01 purchase +2 cost 30.00 location RED
  2026-01-02 consumption -1 location RED order MO1
}
ledger A { 2026-01-03 output +1 location BLUE order MO1 }
"""
    result = valued(text)
    assert str(result["A|BLUE|"].inventory_value) == "15.00"
    assert order_json(result, "MO1")["consumption"] == "15.00"


# ---------------------------------------------------------------- dated standard costs

DATED = """
item ST "Standard item" { costing-method standard  standard-cost 10.00 }
standard-cost ST from 2020-04-15 12.00
ledger ST {
  2020-01-01 purchase +2 cost 20.00
  2020-04-15 purchase +1 cost 13.00
  2020-05-01 sale     -2
  2020-05-02 sale     -1
}
"""


def test_a_new_standard_values_later_receipts_without_revaluing():
    """The language examples' ST (docs/language.md, "Dated standard costs"): "the standard from
    this date on, no revaluation".  The two units received on 2020-01-01 stay at the old
    standard 10.00; the receipt on 2020-04-15 (`from` is inclusive) is valued at 12.00 with a
    purchase variance of 1.00; decreases take the value of the units they are applied to (FIFO):
    -20.00 for the old units, -12.00 for the new one."""
    result = valued(DATED)
    item = result["ST"]
    assert [str(e.cost_amount) for e in item.entries] == ["20.00", "12.00", "-20.00", "-12.00"]
    assert [(v.entry, str(v.amount)) for v in item.variances] == [(2, "1.00")]
    assert item.revaluations == ()
    on_hand = valued(DATED, as_of=dt.date(2020, 4, 30))["ST"]
    assert on_hand.inventory_value == D("32.00")  # 2 x 10.00 + 12.00: the old units are not revalued


def test_standard_cost_on_reads_the_newest_valid_declaration():
    """docs/valuation.md, "Standard costs by date": the newest declaration valid on the date
    (`from` inclusive), else the item's field; None with neither."""
    model = load(BASE + DATED + 'item NOSTD "No standard" { unit-cost 3.00 }\n', file="t.cost").model
    amounts = {
        day: standard_cost_on(model, "ST", dt.date.fromisoformat(day))[0].amount
        for day in ("2020-04-14", "2020-04-15", "2030-01-01")
    }
    assert amounts == {"2020-04-14": D("10.00"), "2020-04-15": D("12.00"), "2030-01-01": D("12.00")}
    field, _ = standard_cost_on(model, "ST", dt.date(2020, 1, 1))
    assert field.starting is None and dict(field.shares) == {
        CostKind.MATERIAL: D("10.00"),
        CostKind.CAPACITY: 0,
        CostKind.SUBCONTRACTED: 0,
        CostKind.CAPACITY_OVERHEAD: 0,
        CostKind.MFG_OVERHEAD: 0,
    }
    assert standard_cost_on(model, "NOSTD", dt.date(2020, 1, 1)) == (None, ())


def test_shares_without_a_declaration_are_the_single_level_breakdown():
    """BC "Design details: variance", the cost shares of a produced item: standard cost = SL
    material + SL capacity + SL subcontracted + SL capacity overhead + SL manufacturing overhead,
    SL capacity overhead = direct unit cost x indirect % + overhead rate, SL manufacturing
    overhead = (the other shares) x indirect % + overhead rate.  B: 2 K at 5.00 = 10.00
    material; 30 min at 12.00/h = 6.00 capacity, 25% = 1.50 capacity overhead; 15 min
    subcontracted at 8.00/h = 2.00; (10 + 6 + 1.50 + 2) x 10% + 0.05 = 2.00 manufacturing
    overhead: 21.50.  Declared at 21.50 the shares are exactly those; declared at 43.00 they
    are twice those."""
    text = """
workcenter WC    "Assembly" { direct-unit-cost 12.00/h  indirect-cost 25% }
workcenter PAINT "Paint"    { direct-unit-cost 8.00/h  subcontractor V }
item K "Part" { unit-cost 5.00 }
item B "Made" {
  replenishment prod-order  costing-method standard  standard-cost 21.50  indirect-cost 10%  overhead-rate 0.05
  bom { K 2 }  routing { 10 WC run 30min  20 PAINT run 15min }
}
standard-cost B from 2026-01-01 43.00
"""
    model = load(BASE + text, file="t.cost").model
    same, _ = standard_cost_on(model, "B", dt.date(2025, 6, 1))
    assert [same.shares[k] for k in CostKind] == [D(10), D(6), D(2), D("1.5"), D(2)]
    double, _ = standard_cost_on(model, "B", dt.date(2026, 6, 1))
    assert double.starting == dt.date(2026, 1, 1) and not double.declared
    assert [double.shares[k] for k in CostKind] == [D(20), D(12), D(4), D(3), D(4)]


def test_scaled_shares_add_up_exactly():
    """Shares scaled from a breakdown are cut at 20 decimal places; the rounding left goes to
    the largest share, so they add up to the standard cost exactly.  A breakdown of 0 puts
    everything in material."""
    groups = {"1110": "material", "2110": "capacity", "3100": "mfg-overhead"}
    from costsheet.model import CostGroup

    groups = {code: CostGroup(group) for code, group in groups.items()}
    shares = shares_from_breakdown({"1110": D(1), "2110": D(1), "3100": D(1)}, groups, D("10.00"))
    assert sum(shares.values()) == D("10.00") and shares[CostKind.MATERIAL] == D("3.33333333333333333334")
    assert shares_from_breakdown({"1110": D(0)}, groups, D(7))[CostKind.MATERIAL] == 7


def test_standard_output_before_the_first_dated_standard_is_an_error():
    """A standard item without a `standard-cost` field needs a dated standard on or before each
    receipt (output included)."""
    from costsheet.ruleset import analyze

    text = (
        BASE
        + """
item K "Part" { unit-cost 1.00 }
item S "Set" { replenishment prod-order  costing-method standard }
standard-cost S from 2026-02-01 5.00
ledger K { 2026-01-01 purchase +1 cost 1.00  2026-01-02 consumption -1 order MO1 }
ledger S { 2026-01-03 output +1 order MO1 }
"""
    )
    diagnostics = analyze(text, file="t.cost")[1]
    assert [d.code for d in diagnostics] == ["standard-cost-missing"]
    assert "before the item's first standard cost (from 2026-02-01)" in diagnostics[0].message


# ---------------------------------------------------------------- models built in code


def test_a_model_built_in_code_gets_the_same_diagnostics():
    """A model that did not come through the checker: the ledger rules over it
    (:func:`costsheet.check.ledger_problems`) give the checker's diagnostics, the rules of
    orders included; value() trusts the model, and a capacity line on an unknown resource is a
    located error at valuation, which leaves out the item and, with `order-component-failed`,
    the items made from it."""
    model = load(
        BASE
        + """
workcenter WC "Assembly" { direct-unit-cost 60.00/h }
item K "Part" { unit-cost 1.00 }
item A "Made" { replenishment prod-order }
item B "Top" { replenishment prod-order }
ledger K { 2026-01-01 purchase +1 cost 1.00  2026-01-02 consumption -1 order MO1 }
ledger A { 2026-01-02 capacity WC 1h order MO1  2026-01-03 output +1 order MO1
           2026-01-04 consumption -1 order MO2 }
ledger B { 2026-01-04 capacity WC 1h order MO2  2026-01-05 output +1 order MO2 }
""",
        file="t.cost",
    ).model
    assert ledger_problems(model) == ()
    ledger = model.ledgers["A"]
    renamed = attrs.evolve(ledger, capacities=(attrs.evolve(ledger.capacities[0], resource="NOPE"),))
    result, diagnostics = value(attrs.evolve(model, ledgers={**model.ledgers, "A": renamed}))
    assert [d.code for d in diagnostics] == ["unknown-resource", "order-component-failed"]
    assert diagnostics[0].span == ledger.capacities[0].span
    assert set(result.items) == {"K"}
    broken = attrs.evolve(
        model.ledgers["K"],
        entries=(
            attrs.evolve(model.ledgers["K"].entries[0], quantity=Decimal(0)),
            attrs.evolve(model.ledgers["K"].entries[1], type="sale"),
        ),
    )
    found = ledger_problems(attrs.evolve(model, ledgers={**model.ledgers, "K": broken}))
    assert [d.code for d in found] == ["zero-quantity", "order-entry-type"]


def test_shares_from_a_breakdown_that_cannot_be_costed():
    """A standard item's output needs its standard's shares; without declared shares they come
    from the costing, and when the item cannot be costed the costing's error comes with
    `standard-shares-not-costed` at the output (never a traceback), and the item is not valued."""
    ruleset = load(
        BASE
        + """
item K "Part" { vendor V cost-base direct-unit-cost }
price K vendor V from 2030-01-01 unit-cost 1.00
item S "Set" { replenishment prod-order  costing-method standard  standard-cost 5.00  bom { K 1 } }
ledger K { 2026-01-01 purchase +1 cost 1.00  2026-01-02 consumption -1 order MO1 }
ledger S { 2026-01-03 output +1 order MO1 }
""",
        file="t.cost",
    )
    result, diagnostics = ruleset.value_with_diagnostics()
    assert [d.code for d in diagnostics] == ["no-valid-price", "component-failed", "standard-shares-not-costed"]
    assert diagnostics[-1].span.line == BASE.count("\n") + 6
    assert "S" not in result.items and "MO1" not in result.orders


@pytest.mark.parametrize("as_of", [None, dt.date(2026, 1, 2)])
def test_an_order_only_consumption_names_is_work_in_process(as_of):
    """An order no output or capacity line names yet: its item is unknown, its consumption is
    work in process (with the warning `order-without-item`, once: the valuation does not
    repeat a warning the checker gave)."""
    ruleset = load(
        BASE
        + """
item K "Part" { unit-cost 1.00 }
ledger K { 2026-01-01 purchase +3 cost 6.00  2026-01-02 consumption -2 order MO9 }
""",
        file="t.cost",
    )
    result, diagnostics = ruleset.value_with_diagnostics(as_of=as_of)
    assert [d.code for d in diagnostics] == ["order-without-item"]
    assert result.to_dict()["orders"]["MO9"] == {
        "item": None,
        "consumption": "4.00",
        "capacity": "0.00",
        "overhead": "0.00",
        "output": "0.00",
        "wip": "4.00",
        "variances": [],
        "output_quantity": "0",
        "costs": {
            "material": "4.00",
            "capacity": "0.00",
            "subcontracted": "0.00",
            "capacity-overhead": "0.00",
            "mfg-overhead": "0.00",
        },
    }
