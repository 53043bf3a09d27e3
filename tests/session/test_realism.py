"""The session re-costs after an edit of an exchange rate, a unit of measure or a BOM version,
as a fresh load does, and never costs a phantom alone."""

from __future__ import annotations

import datetime as dt

import pytest

import costsheet
from costsheet.numbers import D

DATE = dt.date(2026, 6, 15)

TEXT = """setup { currency EUR default material M default production P }
chart {
  1110 element "Direct material" material
  1120 element "Material overhead" material-overhead
  3100 element "Mfg. overhead" mfg-overhead
}
condition material M "Purchased" { direct 1110 overhead 1120 }
condition production P "Made" { direct 1110 overhead 3100 }
vendor V "US Fasteners" { currency USD }
exchange-rate USD from 2026-01-01 1.0850
item SPOKE "Spoke" {
  unit PCS
  vendor V
  cost-base direct-unit-cost
  unit-of-measure BOX 100
}
price SPOKE vendor V from 2026-01-01 unit-cost 11.00 per BOX
item KIT "Spoke kit" { replenishment phantom  bom { SPOKE 2 } }
item WHEEL "Wheel" {
  replenishment prod-order
  bom { SPOKE 0.36 unit BOX  KIT 1 }
}
"""

# SPOKE: 11.00 USD per BOX of 100 PCS at 1.0850 EUR = 0.11935 per PCS; WHEEL: 36 + 2 (the kit) PCS
EDITS = [
    ("exchange-rate USD from 2026-01-01 1.0850", "exchange-rate USD from 2026-01-01 1.1000", "0.121", "4.598"),
    (
        "exchange-rate USD from 2026-01-01 1.0850",
        "exchange-rate USD from 2026-01-01 1.0850\nexchange-rate USD from 2026-06-01 1.2000",
        "0.132",
        "5.016",
    ),
    ("unit-of-measure BOX 100", "unit-of-measure BOX 50", "0.2387", "4.7740"),  # 18 + 2 PCS at 0.2387
    (
        "  bom { SPOKE 0.36 unit BOX  KIT 1 }",
        "  bom { SPOKE 0.36 unit BOX  KIT 1 }\n  bom from 2026-06-01 { SPOKE 0.50 unit BOX }",
        "0.11935",
        "5.9675",
    ),  # the version valid on the date
]


def unit_costs(results) -> dict[str, object]:
    return {code: result.unit_cost for code, result in results.items.items()}


def test_the_first_costing_leaves_the_phantom_out():
    session = costsheet.Session(TEXT, file="r.cost", date=DATE)
    assert unit_costs(session.costing.as_results()) == {"SPOKE": D("0.11935"), "WHEEL": D("4.5353")}
    assert not session.costing.diagnostics


@pytest.mark.parametrize(("old", "new", "spoke", "wheel"), EDITS)
def test_an_edit_recosts_as_a_fresh_load(old, new, spoke, wheel):
    session = costsheet.Session(TEXT, file="r.cost", date=DATE)
    text = TEXT.replace(old, new)
    update = session.update(text)
    assert update.ok, update.diagnostics
    mine = session.costing.as_results()
    assert unit_costs(mine) == {"SPOKE": D(spoke), "WHEEL": D(wheel)}
    assert mine.to_json() == costsheet.load(text, file="r.cost").calculate_all(date=DATE).to_json()
    assert "WHEEL" in update.recosted
