"""Shared DSL text and helpers for the costing tests: rulesets are written as text, as users write them."""

from __future__ import annotations

import datetime as dt

import costsheet
from costsheet.costing import calculate, plan_program
from costsheet.numbers import CONTEXT, D

DATE = dt.date(2026, 6, 15)

CHART = """
chart {
  1100 begin-total "Material costs"
  1110 element     "Direct material"          material
  1120 element     "Material overhead"        material-overhead
  1199 end-total   "Total material costs"
  2100 begin-total "Capacity costs"
  2110 element     "Direct labour"            capacity
  2120 element     "Labour overhead"          capacity-overhead
  2130 element     "Subcontracting"           subcontracted
  2140 element     "Subcontracting overhead"  subcontracted-overhead
  2199 end-total   "Total capacity costs"
  3100 element     "Manufacturing overhead"   mfg-overhead
  4110 element     "Assembly direct"          material
  4120 element     "Assembly overhead"        mfg-overhead
  5000 total       "Cost of goods manufactured"  1100..1199 | 2100..2199 | 3100 | 4110..4120
  6100 element     "Sales overhead"           sales-overhead
  6200 element     "Admin overhead"           admin-overhead
  6300 element     "Profit"                   gain-loss
  6400 element     "Cash discount"            commission-discount
}
setup {
  default material    M-BASE
  default production  P-BASE
  default capacity    C-BASE
  default subcontract C-SUB
  assembly direct 4110 overhead 4120
}
condition material   M-BASE "Plain material"   { direct 1110 overhead 1120 }
condition production P-BASE "Plain production" { direct 1110 overhead 3100 }
condition capacity   C-BASE "Plain capacity"   { direct 2110 overhead 2120 }
condition capacity   C-SUB  "Subcontracting"   { direct 2130 overhead 2140 }
vendor V-1 "Vendor one"
vendor V-2 "Vendor two"
"""


def load(text: str):
    """A ruleset from CHART plus ``text``; fails the test with the rendered diagnostics on errors."""
    try:
        return costsheet.load(CHART + text, file="test.cost")
    except costsheet.RulesetError as error:
        raise AssertionError(error.render()) from None


def cost(text: str, item: str, *, lot_size=None, date=DATE, explain=False):
    """CostResult of ``item``; asserts the calculation had no diagnostics."""
    model = load(text).model
    result, diagnostics = calculate(
        model, item, lot_size=None if lot_size is None else D(lot_size), date=date, explain=explain
    )
    assert not diagnostics, diagnostics
    assert result is not None
    return result


def diagnose(text: str, item: str, *, date=DATE, lot_size=None):
    """(result, diagnostics) of ``item``, errors allowed: those found when loading, else when calculating."""
    try:
        model = costsheet.load(CHART + text, file="test.cost").model
    except costsheet.RulesetError as error:
        return None, error.diagnostics
    result, diagnostics = calculate(
        model, item, date=date, program=plan_program(model), lot_size=None if lot_size is None else D(lot_size)
    )
    return result, diagnostics


def total(mapping) -> D:
    """The sum of a breakdown, in numbers.CONTEXT (the default context's 28 digits would round it)."""
    value = D(0)
    for amount in mapping.values():
        value = CONTEXT.add(value, amount)
    return value
