"""Published worked examples: Business Central "Design details", F&O cost management, Odoo.

Dates in the Microsoft articles are written MM-DD-YY; here they are ISO.
"""

from __future__ import annotations

from costsheet.valuation import value

from .support import costs, model


def run(method, text, **kwargs):
    result, diagnostics = value(model(method, text, **kwargs))
    assert not [d for d in diagnostics if d.is_error], diagnostics
    return result["ITEM-A"]


#: the entries of BC "Design details: average cost" (both period examples use them)
BC_AVERAGE_COST_LEDGER = """
        2023-01-01 purchase +1 cost 20.00
        2023-01-01 purchase +1 cost 40.00
        2023-01-01 sale -1
        2023-02-01 sale -1
        2023-02-02 purchase +1 cost 100.00
        2023-02-03 sale -1
    """


def test_average_cost_period_day():
    """BC "Design details: average cost", example "average cost period = day": purchases 20 and 40
    on 01-01-23, sales on 01-01, 02-01, purchase 100 on 02-02, sale on 02-03; after adjustment the
    sales cost -30.00, -30.00, -100.00."""
    item = run("average", BC_AVERAGE_COST_LEDGER, average_cost_period="day")
    assert [costs(item)[n] for n in (3, 4, 6)] == ["-30.00", "-30.00", "-100.00"]


def test_average_cost_period_month():
    """BC "Design details: average cost", example "average cost period = month": the same entries
    give -30.00 in January and (30 + 100) / 2 = 65.00 for both February sales."""
    item = run("average", BC_AVERAGE_COST_LEDGER, average_cost_period="month")
    assert [costs(item)[n] for n in (3, 4, 6)] == ["-30.00", "-65.00", "-65.00"]
    assert item.inventory_value == 0


def test_average_back_dated_receipt():
    """BC "Design details: average cost", "Example of recalculated average cost" (period Day):
    10.00 on 01-01-20, 20.00 on 01-02, sales on 02-15 and 02-16 at -15.00; a receipt of 21.00
    back-dated to 01-03 re-values both sales to -17.00."""
    before = """
        2020-01-01 purchase +1 cost 10.00
        2020-01-02 purchase +1 cost 20.00
        2020-02-15 sale -1
        2020-02-16 sale -1
    """
    item = run("average", before)
    assert [costs(item)[n] for n in (3, 4)] == ["-15.00", "-15.00"]
    item = run("average", before + "2020-01-03 purchase +1 cost 21.00\n")
    assert [costs(item)[n] for n in (3, 4)] == ["-17.00", "-17.00"]
    assert item.inventory_value == 17 and item.quantity_on_hand == 1


def test_fixed_application_under_average():
    """BC "Design details: item application", "Fixed Application with Average Cost": purchases
    200.00 and 1000.00, a return of entry 2 fixed-applied (-1000.00), a purchase of 100.00, then a
    sale of 2 valued by average at -300.00; quantity and value end at 0."""
    item = run(
        "average",
        """
        2020-01-01 purchase +1 cost 200.00
        2020-01-01 purchase +1 cost 1000.00
        2020-01-01 purchase -1 applies-to 2
        2020-01-01 purchase +1 cost 100.00
        2020-01-01 sale -2
    """,
    )
    assert costs(item)[3] == "-1000.00" and costs(item)[5] == "-300.00"
    assert item.inventory_value == 0


def test_unfixed_return_under_average():
    """BC "Design details: item application": without the fixed application the return is valued
    by average at 1300 / 3 = -433.33 and the sale of 2 at -866.67."""
    item = run(
        "average",
        """
        2020-01-01 purchase +1 cost 200.00
        2020-01-01 purchase +1 cost 1000.00
        2020-01-01 purchase -1
        2020-01-01 purchase +1 cost 100.00
        2020-01-01 sale -2
    """,
    )
    assert costs(item)[3] == "-433.33" and costs(item)[5] == "-866.67"


ROUNDING = """
    2020-01-01 purchase +3 cost 10.00
    2020-02-01 sale -1
    2020-03-01 sale -1
    2020-04-01 sale -1
"""


def test_rounding_average_carries_residual():
    """BC "Design details: rounding": under Average the residual (1/300) carries from decrease to
    decrease: -3.33, -3.34, -3.33, and no rounding entry."""
    item = run("average", ROUNDING, average_cost_period="year")
    assert [costs(item)[n] for n in (2, 3, 4)] == ["-3.33", "-3.34", "-3.33"]
    assert item.rounding == () and item.inventory_value == 0


def test_rounding_other_methods_rounding_entry():
    """BC "Design details: rounding": under other methods each decrease is -3.33 and a rounding
    entry of -0.01 on entry 1 takes the residual when it is used up."""
    for method in ("fifo", "lifo"):
        item = run(method, ROUNDING)
        assert [costs(item)[n] for n in (2, 3, 4)] == ["-3.33", "-3.33", "-3.33"]
        assert [(r.entry, str(r.amount)) for r in item.rounding] == [(1, "-0.01")]
        assert item.inventory_value == 0


def test_variance_with_charge_and_revaluation():
    """BC "Design details: variance": bought for 90.00 at standard cost 100.00 gives a purchase
    variance of -10.00; an item charge of 20.00 brings the net variance to +10.00; revaluing from
    100.00 to 70.00 changes the inventory value only."""
    item = run(
        "standard",
        """
        2020-01-01 purchase +1 cost 90.00
        2020-01-10 charge 1 amount 20.00
        2020-01-20 revaluation 1 unit-cost 70.00
    """,
        standard_cost="100",
    )
    assert sum(v.amount for v in item.variances) == 10
    assert [str(v.amount) for v in item.variances] == ["-10.00", "20.00"]
    assert item.inventory_value == 70
    assert [str(r.amount) for r in item.revaluations] == ["-30.00"]


