"""A failed item always says why, however often and in whatever order it is asked for (review item B3).

The calculator's memo is shared by every item of ``calculate_many`` (and of
``costsheet calc --all``): a component that failed once must still explain
the failure of every item above it asked for later, and of itself when asked
again.
"""

from __future__ import annotations

import json

import attrs
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from costsheet.cli import main
from costsheet.costing import Calculator, calculate_many, plan_program
from costsheet.costing.failures import MAX_CHAIN
from costsheet.model import BomLine
from costsheet.numbers import D

from .support import CHART, DATE, load

#: A is bought at direct-unit-cost with no price line (no-valid-price); B and C are made of A; T of B.
SHARED = """
item A "Bought" { cost-base direct-unit-cost }
item B "Made" { replenishment prod-order bom { A 1 } }
item C "Made too" { replenishment prod-order bom { A 2 } }
item T "Top" { replenishment prod-order bom { B 1 } }
item OK "Fine" { unit-cost 1 }
"""


def _source_at(span) -> str:
    """The text of CHART + SHARED from a span's start (the support module loads them as one file)."""
    return (CHART + SHARED).splitlines()[span.line - 1][span.column - 1 :]


def _many(order, text=SHARED):
    return {code: (result, found) for code, result, found in calculate_many(load(text).model, order, date=DATE)}


def _errors(found):
    return [d for d in found if d.is_error]


def test_every_failed_item_of_calculate_many_says_why():
    """The reproduction of B3: A fails first, then B and C reported no reason at all."""
    answers = _many(["A", "B", "C"])
    assert [d.code for d in answers["A"][1]] == ["no-valid-price"]
    for parent, quantity in (("B", "1"), ("C", "2")):
        result, found = answers[parent]
        assert result is None
        [failed] = found
        assert failed.code == "component-failed" and failed.is_error
        assert f"({parent} -> A)" in failed.message
        assert "item A has no price line valid on 2026-06-15" in failed.message  # the component's own reason
        assert _source_at(failed.span).startswith(f"A {quantity}")  # at the parent's BOM line for A
        assert failed.hint and "no-valid-price" in failed.hint


def test_a_failed_item_asked_for_again_repeats_its_own_error():
    """Parents first: A's error is met while costing C, then B and A are answered from the memo."""
    answers = _many(["C", "B", "A"])
    assert [d.code for d in answers["C"][1]] == ["no-valid-price", "component-failed"]
    assert [d.code for d in answers["B"][1]] == ["component-failed"]
    assert [d.code for d in answers["A"][1]] == ["no-valid-price"]
    assert answers["A"][1][0] == answers["C"][1][0]


def test_the_chain_names_every_level_down_to_the_failed_item():
    answers = _many(["A", "T"])
    [failed] = answers["T"][1]
    assert failed.code == "component-failed" and "(T -> B -> A)" in failed.message
    assert "component B failed" in failed.message
    assert _source_at(failed.span).startswith("B 1")


def test_working_items_are_unaffected_and_get_no_diagnostics():
    answers = _many(["A", "OK", "B"])
    result, found = answers["OK"]
    assert result is not None and result.unit_cost == D(1) and found == ()


def test_calculator_cost_after_a_failure_in_the_same_calculator_says_why():
    """``calculate(model, "B")`` alone after A failed in the same Calculator must say why."""
    model = load(SHARED).model
    calculator = Calculator(plan_program(model), DATE)
    assert calculator.cost("A") is None
    start = len(calculator.diagnostics)
    assert calculator.cost("B") is None
    [failed] = calculator.diagnostics[start:]
    assert failed.code == "component-failed" and "(B -> A)" in failed.message
    start = len(calculator.diagnostics)
    assert calculator.cost("A") is None
    assert [d.code for d in calculator.diagnostics[start:]] == ["no-valid-price"]


