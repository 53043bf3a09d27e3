"""Formula compilation: operators, % and §, constant folding, located run-time errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costsheet.diagnostics import Span
from costsheet.formulas import FormulaError, evaluate_tree, to_function
from costsheet.numbers import CONTEXT, D
from costsheet.syntax.nodes import Binary, Num, Row, Unary
from costsheet.syntax.parser import parse_formula


def compiled(text: str):
    tree, diagnostics = parse_formula(text)
    assert not diagnostics, diagnostics
    return to_function(tree)


def test_section_sign_is_a_share_of_a_gross_amount():
    """Seed 001 (Item Costing, Formula): '5 § B ... Assuming the total is 100, the charge would be 4.76,
    that is, 100/105*5'."""
    value = compiled("5 § B")({"B": D(100)})
    assert value == CONTEXT.divide(D(500), D(105))
    assert str(value).startswith("4.7619047619")


def test_percent_is_a_percentage_of_a_row():
    """Seed 001: '5% A means 5 percent of the total of ... row A. Assuming the total is 100, the charge would be 5'."""
    assert compiled("5 % A")({"A": D(100)}) == D(5)


def test_percent_and_section_bind_like_multiplication_left_to_right():
    rows = {"A": D(200), "B": D(50)}
    assert compiled("A + 10 % B")(rows) == D(205)
    assert compiled("2 * 10 % A")(rows) == D(40)  # (2*10) % 200
    assert compiled("10 % A / 4")(rows) == D(5)  # (10 % 200) / 4
    assert compiled("(A + B) - -B")(rows) == D(300)


def test_typographic_minus_and_en_dash():
    rows = {"A": D(10)}
    assert compiled("A \u2212 3")(rows) == D(7)
    assert compiled("\u2013A + 1")(rows) == D(-9)


def test_constants_are_folded_at_compile_time():
    formula = compiled("(1 + 2) * 10 % 50")
    assert formula.constant == D(15)
    assert formula.rows == ()
    mixed = compiled("A * (2 + 3)")
    assert "C_add" not in mixed.source and mixed.source.count("K[") == 1  # 2 + 3 folded into one constant
    assert mixed({"A": D(2)}) == D(10)


def test_division_by_zero_names_the_column_inside_the_formula():
    origin = Span("demo.cost", 12, 30, 12, 41)  # where the formula text starts in its file
    tree, _ = parse_formula("A + 1 / B")
    formula = to_function(tree, origin)
    with pytest.raises(FormulaError) as raised:
        formula({"A": D(1), "B": D(0)})
    error = raised.value
    assert error.code == "division-by-zero"
    assert (error.span.file, error.span.line) == ("demo.cost", 12)
    assert error.span.column == 30 + 4  # the '1 / B' sub-formula starts at column 5 of the text


def test_section_sign_with_minus_hundred_divides_by_zero():
    with pytest.raises(FormulaError):
        compiled("P § A")({"P": D(-100), "A": D(1)})


def test_constant_division_by_zero_is_found_at_compile_time():
    tree, _ = parse_formula("1 / (2 - 2)")
    with pytest.raises(FormulaError):
        to_function(tree)


def test_a_thousand_deep_formula_compiles_without_recursion():
    node = Row("A")
    for _ in range(1000):
        node = Binary("+", Num(D(1)), node)
    formula = to_function(node)
    assert formula({"A": D(0)}) == D(1000)


_numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def trees(draw, depth=0):
    if depth > 4 or draw(st.booleans()):
        if draw(st.booleans()):
            return Num(draw(_numbers))
        return Row(draw(st.sampled_from("ABC")))
    if draw(st.integers(0, 5)) == 0:
        return Unary("-", draw(trees(depth=depth + 1)))
    op = draw(st.sampled_from(["+", "-", "*", "%"]))
    return Binary(op, draw(trees(depth=depth + 1)), draw(trees(depth=depth + 1)))


@given(trees(), _numbers, _numbers, _numbers)
def test_compiled_code_agrees_with_the_reference_tree_walk(tree, a, b, c):
    rows = {"A": a, "B": b, "C": c}
    assert to_function(tree)(rows) == evaluate_tree(tree, rows)


@given(
    st.decimals(min_value=-99, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
)
def test_section_sign_share_plus_net_is_the_gross_amount(x, gross):
    """x § G is the part of G that is x% on top of a net amount: net = G - share and share = x% of net."""
    share = compiled("X § G")({"X": x, "G": gross})
    net = gross - share
    assert abs(net * x / 100 - share) < Decimal("1e-20")
