"""Weighted-average inventory close: value that belongs to issued quantity is settled to the issues.

The rules (docs/valuation.md, "Weighted average"): a charge dated in a later
average-cost period than its increase gives the issues of the periods closed
since then their share (issued / quantity in the pool, period by period, by
quantity), dated at the close of the charge's period; the rest joins that
period's pool.  A close that leaves nothing on hand and a value settles the
value to the latest issues.  Finance & Operations: the inventory close
"settles issue transactions to receipt transactions" and adjusts the issues
when a receipt's cost changes afterwards (an invoice at 1.10 for a receipt at
1.00 already sold); a closed period takes no more postings, so the adjustment
is dated at the close (F&O "Adjust on-hand inventory cost values": the posting
date is the date of the last inventory close).  The numbers below are worked
by hand from those rules.
"""

from __future__ import annotations

import datetime as dt

import pytest

import costsheet

HEADER = """
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
}
condition material M-BASE "Plain material" { direct 1110 overhead 1120 }
"""


def valued(
    ledger: str,
    method: str = "weighted-average",
    period: str = "month",
    as_of: dt.date | None = None,
    accounting_periods: str = "",
):
    """The ITEM-A valuation of ``ledger`` (its lines) under ``method`` and ``period``."""
    text = (
        HEADER
        + f"setup {{ default material M-BASE  amount-precision 0.01  average-cost-period {period} }}\n"
        + (f"accounting-periods {{ {accounting_periods} }}\n" if accounting_periods else "")
        + f'item ITEM-A "Test item" {{ costing-method {method} }}\n'
        + "ledger ITEM-A {\n"
        + ledger
        + "\n}\n"
    )
    return costsheet.load(text, file="close.cost").value(as_of=as_of)["ITEM-A"]


def adjustments(item, number: int) -> list[tuple[str, str, str, int | None]]:
    return [(a.date.isoformat(), a.kind, str(a.amount), a.source) for a in item.entry(number).adjustments]


def test_charge_after_everything_was_issued_goes_to_the_issue():
    """The known gap's example: receive 4 at 4.00 (16.00), issue 4, a charge of 1.00 on the
    receipt in February.  All 4 units were issued in January, so all of the charge goes to the
    issue, dated at February's close; nothing is left on hand and it is worth nothing."""
    item = valued("""
        2020-01-02 purchase +4 cost 16.00
        2020-01-03 sale -4
        2020-02-10 charge 1 amount 1.00
    """)
    assert str(item.entry(2).cost_amount) == "-17.00"
    assert adjustments(item, 2) == [("2020-02-29", "charge", "-1.00", 1)]
    assert item.quantity_on_hand == 0 and str(item.inventory_value) == "0.00"


def test_charge_when_part_is_still_on_hand_splits_by_quantity():
    """3 of the 4 units were issued in January: 3/4 of the 1.00 charge (0.75) goes to the
    issue, 1/4 stays with the unit on hand (4.00 + 0.25)."""
    item = valued("""
        2020-01-02 purchase +4 cost 16.00
        2020-01-03 sale -3
        2020-02-10 charge 1 amount 1.00
    """)
    assert str(item.entry(2).cost_amount) == "-12.75"
    assert adjustments(item, 2) == [("2020-02-29", "charge", "-0.75", 1)]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "4.25"


def test_charge_share_rounds_with_the_residual_carried():
    """3 units for 10.00, two issues of 1 (-3.33 and -3.34 at the close), a 1.00 charge in
    February: the issued share is round(1.00 x 2/3) = 0.67, split 0.34 / 0.33 with the residual
    carried; 0.33 joins the unit on hand (3.33 + 0.33).  Both issues end at -3.67."""
    item = valued("""
        2020-01-02 purchase +3 cost 10.00
        2020-01-03 sale -1
        2020-01-04 sale -1
        2020-02-10 charge 1 amount 1.00
    """)
    assert [adjustments(item, n) for n in (2, 3)] == [
        [("2020-02-29", "charge", "-0.34", 1)],
        [("2020-02-29", "charge", "-0.33", 1)],
    ]
    assert [str(item.entry(n).cost_amount) for n in (2, 3)] == ["-3.67", "-3.67"]
    assert str(item.inventory_value) == "3.66"


def test_charge_follows_the_units_through_the_periods_in_between():
    """Receive 4 (16.00) and issue 2 in January, issue 1 in February, charge 1.00 in March:
    January issued 2 of 4 (0.50), February 1 of the 2 carried (0.25), 0.25 is still on hand.
    Each unit carries 0.25, as if the charge had been on the receipt from the start."""
    item = valued("""
        2020-01-02 purchase +4 cost 16.00
        2020-01-03 sale -2
        2020-02-03 sale -1
        2020-03-10 charge 1 amount 1.00
    """)
    assert adjustments(item, 2) == [("2020-03-31", "charge", "-0.50", 1)]
    assert adjustments(item, 3) == [("2020-03-31", "charge", "-0.25", 1)]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "4.25"


def test_charge_reaches_open_issues_the_receipt_was_applied_to():
    """Issue 2 with nothing on hand (open), receive 4 for 16.00 in February (2 go to the open
    issue), issue 1, charge 4.00 in March: the open issue took 2 of the 4 received (2.00), the
    February issue 1 of the 2 left in the pool (1.00), 1.00 stays on hand."""
    item = valued("""
        2020-01-02 sale -2
        2020-02-02 purchase +4 cost 16.00
        2020-02-03 sale -1
        2020-03-03 charge 2 amount 4.00
    """)
    assert ("2020-03-31", "charge", "-2.00", 2) in adjustments(item, 1)
    assert ("2020-03-31", "charge", "-1.00", 2) in adjustments(item, 3)
    assert [str(item.entry(n).cost_amount) for n in (1, 3)] == ["-10.00", "-5.00"]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "5.00"


