"""The where-used index (costsheet.whereused): each kind on the demo and on rulesets written for one
shape each, against the costing engine where it has the same answer, and properties over random BOM
graphs against a naive search."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costing.support import DATE, load
from costsheet.costing import Calculator, calculate
from costsheet.model import BomLine, Item, Model, frozen_map
from costsheet.numbers import D
from costsheet.whereused import MAX_PATHS, Kind, build_index

DEMO = Path(__file__).resolve().parents[2] / "rulesets" / "demo.cost"


@pytest.fixture(scope="module")
def demo():
    ruleset = costsheet.load(str(DEMO))
    return ruleset, build_index(ruleset.model)


def rows(answer) -> dict:
    return {row.item: row for row in answer.items}


# ---------------------------------------------------------------- each kind on the demo


def _bom_quantity(node, code: str):
    """The quantity of ``code`` per unit of ``node``'s item, summed over every path of the engine's costing BOM."""
    total = D(0)
    for component in node.components:
        below = D(1) if component.node.item == code else _bom_quantity(component.node, code)
        total += component.quantity * below
    return total


def test_a_component_reaches_every_item_above_it_with_the_costing_bom_quantities(demo):
    ruleset, index = demo
    for code in ruleset.model.items:
        answer = index.where_used(code, Kind.ITEM)
        for row in answer.items:
            result, _ = calculate(ruleset.model, row.item, date=DATE, program=ruleset.program)
            assert row.per_unit == _bom_quantity(result.bom, code), (code, row.item)
    spoke = rows(index.where_used("ICO-0005", Kind.ITEM))
    assert set(spoke) == {"ICO-0002", "ICO-0008", "ICO-0001"}
    bike = spoke["ICO-0001"]
    assert bike.top and bike.depth == 1 and bike.path_count == 2
    assert bike.paths == (("ICO-0001", "ICO-0002", "ICO-0005"), ("ICO-0001", "ICO-0008", "ICO-0005"))
    assert index.where_used("ICO-0001", Kind.ITEM).items == ()  # the top item is used by nothing


def test_the_index_applies_scrap_as_the_engine_prepares_bom_lines(demo):
    ruleset, index = demo
    calculator = Calculator(ruleset.program, DATE)
    for code, item in ruleset.model.items.items():
        if item.replenishment == "purchase":
            continue
        for position, (component, quantity, _) in enumerate(calculator.bom_of(item), 1):
            assert (code, position, quantity) in index.parents[component]


def test_a_resource_reaches_the_items_routing_on_it_with_the_time_per_unit(demo):
    ruleset, index = demo
    machine = index.where_used("MC-110", Kind.RESOURCE)
    wheel = ruleset.model.items["ICO-0002"]
    operation = next(line for line in wheel.routing if line.resource == "MC-110")
    own = (operation.run_seconds * (1 + wheel.scrap / 100) * wheel.lot_size + operation.setup_seconds) / wheel.lot_size
    found = rows(machine)
    assert found["ICO-0002"].per_unit == own
    bike = ruleset.model.items["ICO-0001"]
    wheels = next(line for line in bike.bom if line.component == "ICO-0002")
    bike_own = sum(u.per_unit for u in machine.uses if u.item == "ICO-0001")
    assert found["ICO-0001"].per_unit == bike_own + own * wheels.quantity * (1 + wheels.scrap / 100) * (
        1 + bike.scrap / 100
    )
    # a work center is reached through its machine centers too, one hop more in the path
    center = index.where_used("WC-100", Kind.RESOURCE)
    assert {u.detail for u in center.uses} >= {u.detail for u in machine.uses}
    assert ("ICO-0002", "MC-110", "WC-100") in rows(center)["ICO-0002"].paths
    assert rows(center)["ICO-0002"].per_unit > found["ICO-0002"].per_unit


def test_a_condition_reaches_its_items_and_its_resources_items_and_the_setup_defaults(demo):
    ruleset, index = demo
    model = ruleset.model
    plain = index.where_used("M-BASE", Kind.CONDITION)
    defaulted = {
        code for code, item in model.items.items() if item.replenishment == "purchase" and not item.material_condition
    }
    assert {u.item for u in plain.uses if u.via == "default-material"} == defaulted
    subcontract = index.where_used("C-SUB", Kind.CONDITION)  # the setup's default subcontract, for WC-PAINT
    assert [(u.item, u.via, u.hops) for u in subcontract.uses] == [("ICO-0002", "resource-condition", ("WC-PAINT",))]
    assert set(rows(subcontract)) == {"ICO-0002", "ICO-0001"}
    retail = index.where_used("LP-RETAIL", Kind.CONDITION)  # a charge condition: no parent pays its charges
    assert [(r.item, r.depth) for r in retail.items] == [("ICO-0001", 0)] and not retail.uses[0].rolls_up


def test_an_element_reaches_the_items_whose_breakdown_carries_it(demo):
    ruleset, index = demo
    program = ruleset.program
    for element in [line.code for line in ruleset.model.chart.elements]:
        reached = set(rows(index.where_used(element, Kind.ELEMENT)))
        for code in ruleset.model.items:
            result, _ = calculate(ruleset.model, code, date=DATE, program=program)
            carried = bool(
                result.rolled_up.get(element)
                or result.single_level.get(element)
                or any(c.element == element and c.value for c in result.charges)
            )
            if carried:  # statically, the index may say "can carry" where the amount is 0
                assert code in reached, (element, code)
    kit = rows(index.where_used("4110", Kind.ELEMENT))  # the assembly element: only the assembly item and above
    assert set(kit) == {"ICO-0008", "ICO-0001"}
    assert "ICO-0008" not in {u.item for u in index.where_used("1110", Kind.ELEMENT).uses}  # P-BASE's direct replaced


def test_a_vendor_reaches_its_items_and_on_a_date_only_through_valid_lines(demo):
    _, index = demo
    spokes = index.where_used("V-1000", Kind.VENDOR)
    assert [(u.item, u.via) for u in spokes.uses] == [("ICO-0005", "vendor"), ("ICO-0006", "vendor")]
    assert set(rows(spokes)) == {"ICO-0005", "ICO-0006", "ICO-0002", "ICO-0008", "ICO-0001"}
    assert "2 price lines" in spokes.uses[0].detail and "discount" not in spokes.uses[1].detail
    before = index.where_used("V-1000", Kind.VENDOR, dt.date(2024, 12, 31))  # every line starts in 2025
    assert [u.item for u in before.uses] == ["ICO-0005", "ICO-0006"]  # they name it: on every date
    assert before.uses[0].detail == "vendor of ICO-0005"  # its price and discount lines start later
    frame = index.where_used("V-3000", Kind.VENDOR, dt.date(2026, 1, 1))
    assert "1 price line " in frame.uses[0].detail + " "


def test_kinds_of_a_code(demo):
    _, index = demo
    assert index.kinds_of("ICO-0001") == (Kind.ITEM,)
    assert index.kinds_of("MC-110") == (Kind.RESOURCE,)
    assert index.kinds_of("1110") == (Kind.ELEMENT,)
    assert index.kinds_of("5000") == ()  # a total, not an element
    assert index.kinds_of("NOPE") == ()


def test_affected_is_the_cone_in_costing_order(demo):
    _, index = demo
    assert index.affected(["ICO-0005"]) == {"ICO-0005", "ICO-0002", "ICO-0008", "ICO-0001"}
    order = index.costing_order(index.affected(["ICO-0005"]))
    assert order.index("ICO-0005") < order.index("ICO-0002") < order.index("ICO-0001")
    assert order.index("ICO-0008") < order.index("ICO-0001")
    assert index.affected_by("LP-RETAIL", Kind.CONDITION) == {"ICO-0001"}
    assert index.affected_by("V-3000", Kind.VENDOR) == {"ICO-0003", "ICO-0001"}


# ---------------------------------------------------------------- shapes written for the purpose


def test_a_diamond_lists_both_paths_and_sums_the_quantities():
    index = build_index(
        load("""
