"""The internal scale of amounts (costsheet.costing.scale): 20 decimal places, half even, scale kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from costsheet.costing.scale import LIMIT, QUANTUM, internal
from costsheet.numbers import CONTEXT, D


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
