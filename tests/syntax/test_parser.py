"""The parser: every example of the language reference (docs/language.md) parses, positions are
right, syntax errors speak the language's words, recovery finds several
broken declarations in one run, deep formulas are a diagnostic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from costsheet.syntax import nodes as n
from costsheet.syntax.parser import MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH, parse, parse_formula
from costsheet.syntax.printer import canonical, print_ruleset

#: the examples of docs/language.md, kept with the other language tests (tests/test_language_examples.py)
DATA = Path(__file__).resolve().parents[1] / "data" / "language"
EXAMPLES = sorted(DATA.glob("section*.cost"))


def all_examples() -> str:
    """The examples as one ruleset (docs/language.md, "The examples form one ruleset")."""
    return "\n".join(path.read_text(encoding="utf-8") for path in EXAMPLES)


def ok(text: str, file: str = "t.cost") -> n.SourceFile:
    tree, diagnostics = parse(text, file)
    assert diagnostics == (), diagnostics
    assert tree is not None
    return tree


def errors(text: str) -> tuple:
    tree, diagnostics = parse(text, "t.cost")
    assert tree is None and diagnostics
    return diagnostics


# ---------------------------------------------------------------- the examples


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_parses_and_formats_idempotently(path):
    tree = ok(path.read_text(encoding="utf-8"), path.name)
    printed = print_ruleset(tree)
    again = ok(printed)
    assert again == canonical(tree)
    assert print_ruleset(again) == printed
    assert [c.text for c in again.comments] == [c.text for c in tree.comments]


def test_all_examples_together():
    tree = ok(all_examples(), "all.cost")
    kinds = {type(d).__name__ for d in tree.declarations}
    assert kinds == {
        "SetupBlock",
        "ChartBlock",
        "RoundingDecl",
        "VendorDecl",
        "ItemDecl",
        "PriceDecl",
        "DiscountDecl",
        "WorkCenterDecl",
        "MachineCenterDecl",
        "ConditionDecl",
        "AccountingPeriods",
        "LedgerDecl",
        "StandardCostDecl",
    }
    printed = print_ruleset(tree)
    assert print_ruleset(ok(printed)) == printed


def test_example_values_are_read_as_the_text_says():
    tree = ok(all_examples())
    items = {d.code.text: d for d in tree.declarations if isinstance(d, n.ItemDecl)}
    bike = {f.name: f.value for f in items["ICO-0001"].body if isinstance(f, n.Field)}
    assert bike["unit-cost"] == Decimal("1210.00") and bike["indirect-cost"] == n.Percent(Decimal(5))
    assert bike["rounding"] == n.Code("CENTS")
    routing = next(s for s in items["ICO-0001"].body if isinstance(s, n.RoutingBlock))
    assert routing.entries[1] == n.RoutingEntry(
        n.Code("20"),
        n.Code("MC-110"),
        (n.Field("setup", n.Duration(Decimal(15), "min")), n.Field("run", n.Duration(Decimal("4.5"), "min"))),
    )
    assert (routing.entries[1].setup, routing.entries[1].run) == (
        n.Duration(Decimal(15), "min"),
        n.Duration(Decimal("4.5"), "min"),
    )
    assert routing.entries[2].setup is None
    charge = next(d for d in tree.declarations if isinstance(d, n.ConditionDecl) and d.code.text == "LP-RETAIL")
    last_priced = charge.body[-2]
    assert last_priced.value == n.LineValue("formula", "C + D + E")
    assert [f.name for f in last_priced.flags] == ["list-price", "bold", "round"]
    assert last_priced.flags[2].argument == n.Code("NICKEL")
    assert charge.body[-1] == n.Line(None, "All prices exclude VAT")
    ledger = next(d for d in tree.declarations if isinstance(d, n.LedgerDecl) and d.item.text == "ITEM-A")
    assert ledger.lines[-1] == n.LedgerCharge(dt.date(2020, 5, 2), 7, Decimal("2.50"))
    assert ledger.lines[-2] == n.LedgerRevaluation(dt.date(2020, 5, 1), None, Decimal("13.00"))
    pg = next(d for d in tree.declarations if isinstance(d, n.LedgerDecl) and d.item.text == "PG")
    assert pg.lines[1] == n.CapacityLine(
        dt.date(2024, 1, 3),
        n.Code("WC-100"),
        None,
        (
            n.Field("setup", n.Duration(Decimal(15), "min")),
            n.Field("run", n.Duration(Decimal(10), "min")),
            n.Field("order", n.Code("MO1")),
        ),
    )
    assert (pg.lines[0].time, pg.lines[0].order) == (n.Duration(Decimal(40), "min"), n.Code("MO1"))
    standard = next(d for d in tree.declarations if isinstance(d, n.StandardCostDecl))
    assert standard == n.StandardCostDecl(n.Code("ST"), dt.date(2020, 4, 15), Decimal("12.00"))
    discount = next(d for d in tree.declarations if isinstance(d, n.DiscountDecl))
    assert (discount.starting, discount.ending, discount.min_qty) == (
        dt.date(2026, 6, 1),
        dt.date(2026, 12, 31),
        Decimal(500),
    )


@pytest.mark.parametrize(
    "fragment",
    [
        'include "parts.cost"',
        "rounding CENTS nearest 0.01",
        "item X { scrap 2.5% overhead-rate 3.00/h direct-unit-cost 0.70/min }",
        "item X { routing { 10 W setup 30s run 1d } }",
        "item X { routing { 10 W run 1.5h } }",
        "accounting-periods { 2026-01-31 }",
        "condition charge C { sales-type all-customers }",
        "condition charge C { sales-type campaign SPRING copy-price no }",
        'condition charge C { line "x" formula "x % y" line "y" formula "x § y" line "z" formula "5 § B" }',
        'condition capacity C { line 2120 "x" percent 20 allocation 50% line 2120 "y" amount 1 round }',
        "setup { decimals amounts 2 }",
        'setup { cost-base "unit-cost" }',
        'vendor "odd code" "Name"',
        "ledger A { 2020-01-01 positive-adjustment +3 cost 9 2020-01-02 consumption -1 }",
    ],
)
def test_fragments_of_the_text_parse(fragment):
    ok(fragment)


@pytest.mark.parametrize(
    "formula",
    [
        "10 % A",
        "4 % A",
        "A + B",
        "15 % C",
        "2 § (C + D)",
        "C + D + E",
        "5 § B",
        "x % y",
        "x § y",
        "-A",
        "A − B",
        "A – B",
        "(A+B)*C/2",
    ],
)
def test_formula_fragments_parse(formula):
    tree, diagnostics = parse_formula(formula)
    assert diagnostics == () and tree is not None


def test_typographic_minus_is_minus():
    assert parse_formula("A − B")[0] == parse_formula("A - B")[0] == parse_formula("A – B")[0]
    assert parse_formula("−A")[0] == n.Unary("-", n.Row("A"))


def test_percent_and_share_bind_like_times_left_to_right():
    tree, _ = parse_formula("A + 10 % B * C")
    assert tree == n.Binary("+", n.Row("A"), n.Binary("*", n.Binary("%", n.Num(Decimal(10)), n.Row("B")), n.Row("C")))
    tree, _ = parse_formula("A - B - C")
    assert tree == n.Binary("-", n.Binary("-", n.Row("A"), n.Row("B")), n.Row("C"))


def test_keywords_are_codes_where_no_keyword_can_stand():
    tree = ok('item unit-cost { vendor item }\nvendor item "x"')
    assert tree.declarations[0].code.text == "unit-cost"
    assert tree.declarations[0].body[0].value == n.Code("item")


def test_range_operator_ends_a_bare_code():
    tree = ok('chart { 5000 total "T" 1100..1199 | A.1..B.2 | 3100 }')
    parts = tree.declarations[0].entries[0].totaling
    assert parts == (
        n.FilterPart(n.Code("1100"), n.Code("1199")),
        n.FilterPart(n.Code("A.1"), n.Code("B.2")),
        n.FilterPart(n.Code("3100")),
    )


def test_code_values_that_look_like_numbers_stay_codes():
    tree = ok("item X { vendor 1000 unit 10 }")
    assert [f.value for f in tree.declarations[0].body] == [n.Code("1000"), n.Code("10")]


def test_strings_unescape():
    tree = ok(r'vendor V "say \"hi\" \\ back\nslash"')
    assert tree.declarations[0].name == 'say "hi" \\ back\nslash'


# ---------------------------------------------------------------- positions

POSITIONS = """item ICO-0001 "Racing bike" {
  unit-cost 12.50   # c
  bom {
    ICO-0002  2  scrap 5%
  }
}
condition charge LP {
  line 6100 "Sales" row B formula "10 % A"
}
price P vendor V from 2026-01-01 unit-cost 1
"""


def span(node):
    s = node.span
    return (s.line, s.column, s.end_line, s.end_column)


def test_positions():
    tree = ok(POSITIONS, "p.cost")
    item, condition, price = tree.declarations
    assert item.span.file == "p.cost"
    assert span(item) == (1, 1, 6, 2)
    assert span(item.code) == (1, 6, 1, 14)
    assert span(item.body[0]) == (2, 3, 2, 18)
    bom = item.body[1]
    assert span(bom) == (3, 3, 5, 4)
    assert span(bom.entries[0]) == (4, 5, 4, 26)
    assert span(bom.entries[0].component) == (4, 5, 4, 13)
    line = condition.body[0]
    assert span(condition) == (7, 1, 9, 2)
    assert span(line) == (8, 3, 8, 43)
    assert span(line.element) == (8, 8, 8, 12)
    assert span(line.row) == (8, 25, 8, 26)
    assert span(line.value) == (8, 35, 8, 43)  # the string literal, quotes included
    assert span(price) == (10, 1, 10, 45)
    assert [(c.text, span(c)) for c in tree.comments] == [("# c", (2, 21, 2, 24))]


def test_formula_positions_point_into_the_ruleset():
    tree = ok(POSITIONS, "p.cost")
    value = tree.declarations[1].body[0].value
    formula, _ = parse_formula(value.value, "p.cost", value.span.line, value.span.column + 1)
    assert span(formula) == (8, 36, 8, 42)
    assert span(formula.left) == (8, 36, 8, 38)
    assert span(formula.right) == (8, 41, 8, 42)
    _, diagnostics = parse_formula("10 % ", "p.cost", 8, 36)
    assert diagnostics[0].span.line == 8 and diagnostics[0].span.column >= 36


def test_comments_inside_strings_are_not_comments():
    tree = ok('vendor V "# not a comment"  # a comment\n')
    assert [c.text for c in tree.comments] == ["# a comment"]


# ---------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    "text, message",
    [
        ("item A { unit-cost abc }", "expected a number after unit-cost, found the code 'abc'"),
        ("item A { unit-cost }", "expected a number after unit-cost, found '}'"),
        ("item A { scrap x }", "expected a number or a percentage such as 5% after scrap"),
        ("setup { amount-precision x }", "expected a number after amount-precision"),
        ("item A { routing { 10 W setup 30 } }", "expected a time such as 30min, 1.5h after setup"),
        ("price A vendor V from 1.1.2026 unit-cost 1", "expected a date such as 2026-01-31 after from"),
        (
            'chart { 1000 heding "x" }',
            "expected 'begin-total', 'element', 'end-total', 'heading' or 'total' after 1000",
        ),
        ("item A { unit-cots 1 }", "found the code 'unit-cots'"),
        ("§", "expected a new declaration (setup, chart, condition, item, ...)"),
        ('condition material M { line 1120 "x" percent }', "after percent"),
        ("item A { bom { B 2 scrap 5 } }", "expected a percentage such as 5% after scrap, found the number 5"),
        ("ledger L { 2020-01-01 sale -1 applies-to x }", "expected an entry number after applies-to"),
    ],
)
def test_messages_speak_the_language(text, message):
    (diagnostic,) = errors(text)
    assert message in diagnostic.message
    assert diagnostic.hint
    assert "CODE" not in diagnostic.message and "__ANON" not in diagnostic.message


def test_hints():
    assert errors("item A { unit-cots 1 }")[0].hint == "did you mean 'unit-cost'?"
    assert "12.50" in errors("item A { unit-cost x }")[0].hint


def test_unterminated_string_and_unexpected_character():
    (diagnostic,) = errors('vendor V "abc\n')
    assert diagnostic.code == "unterminated-string"
    (diagnostic,) = errors("vendor V ;")
    assert diagnostic.code in ("unexpected-character", "syntax-error")


def test_unexpected_end():
    (diagnostic,) = errors("item A {")
    assert diagnostic.code == "unexpected-end" and "'}'" in diagnostic.hint


def test_recovery_reports_every_broken_declaration():
    text = (
        "item A { unit-cost }\n"
        "vendor OK\n"
        "item B { scrap x }\n"
        'chart { 1000 heding "x" }\n'
        "rounding R nearest\n"
        "vendor ALSO-OK\n"
    )
    diagnostics = errors(text)
    assert [d.span.line for d in diagnostics] == [1, 3, 4, 6]
    assert all(d.code == "syntax-error" for d in diagnostics)


def test_error_positions():
    (diagnostic,) = errors("vendor V\nitem A {\n  unit-cost abc\n}\n")
    assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.end_column) == (3, 13, 16)


# ---------------------------------------------------------------- deep formulas


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10_000 + "1" + ")" * 10_000,
        "(" * 10_000 + "1",
        "1 - (" * 1000 + "1" + ")" * 1000,
        "-" * 300 + "1",
        "1" + " + 1" * 300,
    ],
)
def test_deep_formulas_are_a_diagnostic_not_a_recursion_error(text):
    tree, diagnostics = parse_formula(text)
    assert tree is None
    assert [d.code for d in diagnostics] == ["formula-too-deep"]


@pytest.mark.parametrize("text", ["-" * 10_000 + "1", "1" + " + 1" * 5000, " + ".join(["A"] * 100_000)])
def test_long_formulas_are_refused_before_parsing(text):
    """issue 8 item 6: a 100,000-term sum took 22-27 s to check; past MAX_FORMULA_LENGTH it is not parsed."""
    tree, diagnostics = parse_formula(text, "r.cost", 4, 20)
    assert tree is None
    (diagnostic,) = diagnostics
    assert diagnostic.code == "formula-too-long" and f"{len(text):,} characters" in diagnostic.message
    assert (diagnostic.span.file, diagnostic.span.line, diagnostic.span.column) == ("r.cost", 4, 20)


def test_length_limit_is_inclusive():
    at_limit = "1" + " " * (MAX_FORMULA_LENGTH - 1)
    tree, diagnostics = parse_formula(at_limit)
    assert diagnostics == () and tree == n.Num(Decimal(1))
    assert [d.code for d in parse_formula(at_limit + " ")[1]] == ["formula-too-long"]


def test_depth_limit_is_inclusive():
    tree, diagnostics = parse_formula("(" * (MAX_FORMULA_DEPTH - 1) + "A" + ")" * (MAX_FORMULA_DEPTH - 1))
    assert diagnostics == () and tree == n.Row("A")
    tree, diagnostics = parse_formula("1 - (" * (MAX_FORMULA_DEPTH - 1) + "1" + ")" * (MAX_FORMULA_DEPTH - 1))
    assert diagnostics == ()


def test_a_deep_formula_in_a_ruleset_parses_as_text():
    """The ruleset keeps the formula's text; parse_formula (checker, compiler) reports the depth."""
    text = 'condition charge C { line "x" formula "' + "(" * 5000 + "A" + ")" * 5000 + '" }'
    tree = ok(text)
    assert tree.declarations[0].body[0].value.kind == "formula"
