"""Cost base and every condition line form (docs/costing.md, "Purchased items" and "Condition lines")."""

from __future__ import annotations

import datetime as dt

import pytest

from costsheet.numbers import D

from .support import cost, diagnose

PRICES = """
item S "Spoke" { vendor V-1 unit-cost 0.12 last-direct-cost 0.11 lot-size 1000 cost-base direct-unit-cost }
price    S vendor V-1 from 2026-01-01 unit-cost 0.110
price    S vendor V-1 from 2026-01-01 min-qty 1000 unit-cost 0.100
price    S vendor V-2 from 2026-01-01 unit-cost 0.010
discount S vendor V-1 from 2026-06-01 to 2026-12-31 min-qty 500 5%
discount S vendor V-1 from 2026-06-01 to 2026-12-31 min-qty 500 3%
"""


def test_best_net_vendor_price_combines_price_and_best_discount():
    """docs/costing.md, "Purchased items", on the prices of docs/language.md: lot 1000 on
    2026-06-15: 0.100 x (1 - 5%) = 0.095 (V-2's price is ignored: the item names its vendor)."""
    assert cost(PRICES, "S").unit_cost == D("0.095")


def test_price_validity_by_quantity_and_date():
    assert cost(PRICES, "S", lot_size=600).unit_cost == D("0.110") * D("0.95")
    assert cost(PRICES, "S", lot_size=10).unit_cost == D("0.110")
    assert cost(PRICES, "S", date=dt.date(2026, 3, 1)).unit_cost == D("0.100")  # before the discount
    result, diagnostics = diagnose(PRICES, "S", date=dt.date(2025, 12, 31))
    assert result is None
    assert [d.code for d in diagnostics] == ["no-valid-price"]
    assert "2025-12-31" in diagnostics[0].message and "S" in diagnostics[0].message


@pytest.mark.parametrize(
    "base, expected",
    [
        ("unit-cost", "0.12"),
        ("last-direct-cost", "0.11"),
        ("direct-unit-cost", "0.095"),
        ("unit/direct/last", "0.095"),
    ],
)
def test_setup_cost_base_when_the_item_names_none(base, expected):
    text = PRICES.replace(" cost-base direct-unit-cost", "") + f"setup {{ cost-base {base} }}"
    assert cost(text, "S").unit_cost == D(expected)


def test_unit_direct_last_falls_back_to_last_then_unit_cost():
    text = (
        'setup { cost-base unit/direct/last }\nitem H "Hub" { unit-cost 21 last-direct-cost 20.50 }\n'
        'item G "Gear" { unit-cost 9 }'
    )
    assert cost(text, "H").unit_cost == D("20.50")
    assert cost(text, "G").unit_cost == D(9)


MATERIAL = """
condition material M-STD "Purchased parts" {
  direct   1110
  overhead 1120
  line 1120 "Purchasing"          percent 8
  line 1120 "Freight"             row F amount 0.40
  line 1120 "Freight insurance"   row F percent 2.5
}
condition material M-DIRECT "Contract price" {
  direct 1110 overhead 1120
  line 1110 "Contract price" amount 3.10
  line 1110 "Contract surcharge" row R amount 0.90
  line 1120 "Handling" row R percent 10
}
item A "Part" { unit-cost 10 indirect-cost 50% overhead-rate 7 condition material M-STD }
item B "Paint" { unit-cost 99 condition material M-DIRECT }
"""


def test_material_percent_amount_and_row_lines():
    """docs/language.md, "Cost conditions" (M-STD) on B = 10: 8% of B = 0.80; freight 0.40; 2.5% of row F (0.40) = 0.01.
    The item's indirect % and overhead rate are not used: the condition has overhead lines."""
    result = cost(MATERIAL, "A")
    assert result.rolled_up["1110"] == D(10)
    assert result.rolled_up["1120"] == D("1.21")


def test_material_lines_on_a_direct_element_replace_the_item_master():
    """Seed 001: an element of group Material on a line: the line's cost is used, not the item master's.
    3.10 + 0.90 = 4.00 replaces 99; 10% of row R (0.90) = 0.09."""
    result = cost(MATERIAL, "B")
    assert result.rolled_up["1110"] == D("4.00")
    assert result.rolled_up["1120"] == D("0.09")


CAPACITY = """
condition capacity C-STD "Machine hours" {
  direct   2110
  overhead 2120
  line 2120 "Energy"              amount 4.50
  line 2120 "Setup crew"          amount 12.00 setup-only
  line 2120 "Maintenance"         percent 15
  line 2120 "Shared tooling"      percent 20 allocation 50%
  line 2120 "Setup wear"          percent 10 setup-only
}
condition capacity C-RATE "Rate from the condition" {
  direct 2110 overhead 2120
  line 2110 "Machine rate" amount 60.00
  line 2120 "Wear" row W amount 2.00
  line 2120 "Wear handling" row W percent 5
}
workcenter WC-100 "Assembly" { direct-unit-cost 42.00/h indirect-cost 10% overhead-rate 3.00/h condition C-STD }
machinecenter MC-1 "Inherits" in WC-100 { direct-unit-cost 0.70/min }
machinecenter MC-2 "Own condition" in WC-100 { direct-unit-cost 55.00/h condition C-RATE }
workcenter WC-PLAIN "No lines" { direct-unit-cost 30.00/h indirect-cost 10% overhead-rate 6.00/h }
workcenter WC-SUB "Painting" { subcontractor V-2 direct-unit-cost 30.00/h }
"""


