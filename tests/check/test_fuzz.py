"""Property tests: whatever a user types, analyze() answers with diagnostics, never an exception.

Mutations of the examples' ruleset (docs/language.md, all its examples together) delete,
duplicate, swap and splice tokens and lines, so that most mutants parse but
break some rule; random text exercises the parser's error paths.  A checker
bug would surface as an exception or as an ``internal-error`` diagnostic.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from costsheet.ruleset import analyze

DATA = Path(__file__).resolve().parents[1] / "data" / "language"
BASE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("section*.cost")))
LINES = BASE.splitlines()
TOKENS = re.findall(r'"[^"\n]*"|\S+', re.sub(r"#[^\n]*", "", BASE))
#: words and values worth splicing in: keywords, codes, numbers, odd values
VOCABULARY = [
    *sorted(set(TOKENS)),
    "-1",
    "0",
    "101%",
    "-5%",
    "2026-02-30",
    "9999-12-31",
    "0.000",
    "''",
    '""',
    '"' + "x" * 30 + '"',
    "A" * 25,
    "{",
    "}",
    "round",
    "list-price",
    "element",
    "formula",
    '"A +"',
    '"(' * 3 + '"',
    "row",
    "bom",
]


def _check(text: str) -> None:
    ruleset, diagnostics, _ = analyze(text, file="fuzz.cost")
    assert all(d.code != "internal-error" for d in diagnostics), [d for d in diagnostics if d.code == "internal-error"]
    for d in diagnostics:
        assert d.code and d.message
        assert d.span is None or d.span.line >= 1
    if ruleset is None:
        assert any(d.is_error for d in diagnostics)


line_index = st.integers(min_value=0, max_value=len(LINES) - 1)
token_index = st.integers(min_value=0, max_value=len(TOKENS) - 1)


@st.composite
def line_mutants(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i, j = draw(line_index), draw(line_index)
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "move"]))
        if op == "delete":
            lines[i] = ""
        elif op == "duplicate":
            lines.insert(j, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(j, lines.pop(i))
    return "\n".join(lines)


@st.composite
def token_mutants(draw) -> str:
    tokens = list(TOKENS)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(["delete", "replace", "insert"]))
        if op == "delete":
            del tokens[i]
        elif op == "replace":
            tokens[i] = draw(st.sampled_from(VOCABULARY))
        else:
            tokens.insert(i, draw(st.sampled_from(VOCABULARY)))
    return " ".join(tokens)


@st.composite
def value_mutants(draw) -> str:
    """Keep the structure, change one value: the mutant usually parses and reaches the checker."""
    numbers = [m for m in re.finditer(r"(?<![\w.-])\d+(?:\.\d+)?%?(?![\w:/-])", BASE)]
    match = draw(st.sampled_from(numbers))
    replacement = draw(st.sampled_from(["0", "-1", "-5%", "150%", "0.0001", "100000", "101%", "-0"]))
    if match.group().endswith("%") != replacement.endswith("%"):
        replacement = replacement.rstrip("%") + ("%" if match.group().endswith("%") else "")
    return BASE[: match.start()] + replacement + BASE[match.end() :]


@given(line_mutants())
def test_line_mutations_give_only_diagnostics(text):
    _check(text)


@given(token_mutants())
def test_token_mutations_give_only_diagnostics(text):
    _check(text)


@given(value_mutants())
def test_value_mutations_give_only_diagnostics(text):
    _check(text)


@given(
    st.lists(st.sampled_from([*'{}"#\n -%.:/§−()abcrow0123456789', "item ", "line ", "chart ", "{ "]), max_size=80).map(
        "".join
    )
)
def test_random_text_gives_only_diagnostics(text):
    _check(text)


def test_unmutated_base_checks_clean():
    _, diagnostics, _ = analyze(BASE, file="fuzz.cost")
    assert diagnostics == ()