def test_each_item_of_a_bom_cycle_says_why():
    """A cycle from outside the checker (CSV data): the item whose line closes it fails with `bom-cycle`,
    the others through it with `component-failed`; asked for again, each still has its reason."""
    model = load('item X "X" { replenishment prod-order }  item Y "Y" { replenishment prod-order }').model
    items = dict(model.items)
    items["X"] = attrs.evolve(items["X"], bom=(BomLine("Y", D(1)),))
    items["Y"] = attrs.evolve(items["Y"], bom=(BomLine("X", D(1)),))
    model = attrs.evolve(model, items=items)
    first = list(calculate_many(model, ["X", "Y", "X"], date=DATE))
    assert [d.code for d in first[0][2]] == ["bom-cycle", "component-failed"]
    assert "X -> Y -> X" in first[0][2][0].message and "(X -> Y)" in first[0][2][1].message
    assert [d.code for d in first[1][2]] == ["bom-cycle"]
    assert [d.code for d in first[2][2]] == ["component-failed"]
    assert all(result is None and _errors(found) for _, result, found in first)


def test_a_failure_under_a_deep_bom_is_cheap_and_its_chain_is_shortened():
    """3,000 levels over a failing leaf: no recursion, and the message names the first levels and the leaf."""
    lines = ['item L0 "L0" { cost-base direct-unit-cost }']
    lines += [f'item L{i} "L{i}" {{ replenishment prod-order bom {{ L{i - 1} 1 }} }}' for i in range(1, 3000)]
    model = load("\n".join(lines)).model
    answers = list(calculate_many(model, ["L2999", "L1500"], date=DATE))
    top = answers[0][2]
    assert [d.code for d in top] == ["no-valid-price", "component-failed"]
    message = top[1].message
    assert "(L2999 -> L2998 -> " in message and "-> L0)" in message
    assert f"({3000 - MAX_CHAIN + 1} more)" in message and len(message) < 300
    assert [d.code for d in answers[1][2]] == ["component-failed"]


@given(st.data())
def test_property_every_failed_item_has_an_error_whatever_the_order(data):
    """Random DAGs with random failing leaves, asked for in a random order with repeats: an item has a
    result or at least one error; the results do not depend on the order."""
    count = data.draw(st.integers(2, 9))
    text = []
    for index in range(count):
        if index < 2 or data.draw(st.booleans()):
            base = "cost-base direct-unit-cost" if data.draw(st.booleans()) else "unit-cost 3"
            text.append(f'item I{index} "I" {{ {base} }}')
        else:
            components = data.draw(st.lists(st.integers(0, index - 1), min_size=1, max_size=3, unique=True))
            bom = " ".join(f"I{c} 2" for c in components)
            text.append(f'item I{index} "I" {{ replenishment prod-order bom {{ {bom} }} }}')
    model = load("\n".join(text)).model
    codes = [f"I{i}" for i in range(count)]
    order = data.draw(st.lists(st.sampled_from(codes), min_size=1, max_size=2 * count))
    alone = {code: result for code, result, _ in (next(calculate_many(model, [code], date=DATE)) for code in codes)}
    for code, result, found in calculate_many(model, order, date=DATE):
        assert (result is None) == (alone[code] is None)
        if result is None:
            assert _errors(found), (code, order)
        else:
            assert result.unit_cost == alone[code].unit_cost and not found


def test_calc_all_prints_a_reason_for_every_failed_item(tmp_path):
    """``costsheet calc RULESET --all``: the CLI shows the engine's diagnostics per item (no special case)."""
    path = tmp_path / "shared.cost"
    path.write_text(CHART + SHARED, encoding="utf-8")
    result = CliRunner().invoke(main, ["calc", str(path), "--all", "--date", "2026-06-15", "--format", "json"])
    assert result.exit_code == 1, result.output
    text = result.output
    for item in ("B -> A", "C -> A", "T -> B -> A"):
        assert item in text, text
    assert json.loads(text)  # still one JSON document
