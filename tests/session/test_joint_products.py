"""The session follows by-product and co-product edges: a by-product's cost change re-costs its
producers, a producer's change re-costs its co-products, and a co-product line removed re-costs
the item it named; each time as a fresh load does (tests/data/realism/section14.cost)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import costsheet
from costsheet.numbers import D

DATE = dt.date(2026, 6, 1)
TEXT = (Path(__file__).resolve().parents[1] / "data" / "realism" / "section14.cost").read_text()

# Hand figures (tests/costing/test_joint_products.py): BIKE gross 85.5932, SCRAP-AL credit 0.25 x its cost.
EDITS = [
    # SCRAP-AL 1.20 -> 2.00: credit 0.50, 85.0932; BIKE-KIT 10% = 8.50932, BIKE 76.58388
    (
        'item SCRAP-AL "Aluminium scrap" { unit-cost 1.20 }',
        'item SCRAP-AL "Aluminium scrap" { unit-cost 2.00 }',
        {
            "BIKE": "76.58388",
            "BIKE-KIT": "8.50932",
        },
    ),
    # FRAME 40 -> 50: 95.2932 after the credit; BIKE-KIT 9.52932, BIKE 85.76388
    (
        'item FRAME "Frame" { unit-cost 40.00 }',
        'item FRAME "Frame" { unit-cost 50.00 }',
        {
            "BIKE": "85.76388",
            "BIKE-KIT": "9.52932",
        },
    ),
    # no co-product any more: BIKE keeps 85.2932, BIKE-KIT (no BOM) costs 0
    ("  coproduct BIKE-KIT 1 share 10%", "", {"BIKE": "85.2932", "BIKE-KIT": "0"}),
    # a share of 25%: BIKE-KIT 21.3233, BIKE 63.9699
    ("share 10%", "share 25%", {"BIKE": "63.9699", "BIKE-KIT": "21.3233"}),
]


@pytest.mark.parametrize(("old", "new", "expected"), EDITS, ids=["by-product", "component", "removed", "share"])
def test_an_edit_re_costs_through_by_and_co_product_edges_as_a_fresh_load_does(old, new, expected):
    session = costsheet.Session(TEXT, file="r.cost", date=DATE)
    assert session.costing.as_results().items["BIKE-KIT"].unit_cost == D("8.52932")
    assert old in TEXT
    text = TEXT.replace(old, new)
    update = session.update(text)
    assert update.ok, update.diagnostics
    mine = session.costing.as_results()
    fresh = costsheet.load(text, file="r.cost").calculate_all(date=DATE)
    assert {code: mine.items[code].unit_cost for code in expected} == {code: D(v) for code, v in expected.items()}
    assert [r.to_json() for r in mine.items.values()] == [r.to_json() for r in fresh.items.values()]
