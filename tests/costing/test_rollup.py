"""Multi-level roll-up: worked examples with published numbers, quantities, scrap, setup, cycles."""

from __future__ import annotations

import decimal

import attrs
import pytest

from costsheet.costing import calculate
from costsheet.model import BomLine
from costsheet.numbers import D

from .support import DATE, cost, load, total

# Reconstruction of the example of M. F. Ferrari, "Standard cost calculation: single-level vs rolled-up"
# (Business Central): a work center whose 10-minute operation costs 10.00 direct + 4.00 overhead
# (1.00/min direct, 20% indirect = 2.00, overhead rate 12.00/h = 2.00); C is bought at 1.00; B = C + one
# operation; A = B + one operation.
FERRARI = """
workcenter WC "Work center" { direct-unit-cost 60.00/h indirect-cost 20% overhead-rate 12.00/h }
item C "Bought" { unit-cost 1.00 }
item B "Semi-finished" { replenishment prod-order bom { C 1 } routing { 10 WC run 10min } }
item A "Finished" { replenishment prod-order bom { B 1 } routing { 10 WC run 10min } }
"""


def test_business_central_single_level_and_rolled_up_shares():
    """Ferrari's published figures: B = 15.00; A = 29.00; single-level A: material 15, capacity 10 + 4;
    rolled-up A: material 1, capacity 28 (20 direct + 8 overhead)."""
    b = cost(FERRARI, "B")
    assert b.unit_cost == D("15.00")
    a = cost(FERRARI, "A")
    assert a.unit_cost == D("29.00")
    assert a.single_level["1110"] == D("15.00")
    assert (a.single_level["2110"], a.single_level["2120"]) == (D("10.00"), D("4.00"))
    assert a.rolled_up["1110"] == D("1.00")
    assert (a.rolled_up["2110"], a.rolled_up["2120"]) == (D("20.00"), D("8.00"))
    assert total(a.single_level) == total(a.rolled_up) == a.unit_cost
    assert a.totals["1199"] == D("1.00") and a.totals["2199"] == D("28.00") and a.totals["5000"] == D("29.00")


def test_purchased_unit_cost_is_base_times_indirect_plus_overhead_rate():
    """Business Central: Unit Cost = (Direct Unit Cost - discount) x (1 + Indirect Cost % / 100) + Overhead Rate
    (seed 001, Note under Cost Base): 100 x 1.05 + 2.50 = 107.50."""
    result = cost('item P "Part" { unit-cost 100 indirect-cost 5% overhead-rate 2.50 }', "P")
    assert result.unit_cost == D("107.50")
    assert result.rolled_up["1110"] == D(100) and result.rolled_up["1120"] == D("7.50")


def test_produced_overhead_is_base_times_indirect_plus_overhead_rate():
    """docs/costing.md, "Produced and assembly items": base = material + capacity;
    60 x 10% + 1.50 = 7.50 on the overhead element."""
    result = cost(
        """
        workcenter WC "W" { direct-unit-cost 40.00/h }
        item K "Part" { unit-cost 20 }
        item F "Made" { replenishment prod-order indirect-cost 10% overhead-rate 1.50
                        bom { K 2 } routing { 10 WC run 30min } }""",
        "F",
    )
    assert result.rolled_up["3100"] == D("7.50")
    assert result.unit_cost == D("67.50")


def test_setup_time_is_spread_over_the_lot_size():
    """Business Central prorates setup over the lot: 30 min setup + 12 min run per unit at 42.00/h, lot 10:
    (12 + 30/10) min = 15 min = 10.50 per unit; lot 1: 42 min = 29.40."""
    text = """
        workcenter WC "W" { direct-unit-cost 42.00/h }
        item F "Made" { replenishment prod-order lot-size 10 routing { 10 WC setup 30min run 12min } }"""
    assert cost(text, "F").unit_cost == D("10.50")
    assert cost(text, "F", lot_size=1).unit_cost == D("29.40")
    assert cost(text, "F", lot_size=3).unit_cost == D("42") * (D(12) * 3 + 30) / (60 * 3)


