"""The hand-written formula reader against the Lark parser it stands in for.

The reader (``costsheet.syntax.formula_reader``) is the fast path of ``parse_formula``;
Lark parses what it refuses and words the diagnostics.  So it must build Lark's tree,
spans included, for every text Lark accepts, and refuse every text Lark refuses:
random formulas written with random blanks, comments, line breaks, parentheses and
minus signs; random and mutated texts; the formulas of the language examples.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from costsheet.diagnostics import Span
from costsheet.syntax import nodes as n
from costsheet.syntax import parser as parser_module
from costsheet.syntax.formula_reader import read_formula
from costsheet.syntax.parser import MAX_FORMULA_DEPTH, lark_formula, parse, parse_formula

FILE = "r.cost"


def positioned(formula: n.Formula | None) -> list[tuple[object, ...]] | None:
    """The nodes of ``formula`` in preorder with their spans (node equality leaves spans out)."""
    if formula is None:
        return None
    out: list[tuple[object, ...]] = []
    stack = [formula]
    while stack:
        node = stack.pop()
        values = tuple(getattr(node, field.name) for field in attrs.fields(type(node)) if field.name != "span")
        out.append((type(node).__name__, node.span, *(v for v in values if not isinstance(v, n.Formula))))
        if isinstance(node, n.Binary):
            stack += [node.right, node.left]
        elif isinstance(node, n.Unary):
            stack.append(node.operand)
    return out


def assert_reads_as_lark(text: str) -> n.Formula | None:
    """The reader builds Lark's tree with Lark's spans, or refuses what Lark refuses."""
    expected, diagnostics = lark_formula(text, FILE)
    read = read_formula(text, FILE)
    assert positioned(read) == positioned(expected)
    assert (read is None) == bool(diagnostics)
    return read


# ---------------------------------------------------------------- formulas as people write them

blanks = st.sampled_from(("", " ", "  ", "\t", "\n", "\r\n", "\f", " # a comment\n", "\n\n  "))
numbers = st.from_regex(r"\A\d{1,4}(\.\d{1,3})?\Z")  # \d: Unicode digits too, as in the grammar
row_names = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,5}\Z")
minus = st.sampled_from(("-", "\u2212", "\u2013"))
operators = st.sampled_from(("+", "*", "/", "%", "\u00a7", "-", "\u2212", "\u2013"))


def _spaced(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The parts written one after the other with random blanks between them."""
    pieces: list[st.SearchStrategy[str]] = []
    for part in parts:
        pieces += [part, blanks]
    return st.tuples(*pieces[:-1]).map("".join)


formula_texts = st.recursive(
    numbers | row_names,
    lambda inner: st.one_of(
        _spaced(minus, inner),
        _spaced(st.just("("), inner, st.just(")")),
        _spaced(inner, operators, inner),
    ),
    max_leaves=16,
)


@given(_spaced(blanks, formula_texts, blanks))
def test_formulas_read_as_lark_reads_them(text):
    assert assert_reads_as_lark(text) is not None


@st.composite
def mutated_formulas(draw: st.DrawFn) -> str:
    """A formula with a character deleted, doubled, replaced or inserted."""
    text = draw(formula_texts)
    at = draw(st.integers(0, len(text)))
    noise = draw(st.sampled_from("0.+-−*/%§()A_ #\n\t\v,é\u00a0") | st.characters(blacklist_categories=("Cs",)))
    action = draw(st.sampled_from(("delete", "double", "replace", "insert")))
    return {
        "delete": text[:at] + text[at + 1 :],
        "double": text[:at] + text[at : at + 1] * 2 + text[at + 1 :],
        "replace": text[:at] + noise + text[at + 1 :],
        "insert": text[:at] + noise + text[at:],
    }[action]


@given(mutated_formulas())
def test_mutated_formulas_are_read_or_refused_as_lark_does(text):
    """The same tree, or both refuse."""
    assert_reads_as_lark(text)


@given(st.text(alphabet="0123456789.+-−–*/%§()AB_ #\n\t\r", max_size=40) | st.text(max_size=20))
def test_random_text_is_read_or_refused_as_lark_does(text):
    assert_reads_as_lark(text)


