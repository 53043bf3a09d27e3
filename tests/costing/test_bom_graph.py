"""The costing BOM is a graph, each item once, and its tree expansion stops at a row limit (issue 8, item 7).

A diamond BOM (each level using the next twice) has 2^n paths: as a tree the
result of a 5 KB ruleset was a gigabyte.  As a graph its size grows with the
number of distinct items; renderers expand it with :func:`bom_tree`, which
stops at a row limit and counts the rows it left out without expanding them.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costsheet.costing import BomComponent, BomNode, bom_tree
from costsheet.numbers import CONTEXT, ONE, D

from .support import cost, total

#: T uses S twice and K once, S uses K three times: K is reached on two paths, and appears once.
TREE = """
workcenter WC "Work center" { direct-unit-cost 60.00/h }
item K "Part" { unit-cost 2 indirect-cost 10 }
item S "Sub" { replenishment prod-order bom { K 3 } routing { 10 WC run 1min } }
item T "Top" { replenishment prod-order lot-size 5 bom { S 2 K 1 } }
"""


def _amounts(single: str, rolled: str) -> dict[str, str]:
    return {"single_level": single, "rolled_up": rolled}


def test_the_costing_bom_is_a_graph_with_each_item_once():
    assert cost(TREE, "T").to_dict()["bom"] == {
        "root": "T",
        "nodes": {
            "T": {
                "description": "Top",
                "replenishment": "prod-order",
                "lot_size": "5",
                "unit_cost": "17.40",
                "elements": {
                    "1110": _amounts("17.40", "14"),
                    "1120": _amounts("0", "1.4"),
                    "2110": _amounts("0", "2.00"),
                },
                "bom_version": "undated",
                "lines": [{"component": "S", "quantity": "2"}, {"component": "K", "quantity": "1"}],
                "operations": [],
            },
            "S": {
                "description": "Sub",
                "replenishment": "prod-order",
                "lot_size": "1",
                "unit_cost": "7.60",
                "elements": {
                    "1110": _amounts("6.6", "6"),
                    "1120": _amounts("0", "0.6"),
                    "2110": _amounts("1.00", "1.00"),
                },
                "bom_version": "undated",
                "routing_version": "undated",
                "lines": [{"component": "K", "quantity": "3"}],
                "operations": [
                    {"operation": "10", "resource": "WC", "seconds": "60", "direct": "1.00", "overhead": "0.00"}
                ],
            },
            "K": {
                "description": "Part",
                "replenishment": "purchase",
                "lot_size": "1",
                "unit_cost": "2.2",
                "elements": {"1110": _amounts("2", "2"), "1120": _amounts("0.2", "0.2")},
                "lines": [],
                "operations": [],
            },
        },
    }


def test_a_lot_size_asked_for_is_the_roots_and_components_keep_their_own():
    nodes = cost(TREE, "T", lot_size="25").to_dict()["bom"]["nodes"]
    assert (nodes["T"]["lot_size"], nodes["S"]["lot_size"], nodes["K"]["lot_size"]) == ("25", "1", "1")


def test_node_elements_are_the_items_own_breakdown_without_zeros():
    """The root's node holds the non-zero part of the top-level elements; every node's breakdowns sum to
    its unit cost, exactly, as the top level's do."""
    data = cost(TREE, "T").to_dict()
    root = data["bom"]["nodes"]["T"]
    assert root["elements"] == {
        code: amounts
        for code, amounts in data["elements"].items()
        if D(amounts["single_level"]) or D(amounts["rolled_up"])
    }
    for node in data["bom"]["nodes"].values():
        for breakdown in ("single_level", "rolled_up"):
            assert total({code: D(a[breakdown]) for code, a in node["elements"].items()}) == D(node["unit_cost"])


def test_explode_bom_single_level_keeps_the_root_and_its_direct_components():
    """The direct components appear, unexpanded (no lines, no operations), so no line names a missing node."""
    graph = cost(TREE + "setup { explode-bom single-level }", "T").to_dict()["bom"]
    assert list(graph["nodes"]) == ["T", "S", "K"]
    assert [line["component"] for line in graph["nodes"]["T"]["lines"]] == ["S", "K"]
    for code in ("S", "K"):
        assert "lines" not in graph["nodes"][code] and "operations" not in graph["nodes"][code]
    chain = """
        item C "Bottom" { unit-cost 1 }
        item B "Middle" { replenishment prod-order bom { C 1 } }
        item A "Top" { replenishment prod-order bom { B 1 } }
        setup { explode-bom single-level }"""
    assert list(cost(chain, "A").to_dict()["bom"]["nodes"]) == ["A", "B"]  # C is two levels down


def _diamond(levels: int) -> str:
    lines = ['item L0 "Leaf" { unit-cost 1 }']
    lines += [
        f'item L{i} "Level {i}" {{ replenishment prod-order bom {{ L{i - 1} 1 L{i - 1} 1 }} }}'
        for i in range(1, levels)
    ]
    return "\n".join(lines)