REPEATING = """
workcenter W "Work" { direct-unit-cost 7.00/h indirect-cost 10% }
item K "Part" { unit-cost 1.00 indirect-cost 7% }
item C "Sub" { replenishment prod-order lot-size 3 bom { K 1 } routing { 10 W setup 1min } }
item B "Mid" { replenishment prod-order lot-size 7 indirect-cost 3% bom { C 0.3 K 0.3 } routing { 10 W setup 1min } }
item A "Top" { replenishment prod-order bom { B 0.3 C 0.3 } }
"""


def test_repeating_decimals_give_exactly_equal_breakdown_totals():
    """docs/costing.md, "Breakdown totals are exactly equal": rolled-up and single-level
    breakdowns always have the same total.  A 1 min setup over a lot of 3 at 7.00/h is 7/180 =
    0.0388... per unit; taken 0.3 times through three levels, the 34-digit totals used to differ
    in the last digit (0.6885085714285714285714285714285715 single-level against ...714
    rolled-up for B).  Every amount is now at the internal scale of 20 places, so they are
    equal.

    By hand: C = 1.07 + 7/180 x 1.10; B = (0.3 C + 0.3 x 1.07 + 1/60 x 1.10) x 1.03; A = 0.3 B + 0.3 C."""
    for code in ("C", "B", "A"):
        result = cost(REPEATING, code, explain=True)
        assert total(result.single_level) == total(result.rolled_up) == result.unit_cost, code
        assert result.totals["5000"] == result.unit_cost
        own = {str(n): step.amount for n, step in enumerate(result.explain) if step.item == code and step.element}
        assert total(own) == result.unit_cost  # the explained amounts add up to the unit cost, exactly too
    exact = decimal.Context(prec=50)  # the hand calculation, at more digits than the engine keeps
    add, mul, div = exact.add, exact.multiply, exact.divide
    c = add(D("1.07"), mul(div(D(7), D(180)), D("1.10")))
    b = mul(add(add(mul(D("0.3"), c), mul(D("0.3"), D("1.07"))), mul(div(D(1), D(60)), D("1.10"))), D("1.03"))
    a = add(mul(D("0.3"), b), mul(D("0.3"), c))
    for code, by_hand in (("C", c), ("B", b), ("A", a)):
        inside = _internal(REPEATING, code)  # the engine's own unit cost, at the internal scale
        assert abs(exact.subtract(inside.unit_cost, by_hand)) < D("1e-19"), code
        # as it leaves the engine: rounded half even to 12 places
        assert cost(REPEATING, code).unit_cost == by_hand.quantize(D("1e-12"), context=exact), code


def _internal(text: str, code: str):
    """The engine's own ItemCost of ``code`` (amounts at the internal scale of 20 places)."""
    from costsheet.costing import Calculator, plan_program

    return Calculator(plan_program(load(text).model), DATE).cost(code)


def test_amounts_are_kept_to_20_places_inside_and_leave_with_12_keeping_their_written_scale():
    """The internal scale: 7/180 per unit is 0.03888888888888888889 (20 places, half even) inside the
    engine; it leaves with 12 (0.038888888889); a written amount keeps its scale (JSON shows 1.00, not
    1.00000000000000000000)."""
    assert _internal(REPEATING, "C").rolled["2110"] == D("0.03888888888888888889")
    result = cost(REPEATING, "C")
    assert result.rolled_up["2110"] == D("0.038888888889")
    assert result.to_dict()["elements"]["1110"]["rolled_up"] == "1.00"


def test_odoo_style_bom_with_operations_costed_by_minutes():
    """Odoo Manufacturing, "Product cost" of a BoM: components + operation minutes / 60 x the work center's
    cost per hour.  Table: 4 legs at 12.50 and a top at 40.00; 'Assembly' 15 min at 40.00/h and
    'Varnish' 20 min at 27.00/h: 50 + 40 + 10 + 9 = 109.00."""
    result = cost(
        """
        workcenter ASSY "Assembly line" { direct-unit-cost 40.00/h }
        workcenter VARN "Varnish" { direct-unit-cost 27.00/h }
        item LEG "Leg" { unit-cost 12.50 }
        item TOP "Table top" { unit-cost 40.00 }
        item TABLE "Table" { replenishment prod-order bom { LEG 4 TOP 1 }
                             routing { 10 ASSY run 15min 20 VARN run 20min } }""",
        "TABLE",
    )
    assert result.unit_cost == D("109.00")
    assert result.rolled_up["2110"] == D("19.00")