@given(st.text(alphabet="0123456789.+-−–*/%§()AB_ \n", max_size=40))
def test_parse_formula_gives_lark_diagnostics(text):
    """Codes, positions, messages and hints: Lark's, also where the formula starts inside a file."""
    expected, diagnostics = lark_formula("\n" * 3 + " " * 9 + text, FILE)
    tree, found = parse_formula(text, FILE, 4, 10)
    if expected is not None and parser_module.formula_depth(expected) > MAX_FORMULA_DEPTH:
        assert [d.code for d in found] == ["formula-too-deep"]
        return
    assert found == diagnostics
    assert positioned(tree) == positioned(expected)


@pytest.mark.parametrize(
    "text",
    [
        "10 % A",
        "2 § (C + D)",
        "-A * 2 + (B - (C % D)) § 4",
        "--A",
        "A - -B",
        "((A))",
        "-(A)",
        "A\u2212B\u2013C",
        "A\n + B # a note\n * C",
        "\u0661\u0662 + 3",  # Arabic-Indic digits are digits to the grammar (and to Decimal)
        "-" * 300 + "1",  # too deep, found after the parse
        "1 2",
        "(A",
        "A)",
        "",
        " # only a comment",
        "A +",
        "1.",
        ".5",
        "A\vB",
        "1,5 * A",
        "+A",
        "A()",
        "A (B)",
        "1 (",
        "(A) B",
    ],
)
def test_chosen_texts(text):
    assert_reads_as_lark(text)


def test_spans_are_those_of_the_text():
    """Hand-checked: ``-A * (B + 10)`` on one line, file r.cost."""
    formula = read_formula("-A * (B + 10)", FILE)
    assert isinstance(formula, n.Binary) and isinstance(formula.left, n.Unary)
    assert formula.span == Span(FILE, 1, 1, 1, 14)
    assert formula.left.span == Span(FILE, 1, 1, 1, 3)
    assert formula.right.span == Span(FILE, 1, 6, 1, 14)  # the parentheses belong to the inner sum
    assert formula.right == n.Binary("+", n.Row("B"), n.Num(10))


def test_language_examples_read_as_lark_reads_them():
    """Every formula of the example rulesets of docs/language.md."""
    folder = Path(__file__).resolve().parents[1] / "data" / "language"
    formulas = []
    for path in sorted(folder.glob("*.cost")):
        tree, _ = parse(path.read_text(encoding="utf-8"), path.name)
        if tree is not None:
            formulas += [v.value for v in _line_values(tree) if v.kind == "formula"]
    assert formulas
    for text in formulas:
        assert assert_reads_as_lark(text) is not None


def _line_values(tree: n.SourceFile) -> list[n.LineValue]:
    return [
        line.value
        for declaration in tree.declarations
        if isinstance(declaration, n.ConditionDecl)
        for line in declaration.body
        if isinstance(line, n.Line) and line.value is not None
    ]


def test_ruleset_formulas_are_read_without_lark(monkeypatch):
    """The formula lines of a ruleset go through the reader: with Lark's formula parser
    gone they still parse, to the positions in the file."""

    def no_lark(text: str, file: str) -> None:
        raise AssertionError(f"Lark parsed {text!r}")

    monkeypatch.setattr(parser_module, "lark_formula", no_lark)
    parser_module._parse_formula_text.cache_clear()
    text = 'condition charge C "x" {\n  line "a" row A amount 1\n  line "b" formula "7 \u00a7 (A - 1)"\n}\n'
    tree, diagnostics = parse(text, FILE)
    assert tree is not None and not diagnostics
    (value,) = [v for v in _line_values(tree) if v.kind == "formula"]
    assert value.formula == n.Binary("\u00a7", n.Num(7), n.Binary("-", n.Row("A"), n.Num(1)))
    assert value.formula.span == Span(FILE, 3, 21, 3, 32)  # column 21: after `  line "b" formula "`
    parser_module._parse_formula_text.cache_clear()
