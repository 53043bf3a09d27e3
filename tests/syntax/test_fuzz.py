"""Nothing but diagnostics: random text and mutated rulesets never make
``parse`` or ``parse_formula`` raise, and every diagnostic is well formed."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from costsheet.diagnostics import Diagnostic, render_json, render_text
from costsheet.syntax.parser import parse, parse_formula
from costsheet.syntax.printer import print_ruleset

EXAMPLES = "\n".join(
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).resolve().parents[1] / "data" / "language").glob("section*.cost"))
)
TOKENS = re.findall(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|\S+|\n', EXAMPLES)
JUNK = (
    "{",
    "}",
    '"',
    "..",
    "|",
    "+",
    "§",
    "%",
    "(",
    ")",
    "\\",
    "-",
    "#",
    "\n",
    "1e5",
    "2026-13-45",
    "−",
    "\x00",
    "\t",
    "é",
    "line",
    "item",
    "}}",
    "{{",
    '"unterminated',
    "0.",
    ".5",
    "1:2:3",
    "30min",
    "/h",
)


def assert_only_diagnostics(text: str) -> None:
    tree, diagnostics = parse(text, "fuzz.cost")
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    assert (tree is None) == bool(diagnostics)
    for d in diagnostics:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", d.code) and d.message and d.hint
        assert d.span is not None and d.span.line >= 1 and d.span.column >= 1
    render_text(diagnostics, {"fuzz.cost": text})
    render_json(diagnostics)
    if tree is not None:  # what parses also prints and parses again
        printed = print_ruleset(tree)
        again, problems = parse(printed, "printed.cost")
        assert problems == () and print_ruleset(again) == printed


@given(st.text(max_size=300))
def test_random_text(text):
    assert_only_diagnostics(text)


@given(st.lists(st.sampled_from(TOKENS + list(JUNK)), max_size=60).map(" ".join))
def test_random_token_soup(text):
    assert_only_diagnostics(text)


@st.composite
def mutated(draw):
    tokens = list(TOKENS)
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(tokens) - 1))
        action = draw(st.sampled_from(("delete", "duplicate", "swap", "junk", "replace")))
        if action == "delete":
            del tokens[index]
        elif action == "duplicate":
            tokens.insert(index, tokens[index])
        elif action == "swap":
            other = draw(st.integers(0, len(tokens) - 1))
            tokens[index], tokens[other] = tokens[other], tokens[index]
        elif action == "junk":
            tokens.insert(index, draw(st.sampled_from(JUNK) | st.text(max_size=4)))
        else:
            tokens[index] = draw(st.sampled_from(TOKENS))
    return " ".join(tokens)


@given(mutated())
def test_mutated_rulesets(text):
    assert_only_diagnostics(text)


@given(st.text(alphabet="0123456789.+-−–*/%§()AB_ \n", max_size=80) | st.text(max_size=40))
def test_random_formulas(text):
    tree, diagnostics = parse_formula(text, "f.cost", 3, 10)
    assert (tree is None) == bool(diagnostics)
    for d in diagnostics:
        assert d.code and d.message and d.hint and d.span.line >= 3