def test_quantities_below_one_and_shared_subassemblies():
    """A shared subassembly S is costed once and enters each parent with its own quantity and scrap:
    S = 0.25 x 8 = 2; X = 0.5 S x 1.1 (scrap 10%) + 0.2 P = 1.1 + 1.6 = 2.70;
    TOP = 2 X + 0.75 S = 5.40 + 1.50 = 6.90, with item scrap 2% on every component: 7.038."""
    text = """
        item P "Part" { unit-cost 8 }
        item S "Shared" { replenishment prod-order bom { P 0.25 } }
        item X "Middle" { replenishment prod-order bom { S 0.5 scrap 10% P 0.2 } }
        item TOP "Top" { replenishment prod-order scrap 2% bom { X 2 S 0.75 } }"""
    assert cost(text, "X").unit_cost == D("2.70")
    top = cost(text, "TOP")
    assert top.unit_cost == D("6.90") * D("1.02")
    assert top.rolled_up["1110"] == top.unit_cost  # everything is direct material at the bottom
    nodes = {node.item for node in top.bom.walk()}
    assert nodes == {"TOP", "X", "S", "P"}
    assert len(top.bom.walk()) == 4  # each distinct (item, lot size) once


def test_run_time_is_scaled_by_item_scrap_but_setup_is_not():
    text = """
        workcenter WC "W" { direct-unit-cost 60.00/h }
        item F "Made" { replenishment prod-order scrap 10% lot-size 5 routing { 10 WC setup 10min run 10min } }"""
    assert cost(text, "F").unit_cost == D(11) + D(2)  # 10 min x 1.1 + 10 min / 5


def test_assembly_items_use_the_setup_assembly_elements():
    result = cost(
        """
        item K "Part" { unit-cost 10 }
        item KIT "Kit" { replenishment assembly indirect-cost 10% bom { K 3 } }""",
        "KIT",
    )
    assert result.single_level["4110"] == D(30) and result.single_level["4120"] == D(3)
    assert result.rolled_up["1110"] == D(30) and result.rolled_up["4120"] == D(3)


def test_bom_cycle_is_a_diagnostic_naming_the_cycle():
    # The checker rejects static cycles; the engine must catch those that arrive through CSV data.
    model = load('item A "A" { replenishment prod-order }  item B "B" { replenishment prod-order }').model
    items = dict(model.items)
    items["A"] = attrs.evolve(items["A"], bom=(BomLine("B", D(1)),))
    items["B"] = attrs.evolve(items["B"], bom=(BomLine("A", D(1)),))
    result, diagnostics = calculate(attrs.evolve(model, items=items), "A", date=DATE)
    assert result is None
    cycles = [d for d in diagnostics if d.code == "bom-cycle"]
    assert len(cycles) == 1 and "A -> B -> A" in cycles[0].message


@pytest.mark.thorough
def test_deep_bom_does_not_hit_the_recursion_limit():
    lines = ['item L0 "L0" { unit-cost 1 }']
    lines += [f'item L{i} "L{i}" {{ replenishment prod-order bom {{ L{i - 1} 1 }} }}' for i in range(1, 3000)]
    assert cost("\n".join(lines), "L2999").unit_cost == D(1)


def test_unknown_component_from_outside_the_checker_is_reported():
    model = load('item A "A" { replenishment prod-order }').model
    items = dict(model.items)
    items["A"] = attrs.evolve(items["A"], bom=(BomLine("GHOST", D(1)),))
    result, diagnostics = calculate(attrs.evolve(model, items=items), "A", date=DATE)
    assert result is None and [d.code for d in diagnostics] == ["unknown-item", "component-failed"]
    assert "(A -> GHOST)" in diagnostics[1].message and "GHOST is not defined" in diagnostics[1].message
