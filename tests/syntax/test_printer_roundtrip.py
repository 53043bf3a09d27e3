"""The printer: ``parse(print(tree)) == canonical(tree)`` over generated trees,
minimal parentheses in formulas, and idempotence on the examples of docs/language.md."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from costsheet.syntax import nodes as n
from costsheet.syntax.parser import parse, parse_formula
from costsheet.syntax.printer import canonical, code_text, print_formula, print_ruleset

from . import strategies as s


@given(s.rulesets)
def test_parse_of_print_is_the_canonical_tree(tree):
    text = print_ruleset(tree)
    parsed, diagnostics = parse(text, "printed.cost")
    assert diagnostics == (), text
    assert parsed == canonical(tree), text


@given(s.rulesets)
def test_canonical_trees_print_back_exactly(tree):
    tree = canonical(tree)
    parsed, _ = parse(print_ruleset(tree), "printed.cost")
    assert parsed == tree
    assert canonical(tree) == tree


@given(s.rulesets)
def test_verbatim_formulas_survive_without_canonicalisation(tree):
    """With ``canonical_formulas=False`` formula texts are kept as written."""
    parsed, _ = parse(print_ruleset(tree, canonical_formulas=False), "printed.cost")
    assert parsed == canonical(tree, formulas=False)


@given(s.rulesets)
def test_printing_is_idempotent(tree):
    once = print_ruleset(tree)
    parsed, _ = parse(once, "printed.cost")
    assert print_ruleset(parsed) == once


@given(s.formulas)
def test_formula_roundtrip(formula):
    text = print_formula(formula)
    parsed, diagnostics = parse_formula(text)
    assert diagnostics == ()
    assert parsed == formula, text


@given(s.formulas)
def test_formula_parentheses_are_minimal(formula):
    """Dropping any one pair of parentheses changes the tree (or the text no longer parses)."""
    text = print_formula(formula)
    opens = [i for i, ch in enumerate(text) if ch == "("]
    for start in opens:
        depth = 0
        for end in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        stripped = text[:start] + text[start + 1 : end] + text[end + 1 :]
        parsed, _ = parse_formula(stripped)
        assert parsed != formula, (text, stripped)


def test_formula_examples():
    """docs/language.md, "Formulas": % and § bind like * and /, left to right."""
    cases = {
        "10 % A": "10 % A",
        "2 § (C + D)": "2 § (C + D)",
        "(A + B) + C": "A + B + C",
        "A - (B - C)": "A - (B - C)",
        "A * (B / C)": "A * (B / C)",
        "(A * B) + C": "A * B + C",
        "-(A + B)": "-(A + B)",
        "((1))": "1",
        "A − B – C": "A - B - C",
        "-A * B": "-A * B",
        "- -A": "--A",
    }
    for source, expected in cases.items():
        tree, diagnostics = parse_formula(source)
        assert diagnostics == (), source
        assert print_formula(tree) == expected


@given(s.codes_text)
def test_code_quoting_is_minimal(text):
    """A code is quoted exactly when it is not a bare word or is a keyword at its position."""
    printed = code_text(text, frozenset({"scrap"}))
    bare_ok = bool(text) and text != "scrap" and printed == text
    assert printed.startswith('"') != bare_ok


def test_keyword_codes_are_bare_where_no_keyword_can_stand():
    """docs/language.md writes ``cost-base direct-unit-cost`` and ``copy-price list-price+sales-price``."""
    text = (
        "setup { cost-base unit-cost }\n"
        "item X { cost-base direct-unit-cost }\n"
        "condition charge C { copy-price list-price+sales-price }\n"
    )
    tree, _ = parse(text)
    printed = print_ruleset(tree)
    assert '"' not in printed
    assert "cost-base unit-cost" in printed


def test_codes_that_would_read_as_keywords_are_quoted():
    tree = n.SourceFile(
        (
            n.ItemDecl(
                n.Code("X"),
                None,
                (
                    n.BomBlock((n.BomEntry(n.Code("A"), Decimal(1)), n.BomEntry(n.Code("scrap"), Decimal(2)))),
                    n.ConditionRef(None, n.Code("charge")),
                ),
            ),
            n.ChartBlock(
                (n.ChartEntry(n.Code("1000"), "heading", "H"), n.ChartEntry(n.Code("material"), "heading", "M"))
            ),
        )
    )
    printed = print_ruleset(tree)
    assert '"scrap" 2' in printed and 'condition "charge"' in printed
    assert "\n  material heading" in printed  # a chart line's code is never read as a cost group
    assert parse(printed)[0] == canonical(tree)


@given(st.lists(st.sampled_from(["# a", "#b c", "#"]), min_size=1, max_size=4))
def test_comments_are_never_lost(comment_texts):
    text = "\n".join(f'{c}\nvendor V{i} "x"  {c}' for i, c in enumerate(comment_texts)) + "\n# tail\n"
    tree, _ = parse(text)
    printed = print_ruleset(tree)
    again, _ = parse(printed)
    assert [c.text for c in again.comments] == [c.text for c in tree.comments]
    assert print_ruleset(again) == printed
