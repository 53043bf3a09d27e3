"""The seed's costing-methods example under all five Business Central methods."""

from __future__ import annotations

import pytest

from costsheet.valuation import value

from .support import costs, model

SEED = """
2020-01-01 purchase +1 cost 10.00
2020-01-01 purchase +1 cost 20.00
2020-01-01 purchase +1 cost 30.00
2020-02-01 sale -1 {a4}
2020-03-01 sale -1 {a5}
2020-04-01 sale -1 {a6}
"""


@pytest.mark.parametrize(
    "method, expected, standard",
    [
        ("fifo", ("-10.00", "-20.00", "-30.00"), None),
        ("lifo", ("-30.00", "-20.00", "-10.00"), None),
        ("average", ("-20.00", "-20.00", "-20.00"), None),
        ("standard", ("-15.00", "-15.00", "-15.00"), "15"),
    ],
)
def test_seed_example(method, expected, standard):
    """Seed 003_f65040538edfa81c.txt ("Design details: costing methods"): three receipts at
    10, 20, 30 on 01-01-20 and issues on 02-01, 03-01, 04-01; the decreases cost 10/20/30 (FIFO),
    30/20/10 (LIFO), 20/20/20 (Average), 15/15/15 (Standard at 15). Quantity and value end at 0.
    Average runs with the default day period: every issue sees the average of what remains."""
    text = SEED.format(a4="", a5="", a6="")
    result, diagnostics = value(model(method, text, standard_cost=standard))
    assert not diagnostics
    item = result["ITEM-A"]
    assert tuple(costs(item)[n] for n in (4, 5, 6)) == expected
    assert item.quantity_on_hand == 0 and item.inventory_value == 0


def test_seed_specific():
    """Seed 003_f65040538edfa81c.txt: Specific with applies-to 2, 1, 3 costs 20/10/30."""
    text = SEED.format(a4="applies-to 2", a5="applies-to 1", a6="applies-to 3")
    result, diagnostics = value(model("specific", text))
    assert not diagnostics
    assert tuple(costs(result["ITEM-A"])[n] for n in (4, 5, 6)) == ("-20.00", "-10.00", "-30.00")


def test_seed_standard_variances():
    """Seed 003: standard cost 15 values the increases at 15 each; the differences to the actual
    costs 10, 20, 30 are purchase variances -5, +5, +15 (BC "Design details: variance":
    actual cost - standard cost = variance)."""
    result, _ = value(model("standard", SEED.format(a4="", a5="", a6=""), standard_cost="15"))
    item = result["ITEM-A"]
    assert [(v.kind, v.entry, str(v.amount)) for v in item.variances] == [
        ("purchase", 1, "-5.00"),
        ("purchase", 2, "5.00"),
        ("purchase", 3, "15.00"),
    ]
    assert costs(item)[1] == "15.00"
