"""BOM and routing versions by date (docs/costing.md, "BOM and routing versions"): the newest
version valid on the calculation date wins, the result names the versions it used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costsheet.costing import calculate, calculate_many
from costsheet.numbers import D
from costsheet.syntax.parser import parse
from costsheet.syntax.printer import print_ruleset

from .support import cost, diagnose, total

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "realism" / "versions.cost"

#: BIKE: an undated BOM, a BOM from 2026-07-01 adding a lamp, a routing from 2026-01-01 only.
BIKE = """
workcenter WC1 "Assembly" { direct-unit-cost 30.00/h }
item FRAME "Frame" { unit-cost 40.00 }
item LAMP  "Lamp"  { unit-cost 4.00 }
item BIKE "City bike" {
  replenishment prod-order
  bom { FRAME 1 }
  bom from 2026-07-01 { FRAME 1  LAMP 1 }
  routing from 2026-01-01 { 10 WC1 setup 30min run 12min }
}
item SHOP "Shop set" { replenishment prod-order  bom { BIKE 2 } }
"""


def _at(date: str, item: str = "BIKE"):
    return cost(BIKE, item, date=dt.date.fromisoformat(date))


def test_the_undated_bom_holds_before_the_first_dated_one():
    # FRAME 40.00 + 30.00/h x (12min run + 30min setup / lot 1) = 40.00 + 21.00
    result = _at("2026-06-30")
    assert result.unit_cost == D("61.00")
    data = result.to_dict()
    assert (data["bom_version"], data["routing_version"]) == ("undated", "2026-01-01")


def test_a_dated_version_holds_from_its_date_inclusive():
    result = _at("2026-07-01")
    assert result.unit_cost == D("65.00")  # + LAMP 4.00
    assert (result.bom_version, result.routing_version) == ("2026-07-01", "2026-01-01")
    assert _at("2027-01-01").unit_cost == D("65.00")


def test_every_node_of_the_costing_bom_names_its_versions_and_components_follow_the_date():
    nodes = _at("2026-08-01", "SHOP").to_dict()["bom"]["nodes"]
    assert nodes["SHOP"]["bom_version"] == "undated" and "routing_version" not in nodes["SHOP"]
    assert (nodes["BIKE"]["bom_version"], nodes["BIKE"]["routing_version"]) == ("2026-07-01", "2026-01-01")
    assert "bom_version" not in nodes["FRAME"] and "routing_version" not in nodes["FRAME"]
    assert _at("2026-08-01", "SHOP").unit_cost == D("130.00")
    assert _at("2026-03-01", "SHOP").unit_cost == D("122.00")


def test_explain_names_the_dated_versions_its_lines_and_operations_come_from():
    def details(date: str) -> dict[str, str]:
        result = cost(BIKE, "BIKE", date=dt.date.fromisoformat(date), explain=True)
        return {step.source: step.detail for step in result.explain if step.item == "BIKE"}

    later, earlier = details("2026-07-01"), details("2026-06-30")
    assert later["BOM line LAMP"].endswith(", BOM version 2026-07-01")
    assert later["operation 10 on WC1"].endswith(", routing version 2026-01-01")
    assert "version" not in earlier["BOM line FRAME"]  # the undated BOM: nothing to name
    assert earlier["operation 10 on WC1"].endswith(", routing version 2026-01-01")


def test_a_date_before_every_version_without_an_undated_one_is_an_error_naming_item_and_date():
    result, diagnostics = diagnose(BIKE, "BIKE", date=dt.date(2025, 12, 31))
    assert result is None
    (error,) = diagnostics
    assert error.code == "no-valid-version"
    assert "BIKE" in error.message and "2025-12-31" in error.message and "2026-01-01" in error.message
    assert error.span is not None and error.span.line > 0
    _, chained = diagnose(BIKE, "SHOP", date=dt.date(2025, 12, 31))
    assert [d.code for d in chained] == ["no-valid-version", "component-failed"]


def test_two_versions_with_the_same_date_or_two_undated_ones_are_check_errors():
    text = BIKE.replace("bom { FRAME 1 }", "bom from 2026-07-01 { FRAME 2 }  bom { FRAME 1 }  bom { FRAME 3 }")
    _, diagnostics = diagnose(text, "BIKE")
    found = [d for d in diagnostics if d.code == "duplicate-version"]
    assert len(found) == 2
    assert all(d.span is not None for d in found)
    assert any("2026-07-01" in d.message for d in found) and any("without a date" in d.message for d in found)


def test_a_cycle_through_any_version_is_reported():
    text = BIKE.replace("bom from 2026-07-01 { FRAME 1  LAMP 1 }", "bom from 2026-07-01 { FRAME 1  SHOP 1 }")
    _, diagnostics = diagnose(text, "BIKE")
    assert "bom-cycle" in [d.code for d in diagnostics]


def test_calc_all_resolves_every_item_on_its_date():
    model = costsheet.load(EXAMPLE.read_text(), file=str(EXAMPLE)).model
    costs = {code: r.unit_cost for code, r, _ in calculate_many(model, date=dt.date(2026, 7, 1))}
    assert costs == {"FRAME": D("40.00"), "LAMP": D("4.00"), "BIKE": D("65.00")}


def test_versions_survive_fmt():
    text = EXAMPLE.read_text()
    once = print_ruleset(parse(text)[0])
    assert "bom from 2026-07-01 {" in once and "routing from 2026-01-01 {" in once
    assert print_ruleset(parse(once)[0]) == once


@given(
    first=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    second=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    when=st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)),
    quantities=st.tuples(st.integers(1, 9), st.integers(1, 9), st.integers(1, 9)),
)
def test_the_newest_valid_version_wins_and_both_breakdowns_agree(first, second, when, quantities):
    if first == second:
        second = second + dt.timedelta(days=1)
    undated, q1, q2 = quantities
    text = f"""
item K "Part" {{ unit-cost 1.25 indirect-cost 10 }}
item T "Top" {{
  replenishment prod-order
  bom {{ K {undated} }}
  bom from {first} {{ K {q1} }}
  bom from {second} {{ K {q2} }}
}}
"""
    valid = [(d, q) for d, q in ((first, q1), (second, q2)) if d <= when]
    quantity = max(valid)[1] if valid else undated
    result = cost(text, "T", date=when)
    assert result.unit_cost == D("1.375") * quantity
    assert total(result.single_level) == total(result.rolled_up) == result.unit_cost


def test_a_model_costed_on_two_dates_gives_each_its_versions():
    model = costsheet.load(EXAMPLE.read_text(), file=str(EXAMPLE)).model
    before, _ = calculate(model, "BIKE", date=dt.date(2026, 3, 1))
    after, _ = calculate(model, "BIKE", date=dt.date(2026, 7, 1))
    assert (before.unit_cost, after.unit_cost) == (D("61.00"), D("65.00"))


def test_where_used_on_a_date_follows_the_versions_valid_then():
    from costsheet.whereused import Kind, build_index

    model = costsheet.load(EXAMPLE.read_text(), file=str(EXAMPLE)).model

    def users(date):
        return [use.item for use in build_index(model, date).uses("LAMP", Kind.ITEM)]

    assert users(dt.date(2026, 3, 1)) == []
    assert users(dt.date(2026, 7, 1)) == ["BIKE"]
    assert users(None) == ["BIKE"]  # without a date: every version's lines
    assert [use.item for use in build_index(model, dt.date(2026, 3, 1)).uses("WC1", Kind.RESOURCE)] == ["BIKE"]
    assert build_index(model, dt.date(2025, 1, 1)).uses("WC1", Kind.RESOURCE) == ()
