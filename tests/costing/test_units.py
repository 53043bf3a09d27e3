"""Units of measure on BOM lines and price/discount lines (docs/costing.md, "Units of measure")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

import costsheet
from costsheet.costing import calculate
from costsheet.numbers import D
from costsheet.syntax.parser import parse
from costsheet.syntax.printer import print_ruleset

from .support import cost, diagnose, total

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "realism" / "units.cost"
DAY = dt.date(2026, 3, 1)

SPOKES = """
item SPOKE "Spoke" {
  unit PCS
  unit-of-measure BOX 100
  vendor V-1
  cost-base direct-unit-cost
}
price SPOKE vendor V-1 from 2026-01-01 unit-cost 11.00 per BOX
price SPOKE vendor V-1 from 2026-01-01 min-qty 2 unit-cost 10.00 per BOX
item RIM "Rim" { unit-cost 5.00 }
item WHEEL "Wheel" { replenishment prod-order  bom { RIM 1  SPOKE 0.36 unit BOX } }
"""


def _example(item: str, lot: str | None = None):
    model = costsheet.load(EXAMPLE.read_text(), file=str(EXAMPLE)).model
    result, diagnostics = calculate(model, item, date=DAY, lot_size=None if lot is None else D(lot))
    assert not diagnostics and result is not None
    return result


def test_a_bom_line_in_boxes_needs_factor_times_the_base_units():
    # RIM 5.00 + 0.36 BOX = 36 PCS x 11.00/100 per PCS
    assert _example("WHEEL").unit_cost == D("8.96")
    assert cost(SPOKES, "WHEEL", date=DAY).unit_cost == D("8.96")


def test_a_price_per_box_costs_its_share_per_base_unit_and_its_min_qty_counts_boxes():
    assert _example("SPOKE").unit_cost == D("0.11")
    assert _example("SPOKE", "200").unit_cost == D("0.10")  # 200 PCS = 2 BOX: min-qty 2 holds
    assert _example("SPOKE", "199").unit_cost == D("0.11")


def test_explain_shows_the_conversion():
    steps = cost(SPOKES, "WHEEL", date=DAY, explain=True).explain
    details = " | ".join(step.detail for step in steps)
    assert "quantity 0.36 BOX (x 100 = 36.00 PCS)" in details
    assert "unit-cost 11.00 per BOX (1 BOX = 100 base units)" in details


def test_a_discount_per_box_counts_its_min_qty_in_boxes():
    text = SPOKES + "discount SPOKE vendor V-1 from 2026-01-01 min-qty 3 10% per BOX\n"
    assert cost(text, "SPOKE", date=DAY, lot_size=300).unit_cost == D("0.09")  # 10.00/100 less 10%
    assert cost(text, "SPOKE", date=DAY, lot_size=299).unit_cost == D("0.10")


def test_an_unknown_unit_is_a_located_error_listing_the_units():
    _, diagnostics = diagnose(SPOKES.replace("unit BOX }", "unit CRATE }"), "WHEEL")
    (error,) = [d for d in diagnostics if d.code == "unknown-unit"]
    assert "CRATE" in error.message and "PCS, BOX" in error.message
    assert error.span is not None
    _, diagnostics = diagnose(SPOKES.replace("11.00 per BOX", "11.00 per KG"), "SPOKE")
    assert [d.code for d in diagnostics if d.is_error] == ["unknown-unit"]


def test_the_engine_reports_an_unknown_unit_of_a_model_built_in_code():
    import attrs

    model = costsheet.load(
        EXAMPLE.read_text(),
        file=str(EXAMPLE),
    ).model
    wheel = model.items["WHEEL"]
    bad = attrs.evolve(wheel, bom=tuple(attrs.evolve(line, unit="CRATE") for line in wheel.bom[1:]))
    model = attrs.evolve(model, items={**model.items, "WHEEL": bad})
    result, diagnostics = calculate(model, "WHEEL", date=DAY)
    assert result is None and [d.code for d in diagnostics] == ["unknown-unit"]


def test_units_survive_fmt():
    once = print_ruleset(parse(EXAMPLE.read_text())[0])
    assert "unit-of-measure BOX 100" in once and "SPOKE 0.36 unit BOX" in once and "per BOX" in once
    assert print_ruleset(parse(once)[0]) == once


QUANTITIES = st.integers(1, 5000).map(lambda n: Decimal(n) / 100)
FACTORS = st.sampled_from((Decimal(12), Decimal(100), Decimal("2.5"), Decimal(3), Decimal(7)))
PRICES = st.integers(1, 100000).map(lambda n: Decimal(n) / 100)


@given(quantity=QUANTITIES, factor=FACTORS, price=PRICES)
def test_a_bom_in_boxes_equals_the_same_bom_in_pieces(quantity, factor, price):
    part = f'item K "Part" {{ unit PCS  unit-of-measure BOX {factor}  unit-cost {price} indirect-cost 7 }}\n'
    in_boxes = cost(part + f'item T "Top" {{ replenishment prod-order  bom {{ K {quantity} unit BOX }} }}', "T")
    pieces = quantity * factor
    in_pieces = cost(part + f'item T "Top" {{ replenishment prod-order  bom {{ K {pieces} unit PCS }} }}', "T")
    assert in_boxes.unit_cost == in_pieces.unit_cost
    assert total(in_boxes.single_level) == total(in_boxes.rolled_up) == in_boxes.unit_cost


@given(factor=FACTORS, price=PRICES, lot=st.integers(1, 1000))
def test_a_price_per_box_equals_the_price_per_piece_times_the_factor(factor, price, lot):
    def spoke(line: str) -> str:
        return (
            f'item S "Spoke" {{ unit PCS  unit-of-measure BOX {factor}  vendor V-1  cost-base direct-unit-cost'
            f"  lot-size {lot} }}\n{line}\n"
        )

    assume(lot >= factor)  # below one box neither line is valid (the next property)
    per_box = cost(spoke(f"price S vendor V-1 unit-cost {price * factor} per BOX min-qty 1"), "S")
    per_piece = cost(spoke(f"price S vendor V-1 unit-cost {price} min-qty {factor}"), "S")
    assert per_box.unit_cost == per_piece.unit_cost == price


@given(factor=FACTORS, price=PRICES, lot=st.integers(1, 1000))
def test_min_qty_in_boxes_is_valid_exactly_when_the_lot_holds_that_many_boxes(factor, price, lot):
    text = (
        f'item S "Spoke" {{ unit PCS  unit-of-measure BOX {factor}  vendor V-1  cost-base direct-unit-cost'
        f"  lot-size {lot} }}\nprice S vendor V-1 unit-cost {price * factor} per BOX min-qty 1\n"
    )
    result, diagnostics = diagnose(text, "S")
    if lot >= factor:
        assert result is not None and result.unit_cost == price
    else:
        assert result is None and [d.code for d in diagnostics] == ["no-valid-price"]
