"""diff(): element by element, charge line by charge line, with the inputs that changed."""

from __future__ import annotations

import copy

from history_samples import SECTION_9_RESULT
from hypothesis import given
from hypothesis import strategies as st

from costsheet.history import diff, record_calculation
from costsheet.numbers import CONTEXT, D, to_text


def _by_place(d):
    return {(c.section, c.key, c.field): c for c in d.changes}


def test_a_result_equals_itself(result):
    d = diff(result, copy.deepcopy(result))
    assert d.same and d.changes == () and d.inputs == ()


def test_equal_decimals_written_differently_are_no_change(result):
    other = copy.deepcopy(result)
    other["unit_cost"] = "1234.567890"
    other["elements"]["1110"]["single_level"] = "900.10"
    assert diff(result, other).same


def test_element_total_and_charge_changes_with_deltas(result):
    other = copy.deepcopy(result)
    other["elements"]["1110"]["rolled_up"] = "710.20"
    other["elements"]["4110"] = {"single_level": "5", "rolled_up": "5"}  # a new element
    del other["elements"]["3100"]  # a vanished one
    other["totals"]["5000"] = "1244.56789"
    other["charges"][1]["value"] = "120.456789"
    other["charges"][1]["description"] = "Sales overhead (new)"
    other["list_price"] = "2010.00"
    changes = _by_place(diff(result, other))
    assert changes[("element", "1110", "rolled_up")].delta == D("10.00")
    assert changes[("element", "1110", "rolled_up")].percent == D("1.43")  # 10 / 700.2
    assert changes[("element", "4110", "single_level")].before is None
    assert changes[("element", "4110", "single_level")].delta == D("5")
    assert changes[("element", "3100", "rolled_up")].after is None
    assert changes[("element", "3100", "rolled_up")].delta == D("-34.36789")
    assert changes[("total", "5000", "value")].delta == D("10.00000")
    assert changes[("charge", "2", "value")].delta == D("-3.000000")
    description = changes[("charge", "2", "description")]
    assert (description.before, description.after, description.delta) == (
        "Sales overhead",
        "Sales overhead (new)",
        None,
    )
    assert changes[("list_price", "", "value")].delta == D("10.05")
    # element order follows the chart: numeric codes compare as numbers
    elements = [c.key for c in diff(result, other).changes if c.section == "element"]
    assert elements == sorted(elements, key=int)


def test_inputs_that_changed_are_named(result, store_path, store):
    a = record_calculation(result, (), "demo.cost", "hash-1", store_path)
    later = copy.deepcopy(result)
    later.update(lot_size="20", date="2026-12-01")
    b = record_calculation(later, (), "demo.cost", "hash-2", store_path)
    d = diff(store.get(a), store.get(b))
    inputs = {c.key: c for c in d.inputs}
    assert set(inputs) == {"ruleset_hash", "lot_size", "date"}
    assert inputs["lot_size"].delta == D("10")
    assert inputs["ruleset_hash"].delta is None and inputs["date"].delta is None
    assert d.same  # the results themselves are equal here
    assert d.to_dict()["inputs"][0]["key"] == "ruleset_hash"


def test_diagnostics_added_and_removed(result, store_path, store):
    warn = {"severity": "warning", "code": "w1", "message": "m", "file": "f", "line": 1, "column": 1}
    a = record_calculation(result, [warn], None, "h", store_path)
    b = record_calculation(result, [dict(warn, code="w2")], None, "h", store_path)
    d = diff(store.get(a), store.get(b))
    assert [x["code"] for x in d.diagnostics_added] == ["w2"]
    assert [x["code"] for x in d.diagnostics_removed] == ["w1"]


def test_a_failed_calculation_compares_as_empty(result, store_path, store):
    a = record_calculation(None, (), None, "h", store_path, item="ICO-0001")
    b = record_calculation(result, (), None, "h", store_path)
    changes = _by_place(diff(store.get(a), store.get(b)))
    assert changes[("unit_cost", "", "value")].delta == D("1234.56789")


def test_keys_added_to_section_9_later_are_compared(result):
    d = diff(dict(result, margin="1.5"), dict(result, margin="2", note="x"))
    changes = _by_place(d)
    assert changes[("margin", "", "value")].delta == D("0.5")
    assert changes[("note", "", "value")].delta is None


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=5, allow_nan=False, allow_infinity=False).map(to_text)


@st.composite
def perturbed(draw):
    """Two results that differ in random elements, totals and charge values."""
    before = copy.deepcopy(SECTION_9_RESULT)
    after = copy.deepcopy(SECTION_9_RESULT)
    for code in draw(st.lists(st.sampled_from(["1110", "2110", "3100", "4110"]), unique=True)):
        after["elements"][code] = {"single_level": draw(amounts), "rolled_up": draw(amounts)}
    for code in draw(st.lists(st.sampled_from(["1199", "5000"]), unique=True)):
        after["totals"][code] = draw(amounts)
    for line in after["charges"]:
        if draw(st.booleans()):
            line["value"] = draw(amounts)
    after["unit_cost"] = draw(amounts)
    return before, after


@given(perturbed())
def test_before_plus_delta_is_after(pair):
    before, after = pair
    for change in diff(before, after).changes:
        if change.numeric:
            start = D(change.before) if change.before is not None else D(0)
            end = D(change.after) if change.after is not None else D(0)
            assert CONTEXT.add(start, change.delta) == end


@given(perturbed())
def test_diff_is_antisymmetric(pair):
    before, after = pair
    forward = _by_place(diff(before, after))
    backward = _by_place(diff(after, before))
    assert forward.keys() == backward.keys()
    for place, change in forward.items():
        assert (change.before, change.after) == (backward[place].after, backward[place].before)
        if change.delta is not None:
            assert backward[place].delta == -change.delta


@given(perturbed())
def test_no_change_is_reported_for_equal_amounts(pair):
    before, after = pair
    for change in diff(before, after).changes:
        if change.numeric and change.before is not None and change.after is not None:
            assert D(change.before) != D(change.after)
