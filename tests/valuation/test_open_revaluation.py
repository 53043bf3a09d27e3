"""A revaluation of one receipt under the LIFO close models, before and after its close.

docs/valuation.md, "The inventory close models", "A revaluation before its close":
F&O's adjustment of one receipt transaction changes the item's inventory value
when it is posted ("If you adjust a transaction, the overall inventory value of
the item is changed": Microsoft Dynamics AX 2012, *Adjust transactions (form)*,
technet.microsoft.com/library/aa585975.aspx), by what it changes on that receipt;
the running average, which F&O keeps per item, then carries it to the issues
posted after it; the close revalues the receipt's open quantity.  The numbers
below are worked by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .support import adjusted, amounts, valued_text

#: two receipts (10 at 10.00, 10 at 20.00), an issue, receipt 1 revalued to 16.00, an issue
ONE_PERIOD = """
2020-01-05 purchase +10 cost 100.00
2020-01-10 purchase +10 cost 200.00
2020-01-15 sale     -5
2020-01-20 revaluation 1 unit-cost 16.00
2020-01-25 sale     -5
"""

#: January's close settles 4 of receipt 1; in open February receipt 1 (6 open at 60.00) is
#: revalued to 13.00 after a receipt of 10 at 200.00
TWO_PERIODS = """
2020-01-05 purchase +10 cost 100.00
2020-01-15 sale     -4
2020-02-03 purchase +10 cost 200.00
2020-02-10 revaluation 1 unit-cost 13.00
2020-02-12 sale     -2
"""


def _valued(lines: str, method: str, as_of: dt.date | None):
    return valued_text(lines, method, as_of=as_of)["ITEM-A"]


@pytest.mark.parametrize("method", ["periodic-lifo", "lifo-date"])
def test_revaluation_of_a_receipt_before_the_close_adds_its_own_change(method):
    """As of 2020-01-28 (January open): 20 for 300.00, the issue posted at 5 x 15.00 = 75.00;
    receipt 1 to 16.00 adds 10 x 16.00 - 100.00 = 60.00 (not 15 x 16.00 - 225.00 = 15.00, the
    whole item at the new unit cost); the second issue is posted at 5 x 285.00 / 15 = 95.00;
    190.00 on hand.  Nothing is lost: 190.00 + 75.00 + 95.00 = 300.00 + 60.00."""
    item = _valued(ONE_PERIOD, method, dt.date(2020, 1, 28))
    assert amounts(item, 1, 3, 4) == ["160.00", "-75.00", "-95.00"]
    assert str(item.inventory_value) == "190.00"
    assert [(r.date.isoformat(), r.entry, str(r.amount)) for r in item.revaluations] == [("2020-01-20", 1, "60.00")]


@pytest.mark.parametrize("method", ["periodic-lifo", "lifo-date"])
def test_revaluation_of_a_receipt_after_the_close(method):
    """After January's close both issues take receipt 2 (the newest; under LIFO date the newest on
    or before each): 5 x 20.00 = 100.00 each, settlements -25.00 and -5.00; the close revalues
    receipt 1's 10 open units to 160.00 (+60.00): 160.00 on hand."""
    item = _valued(ONE_PERIOD, method, None)
    assert amounts(item, 3, 4) == ["-100.00", "-100.00"]
    assert adjusted(item, 3) == [("2020-01-31", "settlement", "-25.00")]
    assert adjusted(item, 4) == [("2020-01-31", "settlement", "-5.00")]
    assert str(item.inventory_value) == "160.00"
    assert [(r.entry, str(r.amount)) for r in item.revaluations] == [(1, "60.00")]


@pytest.mark.parametrize("method", ["periodic-lifo", "lifo-date"])
def test_revaluation_before_the_close_counts_what_the_last_close_left_open(method):
    """As of 2020-02-20: January's close left receipt 1 with 6 open at 60.00 (the issue took 4
    for 40.00); February receives 10 for 200.00 (16 for 260.00); receipt 1 to 13.00 adds
    6 x 13.00 - 60.00 = 18.00 (the whole item at 13.00 would have been 208.00 - 260.00 =
    -52.00); the issue is posted at 2 x 278.00 / 16 = 34.75; 243.25 on hand.  After February's
    close the issue takes receipt 3 at 40.00 (-5.25) and receipt 1 is 78.00: 238.00 on hand."""
    item = _valued(TWO_PERIODS, method, dt.date(2020, 2, 20))
    assert amounts(item, 1, 2, 4) == ["118.00", "-40.00", "-34.75"]
    assert str(item.inventory_value) == "243.25"
    assert [(r.entry, str(r.amount)) for r in item.revaluations] == [(1, "18.00")]
    closed = _valued(TWO_PERIODS, method, None)
    assert amounts(closed, 4) == ["-40.00"]
    assert adjusted(closed, 4) == [("2020-02-29", "settlement", "-5.25")]
    assert str(closed.inventory_value) == "238.00"
    assert [(r.entry, str(r.amount)) for r in closed.revaluations] == [(1, "18.00")]
