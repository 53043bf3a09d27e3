"""By-products and co-products (docs/costing.md, "By-products and co-products").

The section-14 example (tests/data/realism/section14.cost) by hand, on 2026-06-01:

- SPOKE: 11.00 USD per BOX (a lot of 1 PCS is 0.01 BOX, below the 2-BOX line), 0.11 USD per PCS,
  x 1.0850 = 0.11935 EUR; the phantom WHEELSET's 0.36 BOX is 36 PCS = 4.2966.
- material: FRAME 40.00 + 2 x (RIM 5.00 + 4.2966) = 58.5932 on element 100;
- capacity: 30.00/h x (setup 30min / lot 1 + run 12min + 2 x WHEELSET's 6min) = 30 x 0.9 h = 27.00 on 200;
- no overhead (P0 has no lines, BIKE no indirect cost): gross 85.5932;
- by-product SCRAP-AL: 0.25 x its own cost 1.20 = 0.30 off element 100: 85.2932;
- co-product BIKE-KIT: 10%, element by element: 100: 5.82932, 200: 2.70, in all 8.52932 per unit
  of BIKE, and per BIKE-KIT (quantity 1) the same;
- BIKE keeps 100: 58.2932 - 5.82932 = 52.46388, 200: 24.30, unit cost 76.76388.

On 2026-07-01 the dated BOM adds LAMP 4.00 and the rate is 1.1000: SPOKE 0.121, 36 PCS = 4.356;
material 40 + 2 x 9.356 + 4 = 62.712; gross 89.712; credit 0.30: 89.412; BIKE-KIT 8.9412;
BIKE keeps 80.4708.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costsheet.costing import build_result, calculate, plan_program
from costsheet.costing.rollup import Calculator
from costsheet.costing.scale import QUANTUM
from costsheet.numbers import CONTEXT, D

from .support import CHART, cost, diagnose, load, total

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "realism" / "section14.cost"
BEFORE, AFTER = dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def _example():
    return costsheet.load(EXAMPLE.read_text(), file=str(EXAMPLE))


def test_the_section14_bike_before_the_new_bom_and_rate():
    bike = _example().calculate("BIKE", date=BEFORE)
    assert bike.unit_cost == D("76.76388")
    assert bike.rolled_up["100"] == bike.single_level["100"] == D("52.46388")
    assert bike.rolled_up["200"] == bike.single_level["200"] == D("24.30")
    (scrap,) = bike.byproducts
    assert (scrap.item, scrap.quantity, scrap.value, scrap.valued_at, scrap.credit) == (
        "SCRAP-AL",
        D("0.25"),
        D("1.20"),
        "cost",
        D("0.30"),
    )
    (kit,) = bike.coproducts
    assert (kit.producer, kit.item, kit.share, kit.amount, kit.unit_cost) == (
        "BIKE",
        "BIKE-KIT",
        D("10"),
        D("8.52932"),
        D("8.52932"),
    )
    assert bike.coproduct_of is None and bike.bom_version == "undated"
    assert scrap.element == "100" and scrap.to_dict()["element"] == "100"  # P0's direct element


def test_the_section14_kit_takes_ten_percent_of_the_bike_element_by_element():
    kit = _example().calculate("BIKE-KIT", date=BEFORE)
    assert kit.unit_cost == D("8.52932")
    assert kit.rolled_up["100"] == kit.single_level["100"] == D("5.82932")
    assert kit.rolled_up["200"] == kit.single_level["200"] == D("2.70")
    data = kit.to_dict()["coproduct_of"]
    assert data == {
        "producer": "BIKE",
        "item": "BIKE-KIT",
        "quantity": "1",
        "share": "10",
        "amount": data["amount"],
        "unit_cost": data["unit_cost"],
        "elements": data["elements"],
    }
    assert D(data["amount"]) == D(data["unit_cost"]) == D("8.52932")
    assert {code: D(amount) for code, amount in data["elements"].items()} == {"100": D("5.82932"), "200": D("2.70")}


def test_the_section14_bike_after_the_new_bom_and_rate():
    ruleset = _example()
    bike = ruleset.calculate("BIKE", date=AFTER)
    assert bike.bom_version == "2026-07-01"
    assert bike.unit_cost == D("80.4708")
    assert bike.byproducts[0].credit == D("0.30")
    assert ruleset.calculate("BIKE-KIT", date=AFTER).unit_cost == D("8.9412")


def test_explain_and_the_costing_bom_show_the_credit_and_the_shares_as_lines_of_their_own():
    result, diagnostics = calculate(_example().model, "BIKE", date=BEFORE, explain=True)
    assert not diagnostics and result is not None
    steps = [(s.item, s.element, s.amount, s.source) for s in result.explain if s.item == "BIKE"]
    assert ("BIKE", "100", D("-0.30"), "by-product SCRAP-AL") in steps
    assert ("BIKE", "100", D("-5.82932"), "co-product BIKE-KIT") in steps
    assert ("BIKE", "200", D("-2.70"), "co-product BIKE-KIT") in steps
    on_elements = [s.amount for s in result.explain if s.item == "BIKE" and s.element]
    assert total(dict(enumerate(on_elements))) == result.unit_cost
    node = result.to_dict()["bom"]["nodes"]["BIKE"]
    assert node["byproducts"][0]["item"] == "SCRAP-AL" and D(node["byproducts"][0]["credit"]) == D("0.30")
    assert node["coproducts"][0]["item"] == "BIKE-KIT"


PLANT = """
workcenter WC "Work" {{ direct-unit-cost 60.00/h }}
condition production P10 "Ten percent" {{ direct 1110 overhead 3100  line "Overhead" percent 10 }}
item ORE "Ore" {{ unit-cost 20.00 }}
item SLAG "Slag" {{ replenishment prod-order  routing {{ 10 WC run 1min }} }}
item METAL "Metal" {{
  replenishment prod-order  condition production P10
  bom {{ ORE 1 }}
  routing {{ 10 WC run 10min }}
  byproduct SLAG 2{value}
  coproduct DUST 3 share 30%
  coproduct GRIT 1 share 20%
}}
item DUST "Dust" {{ replenishment prod-order }}
item GRIT "Grit" {{ replenishment prod-order }}
"""


def test_the_overhead_base_stays_gross_and_a_produced_by_product_is_costed_first():
    """METAL: ORE 20.00 + 10min at 60/h = 10.00; overhead 10% of 30.00 = 3.00 (gross: the credit
    comes after); SLAG is produced (1min at 60/h = 1.00), so it is costed first: the credit is
    2 x 1.00 = 2.00 off 1110: 31.00.  DUST takes 30% = 9.30 per METAL, 3.10 per DUST; GRIT 20% =
    6.20; METAL keeps 50% = 15.50 (1110: 9.00, 2110: 5.00, 3100: 1.50)."""
    metal = cost(PLANT.format(value=""), "METAL")
    assert metal.unit_cost == D("15.50")
    assert (metal.rolled_up["1110"], metal.rolled_up["2110"], metal.rolled_up["3100"]) == (
        D("9.00"),
        D("5.00"),
        D("1.50"),
    )
    assert total(metal.single_level) == total(metal.rolled_up) == metal.unit_cost
    assert metal.byproducts[0].value == D("1.00") and metal.byproducts[0].credit == D("2.00")
    dust = cost(PLANT.format(value=""), "DUST")
    assert dust.unit_cost == D("3.10") and dust.coproduct_of is not None
    assert dust.coproduct_of.amount == D("9.30") and dust.coproduct_of.producer == "METAL"
    assert cost(PLANT.format(value=""), "GRIT").unit_cost == D("6.20")


def test_a_by_product_with_a_value_is_credited_at_the_value():
    """As above with `value 0.25`: credit 2 x 0.25 = 0.50, 33.00 - 0.50 = 32.50; METAL keeps half: 16.25."""
    metal = cost(PLANT.format(value=" value 0.25"), "METAL")
    assert metal.byproducts[0].valued_at == "value" and metal.byproducts[0].credit == D("0.50")
    assert metal.unit_cost == D("16.25")


def test_a_failing_by_product_fails_its_producer_and_names_the_line():
    """SLAG has no price valid on the date: METAL, costed after it, fails at its by-product line."""
    slag = 'item SLAG "Slag" { replenishment prod-order  routing { 10 WC run 1min } }'
    text = PLANT.format(value="").replace(slag, 'item SLAG "Slag" { vendor V-1  cost-base direct-unit-cost }')
    result, diagnostics = diagnose(text, "METAL")
    assert result is None
    assert [d.code for d in diagnostics] == ["no-valid-price", "component-failed"]
    assert "SLAG" in diagnostics[1].message and diagnostics[1].span is not None
    assert diagnostics[1].span.line == text.count("\n", 0, text.index("byproduct SLAG")) + CHART.count("\n") + 1


# ---------------------------------------------------------------- properties

AMOUNTS = st.sampled_from(("0.40", "1.00", "2.50", "12.00", "0.05", "7.77"))
QUANTITIES = st.sampled_from(("1", "2", "0.5", "3", "7"))
SHARES = st.sampled_from(("0", "10", "12.5", "33", "45"))
PERCENTS = st.sampled_from(("0", "5", "12.5"))


@st.composite
def plants(draw):
    """A producing item X with a BOM, a routing, overhead, by-products at a value or at their own
    cost (a purchased part or a produced item), and up to two co-products; a parent Y uses X."""
    coproducts = draw(st.lists(st.tuples(QUANTITIES, SHARES), max_size=2))
    byproducts = draw(st.lists(st.tuples(st.sampled_from(("B1", "B2")), QUANTITIES, st.none() | AMOUNTS), max_size=2))
    lines = "".join(
        f"\n  byproduct {code} {quantity}" + (f" value {value}" if value else "")
        for code, quantity, value in byproducts
    )
    lines += "".join(f"\n  coproduct K{i} {q} share {s}%" for i, (q, s) in enumerate(coproducts))
    text = f"""