item K "Part" { unit-cost 1 }
item L "Left"  { replenishment prod-order bom { K 2 } }
item R "Right" { replenishment prod-order scrap 10% bom { K 3 scrap 5% } }
item T "Top"   { replenishment prod-order bom { L 1.5 R 2 } }
""").model
    )
    top = rows(index.where_used("K", Kind.ITEM))["T"]
    assert top.paths == (("T", "L", "K"), ("T", "R", "K")) and top.path_count == 2
    assert top.per_unit == D("1.5") * 2 + 2 * (3 * D("1.05") * D("1.1"))


def test_a_purchased_item_is_no_parent_and_conditions_follow_the_assembly_setup():
    index = build_index(
        load("""
item K "Part" { unit-cost 1 }
item P "Bought with a BOM" { unit-cost 5 bom { K 1 } }
item A "Kit" { replenishment assembly bom { K 1 } }
""").model
    )
    assert [row.item for row in index.where_used("K", Kind.ITEM).items] == ["A"]  # P's BOM is never read
    assert set(rows(index.where_used("4110", Kind.ELEMENT))) == {"A"}
    direct = index.where_used("1110", Kind.ELEMENT)
    assert {u.item for u in direct.uses} == {"K", "P"}  # A's P-BASE direct 1110 is replaced by 4110 ...
    assert rows(direct)["A"].depth == 1  # ... but A's rolled-up breakdown carries K's 1110


@pytest.mark.thorough
def test_a_long_chain_does_not_recurse():
    levels = 5000
    text = ['item L0 "Leaf" { unit-cost 1 }']
    text += [f'item L{i} "Level {i}" {{ replenishment prod-order bom {{ L{i - 1} 1 }} }}' for i in range(1, levels)]
    index = build_index(load("\n".join(text)).model)
    top = rows(index.where_used("L0", Kind.ITEM))[f"L{levels - 1}"]
    assert top.depth == levels - 2 and top.per_unit == 1 and len(top.paths[0]) == levels
    assert len(index.affected(["L0"])) == levels


def test_a_cycle_does_not_loop():
    """A checked model has no cycle; one built in code may, and the index still answers."""
    items = {
        "K": Item("K", unit_cost=D(1)),
        "A": Item("A", replenishment="prod-order", bom=(BomLine("B", D(1)), BomLine("K", D(2)))),
        "B": Item("B", replenishment="prod-order", bom=(BomLine("A", D(1)),)),
        "T": Item("T", replenishment="prod-order", bom=(BomLine("A", D(3)),)),
        "S": Item("S", replenishment="prod-order", bom=(BomLine("S", D(1)),)),
    }
    index = build_index(Model(items=frozen_map(items)))
    assert index.cyclic == {"A", "B", "S"}
    found = rows(index.where_used("K", Kind.ITEM))
    assert set(found) == {"A", "B", "T"}
    assert all(found[code].per_unit is None and found[code].path_count is None for code in found)
    assert found["T"].paths == (("T", "A", "K"),)
    assert index.affected(["K"]) == {"K", "A", "B", "T"}
    assert index.affected(["S"]) == {"S"}
    assert [row.item for row in index.where_used("S", Kind.ITEM).items] == ["S"]


# ---------------------------------------------------------------- properties over random DAGs

QUANTITIES = [D("1"), D("2"), D("3"), D("0.5"), D("1.5")]


@st.composite
def dags(draw):
    """A model of up to 7 items: item i's BOM lines name lower-numbered items (repeats allowed)."""
    size = draw(st.integers(2, 7))
    items = {}
    for i in range(size):
        code = f"I{i}"
        purchased = i == 0 or (draw(st.booleans()) and i < 2)
        lines = (
            ()
            if purchased
            else tuple(
                BomLine(
                    f"I{draw(st.integers(0, i - 1))}",
                    draw(st.sampled_from(QUANTITIES)),
                    draw(st.sampled_from([D(0), D(10)])),
                )
                for _ in range(draw(st.integers(0, 3)))
            )
        )
        items[code] = Item(
            code,
            replenishment="purchase" if purchased else "prod-order",
            scrap=draw(st.sampled_from([D(0), D(10)])),
            bom=lines,
        )
    return Model(items=frozen_map(items))


