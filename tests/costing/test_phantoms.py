"""Phantom items exploded into their parents (docs/costing.md, "Phantoms")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costsheet.costing import BomNode, bom_tree, calculate, calculate_many
from costsheet.numbers import D

from .support import cost, diagnose, total

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "realism" / "phantoms.cost"
DAY = dt.date(2026, 3, 1)


def _model():
    return costsheet.load(EXAMPLE.read_text(), file=str(EXAMPLE)).model


def test_a_phantom_is_exploded_into_its_parent():
    # FRAME 40 + 2 x RIM 5 + 2 x 0.36 BOX = 72 PCS x 0.11 + 30/h x (42min + 2 x 6min)
    result, diagnostics = calculate(_model(), "BIKE", date=DAY, explain=True)
    assert not diagnostics and result is not None
    assert result.unit_cost == D("84.92")
    assert total(result.single_level) == total(result.rolled_up) == result.unit_cost
    sources = [step.source for step in result.explain]
    assert "operation WHEELSET 50 on WC1" in sources and "BOM line RIM" in sources
    rim = next(step for step in result.explain if step.source == "BOM line RIM")
    assert rim.detail.endswith(", from phantom WHEELSET")
    nodes = result.to_dict()["bom"]["nodes"]
    assert "WHEELSET" not in nodes and {"RIM", "SPOKE", "FRAME"} <= set(nodes)


def test_each_exploded_line_names_its_phantom_in_the_json_the_tree_and_the_read_back():
    result, _ = calculate(_model(), "BIKE", date=DAY)
    assert result is not None and result.bom is not None
    lines = result.to_dict()["bom"]["nodes"]["BIKE"]["lines"]
    assert [(line["component"], line.get("phantom")) for line in lines] == [
        ("FRAME", None),
        ("RIM", "WHEELSET"),
        ("SPOKE", "WHEELSET"),
    ]
    tree = bom_tree(result.bom, max_rows=None)
    assert [(row.node.item, row.phantom) for row in tree.rows] == [
        ("BIKE", None),
        ("FRAME", None),
        ("RIM", "WHEELSET"),
        ("SPOKE", "WHEELSET"),
    ]
    assert [row.label for row in tree.rows][2:] == ["Rim (from phantom WHEELSET)", "Spoke (from phantom WHEELSET)"]
    read_back = BomNode.from_json(result.to_dict()["bom"])
    assert [c.phantom for c in read_back.components] == [None, "WHEELSET", "WHEELSET"]


def test_a_line_of_a_phantom_in_a_phantom_names_the_path():
    # Q is declared before P, so P is exploded (its lines and operations naming Q) before T takes it in
    result = cost(NESTED.format(k=1, q=1, s=0, p=1, run=1, lot=1, t=0), "T", explain=True)
    assert result.bom is not None
    assert [(c.node.item, c.phantom) for c in result.bom.components] == [("K", "P/Q"), ("L", "P")]
    operations = [step.source for step in result.explain if step.source.startswith("operation")]
    assert operations == ["operation P 7 on WC", "operation P/Q 5 on WC"]


def test_calc_of_a_phantom_is_an_error_and_all_leaves_phantoms_out():
    result, diagnostics = calculate(_model(), "WHEELSET", date=DAY)
    assert result is None and [d.code for d in diagnostics] == ["phantom-item"]
    assert "WHEELSET" not in [code for code, _, _ in calculate_many(_model(), date=DAY)]


NESTED = """
workcenter WC "Work" {{ direct-unit-cost 60.00/h }}
item K "Part" {{ unit-cost 1.25  indirect-cost 10 }}
item L "Other part" {{ unit-cost 0.40 }}
item Q "Inner phantom" {{ replenishment phantom  bom {{ K {k} }}  routing {{ 5 WC run {run}min }} }}
item P "Outer phantom" {{
  replenishment phantom  bom {{ Q {q} scrap {s}%  L 2 }}  routing {{ 7 WC setup 10min run 1min }}
}}
item T "Top" {{ replenishment prod-order  lot-size {lot}  scrap {t}%  bom {{ P {p} }} }}
"""
BY_HAND = """
workcenter WC "Work" {{ direct-unit-cost 60.00/h }}
item K "Part" {{ unit-cost 1.25  indirect-cost 10 }}
item L "Other part" {{ unit-cost 0.40 }}
item T "Top" {{
  replenishment prod-order  lot-size {lot}  scrap {t}%
  bom {{ K {kq}  L {lq} }}
  routing {{ 7 WC setup 10min run {r7}min  5 WC run {r5}min }}
}}
"""


@given(
    k=st.integers(1, 9),
    q=st.integers(1, 9),
    s=st.integers(0, 9),
    p=st.integers(1, 5),
    run=st.integers(0, 9),
    lot=st.integers(1, 12),
    t=st.integers(0, 5),
)
def test_a_phantom_exploded_by_hand_equals_the_phantom(k, q, s, p, run, lot, t):
    scrap = Decimal(1) + Decimal(s) / 100
    outer = Decimal(p)
    inner = outer * q * scrap
    by_hand = BY_HAND.format(lot=lot, t=t, kq=inner * k, lq=outer * 2, r7=outer * 1, r5=inner * run)
    phantom = cost(NESTED.format(k=k, q=q, s=s, p=p, run=run, lot=lot, t=t), "T")
    assert phantom.unit_cost == cost(by_hand, "T").unit_cost
    assert total(phantom.single_level) == total(phantom.rolled_up) == phantom.unit_cost


def test_a_cycle_through_phantoms_is_named():
    text = """
item A "a" { replenishment phantom  bom { B 1 } }
item B "b" { replenishment phantom  bom { A 1 } }
item T "t" { replenishment prod-order  bom { A 1 } }
"""
    _, diagnostics = diagnose(text, "T")
    assert any(d.code == "bom-cycle" and "A -> B -> A" in d.message for d in diagnostics)
