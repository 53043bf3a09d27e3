"""Item charges, list prices, rounding methods, price records, standard costs and the costing BOM."""

from __future__ import annotations

import pytest

from costsheet.numbers import CONTEXT, D, outgoing

from .support import cost, diagnose

RETAIL = """
rounding CENTS    nearest 0.01
rounding NICKEL   up      0.05
condition charge LP-RETAIL "Retail list price" {
  copy-price list-price+sales-price
  sales-type customer-price-group RETAIL
  line      "Cost of goods manufactured" row A element 5000
  line      "Packaging"                  row A amount 0.80
  line 6100 "Sales overhead"             row B formula "10 % A"
  line 6200 "Admin overhead"             row B formula "4 % A"
  line      "Cost of sales"              row C formula "A + B"
  line 6300 "Profit"                     row D formula "15 % C"   round
  line 6400 "Cash discount"              row E formula "2 § (C + D)"
  line      "List price"                 formula "C + D + E"      list-price bold round NICKEL
  line      "All prices exclude VAT"
}
item P "Product" { unit-cost 99.20 rounding CENTS condition charge LP-RETAIL }
"""


def test_the_language_reference_charge_condition():
    """The LP-RETAIL condition of docs/language.md, "Cost conditions", worked through by hand:
    A = 99.20 + 0.80 = 100; B = 10 + 4 = 14; C = 114; D = 17.10; E = 2 § 131.10 = 2.570588…;
    list price 133.670588… rounded up to 0.05 = 133.70."""
    result = cost(RETAIL, "P")
    values = [c.value for c in result.charges]
    assert values[:6] == [D("99.20"), D("0.80"), D(10), D(4), D(114), D("17.10")]
    # 262.20 / 102 = 2.570588235294117647...: the value leaves the engine rounded to 12 places
    assert values[6] == D("2.570588235294") == outgoing(CONTEXT.divide(CONTEXT.multiply(D("131.10"), D(2)), D(102)))
    assert result.list_price == D("133.70")
    assert values[8] is None  # a text line keeps its place
    assert [c.line for c in result.charges] == list(range(1, 10))
    assert result.charges[7].bold and result.charges[7].list_price
    assert [(p.kind, p.sales_type, p.sales_code, p.price) for p in result.prices] == [
        ("list-price", None, None, D("133.70")),
        ("sales-price", "customer-price-group", "RETAIL", D("133.70")),
    ]
    data = result.to_dict()
    assert data["list_price"] == "133.70"
    third = dict(data["charges"][2])
    assert D(third.pop("value")) == D(10)
    assert third == {"line": 3, "row": "B", "description": "Sales overhead", "element": "6100"}
    assert data["prices"][1]["starting_date"] == "2026-06-15"


def test_rows_are_evaluated_in_dependency_order_not_written_order():
    text = """
        condition charge CH "Forward references" {
          line "Total" formula "B + 1" list-price
          line "Half" row B formula "A / 2"
          line "Base" row A element 1199
        }
        item P "P" { unit-cost 40 condition charge CH }"""
    result = cost(text, "P")
    assert [c.value for c in result.charges] == [D(21), D(20), D(40)]
    assert result.list_price == D(21)


def test_a_cycle_between_rows_names_its_lines():
    text = """
        condition charge CH "Cycle" {
          line "Base" row A element 5000
          line "One" row B formula "A + C"
          line "Two" row C formula "B * 2"
        }
        item P "P" { unit-cost 1 condition charge CH }"""
    import costsheet

    # The checker reports the cycle when the ruleset loads, naming its lines (the costing
    # planner only takes the order, from the same function: costsheet.formulas.order_lines)
    with pytest.raises(costsheet.RulesetError) as raised:
        costsheet.load(CHART_TEXT + text, file="test.cost")
    cycle = [d for d in raised.value.diagnostics if d.code == "charge-cycle"]
    assert cycle and 'line 2 "One"' in cycle[0].message and 'line 3 "Two"' in cycle[0].message


def test_a_row_with_no_lines_is_located_inside_the_formula():
    text = 'condition charge CH "Empty row" {\n  line "X" formula "5 % NOPE"\n}\nitem P "P" { condition charge CH }'
    result, diagnostics = diagnose(text, "P")
    assert result is None
    empty = [d for d in diagnostics if d.code == "empty-row"]
    assert empty, diagnostics
    line_no = CHART_LINES + 2
    assert empty[0].span.line == line_no
    source_line = (CHART_TEXT + text).splitlines()[line_no - 1]
    assert source_line[empty[0].span.column - 1 :].startswith("NOPE")


def test_division_by_zero_at_run_time_names_line_and_column():
    text = (
        'condition charge CH "Div" {\n  line "Z" row Z amount 0\n  line "X" formula "1 / Z"\n}\n'
        'item P "P" { condition charge CH }'
    )
    result, diagnostics = diagnose(text, "P")
    assert result is None
    [error] = [d for d in diagnostics if d.code == "division-by-zero"]
    line_no = CHART_LINES + 3
    assert error.span.line == line_no
    source_line = (CHART_TEXT + text).splitlines()[line_no - 1]
    assert source_line[error.span.column - 1 :].startswith("1 / Z")
    assert error.message == 'line 2 "X" of charge condition CH: division by zero in "1 / Z" while costing P'