workcenter WC "Work" {{ direct-unit-cost {draw(AMOUNTS)}/h }}
condition production PX "X" {{ direct 1110 overhead 3100  line "Overhead" percent {draw(PERCENTS)} }}
item A "A" {{ unit-cost {draw(AMOUNTS)}  indirect-cost {draw(PERCENTS)} }}
item B1 "B1" {{ unit-cost {draw(AMOUNTS)} }}
item B2 "B2" {{ replenishment prod-order  bom {{ A {draw(QUANTITIES)} }} routing {{ 10 WC run 1min }} }}
item X "X" {{
  replenishment prod-order  condition production PX  lot-size {draw(QUANTITIES)}  scrap {draw(PERCENTS)}
  bom {{ A {draw(QUANTITIES)}  B1 1 }}
  routing {{ 10 WC setup {draw(st.integers(0, 30))}min run {draw(st.integers(1, 20))}min }}{lines}
}}
item Y "Y" {{ replenishment prod-order  bom {{ X {draw(QUANTITIES)}  K0 1 }} }}
""" + "".join(f'item K{i} "K{i}" {{ replenishment prod-order }}\n' for i in range(max(len(coproducts), 1)))
    return text


def _costs(text: str, date: dt.date = dt.date(2026, 6, 15)) -> Calculator:
    """A calculator that has costed every item of ``text`` but the phantoms (each must cost)."""
    model = load(text).model
    program = plan_program(model)
    calculator = Calculator(program, date)
    for code in model.items:
        if code not in program.phantoms:
            assert calculator.cost(code) is not None, calculator.diagnostics
    return calculator


def _without_coproducts(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.strip().startswith("coproduct"))


@given(plants())
def test_co_product_shares_add_up_to_the_producing_items_cost(text):
    """What X keeps plus what each co-product takes is, element by element and exactly, X's
    cost without co-products (after its by-product credits), in both breakdowns; each
    co-product's unit cost is what it takes over its quantity (quantity x unit cost within
    quantity x 10^-20 of it: the internal scale)."""
    calculator = _costs(text)
    x, alone = calculator.memo["X"], _costs(_without_coproducts(text)).memo["X"]
    assert x is not None and alone is not None
    for vector, part in (("rolled", "taken_rolled"), ("single", "taken_single")):
        kept, whole = getattr(x, vector), getattr(alone, vector)
        for element in set(kept) | set(whole):
            summed = kept.get(element, D(0))
            for taken in x.splits:
                summed = CONTEXT.add(summed, getattr(taken, part).get(element, D(0)))
            assert summed == whole.get(element, D(0)), (vector, element)
    for taken in x.splits:
        k = calculator.memo[taken.line.item]
        assert k is not None and k.unit_cost == taken.unit_cost
        assert abs(CONTEXT.multiply(k.unit_cost, taken.line.quantity) - taken.taken) <= taken.line.quantity * QUANTUM


def _breakdowns_agree(calculator: Calculator) -> None:
    for key, item_cost in calculator.memo.items():
        assert item_cost is not None
        assert total(item_cost.single) == total(item_cost.rolled) == item_cost.unit_cost, key
        result, found = build_result(calculator, item_cost, costing_bom=False)
        assert result is not None and not found
        assert total(result.single_level) == total(result.rolled_up) == result.unit_cost, key


@given(plants())
def test_single_level_total_equals_rolled_up_total_with_by_and_co_products(text):
    _breakdowns_agree(_costs(text))


@st.composite
def realistic(draw):
    """The section-14 example with every feature on and its numbers drawn: units of measure (BOX),
    a vendor in USD with two exchange rates, dated BOM and routing versions, a phantom, a
    by-product (at its own cost or a value) and two co-products; costed before or after the
    dated versions and the second rate."""
    text = EXAMPLE.read_text()
    swaps = {
        "unit-of-measure BOX 100": f"unit-of-measure BOX {draw(st.sampled_from(('10', '100', '12')))}",
        "USD from 2026-07-01 1.1000": f"USD from 2026-07-01 {draw(st.sampled_from(('1.1000', '0.9', '1.3333')))}",
        "unit-cost 11.00 per BOX": f"unit-cost {draw(AMOUNTS)} per BOX",
        'item RIM   "Rim"   { unit-cost 5.00 }': f'item RIM "Rim" {{ unit-cost {draw(AMOUNTS)} }}',
        "SPOKE 0.36 unit BOX": f"SPOKE {draw(QUANTITIES)} unit BOX",
        "routing { 50 WC1 run 6min }": f"routing {{ 50 WC1 run {draw(st.integers(1, 30))}min }}",
        "setup 30min run 12min": f"setup {draw(st.integers(0, 60))}min run {draw(st.integers(1, 30))}min",
        "byproduct SCRAP-AL 0.25": f"byproduct SCRAP-AL {draw(QUANTITIES)}"
        + draw(st.sampled_from(("", " value 0.40"))),
        "coproduct BIKE-KIT 1 share 10%": f"coproduct BIKE-KIT {draw(QUANTITIES)} share {draw(SHARES)}%\n"
        f"  coproduct BIKE-BAG {draw(QUANTITIES)} share {draw(SHARES)}%",
        "replenishment prod-order\n  bom { FRAME 1": f"replenishment prod-order  lot-size {draw(QUANTITIES)}"
        f"  scrap {draw(PERCENTS)}\n  bom {{ FRAME 1",
    }
    for old, new in swaps.items():
        assert old in text, old
        text = text.replace(old, new)
    text += 'item BIKE-BAG "Bag" { replenishment prod-order }\n'
    text += 'item SHOP "Shop set" { replenishment prod-order  bom { BIKE 2  BIKE-KIT 1  WHEELSET 1 } }\n'
    text = text.replace(
        'condition production P0 "P" { direct 100 overhead 300 }',
        (f'condition production P0 "P" {{ direct 100 overhead 300  line "O" percent {draw(PERCENTS)} }}'),
    )
    return text, draw(st.sampled_from((BEFORE, AFTER, dt.date(2026, 12, 31))))


@given(realistic())
def test_single_level_total_equals_rolled_up_total_with_every_section14_feature(case):
    text, date = case
    model = costsheet.load(text, file="r.cost").model
    program = plan_program(model)
    calculator = Calculator(program, date)
    for code in model.items:
        if code not in program.phantoms:
            assert calculator.cost(code) is not None, calculator.diagnostics
    _breakdowns_agree(calculator)


def test_the_costing_bom_table_shows_the_credit_and_the_share_as_lines_of_their_own():
    from click.testing import CliRunner

    from costsheet.cli import main

    arguments = ["calc", str(EXAMPLE), "BIKE", "--date", "2026-06-01"]
    out = CliRunner().invoke(main, arguments, env={"COLUMNS": "160"}, catch_exceptions=False)  # no cell folded
    assert out.exit_code == 0, out.output
    rows = [line for line in out.output.splitlines() if "SCRAP-AL" in line or "BIKE-KIT" in line]
    assert any("by-product credit -0.30" in row and "0.25" in row and "1.20" in row for row in rows), rows
    assert any("co-product share 10% -8.52932" in row for row in rows), rows


def test_the_costing_bom_with_by_and_co_products_reads_back_from_its_json():
    """The history keeps results as JSON: a node's credits and shares come back as written."""
    from costsheet.costing import BomNode

    for item in ("BIKE", "BIKE-KIT"):
        written = _example().calculate(item, date=BEFORE).to_dict()["bom"]
        assert BomNode.from_json(written).to_dict() == written
