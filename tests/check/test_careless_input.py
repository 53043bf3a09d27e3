"""Careless input that used to get a poor answer (issue 8, items 16-21): each reproducer
from the issue, and the mechanism behind its fix."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from costsheet.diagnostics import Severity
from costsheet.ruleset import analyze
from costsheet.syntax import nodes as n
from costsheet.syntax.parser import parse
from costsheet.syntax.printer import print_ruleset

ROOT = Path(__file__).resolve().parents[2]
CHART = """chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
  4110 element "Assembly direct"   material
  6100 element "Sales overhead"    sales-overhead
}
condition material M "Plain material" { direct 1110 overhead 1120 }
setup { default material M }
vendor V "Supplier"
"""


def diagnostics(text: str, **options):
    return analyze(text, file="t.cost", **options)[1]


def codes(text: str, **options) -> list[str]:
    return [d.code for d in diagnostics(text, **options)]


def under(text: str, diagnostic) -> str:
    """The source text under a one-line span."""
    span = diagnostic.span
    return text.splitlines()[span.line - 1][span.column - 1 : span.end_column - 1]


# ---------------------------------------------------------------- 16: words are not codes


def test_item_location_variant_is_a_setting_value_not_a_too_long_code():
    text = CHART + "setup { average-cost-calc item-location-variant }\n"
    ruleset, found, _ = analyze(text, file="t.cost")
    assert found == ()
    assert ruleset.model.setup.average_cost_calc == "item-location-variant"


@pytest.mark.parametrize(
    "statement",
    [
        "setup { cost-base a-word-that-is-much-too-long }",
        "setup { average-cost-period a-word-that-is-much-too-long }",
        'item A "a" { replenishment a-word-that-is-much-too-long }',
        'item A "a" { costing-method a-word-that-is-much-too-long }',
        'chart { 1130 element "x" a-word-that-is-much-too-long }',
    ],
)
def test_a_long_misspelt_word_is_an_unknown_word_not_a_long_code(statement):
    found = codes(CHART + statement + "\n")
    assert "code-too-long" not in found
    assert any(code in ("unknown-value", "unknown-cost-group") for code in found)


def test_codes_that_name_things_keep_their_length_limit():
    text = (
        CHART + 'item A "a" { unit-cost 1 vendor VENDOR-WITH-A-LONG-NAME }\nsetup { default production '
        "PRODUCTION-CONDITION-X }\n"
    )
    assert codes(text).count("code-too-long") == 2


def test_words_and_codes_are_different_nodes():
    tree, _ = parse("setup { cost-base unit-cost default material M }\nitem A { replenishment purchase unit U }")
    setting, default = tree.declarations[0].settings
    assert setting.value == n.Word("unit-cost") and default.value == n.Code("M")
    replenishment, unit = tree.declarations[1].body
    assert replenishment.value == n.Word("purchase") and unit.value == n.Code("U")


# ---------------------------------------------------------------- 17: a misspelt cost group


def test_a_misspelt_cost_group_is_reported_where_it_stands():
    text = (
        'chart {\n  1110 element "Direct material" materal\n  1120 element "Material overhead" material-overhead\n}\n'
    )
    (found,) = diagnostics(text)
    assert found.code == "unknown-cost-group" and (found.span.line, under(text, found)) == (2, "materal")
    assert found.hint.startswith("did you mean material?")


def test_an_element_without_cost_group_before_another_line_is_still_missing_one():
    text = 'chart {\n  1110 element "Direct material"\n  1120 element "Material overhead" material-overhead\n}\n'
    (found,) = diagnostics(text)
    assert found.code == "missing-cost-group" and found.span.line == 2


def test_the_next_lines_code_is_never_taken_for_a_cost_group():
    """A code spelt like a line type or a cost group, after a line with or without its cost group."""
    text = (
        'chart {\n  1110 element "a" material\n  heading heading "h"\n  1120 element "b"\n'
        '  material-overhead element "c" material-overhead\n  5000 total "t" 1110..1120\n}\n'
    )
    tree, found = parse(text)
    assert found == ()
    assert [(e.code.text, e.kind, e.cost_group and e.cost_group.text) for e in tree.declarations[0].entries] == [
        ("1110", "element", "material"),
        ("heading", "heading", None),
        ("1120", "element", None),
        ("material-overhead", "element", "material-overhead"),
        ("5000", "total", None),
    ]


def test_a_cost_group_may_wrap_onto_the_next_line():
    tree, found = parse('chart {\n  1110 element "a"\n    material\n}\n')
    assert found == () and tree.declarations[0].entries[0].cost_group == n.Word("material")


# ---------------------------------------------------------------- 18: did-you-mean ranked

README_PARTS = """chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
  4110 element "Assembly direct"   material
}
condition material M-STD "Purchased parts" {
  direct 1110  overhead 1120
  line 1130 "Purchasing" percent 8
}
"""


def test_the_readme_sample_diagnostic_is_real_output(tmp_path, monkeypatch):
    """README.md "A short tour" shows `costsheet check parts.cost` on this file."""
    from costsheet.cli.check import check_paths, render_report

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"\$ costsheet check parts\.cost\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "parts.cost").write_text(README_PARTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert shown == render_report(check_paths(["parts.cost"]), "text")
    assert "did you mean 1120?" in shown


def element_hint(chart: str, statement: str) -> str:
    (found,) = [d for d in diagnostics(chart + statement) if d.code == "unknown-element"]
    return found.hint.split("?")[0]


def test_elements_of_a_cost_group_the_place_accepts_come_first():
    chart = (
        'chart { 1100 begin-total "t" 1110 element "m" material 1114 element "c" capacity '
        '1120 element "o" material-overhead 1199 end-total "e" 3100 element "f" mfg-overhead }\n'
    )
    # 1115 is one edit from 1110 and 1114 (nearer); only 1110 is of a group a material `direct` takes
    assert element_hint(chart, "condition material X { direct 1115 overhead 1120 }") == "did you mean 1110"
    assert element_hint(chart, "condition capacity X { direct 1115 overhead 1120 }") == "did you mean 1114"
    # 1101 is one edit from the begin-total 1100 (nearer) and from the element 1110: elements come first
    assert element_hint(chart, "condition material X { direct 1110 overhead 1101 }") == "did you mean 1110"


def test_among_equals_the_nearest_code_wins_whatever_the_chart_order():
    lines = ['1110 element "a" material', '1120 element "b" material-overhead', '4110 element "c" material']
    statement = 'condition material X { direct 1110 overhead 1120 line 1130 "p" percent 8 }'
    for order in (lines, lines[::-1], lines[1:] + lines[:1]):
        assert element_hint("chart { " + " ".join(order) + " }\n", statement) == "did you mean 1120"


def test_conditions_of_the_kind_needed_come_first():
    text = CHART + (
        'condition production M-STE "p" { direct 1110 overhead 1120 }\n'
        'condition material M-STF "m" { direct 1110 overhead 1120 }\n'
        'item A "a" { unit-cost 1 condition material M-STD }\n'
    )
    (found,) = [d for d in diagnostics(text) if d.code == "unknown-condition"]
    assert found.hint.startswith("did you mean M-STF?")


def test_a_bom_does_not_suggest_its_own_item_and_a_price_line_a_purchased_item():
    text = CHART + (
        'item ICO-1 "made" { replenishment prod-order bom { ICO-3 1 } }\n'
        'item ICO-2 "bought" { unit-cost 1 }\n'
        "price ICO-0 vendor V unit-cost 1\n"
    )
    hints = {d.message.split(" names")[0]: d.hint for d in diagnostics(text) if d.code == "unknown-item"}
    assert hints["the BOM of item ICO-1"].startswith("did you mean ICO-2?")
    assert hints["a price line"].startswith("did you mean ICO-2?")


@pytest.mark.parametrize(
    "statement, code, suggestion",
    [
        ('item A "a" { unit-cost 1 vendor W }\nvendor W1 "w"', "unknown-vendor", None),  # 1 edit in 2 characters
        ('item A "a" { unit-cost 1 vendor V-10 }\nvendor V-100 "w"', "unknown-vendor", "V-100"),
        ('rounding CENTS nearest 0.01\nitem A "a" { unit-cost 1 rounding CENST }', "unknown-rounding", "CENTS"),
        (
            'workcenter WC-100 "w" { direct-unit-cost 1 }\nitem A "a" { replenishment prod-order '
            "routing { 10 WC-10O } }",
            "unknown-resource",
            "WC-100",
        ),
        (
            'item ico-0001 "a" { unit-cost 1 }\nledger ICO-0001 { 2026-01-01 purchase +1 cost 1 }',
            "unknown-item",
            "ico-0001",
        ),
    ],
)
def test_every_unknown_code_gets_the_ranked_suggestion(statement, code, suggestion):
    (found,) = [d for d in diagnostics(CHART + statement + "\n") if d.code == code]
    assert found.hint.startswith(f"did you mean {suggestion}?") if suggestion else "did you mean" not in found.hint


def test_an_unknown_row_gets_a_suggestion_among_the_rows_with_lines():
    text = (
        'condition charge LP "List price" {\n  line "Cost" row COST amount 100\n'
        '  line "Margin" row MARGIN amount 5\n  line "List" formula "COSTS + MARGN" list-price\n}\n'
    )
    found = {under(text, d): d.hint for d in diagnostics(text) if d.code == "empty-row"}
    assert found["COSTS"].startswith("did you mean COST? otherwise give some line")
    assert found["MARGN"].startswith("did you mean MARGIN?")


# ---------------------------------------------------------------- 19: decimal commas and thousands separators


@pytest.mark.parametrize(
    "statement, number, fix",
    [
        ('item A "a" { unit-cost 24,00 }', "24,00", "write 24.00"),
        ('item A "a" { unit-cost 1,000.00 }', "1,000.00", "write 1000.00"),
        ('item A "a" { unit-cost 1.000,50 }', "1.000,50", "write 1000.50"),
        ('item A "a" { unit-cost 1,000,000 }', "1,000,000", "write 1000000"),
        ('item A "a" { unit-cost 1,000 }', "1,000", "write 1000, or 1.000 if the comma marks the decimals"),
        ('item A "a" { indirect-cost 2,5% }', "2,5%", "write 2.5%"),
        ('workcenter W "w" { direct-unit-cost 42,50/h }', "42,50/h", "write 42.50/h"),
        ('item A "a" { replenishment prod-order bom { B 2,5 } }', "2,5", "write 2.5"),
        ('item A "a" { replenishment prod-order bom { B 1 scrap 5,5% } }', "5,5%", "write 5.5%"),
        ('item A "a" { replenishment prod-order routing { 10 W run 1,5h } }', "1,5h", "write 1.5h"),
        ("price A vendor V unit-cost 4,80", "4,80", "write 4.80"),
        ("ledger A { 2026-01-01 purchase +1,5 cost 3 }", "+1,5", "write +1.5"),
        ('condition charge K "k" { line "a" row A amount 1 line "b" formula "1,5 * A" }', "1,5", "write 1.5"),
    ],
)
def test_numbers_with_a_comma_are_told_how_numbers_are_written(statement, number, fix):
    (found,) = diagnostics(statement + "\n")
    assert number in found.message
    assert found.hint == f"numbers have a point before the decimals and no thousands separators: {fix}"
    assert "code" not in found.hint


def test_a_comma_after_a_code_keeps_the_hint_about_codes():
    (found,) = diagnostics('vendor 1,000 "v"\n')
    assert found.code == "unexpected-character" and "codes are letters" in found.hint


# ---------------------------------------------------------------- 20: keyword options in any order


def test_price_options_in_any_order():
    text = CHART + (
        'item A "a" { vendor V cost-base direct-unit-cost }\n'
        "price A vendor V min-qty 10 from 2026-01-01 unit-cost 5\n"
        "price A vendor V unit-cost 6 to 2026-12-31\n"
        "discount A vendor V 5% from 2026-01-01\n"
    )
    ruleset, found, _ = analyze(text, file="t.cost")
    assert found == ()
    first, second = ruleset.model.prices
    assert (first.min_qty, first.starting, first.unit_cost) == (Decimal(10), dt.date(2026, 1, 1), Decimal(5))
    assert (second.unit_cost, second.ending) == (Decimal(6), dt.date(2026, 12, 31))
    (discount,) = ruleset.model.discounts
    assert (discount.percent, discount.starting) == (Decimal(5), dt.date(2026, 1, 1))


def test_routing_options_in_any_order():
    text = CHART + (
        'chart { 2110 element "c" capacity 3100 element "f" mfg-overhead }\n'
        'condition capacity C "c" { direct 2110 }\nworkcenter W "w" { direct-unit-cost 60/h condition C }\n'
        'condition production P "p" { direct 1110 overhead 3100 }\n'
        'item A "a" { replenishment prod-order condition production P '
        "routing { 10 W run 12min setup 30min } }\n"
    )
    ruleset, found, _ = analyze(text, file="t.cost")
    assert found == ()
    (operation,) = ruleset.model.items["A"].routing
    assert (operation.setup_seconds, operation.run_seconds) == (Decimal(1800), Decimal(720))


def test_condition_line_options_in_any_order():
    text = CHART + 'condition material X { direct 1110 overhead 1120 line 1120 "f" round percent 2 row F }\n'
    text += "rounding R nearest 0.01\n"
    ruleset, found, _ = analyze(text.replace("round percent", "round R percent"), file="t.cost")
    assert found == ()
    (line,) = ruleset.model.conditions["X"].lines
    assert (line.row, line.value, line.round_method) == ("F", Decimal(2), "R")


@pytest.mark.parametrize(
    "statement, twice",
    [
        ("price A vendor V from 2026-01-01 unit-cost 5 from 2026-02-01", "from 2026-02-01"),
        ("price A vendor V unit-cost 5 min-qty 1 unit-cost 6", "unit-cost 6"),
        ("discount A vendor V 5% to 2026-12-31 6%", "6%"),
        ('item B "b" { replenishment prod-order bom { A 1 scrap 1% scrap 2% } }', "scrap 2%"),
        (
            'item B "b" { replenishment prod-order routing { 10 W run 1min setup 2min run 3min } }\n'
            'workcenter W "w" { direct-unit-cost 1 condition M }',
            "run 3min",
        ),
        ('condition material X { direct 1110 overhead 1120 line 1120 "x" row A percent 1 row B }', "row B"),
        ('condition material X { direct 1110 overhead 1120 line 1120 "x" percent 1 amount 2 }', "amount 2"),
    ],
)
def test_an_option_given_twice_is_located(statement, twice):
    text = CHART + 'item A "a" { vendor V unit-cost 1 }\n' + statement + "\n"
    found = [d for d in diagnostics(text) if d.code == "duplicate-field"]
    assert [under(text, d) for d in found] == [twice]


@pytest.mark.parametrize(
    "statement, missing",
    [
        ("price A vendor V from 2026-01-01 min-qty 10", "no unit cost"),
        ("discount A vendor V from 2026-01-01", "no percentage"),
    ],
)
def test_a_price_line_without_its_value_is_missing_a_field(statement, missing):
    (found,) = diagnostics(CHART + 'item A "a" { vendor V unit-cost 1 }\n' + statement + "\n")
    assert found.code == "missing-field" and missing in found.message


def test_fmt_prints_the_options_in_canonical_order():
    text = (
        "price A vendor V min-qty 10 unit-cost 5 from 2026-01-01\n"
        "discount A vendor V 5% to 2026-12-31\n"
        "item B { routing { 10 W run 12min setup 30min } bom { A 1 scrap 5% } }\n"
        'condition material X { line 1120 "f" bold percent 2 row F round }\n'
    )
    printed = print_ruleset(parse(text)[0])
    assert "price    A vendor V from 2026-01-01               min-qty 10 unit-cost 5" in printed
    assert "discount A vendor V                 to 2026-12-31            5%" in printed
    assert "10 W setup 30min run 12min" in printed
    assert 'line 1120 "f" row F percent 2 bold round' in printed
    assert print_ruleset(parse(printed)[0]) == printed


def test_a_rounding_method_named_like_a_line_option_is_quoted():
    tree = n.SourceFile(
        (
            n.ConditionDecl(
                "material", n.Code("X"), None, (n.Line(n.Code("1120"), "f", (n.Flag("round", n.Code("row")),)),)
            ),
        )
    )
    printed = print_ruleset(tree)
    assert 'round "row"' in printed and parse(printed)[0] == tree


# ---------------------------------------------------------------- 21: the same price line twice


def test_two_price_lines_for_the_same_validity_with_different_prices_warn_naming_both():
    text = CHART + (
        'item A "a" { vendor V cost-base direct-unit-cost }\n'
        "price A vendor V from 2026-01-01 min-qty 10 unit-cost 5.00\n"
        "price A vendor V min-qty 10 from 2026-01-01 unit-cost 4.50\n"
    )
    ruleset, found, _ = analyze(text, file="t.cost")
    (warning,) = found
    assert (warning.code, warning.severity, warning.span.line) == ("duplicate-price-line", Severity.WARNING, 12)
    assert "4.50 here, 5.00 at t.cost:11" in warning.message
    assert ruleset is not None  # a warning: the ruleset loads


def test_two_discount_lines_for_the_same_validity_warn():
    text = CHART + 'item A "a" { vendor V unit-cost 1 }\ndiscount A vendor V 5%\ndiscount A vendor V 5%\n'
    (warning,) = diagnostics(text)
    assert warning.code == "duplicate-price-line" and "also at t.cost:11" in warning.message


@pytest.mark.parametrize(
    "other",
    [
        "price A vendor V from 2026-01-02 unit-cost 6",
        "price A vendor V from 2026-01-01 min-qty 1 unit-cost 6",
        "price A vendor W from 2026-01-01 unit-cost 6",
        "price A vendor V from 2026-02-30 unit-cost 6",  # an invalid date: its own error, no warning
    ],
)
def test_price_lines_that_differ_in_what_they_apply_to_do_not_warn(other):
    text = CHART + (
        f'vendor W "w"\nitem A "a" {{ unit-cost 1 }}\nprice A vendor V from 2026-01-01 unit-cost 5\n{other}\n'
    )
    assert "duplicate-price-line" not in codes(text)


def test_a_csv_price_line_repeating_one_of_the_ruleset_warns(tmp_path):
    (tmp_path / "prices.csv").write_text("item,vendor,unit_cost,from\nA,V,5.50,2026-01-01\n", encoding="utf-8")
    text = CHART + 'item A "a" { vendor V unit-cost 1 }\nprice A vendor V from 2026-01-01 unit-cost 5\n'
    found = [d for d in diagnostics(text, master_data=tmp_path) if d.code == "duplicate-price-line"]
    assert len(found) == 1 and found[0].span.file.endswith("prices.csv") and "at t.cost:11" in found[0].message
