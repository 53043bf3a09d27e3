"""Business Central's expected cost, returns and transfers: the worked examples of Microsoft Learn.

BC "Design details: Expected Cost Posting"
(https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-expected-cost-posting)
and "Design details: Item Application"
(https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-item-application).
The article dates are MM-DD-YY; here they are ISO.  Its "fixed application with average cost"
example (B2.4) and its unfixed twin are in test_published_examples.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

import costsheet

from .support import HEADER, adjusted, amounts, valued_text

EXPECTED_COST = (
    'BC "Design details: Expected Cost Posting", '
    "https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-expected-cost-posting"
)


def test_expected_cost_until_the_invoice():
    """BC "Design details: Expected Cost Posting",
    https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-expected-cost-posting:
    a purchase posted as received with an expected cost of 95.00 (01-01-20), invoiced at 100.00 on
    01-15-20.  Valued before the invoice the inventory holds the expected cost (95.00, actual 0.00);
    after it the actual cost 100.00 and no expected cost (the invoice's -95.00 expected and +100.00
    actual)."""
    lines = "2020-01-01 purchase +1 expected-cost 95.00\n2020-01-15 invoice 1 cost 100.00"
    before = valued_text(lines, "fifo", as_of=dt.date(2020, 1, 10))["ITEM-A"]
    assert str(before.entry(1).expected_cost_amount) == "95.00" and str(before.entry(1).cost_amount) == "0.00"
    assert str(before.inventory_value) == "95.00"
    after = valued_text(lines, "fifo")["ITEM-A"]
    assert str(after.entry(1).expected_cost_amount) == "0.00" and str(after.entry(1).cost_amount) == "100.00"
    assert str(after.inventory_value) == "100.00"


@pytest.mark.parametrize("method", ["fifo", "lifo", "average", "specific"])
def test_expected_cost_difference_flows_to_the_decreases(method):
    """BC "Design details: Expected Cost Posting" with "Design details: Cost Adjustment"
    (https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-cost-adjustment):
    a decrease applied to a receipt with an expected cost takes the expected cost, and when the
    invoice replaces it the difference reaches the decrease like an item charge (an `invoice`
    adjustment dated like the decrease): receive 2 expecting 190.00, sell 1, invoice at 200.00:
    the sale costs 95.00, then 100.00."""
    mark = " applies-to 1" if method == "specific" else ""
    lines = f"""
        2020-01-01 purchase +2 expected-cost 190.00
        2020-01-05 sale     -1{mark}
        2020-01-15 invoice  1  cost 200.00
    """
    before = valued_text(lines, method, as_of=dt.date(2020, 1, 10))["ITEM-A"]
    assert amounts(before, 2) == ["-95.00"] and str(before.inventory_value) == "95.00"
    after = valued_text(lines, method)["ITEM-A"]
    assert amounts(after, 2) == ["-100.00"] and str(after.inventory_value) == "100.00"
    if method != "average":  # the average shows the final cost only
        assert adjusted(after, 2) == [("2020-01-05", "invoice", "-5.00")]


def test_expected_cost_of_a_standard_item():
    """BC "Design details: Variance"
    (https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-variance): the
    standard cost item's purchase variance is fixed "when you invoice the inventory increase".
    Received at standard 100.00 while the invoice is still to come: no variance, the receipt is
    worth 100.00 of expected cost; invoiced at 90.00: a variance of -10.00."""
    lines = "2020-01-01 purchase +1 expected-cost 95.00\n2020-01-15 invoice 1 cost 90.00"
    before = valued_text(lines, "standard", item_fields="standard-cost 100.00", as_of=dt.date(2020, 1, 10))["ITEM-A"]
    assert before.variances == () and str(before.entry(1).expected_cost_amount) == "100.00"
    after = valued_text(lines, "standard", item_fields="standard-cost 100.00")["ITEM-A"]
    assert [(v.kind, str(v.amount)) for v in after.variances] == [("purchase", "-10.00")]
    assert str(after.entry(1).cost_amount) == "100.00" and str(after.inventory_value) == "100.00"


def test_inventory_increase_and_decrease():
    """BC "Design details: Item Application", "Inventory increase" and "Inventory decrease",
    https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-item-application:
    a purchase of 10 (item application entry: inbound 1, quantity 10) and a sale of 5 of them
    applied to it (inbound 1, outbound 2, -5): the sale takes half the purchase's cost."""
    item = valued_text("2020-01-01 purchase +10 cost 100.00\n2020-01-03 sale -5", "fifo")["ITEM-A"]
    assert amounts(item, 2) == ["-50.00"] and item.quantity_on_hand == 5


def test_fixed_application_in_purchase_return():
    """BC "Design details: Item Application", "Fixed application in purchase return",
    https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-item-application:
    FIFO, purchases of 10 for 10.00 (01-04-20) and 10 for 20.00 (01-05-20), a purchase return of 10
    with Appl.-to Item Entry 2 (01-06-20): -20.00, not the -10.00 FIFO alone would give."""
    lines = """
        2020-01-04 purchase +10 cost 10.00
        2020-01-05 purchase +10 cost 20.00
        2020-01-06 purchase -10 {mark}
    """
    assert amounts(valued_text(lines.format(mark="applies-to 2"), "fifo")["ITEM-A"], 3) == ["-20.00"]
    assert amounts(valued_text(lines.format(mark=""), "fifo")["ITEM-A"], 3) == ["-10.00"]