def test_a_diamond_bom_grows_with_its_items_not_with_its_paths():
    """The reproducer: 20 levels, each using the next twice (a million paths), a few KB of JSON."""
    result = cost(_diamond(20), "L19")
    assert result.unit_cost == 2**19
    text = json.dumps(result.to_dict())
    graph = json.loads(text)["bom"]
    assert len(graph["nodes"]) == 20 and len(text) < 12_000
    assert graph["nodes"]["L19"]["lines"] == [{"component": "L18", "quantity": "1"}] * 2
    tree = bom_tree(result.bom, max_rows=50)
    assert len(tree.rows) == 50 and tree.total_rows == 2**20 - 1  # rows(L_k) = 1 + 2 rows(L_k-1)
    assert [row.level for row in tree.rows[:21]] == [*range(20), 19]  # depth first, in line order


def test_the_tree_of_a_hundred_level_diamond_counts_its_rows_without_expanding_them():
    result = cost(_diamond(100), "L99")
    tree = bom_tree(result.bom, max_rows=10, max_depth=None)
    assert tree.left_out == 2**100 - 1 - 10
    assert bom_tree(result.bom, max_rows=10, max_depth=3).total_rows == 1 + 2 + 4 + 8


# ------------------------------------------------------------ the tree expansion, against a recursive one


def _graph(draw) -> BomNode:
    """A random DAG of BomNodes built bottom-up; node i uses some of the nodes before it."""
    nodes: list[BomNode] = []
    for index in range(draw(st.integers(1, 8))):
        components = ()
        if index:
            picks = draw(st.lists(st.integers(0, index - 1), max_size=3))
            components = tuple(BomComponent(D(draw(st.integers(1, 5))), nodes[pick]) for pick in picks)
        nodes.append(
            BomNode(
                item=f"I{index}",
                description=f"item {index}",
                replenishment="prod-order",
                lot_size=ONE,
                unit_cost=D(index),
                components=components,
            )
        )
    return nodes[-1]


def _recursive_tree(node: BomNode, depth: int | None, level: int = 0, quantity=None, per_root=ONE) -> list:
    cut = depth is not None and level == depth and bool(node.components)
    rows = [(level, node.item, quantity, per_root, cut)]
    if depth is None or level < depth:
        for component in node.components:
            rows += _recursive_tree(
                component.node, depth, level + 1, component.quantity, CONTEXT.multiply(per_root, component.quantity)
            )
    return rows


@given(st.data())
def test_property_the_tree_is_the_recursive_expansion_cut_at_the_row_limit(data):
    root = _graph(data.draw)
    depth = data.draw(st.none() | st.integers(0, 4))
    limit = data.draw(st.none() | st.integers(0, 30))
    full = _recursive_tree(root, depth)
    tree = bom_tree(root, max_rows=limit, max_depth=depth)
    shown = [(r.level, r.node.item, r.quantity, r.total_quantity, r.cut) for r in tree.rows]
    assert shown == full[:limit]
    assert tree.left_out == len(full) - len(shown) and tree.total_rows == len(full)


@given(st.data())
def test_property_the_graph_json_reads_back_as_the_same_graph(data):
    root = _graph(data.draw)
    graph = root.to_dict()
    assert set(graph["nodes"]) == {node.item for node in root.walk()}  # each distinct item once
    again = BomNode.from_json(json.loads(json.dumps(graph)))
    assert again.to_dict() == graph


@pytest.mark.parametrize(
    "graph, complaint",
    [
        ({"item": "T", "components": []}, "is {"),  # the tree of earlier versions
        ({"root": "T", "nodes": {}}, "root T"),
        (
            {
                "root": "T",
                "nodes": {"T": {"lot_size": "1", "unit_cost": "1", "lines": [{"component": "X", "quantity": "1"}]}},
            },
            "names X",
        ),
        (
            {
                "root": "A",
                "nodes": {
                    "A": {"lot_size": "1", "unit_cost": "1", "lines": [{"component": "B", "quantity": "1"}]},
                    "B": {"lot_size": "1", "unit_cost": "1", "lines": [{"component": "A", "quantity": "1"}]},
                },
            },
            "inside itself",
        ),
        ({"root": "T", "nodes": {"T": {"lot_size": "one", "unit_cost": "1"}}}, "node T"),
        ({"root": "T", "nodes": {"T": {"lot_size": "1", "unit_cost": "1", "lines": "K"}}}, "lines of T"),
    ],
)
def test_what_is_not_a_costing_bom_graph_is_a_value_error(graph, complaint):
    with pytest.raises(ValueError, match=complaint):
        BomNode.from_json(graph)


def test_nodes_compare_by_identity_and_show_their_components_by_item():
    result = cost(TREE, "T")
    assert result.bom == result.bom and result.bom != cost(TREE, "T").bom
    assert "node=<BomNode S>" in repr(result.bom)
