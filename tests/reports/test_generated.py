"""Generated rulesets: random BOM graphs costed, written as CSV and as a workbook, read back and compared
with the results (CSV exactly, cells to 15 digits); ``calc --all`` streams the same JSON it collected."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costing.support import DATE, load
from costsheet.costing import CostResults, bom_tree, calculate
from costsheet.numbers import to_text
from costsheet.reports import calculation_report, price_list_report, write_report

from .support import close, csv_file, sheet_rows


@st.composite
def bom_graphs(draw) -> str:
    """A ruleset of 2 to 7 items: L0 purchased, every other item produced from 1 to 3 lower items."""
    count = draw(st.integers(2, 7))
    lines = [f'item L0 "Leaf" {{ unit-cost {draw(st.decimals("0.01", "500", places=2))} }}']
    for i in range(1, count):
        parts = draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=3))
        quantities = [draw(st.decimals("0.001", "12", places=3)) for _ in parts]
        bom = " ".join(f"L{p} {q}" for p, q in zip(parts, quantities, strict=True))
        lines.append(f'item L{i} "Item {i}" {{ replenishment prod-order lot-size 7 bom {{ {bom} }} }}')
    return "\n".join(lines) + "\n"


@pytest.mark.thorough
@given(bom_graphs())
def test_a_generated_bom_reads_back_from_csv_and_the_workbook(text):
    model = load(text).model
    top = list(model.items)[-1]
    result, diagnostics = calculate(model, top, date=DATE)
    assert result is not None, diagnostics
    report = calculation_report(model, result)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        write_report(report, "csv", base / "r.csv")
        write_report(report, "xlsx", base / "r.xlsx")
        breakdown = {row["element"]: row for row in csv_file(base / "r.csv")}
        cells = {row["Element"]: row for row in sheet_rows(base / "r.xlsx", "breakdown")}
        for code, amount in result.rolled_up.items():
            assert breakdown[code]["rolled_up"] == to_text(amount)
            assert close(cells[code]["Rolled-up"], to_text(amount))
        if result.bom is not None and result.bom.components:
            tree = csv_file(base / "r.bom.csv")
            sheet = sheet_rows(base / "r.xlsx", "bom")
            assert len(tree) == len(sheet) == bom_tree(result.bom, max_rows=None).total_rows
            nodes = {node.item: node for node in result.bom.walk()}
            for row, cell in zip(tree, sheet, strict=True):
                assert row["unit_cost"] == to_text(nodes[row["item"]].unit_cost)
                assert close(cell["Unit cost"], row["unit_cost"]) and close(cell["Cost share"], row["cost_share"])


@given(bom_graphs(), st.booleans())
def test_the_streamed_json_of_calc_all_is_the_collected_json(text, broken):
    """Byte for byte, with the diagnostics of an item that cannot be costed among them."""
    if broken:  # bought at direct-unit-cost without a price line: no-valid-price, an error of the run
        text += 'item BAD "Broken" { cost-base direct-unit-cost }\n'
    loaded = load(text)
    run = list(loaded.calculate_many(list(loaded.model.items), date=DATE))
    assert any(d.is_error for _, _, found in run for d in found) == broken
    collected = CostResults.collect(run, loaded.diagnostics).to_json()
    diagnostics = list(loaded.diagnostics)
    for _, _, reported in run:
        diagnostics.extend(reported)
    streamed = "".join(CostResults.json_chunks((r for _, r, _ in run if r is not None), diagnostics))
    assert streamed == collected


def test_a_price_list_streams_its_rows(tmp_path):
    """The price list reads the results as they come: a generator is drained once, in order."""
    text = 'item A "A" { unit-cost 2 }\nitem B "B" { replenishment prod-order bom { A 3 } }\n'
    model = load(text).model
    seen = []

    def results():
        for code in model.items:
            result, _ = calculate(model, code, date=DATE)
            seen.append(code)
            yield result

    write_report(price_list_report(model, results()), "csv", tmp_path / "p.csv")
    assert seen == ["A", "B"]
    assert [(r["item"], r["unit_cost"]) for r in csv_file(tmp_path / "p.csv")] == [("A", "2"), ("B", "6")]
