"""Finance & Operations' inventory models: every worked example of the Microsoft Learn articles.

Each test names its article (title and address) and the example.  The F&O
examples number their steps 1a, 1b, ...: "a" is the physical update
(packing slip, product receipt), "b" the financial one (invoice).  Here a
receipt updated both ways on one day is one entry with its invoiced cost, or
an entry with `expected-cost` (the physical value) and its `invoice` line;
a step with only "a" is a `physical` entry.  The current (2022) articles
post their series on two days and close on the third ("Day 1: 1a-3b, Day 2:
4a-6a, Day 3: close", as the weighted average date article labels them);
Day 1 is 2020-12-01 here, and the close is December's (average-cost-period
month, 2020-12-31).

`fifo` is Business Central's perpetual FIFO: F&O's FIFO article is checked on
its settled result, after the close (docs/valuation.md, "The methods side by
side").  Where an article's numbers contradict its own rule, the test says
so and checks what the rule gives.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .support import adjusted, amounts, valued_text

DAY1, DAY2 = dt.date(2020, 12, 1), dt.date(2020, 12, 2)
CLOSE = "2020-12-31"

#: the current articles' series: 1a/1b 1@10.00, 2a/2b 1@20.00/22.00, 3a/3b issue 1,
#: 4a physical receipt 1@25.00, 5a/5b 1@30.00, 6a physical issue 1; {mark} marks issue 3 (step 3c)
SERIES = """
2020-12-01 purchase +1 cost 10.00
2020-12-01 purchase +1 expected-cost 20.00
2020-12-01 invoice  2  cost 22.00
2020-12-01 sale     -1 {mark}
2020-12-02 purchase +1 cost 25.00 physical
2020-12-02 purchase +1 cost 30.00
2020-12-02 sale     -1 physical
"""

#: the legacy (2017) articles' series: 1@10.00, 2@20.00, 3a physical 1@25.00, 4@30.00, issue 5,
#: then (with include physical value) a physical issue 6
LEGACY = """
2020-12-01 purchase +1 cost 10.00
2020-12-01 purchase +1 cost 20.00
2020-12-01 purchase +1 cost 25.00 physical
2020-12-01 purchase +1 cost 30.00
2020-12-01 sale     -1 {mark}
"""
LEGACY_PHYSICAL_ISSUE = "2020-12-01 sale -1 physical\n"


def series(method: str, *, physical_value: bool = False, mark: int | None = None, as_of=None):
    lines = SERIES.format(mark=f"applies-to {mark}" if mark else "")
    return valued_text(lines, method, physical_value=physical_value, as_of=as_of)["ITEM-A"]


def legacy(method: str, *, physical_value: bool = False, mark: int | None = None, physical_issue: bool = False):
    lines = LEGACY.format(mark=f"applies-to {mark}" if mark else "") + (LEGACY_PHYSICAL_ISSUE if physical_issue else "")
    return valued_text(lines, method, physical_value=physical_value)["ITEM-A"]


def running(item, number: int) -> str:
    return str(item.entry(number).running_cost_amount)


def financial_unit(item) -> str:
    """The financial running average after the close: (value - physical value) / (quantity - physical)."""
    quantity = item.quantity_on_hand - item.physical_quantity
    return str(((item.inventory_value - item.physical_value) / quantity).quantize(item.inventory_value))


# ---------------------------------------------------------------- FIFO

FIFO = (
    'F&O "FIFO with physical value and marking", '
    "https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/fifo-physical-value-marking"
)


def test_fifo_without_include_physical_value():
    """F&O "FIFO with physical value and marking" (current), "FIFO without the Include physical
    value option", https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/fifo-physical-value-marking:
    the close settles 1b with 3b, which ends at 10.00 (posted at the running average 16.00,
    adjusted -6.00); the physical issue 6a keeps its running average of financial
    transactions, (16 + 30) / 2 = 23.00."""
    item = series("fifo")
    assert amounts(item, 3, 6) == ["-10.00", "-23.00"]
    assert running(item, 6) == "-23.00" and adjusted(item, 6) == []


def test_fifo_with_include_physical_value():
    """F&O "FIFO with physical value and marking" (current), "FIFO with the Include physical value
    option", https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/fifo-physical-value-marking:
    3b settled with 1b at 10.00; 6a was posted at (16 + 25 + 30) / 3 = 23.67 and is adjusted by
    -1.67 to the cost of 2b, 22.00 (not settled: 6a is physically updated only)."""
    item = series("fifo", physical_value=True)
    assert amounts(item, 3, 6) == ["-10.00", "-22.00"]
    assert running(item, 6) == "-23.67"
    assert [(kind, amount) for _, kind, amount in adjusted(item, 6)] == [("physical", "1.67")]
    assert item.entry(6).adjustments[0].source == 2


def test_fifo_with_marking():
    """F&O "FIFO with physical value and marking" (current), "FIFO with marking",
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/fifo-physical-value-marking:
    3b is marked to 2b and settled against it at 22.00 (posted at 16.00, +6.00); no other
    settlement; 6a at the financial running average 23.00."""
    item = series("fifo", mark=2)
    assert amounts(item, 3, 6) == ["-22.00", "-23.00"]


def test_fifo_legacy_without_include_physical_value():
    """F&O "FIFO with physical value and marking" (2017 version, = the AX 2012 text), without
    the option, https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/fifo-physical-value-marking:
    receipts 10.00, 20.00 (the AX 2012 text's 1 at 20.00: only it gives the published average),
    a physical 25.00, 30.00; the issue posted at (10 + 20 + 30) / 3 = 20.00 is settled against
    the first receipt: 10.00 (adjustment -10.00)."""
    item = legacy("fifo")
    assert amounts(item, 5) == ["-10.00"]


def test_fifo_legacy_with_include_physical_value():
    """F&O "FIFO with physical value and marking" (2017 version), with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/fifo-physical-value-marking:
    the issue (running average (10 + 20 + 25 + 30) / 4 = 21.25) is settled against 1b at 10.00
    (-11.25), and the new running average is 27.50, which needs the physical issue 6a adjusted to
    the next receipt, 2b at 20.00: (85 - 10 - 20) / 2."""
    item = legacy("fifo", physical_value=True, physical_issue=True)
    assert amounts(item, 5, 6) == ["-10.00", "-20.00"] and running(item, 6) == "-21.25"
    assert item.quantity_on_hand == 2 and str(item.inventory_value / item.quantity_on_hand) == "27.50"


def test_fifo_legacy_with_marking():
    """F&O "FIFO with physical value and marking" (2017 version), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/fifo-physical-value-marking:
    the issue marked to 2b is posted at 20.00, no adjustment; the new running average 27.50 needs
    the physical issue adjusted to the first receipt, 10.00: (85 - 20 - 10) / 2."""
    item = legacy("fifo", physical_value=True, mark=2, physical_issue=True)
    assert amounts(item, 5, 6) == ["-20.00", "-10.00"]
    assert str(item.inventory_value / item.quantity_on_hand) == "27.50"


# ---------------------------------------------------------------- LIFO (periodic-lifo)


def test_lifo_without_include_physical_value():
    """F&O "LIFO with physical value and marking" (current), without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-physical-value-marking:
    3b (Day 1, posted at 16.00) is settled against the last financial receipt 5b (Day 2, dated
    after the issue): +14.00 to 30.00, dated at the close; 6a stays at 23.00."""
    item = series("periodic-lifo")
    assert amounts(item, 3, 6) == ["-30.00", "-23.00"]
    assert running(item, 3) == "-16.00" and adjusted(item, 3) == [(CLOSE, "settlement", "-14.00")]


def test_lifo_before_the_close_shows_the_running_average():
    """docs/valuation.md, "The inventory close models": valued as of Day 2, December is not
    closed: 3b shows the 16.00 it was posted at, 6a its 23.00."""
    item = series("periodic-lifo", as_of=DAY2)
    assert amounts(item, 3, 6) == ["-16.00", "-23.00"] and adjusted(item, 3) == []


def test_lifo_with_include_physical_value():
    """F&O "LIFO with physical value and marking" (current), with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-physical-value-marking:
    3b settled against 5b at 30.00 (+14.00); 6a (posted at 23.67) adjusted by 1.33 to the cost of
    4a, 25.00, the newest receipt left (physical only, so not settled)."""
    item = series("periodic-lifo", physical_value=True)
    assert amounts(item, 3, 6) == ["-30.00", "-25.00"] and running(item, 6) == "-23.67"
    assert adjusted(item, 6) == [(CLOSE, "physical", "-1.33")] and item.entry(6).adjustments[0].source == 4


def test_lifo_with_marking():
    """F&O "LIFO with physical value and marking" (current), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-physical-value-marking:
    3b marked to 2b: settled at 22.00 (+6.00), no other settlement.  The article's "new running
    average 17.50" does not follow from its own steps (1b 10.00, 4a 25.00 and 5b 30.00 are left
    against 6a's 23.00: 42.00 for 2 units), so it is not checked."""
    item = series("periodic-lifo", mark=2)
    assert amounts(item, 3, 6) == ["-22.00", "-23.00"]
    assert adjusted(item, 3) == [(CLOSE, "settlement", "-6.00")]
    assert item.quantity_on_hand == 2 and str(item.inventory_value) == "42.00"


def test_lifo_legacy_without_include_physical_value():
    """F&O "LIFO with physical value and marking" (2017 version), without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-physical-value-marking:
    the issue posted at 20.00 is settled against the last financial receipt, 30.00 (+10.00); the
    new running average of the financial transactions is (10 + 20) / 2 = 15.00."""
    item = legacy("periodic-lifo")
    assert amounts(item, 5) == ["-30.00"] and financial_unit(item) == "15.00"


def test_lifo_legacy_with_include_physical_value():
    """F&O "LIFO with physical value and marking" (2017 version), with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-physical-value-marking:
    the legacy text pairs the last issue with the last receipt (6a with 4b at 30.00, 5b with 3a at
    25.00, "not settled" because 3a is physical).  The current articles settle financial issues
    against financial receipts only and adjust the physical issue after that, so 5b takes 4b
    (30.00) and 6a the physical 3a (25.00): the same two costs, the other way round, the same
    total.  (The legacy "new running average 20.00" does not follow: 1b and 2b are left, 15.00.)"""
    item = legacy("periodic-lifo", physical_value=True, physical_issue=True)
    assert amounts(item, 5, 6) == ["-30.00", "-25.00"] and running(item, 5) == "-21.25"
    assert financial_unit(item) == "15.00"


def test_lifo_legacy_with_marking():
    """F&O "LIFO with physical value and marking" (2017 version), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-physical-value-marking:
    the issue marked to 2b costs 20.00, no adjustment.  The legacy text's "27.50" is copied from
    the FIFO article; under LIFO the physical issue takes 4b (30.00), leaving (10 + 25) / 2 =
    17.50, the figure the current LIFO marking example prints."""
    item = legacy("periodic-lifo", physical_value=True, mark=2, physical_issue=True)
    assert amounts(item, 5, 6) == ["-20.00", "-30.00"]
    assert str(item.inventory_value / item.quantity_on_hand) == "17.50"


# ---------------------------------------------------------------- LIFO date


def test_lifo_date_without_include_physical_value():
    """F&O "LIFO Date with physical value and marking" (current), without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-date-physical-value-marking:
    3b is settled against the last financial receipt on or before its date, 2b (Day 1), not 5b
    (Day 2): +6.00 to 22.00."""
    item = series("lifo-date")
    assert amounts(item, 3, 6) == ["-22.00", "-23.00"]
    assert adjusted(item, 3) == [(CLOSE, "settlement", "-6.00")] and item.entry(3).adjustments[0].source == 2


def test_lifo_date_with_include_physical_value():
    """F&O "LIFO Date with physical value and marking" (current), with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-date-physical-value-marking:
    3b settled against 2b at 22.00; 6a (Day 2, posted at 23.67) adjusted by 6.33 to 5b's 30.00,
    the newest receipt on its date (5b is posted after 4a)."""
    item = series("lifo-date", physical_value=True)
    assert amounts(item, 3, 6) == ["-22.00", "-30.00"]
    assert adjusted(item, 6) == [(CLOSE, "physical", "-6.33")]


def test_lifo_date_with_marking():
    """F&O "LIFO Date with physical value and marking" (current), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-date-physical-value-marking:
    3b marked to 1b: settled at 10.00 (-6.00 from 16.00)."""
    item = series("lifo-date", mark=1)
    assert amounts(item, 3) == ["-10.00"] and adjusted(item, 3) == [(CLOSE, "settlement", "6.00")]


LEGACY_LIFO_DATE = """
2020-12-01 purchase +1 cost 10.00
2020-12-01 purchase +1 cost 20.00
2020-12-01 purchase +1 cost 25.00 physical
2020-12-01 sale     -1
2020-12-02 purchase +1 cost 30.00
"""


def test_lifo_date_legacy_without_include_physical_value():
    """F&O "LIFO Date with physical value and marking" (2017 version), without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-date-physical-value-marking:
    the issue (posted at (10 + 20) / 2 = 15.00) is settled against the last receipt by date, 2b:
    +5.00 to 20.00; 5b, received after it, is not used.  (The published "new running average
    15.00" is the one before the close; after it 1b and 5b are left: 20.00.)"""
    item = valued_text(LEGACY_LIFO_DATE, "lifo-date")["ITEM-A"]
    assert amounts(item, 4) == ["-20.00"] and running(item, 4) == "-15.00"
    assert financial_unit(item) == "20.00"


def test_lifo_date_legacy_with_include_physical_value():
    """F&O "LIFO Date with physical value and marking" (2017 version), with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-date-physical-value-marking:
    the issue is posted at (10 + 20 + 25) / 3 = 18.33.  The legacy text adjusts it to the physical
    receipt 3a (25.00); the current articles settle financial issues against financial receipts
    only, so it is settled against 2b at 20.00.  Both leave the published financial running
    average, 20.00 ((10 + 30) / 2 here, (10 + 20 + 30) / 3 there)."""
    item = valued_text(LEGACY_LIFO_DATE, "lifo-date", physical_value=True)["ITEM-A"]
    assert running(item, 4) == "-18.33" and amounts(item, 4) == ["-20.00"]
    assert financial_unit(item) == "20.00"


def test_lifo_date_legacy_with_marking():
    """F&O "LIFO Date with physical value and marking" (2017 version), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/lifo-date-physical-value-marking:
    a copy of the FIFO text (the issue marked to 2b at 20.00, no adjustment); under LIFO date the
    physical issue takes the newest receipt of its date, 4b at 30.00, leaving 17.50 a unit (the
    legacy "27.50" is FIFO's)."""
    item = legacy("lifo-date", physical_value=True, mark=2, physical_issue=True)
    assert amounts(item, 5, 6) == ["-20.00", "-30.00"]
    assert str(item.inventory_value / item.quantity_on_hand) == "17.50"


# ---------------------------------------------------------------- weighted average

DIRECT = """
2020-12-01 purchase +10 cost 100.00
2020-12-01 purchase +10 cost 200.00 physical
2020-12-01 sale     -1
2020-12-01 sale     -1
2020-12-01 sale     -1 physical
"""


@pytest.mark.parametrize("method", ["weighted-average", "weighted-average-date"])
def test_direct_settlement_without_include_physical_value(method):
    """F&O "Weighted average with physical value and marking" (current), "Weighted average direct
    settlement without the Include physical value option",
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    one financial receipt (10 at 10.00): 3b and 4b settled against it, no adjustment.  The same
    holds for F&O "Weighted average date with Include physical value and marking", direct
    settlement without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date,
    whose published "adjustment of USD 10.00 ... up to 20.00" contradicts its own "only one receipt
    is financially updated": the rule gives no adjustment (the physical issue, here on Day 1, keeps
    its running average)."""
    item = valued_text(DIRECT, method)["ITEM-A"]
    assert amounts(item, 3, 4, 5) == ["-10.00", "-10.00", "-10.00"]
    assert adjusted(item, 3) == adjusted(item, 4) == []


@pytest.mark.parametrize("method", ["weighted-average", "weighted-average-date"])
def test_direct_settlement_with_include_physical_value(method):
    """F&O "Weighted average with physical value and marking" (current), direct settlement with the
    option, https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    3b and 4b posted at (100 + 200) / 20 = 15.00, each adjusted by -5.00 to 10.00; the physical
    issue 5a stays at 15.00.  F&O "Weighted average date ..." (direct settlement with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date)
    prints "no adjustment" here, which contradicts its rule (settled against 1b at 10.00), as the
    weighted average article shows on the same data; the rule is checked."""
    item = valued_text(DIRECT, method, physical_value=True)["ITEM-A"]
    assert [running(item, n) for n in (3, 4, 5)] == ["-15.00", "-15.00", "-15.00"]
    assert amounts(item, 3, 4, 5) == ["-10.00", "-10.00", "-15.00"]
    assert adjusted(item, 3) == [(CLOSE, "settlement", "5.00")]


@pytest.mark.parametrize("physical_value", [False, True])
def test_weighted_average_summarized_settlement(physical_value):
    """F&O "Weighted average with physical value and marking" (current), summarized settlement with
    and without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    3b posted at 16.00 is settled at the weighted average of the financial receipts
    (10 + 22 + 30) / 3 = 20.67 (+4.67); 6a is not adjusted (23.00, or 23.67 with the option:
    the option only changes the running average); 2 units worth 62.00 - 20.67 = 41.33 stay on
    hand financially."""
    item = series("weighted-average", physical_value=physical_value)
    assert amounts(item, 3, 6) == ["-20.67", "-23.67" if physical_value else "-23.00"]
    assert adjusted(item, 3) == [(CLOSE, "settlement", "-4.67")] and adjusted(item, 6) == []
    assert str(item.inventory_value - item.physical_value) == "41.33"


def test_weighted_average_with_marking():
    """F&O "Weighted average with physical value and marking" (current), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    3b marked to 2b: settled at 22.00 (+6.00); no other settlement."""
    item = series("weighted-average", mark=2)
    assert amounts(item, 3, 6) == ["-22.00", "-23.00"] and adjusted(item, 3) == [(CLOSE, "settlement", "-6.00")]


def test_weighted_average_legacy_direct_settlement():
    """F&O "Weighted average with physical value and marking" (2017 version), direct settlement
    without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    receive 5 at 10.00, issue 2: no adjustment."""
    item = valued_text("2020-12-01 purchase +5 cost 50.00\n2020-12-01 sale -2", "weighted-average")["ITEM-A"]
    assert amounts(item, 2) == ["-20.00"] and adjusted(item, 2) == []


def test_weighted_average_legacy_summarized_settlement():
    """F&O "Weighted average with physical value and marking" (2017 version), summarized
    settlement without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    1a/1b 2 at 11.00/14.00, 2a/2b 1 at 12.00/16.00, the issue at (28 + 16) / 3 = 14.67, 4a/4b 1
    at 14.00/16.00; the weighted average is 15.00, the issue gets -0.33 (its cost rises to 15.00),
    3 units worth 45.00 stay on hand."""
    item = valued_text(
        """
        2020-12-01 purchase +2 expected-cost 22.00
        2020-12-01 invoice  1  cost 28.00
        2020-12-01 purchase +1 expected-cost 12.00
        2020-12-01 invoice  2  cost 16.00
        2020-12-01 sale     -1
        2020-12-01 purchase +1 expected-cost 14.00
        2020-12-01 invoice  4  cost 16.00
    """,
        "weighted-average",
    )["ITEM-A"]
    assert running(item, 3) == "-14.67" and amounts(item, 3) == ["-15.00"]
    assert item.quantity_on_hand == 3 and str(item.inventory_value) == "45.00"


def test_weighted_average_legacy_direct_settlement_with_include_physical_value():
    """F&O "Weighted average with physical value and marking" (2017 version), direct settlement
    with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    1a/1b 1 at 11.00/10.00, 2a physical 1 at 15.00, the issue at (10 + 15) / 2 = 12.50; the close
    disregards the physical receipt and settles against 1b: 10.00 (the published "2.50" is the
    size of the change); 1 unit at 15.00 stays on hand."""
    item = valued_text(
        """
        2020-12-01 purchase +1 expected-cost 11.00
        2020-12-01 invoice  1  cost 10.00
        2020-12-01 purchase +1 cost 15.00 physical
        2020-12-01 sale     -1
    """,
        "weighted-average",
        physical_value=True,
    )["ITEM-A"]
    assert running(item, 3) == "-12.50" and amounts(item, 3) == ["-10.00"]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "15.00"


def test_weighted_average_legacy_summarized_settlement_with_include_physical_value():
    """F&O "Weighted average with physical value and marking" (2017 version), summarized
    settlement with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    the issue at (28 + 10 + 16) / 4 = 13.50 (the physical receipt counts), settled at the
    financial weighted average (28 + 16 + 16) / 4 = 15.00 (+1.50); 3 units at 15.00 stay on hand
    financially (the text's "only one financial receipt exists" is a slip: there are three)."""
    item = valued_text(
        """
        2020-12-01 purchase +2 expected-cost 22.00
        2020-12-01 invoice  1  cost 28.00
        2020-12-01 purchase +1 cost 10.00 physical
        2020-12-01 purchase +1 expected-cost 12.00
        2020-12-01 invoice  3  cost 16.00
        2020-12-01 sale     -1
        2020-12-01 purchase +1 expected-cost 14.00
        2020-12-01 invoice  5  cost 16.00
    """,
        "weighted-average",
        physical_value=True,
    )["ITEM-A"]
    assert running(item, 4) == "-13.50" and amounts(item, 4) == ["-15.00"]
    assert str(item.inventory_value - item.physical_value) == "45.00"
    assert item.quantity_on_hand - item.physical_quantity == 3


def test_weighted_average_legacy_with_marking():
    """F&O "Weighted average with physical value and marking" (2017 version), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-physical-value-marking:
    the issue marked to 2b costs 20.00, no adjustment; the physical issue keeps its running
    average 21.25 (weighted average never adjusts physical issues; the text's "27.50" is FIFO's)."""
    item = legacy("weighted-average", physical_value=True, mark=2, physical_issue=True)
    assert amounts(item, 5, 6) == ["-20.00", "-21.25"] and adjusted(item, 6) == []


# ---------------------------------------------------------------- weighted average date

WAD = (
    'F&O "Weighted average date with Include physical value and marking", '
    "https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date"
)

DIRECT_BY_DAY = """
2020-12-01 purchase +10 cost 100.00
2020-12-01 purchase +10 cost 200.00 physical
2020-12-01 sale     -1
2020-12-02 purchase +1 cost 25.00 physical
2020-12-02 purchase +1 cost 30.00
2020-12-02 sale     -1 physical
"""


def test_weighted_average_date_direct_settlement_by_day():
    """F&O "Weighted average date with Include physical value and marking" (current), direct
    settlement without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date:
    Day 1 has one financial receipt, 3b is settled against it at 10.00; Day 2 has no financial
    issue, so nothing is settled.  The article's "+10.00 to 20.00" contradicts its own rule (see
    the test above) and its 6a "at 20.00" matches no combination of its amounts: the rule gives
    the financial running average (9 x 10 + 30) / 10 = 12.00."""
    item = valued_text(DIRECT_BY_DAY, "weighted-average-date")["ITEM-A"]
    assert amounts(item, 3, 6) == ["-10.00", "-12.00"] and adjusted(item, 3) == []


def test_weighted_average_date_direct_settlement_by_day_with_include_physical_value():
    """F&O "Weighted average date with Include physical value and marking" (current), direct
    settlement with the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date:
    3b posted at 15.00 is settled against 1b at 10.00 (-5.00; the article says "no adjustment",
    against its rule); 6a is posted at (300 - 15 + 25 + 30) / 21 = 16.19 (the article's 21.25 is
    the legacy series' number) and keeps it."""
    item = valued_text(DIRECT_BY_DAY, "weighted-average-date", physical_value=True)["ITEM-A"]
    assert amounts(item, 3, 6) == ["-10.00", "-16.19"]


@pytest.mark.parametrize("physical_value", [False, True])
def test_weighted_average_date_summarized_settlement(physical_value):
    """F&O "Weighted average date with Include physical value and marking" (current), summarized
    settlement with and without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date:
    Day 1's weighted average is (10 + 22) / 2 = 16.00, so 3b is not adjusted; Day 2 has no
    financial issue; 6a keeps 23.00 (23.67 with the option)."""
    item = series("weighted-average-date", physical_value=physical_value)
    assert amounts(item, 3, 6) == ["-16.00", "-23.67" if physical_value else "-23.00"]
    assert adjusted(item, 3) == []


def test_weighted_average_date_with_marking():
    """F&O "Weighted average date with Include physical value and marking" (current), with marking,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date:
    3b marked to 2b: settled at 22.00 (+6.00)."""
    item = series("weighted-average-date", mark=2)
    assert amounts(item, 3) == ["-22.00"] and adjusted(item, 3) == [(CLOSE, "settlement", "-6.00")]


def test_weighted_average_date_legacy_direct_settlement():
    """F&O "Weighted average date" (2016 version), direct settlement without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date:
    receive 5 at 10.00, issue 2: no adjustment."""
    item = valued_text("2020-12-01 purchase +5 cost 50.00\n2020-12-01 sale -2", "weighted-average-date")["ITEM-A"]
    assert amounts(item, 2) == ["-20.00"] and adjusted(item, 2) == []


def test_weighted_average_date_legacy_summarized_settlement():
    """F&O "Weighted average date" (2016 version), summarized settlement without the option,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/weighted-average-date:
    Day 1 receive 3 at 15.00 and issue 1, Day 2 issue 1 (both directly at 15.00), Day 3 issue 1
    and then receive 1 at 17.00: Day 3's average is (15 + 17) / 2 = 16.00, the Day 3 issue gets
    +1.00, and 1 unit at 16.00 stays on hand."""
    item = valued_text(
        """
        2020-12-01 purchase +3 cost 45.00
        2020-12-01 sale     -1
        2020-12-02 sale     -1
        2020-12-03 sale     -1
        2020-12-03 purchase +1 cost 17.00
    """,
        "weighted-average-date",
    )["ITEM-A"]
    assert amounts(item, 2, 3, 4) == ["-15.00", "-15.00", "-16.00"]
    assert adjusted(item, 4) == [(CLOSE, "settlement", "-1.00")]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "16.00"


# ---------------------------------------------------------------- running average, dimensions, reports


def test_include_physical_value_running_average():
    """F&O "Include physical value", example 1,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/include-physical-value:
    2 at 10.00 packing-slip updated, 3 at 12.00 invoiced: with the option the running average is
    (2 x 10 + 3 x 12) / 5 = 11.20 (an issue before the close is posted at it); without, 12.00."""
    lines = "2020-12-01 purchase +2 cost 20.00 physical\n2020-12-01 purchase +3 cost 36.00\n2020-12-02 sale -1"
    assert amounts(valued_text(lines, "weighted-average", physical_value=True, as_of=DAY2)["ITEM-A"], 3) == ["-11.20"]
    assert amounts(valued_text(lines, "weighted-average", as_of=DAY2)["ITEM-A"], 3) == ["-12.00"]


def test_include_physical_value_default_cost_price():
    """F&O "Include physical value", example 2,
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/include-physical-value:
    the item's cost price is 10.00; 20 at 12.00 packing-slip updated only.  A sales order is
    posted at 10.00 without the option (no financial quantity: the cost price), 12.00 with it."""
    lines = "2020-12-01 purchase +20 cost 240.00 physical\n2020-12-02 sale -1"
    fields = "unit-cost 10.00"
    without = valued_text(lines, "weighted-average", as_of=DAY2, item_fields=fields)["ITEM-A"]
    with_ = valued_text(lines, "weighted-average", physical_value=True, as_of=DAY2, item_fields=fields)["ITEM-A"]
    assert amounts(without, 2) == ["-10.00"] and amounts(with_, 2) == ["-12.00"]


def test_running_average_pricing_amplification():
    """F&O "Running average cost price", "Avoiding pricing amplification",
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/running-average-cost-price:
    with the option, receive 100 for 100.00, issue 200 (at 1.00: inventory was positive), then
    receive 101 physically for 202.00: the estimated price is (202 - 100) / (101 - 100) = 102.00.
    The other way round the 200 are issued at 302 / 201 = 1.5025 (the article rounds to "1.51")
    and the unit left is worth 1.50."""
    item = valued_text(
        """
        2020-12-01 purchase +100 cost 100.00
        2020-12-01 sale     -200
        2020-12-01 purchase +101 cost 202.00 physical
        2020-12-01 sale     -1 physical
    """,
        "weighted-average",
        physical_value=True,
        as_of=DAY1,
    )["ITEM-A"]
    assert amounts(item, 2, 4) == ["-200.00", "-102.00"]
    reversed_ = valued_text(
        """
        2020-12-01 purchase +100 cost 100.00
        2020-12-01 purchase +101 cost 202.00 physical
        2020-12-01 sale     -200
    """,
        "weighted-average",
        physical_value=True,
        as_of=DAY1,
    )["ITEM-A"]
    assert amounts(reversed_, 3) == ["-300.50"] and str(reversed_.inventory_value) == "1.50"


def test_running_average_per_inventory_dimension():
    """F&O "Track running average cost per inventory dimension",
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/track-running-average-cost-per-inventory-dimension:
    by warehouse, 2 at 10.00 and 3 at 12.00 in GW, 5 at 15.00 in MW: a sale from GW is costed
    11.20 and one from MW 15.00; with warehouse and batch, GW/AAA 11.20 and GW/BBB 15.00
    (warehouse as location, batch as variant, average-cost-calc item-location-variant)."""
    lines = """
        2020-12-01 purchase +2 cost 20.00 location GW
        2020-12-01 purchase +3 cost 36.00 location GW
        2020-12-01 purchase +5 cost 75.00 location MW
        2020-12-02 sale -1 location GW
        2020-12-02 sale -1 location MW
    """
    result = valued_text(lines, "weighted-average", as_of=DAY2, calc="item-location-variant")
    assert amounts(result["ITEM-A|GW|"], 4) == ["-11.20"] and amounts(result["ITEM-A|MW|"], 5) == ["-15.00"]
    batches = valued_text(
        """
        2020-12-01 purchase +2 cost 20.00 location GW variant AAA
        2020-12-01 purchase +3 cost 36.00 location GW variant AAA
        2020-12-01 purchase +2 cost 30.00 location GW variant BBB
        2020-12-02 sale -1 location GW variant AAA
        2020-12-02 sale -1 location GW variant BBB
    """,
        "weighted-average",
        as_of=DAY2,
        calc="item-location-variant",
    )
    assert amounts(batches["ITEM-A|GW|AAA"], 4) == ["-11.20"] and amounts(batches["ITEM-A|GW|BBB"], 5) == ["-15.00"]


def test_inventory_value_report_fifo_transfer_and_close():
    """F&O "Inventory value report examples and logic",
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/inventory-value-report-examples:
    FIFO with the option, site as the financial dimension (location); site 1 receives 10 for
    1,000 on March 15 and 5 physically for 375 on April 15, transfers 5 between its warehouses on
    May 2 and sells 1 on May 3; site 2 receives 10 for 2,000.  After the close the transfer
    carries 500.00 (its shipment settled against the March receipt, the receipt following it)
    and the sale 100.00; site 1 holds 9 financially for 900.00 and 5 physically for 375.00, 14 for
    1,275.00 (91.07 a unit); site 2 10 for 2,000.00."""
    result = valued_text(
        """
        2021-03-15 purchase +10 cost 1000.00 location SITE1
        2021-03-15 purchase +10 cost 2000.00 location SITE2
        2021-04-15 purchase +5  cost 375.00  location SITE1 physical
        2021-05-02 transfer -5  location SITE1
        2021-05-02 transfer +5  location SITE1 applies-from 4
        2021-05-03 sale     -1  location SITE1
    """,
        "fifo",
        physical_value=True,
        calc="item-location-variant",
    )
    site1, site2 = result["ITEM-A|SITE1|"], result["ITEM-A|SITE2|"]
    assert amounts(site1, 4, 5, 6) == ["-500.00", "500.00", "-100.00"]
    assert site1.quantity_on_hand == 14 and str(site1.inventory_value) == "1275.00"
    assert site1.physical_quantity == 5 and str(site1.physical_value) == "375.00"
    assert str((site1.inventory_value / site1.quantity_on_hand).quantize(site1.inventory_value)) == "91.07"
    assert site2.quantity_on_hand == 10 and str(site2.inventory_value) == "2000.00"


@pytest.mark.parametrize(
    "method, cost",
    [
        ("fifo", "-100.00"),
        ("periodic-lifo", "-300.00"),
        ("lifo-date", "-200.00"),
        ("weighted-average", "-200.00"),
        ("weighted-average-date", "-150.00"),
    ],
)
def test_the_models_side_by_side(method, cost):
    """A third-party comparison of F&O's models (bikash-dynamicsax.blogspot.com, not a Microsoft
    publication; it agrees with the Microsoft rules above): receipts June 1 10 for 100, June 2 10
    for 200, June 4 10 for 300, an issue of 10 on June 3: FIFO 100 (June 1), LIFO 300 (June 4, after
    the issue), LIFO date 200 (June 2), weighted average 200 (all receipts), weighted average date
    150 (June 1 and 2)."""
    item = valued_text(
        """
        2020-06-01 purchase +10 cost 100.00
        2020-06-02 purchase +10 cost 200.00
        2020-06-03 sale     -10
        2020-06-04 purchase +10 cost 300.00
    """,
        method,
    )["ITEM-A"]
    assert amounts(item, 3) == [cost]


def test_moving_average_invoice_after_receipt():
    """F&O "Moving average", "Purchase order and proportionally expensed cost difference",
    https://learn.microsoft.com/en-us/dynamics365/supply-chain/cost-management/moving-average:
    product receipt of 2 at 10.00 (an expected cost of 20.00), a sale of 1 (10.00), the invoice at
    12.00 each: the 4.00 difference is capitalised for the unit on hand (2.00) and the rest is a
    price difference (2.00); the sale keeps 10.00."""
    item = valued_text(
        """
        2020-12-01 purchase +2 expected-cost 20.00
        2020-12-02 sale     -1
        2020-12-03 invoice  1  cost 24.00
    """,
        "moving-average",
    )["ITEM-A"]
    assert amounts(item, 2) == ["-10.00"]
    assert [(v.kind, str(v.amount)) for v in item.variances] == [("price-difference", "2.00")]
    assert item.quantity_on_hand == 1 and str(item.inventory_value) == "12.00"