def test_cost_adjustment_item_charge():
    """BC "Design details: cost adjustment": a purchase of 10.00 (01-01-20), a sale on 01-15-20
    at -10.00, then an item charge of 2.00 (02-10-20): adjustment forwards -2.00 to the sale,
    dated 01-15-20 like the sale."""
    item = run(
        "fifo",
        """
        2020-01-01 purchase +1 cost 10.00
        2020-01-15 sale -1
        2020-02-10 charge 1 amount 2.00
    """,
    )
    sale = item.entry(2)
    assert str(sale.cost_amount) == "-12.00"
    assert [(a.date.isoformat(), a.kind, str(a.amount)) for a in sale.adjustments] == [
        ("2020-01-15", "charge", "-2.00")
    ]
    assert str(item.entry(1).cost_amount) == "12.00"


def test_revaluation_affected_decreases():
    """BC "Design details: revaluation", FIFO example: 6 units at 10.00 on 01-01-20; sales on
    02-01, 03-01, 04-01 (entries 2-4); a revaluation to 8.00 on 03-01; sales on 02-01, 03-01,
    04-01 (entries 5-7).  Scenarios A and B (earlier entry number, not later date) keep -10.00;
    C, D, E, F get +2.00 each; the revaluation value entry is -8.00 (quantity 4)."""
    item = run(
        "fifo",
        """
        2020-01-01 purchase +6 cost 60.00
        2020-02-01 sale -1
        2020-03-01 sale -1
        2020-04-01 sale -1
        2020-03-01 revaluation unit-cost 8.00
        2020-02-01 sale -1
        2020-03-01 sale -1
        2020-04-01 sale -1
    """,
    )
    assert [costs(item)[n] for n in range(2, 8)] == ["-10.00", "-10.00", "-8.00", "-8.00", "-8.00", "-8.00"]
    assert [(r.entry, str(r.amount)) for r in item.revaluations] == [(1, "-8.00")]
    assert [str(a.amount) for a in item.entry(4).adjustments] == ["2.00"]
    assert item.inventory_value == 0


def test_moving_average_article():
    """F&O "Moving average": receive 2 at 10.00, sell 1 (-10.00), invoice at 12.00 each (+4.00,
    half capitalised, 2.00 price difference: on hand 1 at 12.00), revalue to 16.00 (+4.00), then
    a receipt of 1 at 20.00 back-dated (taken at the average 16.00, 4.00 expensed).  The
    transaction-time report ends at quantity 2 and value 32.00."""
    item = run(
        "moving-average",
        """
        2020-10-03 purchase +2 cost 20.00
        2020-10-05 sale -1
        2020-10-07 charge 1 amount 4.00
        2020-10-08 revaluation unit-cost 16.00
        2020-09-28 positive-adjustment +1 cost 20.00
    """,
    )
    assert costs(item)[2] == "-10.00"
    assert [(v.kind, v.entry, str(v.amount)) for v in item.variances] == [
        ("price-difference", 1, "2.00"),
        ("price-difference", 3, "4.00"),
    ]
    assert [str(r.amount) for r in item.revaluations] == ["4.00"]
    assert item.quantity_on_hand == 2 and str(item.inventory_value) == "32.00"


def test_weighted_average_summarized_settlement():
    """F&O "Weighted average" (summarized settlement without include physical value): receipts
    2 at 14.00 and 1 at 16.00, an issue at the running average 14.67, a receipt 1 at 16.00; the
    close settles at 15.00 with an adjustment of -0.33; on hand 3 worth 45.00."""
    item = run(
        "weighted-average",
        """
        2020-01-02 purchase +2 cost 28.00
        2020-01-03 purchase +1 cost 16.00
        2020-01-04 sale -1
        2020-01-05 purchase +1 cost 16.00
    """,
        average_cost_period="month",
    )
    sale = item.entry(3)
    assert str(sale.cost_amount) == "-15.00"
    assert [(a.kind, str(a.amount)) for a in sale.adjustments] == [("settlement", "-0.33")]
    assert item.quantity_on_hand == 3 and str(item.inventory_value) == "45.00"


ODOO = """
    2024-01-01 purchase +8 cost 80.00
    2024-01-02 purchase +4 cost 64.00
    2024-01-03 sale -10
    2024-01-04 purchase +2 cost 12.00
"""


def test_odoo_fifo():
    """Odoo "Automatic inventory valuation", FIFO tab: receive 8 at 10, 4 at 16, deliver 10
    (-8 x 10 - 2 x 16 = -112), inventory 32; receive 2 at 6: inventory 44 for 4 units."""
    item = run("fifo", ODOO)
    assert costs(item)[3] == "-112.00"
    assert item.quantity_on_hand == 4 and item.inventory_value == 44


def test_odoo_avco():
    """Odoo "Automatic inventory valuation", AVCO tab: average 144 / 12 = 12, deliver 10 at 12
    (-120), inventory 24; receive 2 at 6: inventory 36, unit cost 9 (a moving average)."""
    item = run("moving-average", ODOO)
    assert costs(item)[3] == "-120.00"
    assert item.quantity_on_hand == 4 and item.inventory_value == 36