def test_run_time_errors_name_the_condition_line_like_compile_time_ones():
    """Issue 3 item 6: errors at run time name the condition line and the column inside the formula; the
    line is named as in the compile-time messages (`line N "Description" of charge condition CODE`)."""
    text = RETAIL.replace('formula "15 % C"', 'formula "15 / (C - C)"')
    result, diagnostics = diagnose(text, "P")
    assert result is None
    [error] = diagnostics
    assert error.code == "division-by-zero"
    assert error.message == (
        'line 6 "Profit" of charge condition LP-RETAIL: division by zero in "15 / (C - C)" while costing P'
    )
    source_line = (CHART_TEXT + text).splitlines()[error.span.line - 1]
    assert source_line[error.span.column - 1 :].startswith("15 / (C - C)")
    share = RETAIL.replace('formula "2 § (C + D)"', 'formula "(C - C - 100) § D"')
    [error] = diagnose(share, "P")[1]
    assert error.message.startswith('line 7 "Cash discount" of charge condition LP-RETAIL: division by zero in ')
    assert "-100" in error.hint
    source_line = (CHART_TEXT + share).splitlines()[error.span.line - 1]
    assert source_line[error.span.column - 1 : error.span.end_column - 1].endswith("100) § D")  # the § operation


def test_a_constant_division_by_zero_names_the_line_at_compile_time():
    text = 'condition charge CH "Div" {\n  line "Z" formula "1 / (2 - 2)"\n}\nitem P "P" { condition charge CH }'
    result, diagnostics = diagnose(text, "P")
    assert result is None
    [error] = [d for d in diagnostics if d.code == "division-by-zero"]
    assert error.message == 'line 1 "Z" of charge condition CH: division by zero in "1 / (2 - 2)"'


@pytest.mark.parametrize(
    "method, value, expected",
    [
        ("nearest 0.01", "12.345", "12.35"),  # half away from zero
        ("nearest 0.01", "-12.345", "-12.35"),
        ("up 0.05", "12.301", "12.35"),  # toward +infinity
        ("up 0.05", "-12.349", "-12.30"),
        ("down 1", "12.99", "12"),  # toward -infinity
        ("down 1", "-12.01", "-13"),
        ("nearest 0.25", "10.13", "10.25"),  # any precision, to a multiple of it
        ("down 1 min-amount 100", "99.99", "99.99"),  # below the minimum amount: untouched
        ("down 1 min-amount 100", "100.75", "100"),
    ],
)
def test_rounding_methods(method, value, expected):
    text = f"""
        rounding R {method}
        condition charge CH "Round" {{ line "V" formula "{value}" round R list-price }}
        item P "P" {{ condition charge CH }}"""
    assert cost(text, "P").list_price == D(expected)


def test_element_lines_read_totals_and_end_totals():
    text = """
        condition charge CH "Totals" {
          line "Material" row M element 1199
          line "All" row T element 5000
        }
        item P "P" { unit-cost 10 indirect-cost 10% condition charge CH }"""
    assert [c.value for c in cost(text, "P").charges] == [D(11), D(11)]


def test_unit_price_and_all_customers_sales_price_records():
    text = """
        condition charge U "Unit" {
            copy-price unit-price line "P" formula "A * 2" list-price line "A" row A element 5000
        }
        condition charge S "Sales" { copy-price sales-price line "P" element 5000 list-price }
        item A "A" { unit-cost 5 condition charge U }
        item B "B" { unit-cost 5 condition charge S }"""
    assert [(p.kind, p.price) for p in cost(text, "A").prices] == [("unit-price", D(10))]
    assert [(p.kind, p.sales_type) for p in cost(text, "B").prices] == [("sales-price", "all-customers")]


TREE = """
item K "Part" { unit-cost 2 }
item S "Sub" { replenishment prod-order bom { K 3 } }
item T "Top" { replenishment prod-order bom { S 2 K 1 } }
"""


def test_standard_cost_proposals_single_level_and_all_levels():
    single = cost(TREE + "setup { copy-standard-cost single-level }", "T")
    assert dict(single.standard_costs) == {"T": D(14)}
    every = cost(TREE + "setup { copy-standard-cost all-levels }", "T")
    assert dict(every.standard_costs) == {"T": D(14), "S": D(6), "K": D(2)}


def test_explain_names_lines_bases_rates_and_times():
    text = """
        condition capacity C-X "X" { direct 2110 overhead 2120 line 2120 "Energy" amount 4.50 }
        workcenter WC "W" { direct-unit-cost 42.00/h condition C-X }
        item F "Made" { replenishment prod-order lot-size 10 routing { 10 WC setup 30min run 12min } }"""
    result = cost(text, "F", explain=True)
    sources = [step.source for step in result.explain]
    assert "operation 10 on WC" in sources and 'C-X line 1 "Energy"' in sources
    direct = result.explain[sources.index("operation 10 on WC")]
    assert "42.00/h" in direct.detail and "lot 10" in direct.detail and direct.amount == D("10.50")
    total = D(0)
    for step in result.explain:
        if step.element is not None:
            total += step.amount
    assert total == result.unit_cost


def test_json_is_the_shape_of_section_9():
    data = cost(RETAIL, "P").to_dict()
    assert list(data)[:10] == [
        "item",
        "lot_size",
        "date",
        "unit_cost",
        "elements",
        "totals",
        "charges",
        "list_price",
        "prices",
        "standard_costs",
    ]
    assert data["elements"]["1110"] == {"single_level": "99.20", "rolled_up": "99.20"}
    assert "6100" not in data["elements"]  # charge elements carry charges, not cost
    assert data["totals"]["5000"] == "99.20"

    def no_numbers(value):
        if isinstance(value, dict):
            return all(no_numbers(v) for v in value.values())
        if isinstance(value, list):
            return all(no_numbers(v) for v in value)
        return not isinstance(value, (int, float)) or isinstance(value, bool) or value is None

    assert no_numbers({k: v for k, v in data.items() if k != "charges"})


from .support import CHART as CHART_TEXT  # noqa: E402 - the tests above use their own chart

CHART_LINES = CHART_TEXT.count("\n")