SALES_RETURN = """
    2020-01-01 purchase +1 cost 1000.00
    2020-02-01 sale     -1
    2020-03-01 sale     +1 applies-from 2
    2020-04-01 charge   1  amount 100.00
"""


@pytest.mark.parametrize(
    "method",
    [
        "fifo",
        "lifo",
        "average",
        "moving-average",
        "weighted-average",
        "periodic-lifo",
        "lifo-date",
        "weighted-average-date",
    ],
)
def test_fixed_application_in_sales_return(method):
    """BC "Design details: Item Application", "Fixed application in sales return (exact cost
    reversal)", https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-item-application:
    a purchase of 1000.00, its sale, a sales credit memo with Appl.-from Item Entry 2, then an item
    charge of 100.00 on the purchase.  The charge reaches the sale (-1100.00) and the sale forwards
    it to the return (+1100.00); the returned unit is on hand at 1100.00.  (The article prints the
    sale without its sign.)  Under F&O's moving average a posted issue keeps its cost: the sale
    and the return stay at 1000.00, and the charge is capitalised, the unit being on hand."""
    item = valued_text(SALES_RETURN, method)["ITEM-A"]
    cost = "1000.00" if method == "moving-average" else "1100.00"
    assert amounts(item, 2, 3) == [f"-{cost}", cost]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "1100.00"


def test_sales_return_before_the_charge():
    """BC "Design details: Item Application", the sales return example before the item charge
    (steps 1-3), https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-item-application:
    the return takes the sale's 1000.00."""
    item = valued_text(SALES_RETURN, "fifo", as_of=dt.date(2020, 3, 31))["ITEM-A"]
    assert amounts(item, 2, 3) == ["-1000.00", "1000.00"]


@pytest.mark.parametrize("calc", ["item", "item-location-variant"])
def test_transfer_under_average(calc):
    """BC "Design details: Item Application", transfers under Average (average cost period Day),
    https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-item-application:
    purchases at 10.00 and 20.00 at EAST, a transfer of 1 from EAST to WEST: both transfer entries
    are valued at the average of their period, 15.00 (the article prints the outbound one without
    its sign).  The same under item and under item/location/variant, since both purchases are at
    EAST."""
    result = valued_text(
        """
        2020-01-01 purchase +1 cost 10.00 location EAST
        2020-01-01 purchase +1 cost 20.00 location EAST
        2020-02-01 transfer -1 location EAST
        2020-02-01 transfer +1 location WEST applies-from 3
    """,
        "average",
        period="day",
        calc=calc,
    )
    if calc == "item":
        item = result["ITEM-A"]
        assert amounts(item, 3, 4) == ["-15.00", "15.00"] and str(item.inventory_value) == "30.00"
    else:
        assert amounts(result["ITEM-A|EAST|"], 3) == ["-15.00"]
        assert amounts(result["ITEM-A|WEST|"], 4) == ["15.00"]
        assert str(result["ITEM-A|EAST|"].inventory_value) == str(result["ITEM-A|WEST|"].inventory_value) == "15.00"


def test_transfer_under_standard_after_a_standard_change():
    """BC "Design details: Item Application", transfers under Standard,
    https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-item-application:
    purchased at the standard cost 10.00, transferred from EAST to WEST when the standard cost is
    12.00: "Since the value of the original inventory increase is LCY 10.00, the transfer is valued
    at that cost, not at LCY 12.00."  The new standard is a dated declaration (docs/valuation.md,
    "Standard costs by date"); a receipt on that day without applies-from is worth it."""
    text = (
        HEADER + "setup { default material M-BASE  average-cost-calc item-location-variant }\n"
        'item ST "Standard item" { costing-method standard  standard-cost 10.00 }\n'
        "standard-cost ST from 2020-02-01 12.00\n"
        "ledger ST {\n  2020-01-01 purchase +1 cost 10.00 location EAST\n"
        "  2020-02-01 transfer -1 location EAST\n  2020-02-01 transfer +1 location WEST applies-from 2\n"
        "  2020-02-01 purchase +1 location WEST\n}\n"
    )
    result = costsheet.load(text, file="standard.cost").value()
    assert amounts(result["ST|EAST|"], 1, 2) == ["10.00", "-10.00"]
    assert amounts(result["ST|WEST|"], 3, 4) == ["10.00", "12.00"]


def test_a_chain_of_returns_settles():
    """docs/valuation.md, "Returns and transfers": a return of a sale that took a returned unit
    follows both: purchase 10.00, sale, return, sale of the returned unit, its return, then a
    charge of 1.00 on the purchase; every link ends at 11.00."""
    item = valued_text(
        """
        2020-01-01 purchase +1 cost 10.00
        2020-01-02 sale     -1
        2020-01-03 sale     +1 applies-from 2
        2020-01-04 sale     -1
        2020-01-05 sale     +1 applies-from 4
        2020-01-06 charge   1  amount 1.00
    """,
        "fifo",
    )["ITEM-A"]
    assert amounts(item, 2, 3, 4, 5) == ["-11.00", "11.00", "-11.00", "11.00"]
    assert str(item.inventory_value) == "11.00"
