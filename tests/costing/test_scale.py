"""The internal scale of amounts (costsheet.costing.scale): 20 decimal places, half even, scale kept."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from costsheet.costing.scale import LIMIT, QUANTUM, internal
from costsheet.numbers import CONTEXT, D

DATE = dt.date(2026, 6, 15)


def test_repeating_decimals_are_cut_at_20_places_half_even():
    assert internal(CONTEXT.divide(D(7), D(180))) == D("0.03888888888888888889")
    assert internal(CONTEXT.divide(D(2), D(3))) == D("0.66666666666666666667")
    assert internal(D("0.000000000000000000005")) == 0  # half even: 0.5E-20 goes to 0
    assert internal(D("0.000000000000000000015")) == D("2E-20")


def test_values_with_fewer_places_keep_their_scale():
    for text in ("4.50", "0", "0.00", "10.000", "-3", "1E+20", "123456789012345.678"):
        value = internal(D(text))
        assert value == D(text) and str(value) == str(D(text)), text


def test_large_amounts_keep_34_digits_and_never_raise():
    """Above 10^14 an amount cannot have 20 places in 34 digits: it is left as the context made it."""
    big = CONTEXT.divide(D(10) ** 15, D(3))
    assert internal(big) == big
    assert internal(D("99999999999999.999999999999999999999")) == LIMIT  # rounds up onto the limit


@given(st.integers(-(10**33), 10**33), st.integers(-40, 0))
def test_results_are_multiples_of_the_quantum_and_within_half_of_it(coefficient, exponent):
    value = D(coefficient).scaleb(exponent)
    if abs(value) >= LIMIT:
        return
    rounded = internal(value)
    assert CONTEXT.remainder(rounded, QUANTUM) == 0
    assert abs(CONTEXT.subtract(rounded, value)) <= CONTEXT.divide(QUANTUM, D(2))


# ---------------------------------------------------------------- the roll-up's inlined copy of internal()


def _one_line_model(unit_cost, quantity):
    """A purchased part at ``unit_cost`` and a produced item using ``quantity`` of it; no overhead anywhere."""
    from costsheet.model import (
        BomLine,
        Chart,
        ChartLine,
        ChartLineKind,
        Condition,
        ConditionKind,
        CostGroup,
        Item,
        Model,
        Setup,
        frozen_map,
    )

    chart = Chart(
        (
            ChartLine("1110", ChartLineKind.ELEMENT, "Direct material", CostGroup.MATERIAL),
            ChartLine("3100", ChartLineKind.ELEMENT, "Manufacturing overhead", CostGroup.MFG_OVERHEAD),
        )
    )
    conditions = {
        "M": Condition(ConditionKind.MATERIAL, "M", direct="1110", overhead="3100"),
        "P": Condition(ConditionKind.PRODUCTION, "P", direct="1110", overhead="3100"),
    }
    items = {
        "PART": Item("PART", unit_cost=unit_cost),
        "ASSY": Item("ASSY", replenishment="prod-order", bom=(BomLine("PART", quantity),)),
    }
    return Model(
        setup=Setup(default_material="M", default_production="P"),
        chart=chart,
        conditions=frozen_map(conditions),
        items=frozen_map(items),
    )


AMOUNTS = st.builds(
    lambda coefficient, exponent: D(coefficient).scaleb(exponent), st.integers(1, 10**34 - 1), st.integers(-60, 20)
)


@given(AMOUNTS, AMOUNTS)
@example(D("3.7"), D("0.333"))  # within the scale's range: rounded to 20 places
@example(D("1E-15"), D("1E-12"))  # below 1E-20: 0 or 1E-20
@example(D("123456789012345.6"), D("7"))  # 10^14 and above: 34 digits, no rounding
@example(D("4.50"), D("2"))  # fewer places than 20: the scale is kept
def test_a_bom_lines_amount_is_internal_of_amount_times_quantity(unit_cost, quantity):
    """Calculator._add_material inlines internal() in its hot loop: it must give exactly internal()'s value."""
    from costsheet.costing import Calculator, plan_program

    calculator = Calculator(plan_program(_one_line_model(unit_cost, quantity)), DATE)
    part, assembly = calculator.cost("PART"), calculator.cost("ASSY")
    assert part is not None and assembly is not None, calculator.diagnostics
    expected = internal(CONTEXT.multiply(part.rolled["1110"], quantity))
    assert str(assembly.rolled["1110"]) == str(expected)  # the same value and the same scale
    assert assembly.single["1110"] == expected  # a sum from zero: the value (its scale may be 0's)