def _naive_paths(model: Model, start: str, target: str) -> list[tuple[tuple[str, ...], Fraction]]:
    """Every path from ``start`` down to ``target`` with its quantity (exact fractions): first the
    item's own lines of ``target``, then through its other components in BOM line order."""
    item = model.items[start]
    if item.replenishment == "purchase":
        return []

    def quantity(line) -> Fraction:
        return Fraction(line.quantity) * (1 + Fraction(line.scrap) / 100) * (1 + Fraction(item.scrap) / 100)

    found = [((start, target), quantity(line)) for line in item.bom if line.component == target]
    for line in item.bom:
        if line.component != target:
            found += [((start, *path), quantity(line) * q) for path, q in _naive_paths(model, line.component, target)]
    return found


@given(dags())
def test_reverse_bom_answers_equal_a_naive_search(model):
    index = build_index(model)
    parents = {
        code: {
            p
            for p, item in model.items.items()
            if item.replenishment != "purchase" and any(line.component == code for line in item.bom)
        }
        for code in model.items
    }
    for target in model.items:
        answer = rows(index.where_used(target, Kind.ITEM))
        expected = {start: _naive_paths(model, start, target) for start in model.items}
        expected = {start: paths for start, paths in expected.items() if paths}
        assert set(answer) == set(expected)
        for start, paths in expected.items():
            row = answer[start]
            assert row.path_count == len(paths)
            assert Fraction(row.per_unit) == sum(q for _, q in paths)
            assert list(row.paths) == [path for path, _ in paths][:MAX_PATHS]
            assert row.depth == min(len(path) for path, _ in paths) - 2
            assert row.top == (not parents[start])


@given(dags(), st.data())
def test_affected_equals_the_naive_closure_in_costing_order(model, data):
    index = build_index(model)
    changed = data.draw(st.sets(st.sampled_from(sorted(model.items))))
    closure = set(changed)
    while True:
        more = {
            p
            for p, item in model.items.items()
            if item.replenishment != "purchase" and any(line.component in closure for line in item.bom)
        } - closure
        if not more:
            break
        closure |= more
    assert index.affected(changed) == closure
    order = index.costing_order(closure)
    assert sorted(order) == sorted(closure)
    for position, code in enumerate(order):
        item = model.items[code]
        if item.replenishment != "purchase":
            assert all(order.index(line.component) < position for line in item.bom if line.component in closure)
