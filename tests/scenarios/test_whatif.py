"""A scenario's result is what `calc` gives on the ruleset edited by hand the same way
(docs/scenarios.md, "Scenarios"), whatever the lines, their order, the date and the lot size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costsheet.numbers import CONTEXT
from costsheet.ruleset import analyze
from costsheet.scenarios import Baseline, read_definitions, run_whatif

from .support import DATES, FIELDS, ITEMS, ruleset_text

DATE = dt.date(2026, 6, 15)

amounts = st.decimals(min_value=0, max_value=500, places=2)
percentages = st.decimals(min_value=0, max_value=30, places=1)
changes = st.decimals(min_value=-60, max_value=60, places=1)
rates = st.decimals(min_value=Decimal("0.5"), max_value=2, places=4)  # an exchange rate is above 0
formulas = st.sampled_from(("20 % A", "15 % A", "A / 10", "2 § A"))


@st.composite
def scenario_lines(draw):
    """``(scenario line, field key, new value)``: an absolute value or a relative change."""
    key = draw(st.sampled_from(sorted(FIELDS)))
    target, role, _ = FIELDS[key]
    if role == "formula":
        formula = draw(formulas)
        return f'{target} "{formula}"', key, ("set", formula)
    if role == "percentage":
        value = draw(percentages)
        return f"{target} {value}%", key, ("set", value)
    if key in ("bike_lot", "ebike_lot"):
        value = draw(st.decimals(min_value=1, max_value=50, places=0))
        return f"{target} {value}", key, ("set", value)
    if draw(st.booleans()):
        change = draw(changes)
        return f"{target} {'+' if change >= 0 else ''}{change}%", key, ("relative", change)
    value = draw(amounts if key not in ("usd_rate", "usd_rate_july") else rates)
    suffix = "/h" if role == "rate" else ""
    return f"{target} {value}{suffix}", key, ("set", value)


def _edited_by_hand(lines) -> dict[str, object]:
    """The table edited as the lines say; a line edits every key of its target (both USD rates)."""
    values = {key: value for key, (_, _, value) in FIELDS.items()}
    for _, key, (how, value) in lines:
        for same in (k for k, (target, _, _) in FIELDS.items() if target == FIELDS[key][0]):
            if how == "relative":
                values[same] = CONTEXT.multiply(values[same], 1 + value / Decimal(100))
            else:
                values[same] = value
    return values


def _calc(text: str, items, lot_size, date=DATE):
    ruleset, diagnostics, _ = analyze(text, file="t.cost")
    assert ruleset is not None, [d.message for d in diagnostics]
    found = {}
    for item in items:
        result, _ = ruleset.calculate_with_diagnostics(item, lot_size, date)
        found[item] = None if result is None else (result.unit_cost, result.list_price)
    return found


def _whatif(lines, items, lot_size, date=DATE):
    block = "scenario S {\n" + "\n".join(f"  {line}" for line, _, _ in lines) + "\n}\n"
    ruleset, diagnostics, _ = analyze(ruleset_text(extra=block), file="t.cost")
    assert ruleset is not None, [d.message for d in diagnostics]
    scenario = read_definitions(ruleset.files).scenarios["S"]
    base = Baseline.build(ruleset.model, ruleset.program, items, date, lot_size)
    return run_whatif(base, scenario)


@given(
    st.lists(scenario_lines(), max_size=6),
    st.lists(st.sampled_from(ITEMS), min_size=1, max_size=5, unique=True),
    st.sampled_from((None, Decimal("1"), Decimal("25"))),
    st.sampled_from(DATES),
)
def test_a_scenario_is_calc_on_the_ruleset_edited_by_hand(lines, items, lot_size, date):
    result = _whatif(lines, items, lot_size, date)
    before = _calc(ruleset_text(), items, lot_size, date)
    after = _calc(ruleset_text(_edited_by_hand(lines)), items, lot_size, date)
    shown = {entry.item: entry for entry in result.items}
    for item in items:
        if before[item] is None or after[item] is None:
            assert item not in shown and result.diagnostics
            continue
        entry = shown[item]
        assert (entry.base.unit_cost, entry.base.list_price) == before[item]
        assert (entry.scenario.unit_cost, entry.scenario.list_price) == after[item]


def test_the_json_has_base_scenario_difference_and_percent():
    lines = [("item FRAME unit-cost +10%", "frame_cost", ("relative", Decimal(10)))]
    data = _whatif(lines, ("FRAME", "BOLT", "BIKE"), None).to_dict()
    assert data["scenario"] == "S"
    frame = data["items"]["FRAME"]
    # B x (1 + indirect/100) + overhead-rate: 80 x 1.02 + 1.50, then 88 x 1.02 + 1.50
    assert Decimal(frame["base"]["unit_cost"]) == Decimal("83.10") and frame["base"]["list_price"] is None
    assert Decimal(frame["scenario"]["unit_cost"]) == Decimal("91.26")
    assert Decimal(frame["percent"]["unit_cost"]) == CONTEXT.divide(Decimal("8.16") * 100, Decimal("83.10")).quantize(
        Decimal(frame["percent"]["unit_cost"])
    )
    assert frame["difference"]["list_price"] is None and frame["percent"]["list_price"] is None
    bike = data["items"]["BIKE"]
    difference = Decimal(bike["scenario"]["unit_cost"]) - Decimal(bike["base"]["unit_cost"])
    assert Decimal(bike["difference"]["unit_cost"]) == difference
    assert Decimal(bike["percent"]["unit_cost"]) == (difference * 100 / Decimal(bike["base"]["unit_cost"])).quantize(
        Decimal(bike["percent"]["unit_cost"])
    )
    assert data["items"]["BOLT"]["difference"]["unit_cost"] == "0.00"


def test_percent_is_null_where_the_base_is_zero():
    block = 'item FREE "Free" { condition material M-BARE }\n'
    ruleset, _, _ = analyze(ruleset_text(extra=block + "scenario S { item FREE unit-cost 1.00 }\n"), file="t.cost")
    base = Baseline.build(ruleset.model, ruleset.program, ("FREE",), DATE)
    data = run_whatif(base, read_definitions(ruleset.files).scenarios["S"]).to_dict()
    assert data["items"]["FREE"]["percent"] == {"unit_cost": None, "list_price": None}
    assert data["items"]["FREE"]["difference"]["unit_cost"] == "1.00"


@pytest.mark.parametrize(
    "lines",
    [
        ["item BOLT unit-cost +100%", "item BOLT unit-cost 1.00"],
        ["item BOLT unit-cost 1.00", "item BOLT unit-cost +100%"],
    ],
)
def test_lines_on_one_field_apply_in_the_order_written(lines):
    parsed = [(line, "bolt_cost", None) for line in lines]
    result = _whatif(parsed, ("BOLT",), None)
    unit_cost = Decimal("1.00") if lines[-1].endswith("1.00") else Decimal("2.00")
    expected = unit_cost + Decimal("0.40")  # and the freight line of the default material condition
    assert result.items[0].scenario.unit_cost == expected


def test_an_exchange_rate_line_changes_every_rate_of_its_currency():
    """The spoke costs 11.00 USD per BOX of 100, less 3%, plus the default material
    condition's freight line (0.40 EUR): on 2026-06-15 at 1.0850 EUR/USD that is
    11.00 x 0.97 x 1.0850 / 100 + 0.40 = 0.5157695; the scenario's 1.20 makes it
    11.00 x 0.97 x 1.20 / 100 + 0.40 = 0.52804.  On 2026-07-15 the July rate 1.1000 is
    replaced too (+10%: 1.21): 11.00 x 0.97 x 1.21 / 100 + 0.40 = 0.529107."""
    parity = _whatif([("exchange-rate USD 1.20", "usd_rate", None)], ("SPOKE",), None)
    assert parity.items[0].base.unit_cost == Decimal("0.5157695")
    assert parity.items[0].scenario.unit_cost == Decimal("0.52804")
    later = _whatif([("exchange-rate USD +10%", "usd_rate", None)], ("SPOKE",), None, DATES[1])
    assert later.items[0].scenario.unit_cost == Decimal("0.529107")