def test_a_period_closes_at_its_end():
    """docs/valuation.md, "The inventory close models": February closes on 2020-02-29.  Valued as
    of 2020-02-15 the charge is posted but February is not closed: it is on hand (nothing issued
    it yet) and the issue keeps its January cost; as of 2020-02-29 the close gives the charge to
    the issue, dated at the close; as of 2020-02-05 the charge is not posted yet."""
    ledger = """
        2020-01-02 purchase +4 cost 16.00
        2020-01-03 sale -4
        2020-02-10 charge 1 amount 1.00
    """
    before = valued(ledger, as_of=dt.date(2020, 2, 15))
    assert adjustments(before, 2) == [] and str(before.entry(2).cost_amount) == "-16.00"
    assert str(before.inventory_value) == "1.00"
    closed = valued(ledger, as_of=dt.date(2020, 2, 29))
    assert adjustments(closed, 2) == [("2020-02-29", "charge", "-1.00", 1)] and str(closed.inventory_value) == "0.00"
    early = valued(ledger, as_of=dt.date(2020, 2, 5))
    assert str(early.entry(2).cost_amount) == "-16.00" and str(early.inventory_value) == "0.00"


def test_open_ended_accounting_period_closes_at_its_latest_line():
    """The last accounting period has no end: without a valuation date it closes at the latest
    line of the ledger (the charge, 2020-02-10)."""
    item = valued(
        """
        2020-01-02 purchase +4 cost 16.00
        2020-01-03 sale -4
        2020-02-10 charge 1 amount 1.00
    """,
        period="accounting-period",
        accounting_periods="2020-01-01 2020-02-01",
    )
    assert adjustments(item, 2) == [("2020-02-10", "charge", "-1.00", 1)]


def test_charge_dated_before_its_receipt_counts_in_the_receipts_period():
    """A 2.00 charge dated in January on a receipt of February (2 for 10.00) counts in
    February: the January issue keeps 5.00, the February issue costs (10.00 + 2.00) / 2."""
    item = valued("""
        2020-01-02 purchase +1 cost 5.00
        2020-01-10 sale -1
        2020-02-01 purchase +2 cost 10.00
        2020-01-20 charge 3 amount 2.00
        2020-02-02 sale -1
    """)
    assert [str(item.entry(n).cost_amount) for n in (2, 4)] == ["-5.00", "-6.00"]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "6.00"


@pytest.mark.parametrize("method", ["weighted-average", "weighted-average-date", "periodic-lifo", "lifo-date"])
def test_charge_dated_before_its_receipt_sits_in_the_open_receipts_period(method):
    """The same ledger valued as of 2020-02-02: January is closed, February open.  The charge
    counts in February's running average too: the February issue is posted at (10.00 + 2.00) / 2
    and the unit on hand is worth 6.00 (it was lost with January's close: 5.00 and 5.00)."""
    item = valued(
        """
        2020-01-02 purchase +1 cost 5.00
        2020-01-10 sale -1
        2020-02-01 purchase +2 cost 10.00
        2020-01-20 charge 3 amount 2.00
        2020-02-02 sale -1
    """,
        method,
        as_of=dt.date(2020, 2, 2),
    )
    assert [str(item.entry(n).cost_amount) for n in (2, 4)] == ["-5.00", "-6.00"]
    assert item.entry(4).adjustments == ()
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "6.00"


MARKED_ACROSS = """
    2020-01-02 purchase +1 cost 10.00
    2020-01-02 purchase +1 cost 20.00
    2020-01-03 sale -1
    2020-02-03 sale -1 applies-to 2
"""


def test_marked_issue_in_a_later_period_leaves_no_value_without_quantity():
    """January's issue takes the average 15.00; February's issue is marked to the 20.00
    receipt.  Nothing is on hand after February, and the -5.00 left goes to the latest unmarked
    issue (January's) as a settlement dated at February's close: -10.00 and -20.00."""
    item = valued(MARKED_ACROSS)
    assert adjustments(item, 3) == [("2020-02-29", "settlement", "5.00", None)]
    assert [str(item.entry(n).cost_amount) for n in (3, 4)] == ["-10.00", "-20.00"]
    assert item.quantity_on_hand == 0 and str(item.inventory_value) == "0.00"


def test_business_central_average_keeps_its_quantity_value_mismatch():
    """Business Central's average is unchanged: the same ledger leaves -5.00 with nothing on
    hand ("Design details: average cost", the quantity-value mismatch of fixed application)."""
    item = valued(MARKED_ACROSS, method="average")
    assert item.quantity_on_hand == 0 and str(item.inventory_value) == "-5.00"


def test_one_close_posts_one_adjustment_per_issue():
    """Two late charges (1.00 on receipt 1, 3.00 on receipt 2) reach January's issue at
    February's close: one adjustment of -4.00, its source none because two receipts were
    charged; two charges on the same receipt keep it as the source."""
    two = valued("""
        2020-01-02 purchase +2 cost 8.00
        2020-01-02 purchase +2 cost 12.00
        2020-01-03 sale -4
        2020-02-10 charge 1 amount 1.00
        2020-02-11 charge 2 amount 3.00
    """)
    assert adjustments(two, 3) == [("2020-02-29", "charge", "-4.00", None)]
    assert str(two.entry(3).cost_amount) == "-24.00" and str(two.inventory_value) == "0.00"
    one = valued("""
        2020-01-02 purchase +2 cost 8.00
        2020-01-03 sale -2
        2020-02-10 charge 1 amount 1.00
        2020-02-11 charge 1 amount 3.00
    """)
    assert adjustments(one, 2) == [("2020-02-29", "charge", "-4.00", 1)]