def _one_op(resource: str, setup: str = "30min", run: str = "12min", lot: int = 10) -> str:
    return CAPACITY + (
        f'item F "Made" {{ replenishment prod-order lot-size {lot} '
        f"routing {{ 10 {resource} setup {setup} run {run} }} }}"
    )


def test_capacity_amount_percent_setup_only_and_allocation_lines():
    """T = 12 + 30/10 = 15 min = 0.25 h; direct = 42 x 0.25 = 10.50; energy 4.50/h x 0.25 = 1.125;
    setup crew 12.00/h x 3 min = 0.60; maintenance 15% x 10.50 = 1.575; shared tooling 20% x 10.50 x 50% = 1.05;
    setup wear 10% of the setup part's direct cost (42 x 3 min = 2.10) = 0.21."""
    result = cost(_one_op("WC-100"), "F")
    assert result.rolled_up["2110"] == D("10.50")
    assert result.rolled_up["2120"] == D("1.125") + D("0.60") + D("1.575") + D("1.05") + D("0.21")


def test_capacity_without_overhead_lines_uses_the_master_data():
    """30.00/h x 0.25 h = 7.50; 10% = 0.75 + 6.00/h x 0.25 h = 1.50: overhead 2.25."""
    result = cost(_one_op("WC-PLAIN"), "F")
    assert (result.rolled_up["2110"], result.rolled_up["2120"]) == (D("7.50"), D("2.25"))


def test_machine_center_inherits_its_work_centers_condition():
    """MC-1 at 0.70/min x 15 min = 10.50 direct, with C-STD's overhead lines (as WC-100)."""
    inherited = cost(_one_op("MC-1"), "F")
    assert inherited.rolled_up == cost(_one_op("WC-100"), "F").rolled_up


def test_condition_direct_lines_replace_the_resource_rate_and_rows_work_per_hour():
    """C-RATE: 60.00/h x 0.25 h = 15.00 (not 55.00/h); wear 2.00/h x 0.25 = 0.50; 5% of row W = 0.025."""
    result = cost(_one_op("MC-2"), "F")
    assert result.rolled_up["2110"] == D("15.00")
    assert result.rolled_up["2120"] == D("0.525")


def test_subcontracted_work_center_uses_the_default_subcontract_condition():
    result = cost(_one_op("WC-SUB"), "F")
    assert result.rolled_up["2130"] == D("7.50")
    assert result.rolled_up["2110"] == 0


def test_time_units_are_exact():
    """7 min at 42.00/h is exactly 4.90; 1d of setup over a lot of 48 is 30 min; 90 s at 0.01/s is 0.90."""
    assert cost(_one_op("WC-PLAIN", setup="0s", run="7min"), "F").rolled_up["2110"] == D("3.50")
    assert cost(_one_op("WC-100", setup="0s", run="7min"), "F").rolled_up["2110"] == D("4.90")
    assert cost(_one_op("WC-PLAIN", setup="1d", run="0s", lot=48), "F").rolled_up["2110"] == D("15.00")


PRODUCTION = """
condition production P-STD "Bike assembly overhead" {
  direct   1110
  overhead 3100
  line 3100 "Tooling"             percent 4
  line 3100 "Quality checks"      row Q amount 0.75
  line 3100 "Quality records"     row Q percent 10
  line 1110 "Packaging material"  amount 1.20
}
workcenter WC "W" { direct-unit-cost 60.00/h }
item K "Part" { unit-cost 40 }
item F "Made" { replenishment prod-order indirect-cost 50% condition production P-STD
                bom { K 2 } routing { 10 WC run 20min } }
"""


def test_production_lines_on_the_material_plus_capacity_base():
    """base = 80 + 20 = 100; tooling 4% = 4.00; quality 0.75 + 10% of row Q = 0.075; packaging 1.20 is direct
    manufacturing cost (not in the base); the item's 50% is not used (the condition has overhead lines)."""
    result = cost(PRODUCTION, "F")
    assert result.rolled_up["3100"] == D("4.825")
    assert result.single_level["1110"] == D("81.20") and result.rolled_up["1110"] == D("81.20")
    assert result.unit_cost == D("106.025")


def test_round_on_a_condition_line_uses_the_items_rounding_method():
    text = """
        rounding CENTS nearest 0.01
        condition material M-R "Rounded" { direct 1110 overhead 1120 line 1120 "Fee" percent 3.333 round }
        item A "A" { unit-cost 10 rounding CENTS condition material M-R }"""
    assert cost(text, "A").rolled_up["1120"] == D("0.33")
    result, diagnostics = diagnose(text + '\nitem B "B" { unit-cost 10 condition material M-R }', "B")
    assert result is None and [d.code for d in diagnostics] == ["no-rounding-method"]
