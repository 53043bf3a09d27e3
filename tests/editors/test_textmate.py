"""The TextMate grammar of editors/textmate, run as VS Code runs it.

Every ruleset of the repository (the demo, the checker's golden files, the language
examples) is tokenized with vscode-textmate on Oniguruma (tests/editors/tokenize.mjs; the
npm packages come from ``npm ci --prefix tests/editors``) and compared with what Lark's
contextual lexer reads: each keyword, code, number, string, comment and formula token must
get a scope of its kind, and nothing may be left without a scope.  A grammar extended with
new keywords is generated and checked the same way, to show that new keywords need no
hand edit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given

from costsheet.syntax.printer import print_ruleset
from syntax.strategies import rulesets  # tests/ is on the path: pytest imports tests/syntax as `syntax`

from .highlight import (
    GRAMMAR,
    ROOT,
    Tokenizer,
    broken_formulas,
    covering,
    disagreements,
    read,
    scope_of,
    tokenize,
    unscoped,
)

sys.path.insert(0, str(ROOT / "tools"))

import textmate

pytestmark = pytest.mark.external("node", "vscode-textmate")

RULESETS = sorted(
    [
        ROOT / "rulesets" / "demo.cost",
        ROOT / "rulesets" / "demo-ledger.cost",
        *(p for p in (ROOT / "tests" / "golden").rglob("*.cost") if p.is_file()),
        *(ROOT / "tests" / "data" / "language").glob("section*.cost"),
    ]
)
GRAMMAR_TEXT = GRAMMAR.read_text(encoding="utf-8")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(scope="module")
def tokens() -> dict[Path, list]:
    return tokenize(RULESETS)


def test_every_ruleset_is_covered():
    assert len(RULESETS) > 60
    assert not [p for p in RULESETS if not p.read_text(encoding="utf-8").strip()]


@pytest.mark.parametrize("path", RULESETS, ids=_name)
def test_textmate_scopes_agree_with_lark(tokens, path):
    """Every token Lark reads (up to a syntax error) gets a scope of its kind."""
    text = path.read_text(encoding="utf-8")
    assert disagreements(GRAMMAR_TEXT, text, tokens[path]) == []


@pytest.mark.parametrize("path", RULESETS, ids=_name)
def test_no_text_is_left_unscoped(tokens, path):
    """No word or character of a file Lark reads is without a scope or marked invalid;
    in a file with a syntax error, the invalid marks stand where the error is."""
    text = path.read_text(encoding="utf-8")
    problems = unscoped(text, tokens[path])
    reading = read(GRAMMAR_TEXT, text)
    if reading.error is None:
        assert problems == []
    else:
        assert not [p for p in problems if "has no scope" in p]


def test_the_error_files_are_read_up_to_their_error():
    """The oracle covers the broken golden files too, up to the error Lark reports."""
    broken = {p.stem: read(GRAMMAR_TEXT, p.read_text(encoding="utf-8")) for p in RULESETS}
    errors = {name for name, reading in broken.items() if reading.error}
    assert {"syntax-error", "unexpected-character", "unterminated-string", "unexpected-end"} <= errors
    assert all(len(broken[name].tokens) > 5 for name in errors)


def test_a_stray_character_is_marked_invalid(tmp_path):
    """unexpected-character: the character no token starts with is scoped invalid."""
    path = ROOT / "tests" / "golden" / "unexpected-character.cost"
    text = path.read_text(encoding="utf-8")
    lines = tokenize([path])[path]
    invalid = [p for p in unscoped(text, lines) if "invalid" in p]
    reading = read(GRAMMAR_TEXT, text)
    line, _ = reading.error.split(" at ")[1].split(":")
    assert invalid and all(p.startswith(f"{line}:") for p in invalid)


DEMO = ROOT / "rulesets" / "demo.cost"
LEDGER = ROOT / "rulesets" / "demo-ledger.cost"


@pytest.mark.parametrize(
    "path, line, word, scope",
    [
        # declarations and the codes they are about
        (DEMO, 'item ICO-0001 "Racing bike" {', "item", "storage.type.item.costsheet"),
        (DEMO, 'item ICO-0001 "Racing bike" {', "ICO-0001", "entity.name.type.item.costsheet"),
        (DEMO, 'condition charge LP-RETAIL "Retail', "condition", "storage.type.condition.costsheet"),
        (DEMO, 'condition charge LP-RETAIL "Retail', "charge", "constant.language.condition-kind.costsheet"),
        (DEMO, 'condition charge LP-RETAIL "Retail', "LP-RETAIL", "entity.name.type.condition.costsheet"),
        (DEMO, 'machinecenter MC-110 "Wheel truing" in WC-100 {', "in", "keyword.other.option.costsheet"),
        (DEMO, 'machinecenter MC-110 "Wheel truing" in WC-100 {', "WC-100", "variable.other.code.costsheet"),
        (DEMO, "rounding NICKEL up      0.05", "NICKEL", "entity.name.type.rounding.costsheet"),
        (DEMO, "rounding NICKEL up      0.05", "up", "constant.language.value.costsheet"),
        (LEDGER, "ledger ICO-0003 {", "ledger", "storage.type.ledger.costsheet"),
        (LEDGER, "accounting-periods { 2026-01-01", "accounting-periods", "storage.type.accounting-periods.costsheet"),
        # statement and option keywords, per context
        (DEMO, "  unit-cost      1210.00", "unit-cost", "keyword.other.statement.costsheet"),
        (DEMO, "min-qty 20   unit-cost 134.50", "unit-cost", "keyword.other.option.costsheet"),
        (DEMO, "price    ICO-0003 vendor V-3000 from 2025-01-01 ", "vendor", "keyword.other.option.costsheet"),
        (DEMO, "  vendor           V-3000", "vendor", "keyword.other.statement.costsheet"),
        (DEMO, 'vendor V-1000 "Spoke', "vendor", "storage.type.vendor.costsheet"),
        (DEMO, "    10 WC-100  setup 30min", "setup", "keyword.other.option.costsheet"),
        (DEMO, "    ICO-0003 1 scrap 5%", "scrap", "keyword.other.option.costsheet"),
        (DEMO, "  scrap          2%", "scrap", "keyword.other.statement.costsheet"),
        (DEMO, '  line 2120 "Setup crew"     amount 12.00 setup-only', "setup-only", "keyword.other.option.costsheet"),
        # cost groups and other values
        (
            DEMO,
            '1110 element     "Direct material"            material',
            "material",
            "constant.language.cost-group.costsheet",
        ),
        (DEMO, '1110 element     "Direct material"', "element", "constant.language.chart-kind.costsheet"),
        (
            DEMO,
            'line      "Cost of goods manufactured" row A element 5000',
            "element",
            "keyword.other.option.costsheet",
        ),
        (DEMO, "  decimals amounts    2:5", "amounts", "constant.language.decimals-subject.costsheet"),
        (DEMO, "  costing-method   fifo", "fifo", "constant.language.value.costsheet"),
        (
            DEMO,
            "  cost-base        direct-unit-cost  # overrides",
            "direct-unit-cost",
            "constant.language.value.costsheet",
        ),
        (LEDGER, "  2026-01-05 purchase    +1 cost 10.00", "purchase", "constant.language.value.costsheet"),
        # codes, also where they look like numbers
        (DEMO, '  1110 element     "Direct material"', "1110", "entity.name.type.chart.costsheet"),
        (
            DEMO,
            '5000 total       "Cost of goods manufactured" 1100..1199 | 2100',
            "1199",
            "variable.other.code.costsheet",
        ),
        (DEMO, '5000 total       "Cost of goods manufactured" 1100..1199 | 2100', "..", "keyword.operator.costsheet"),
        (DEMO, '  line 1120 "Purchasing"', "1120", "variable.other.code.costsheet"),
        (DEMO, "  direct   1110", "1110", "variable.other.code.costsheet"),
        (DEMO, "  assembly            direct 4110 overhead 4120", "4120", "variable.other.code.costsheet"),
        (DEMO, "    ICO-0003 1 scrap 5%", "ICO-0003", "variable.other.code.bom.costsheet"),
        (DEMO, "  unit           PCS", "PCS", "variable.other.code.costsheet"),
        (DEMO, "  condition        C-TRUE", "C-TRUE", "variable.other.code.costsheet"),
        # numbers with units, dates, ranges
        (DEMO, "    10 WC-100  setup 30min run 12min", "30min", "constant.numeric.time.costsheet"),
        (DEMO, "    10 MC-120   setup 0.25h run 3min", "0.25h", "constant.numeric.time.costsheet"),
        (DEMO, "    30 WC-PACK             run 90s", "90s", "constant.numeric.time.costsheet"),
        (DEMO, "    10 WC-100  setup 30min run 12min", "10", "constant.numeric.costsheet"),
        (DEMO, "  direct-unit-cost 42.00/h", "42.00/h", "constant.numeric.rate.costsheet"),
        (DEMO, "  direct-unit-cost 0.70/min", "0.70/min", "constant.numeric.rate.costsheet"),
        (DEMO, "  indirect-cost    10%", "10%", "constant.numeric.percent.costsheet"),
        (DEMO, "  decimals amounts    2:5", "2:5", "constant.numeric.range.costsheet"),
        (DEMO, "price    ICO-0003 vendor V-3000 from 2025-01-01 ", "2025-01-01", "constant.numeric.date.costsheet"),
        (LEDGER, "  2026-01-05 purchase    +1 cost 10.00", "+1", "constant.numeric.costsheet"),
        (LEDGER, "  2026-02-01 sale        -1", "-1", "constant.numeric.costsheet"),
        # strings and escapes
        (DEMO, 'vendor V-3000 "Frame \\"Works\\" GmbH"', '\\"', "constant.character.escape.costsheet"),
        (DEMO, 'vendor V-3000 "Frame \\"Works\\" GmbH"', "Works", "string.quoted.double.costsheet"),
        (DEMO, 'include "demo-ledger.cost"', "demo-ledger.cost", "string.quoted.double.costsheet"),
        # formulas
        (DEMO, 'row B formula "10 % A"', "formula", "keyword.other.option.costsheet"),
        (DEMO, 'row B formula "10 % A"', "10", "constant.numeric.costsheet"),
        (DEMO, 'row B formula "10 % A"', "%", "keyword.operator.arithmetic.costsheet"),
        (DEMO, 'row B formula "10 % A"', "A", "variable.other.row.costsheet"),
        (DEMO, 'row E formula "2 § (C + D)"', "§", "keyword.operator.arithmetic.costsheet"),
        (DEMO, 'row E formula "2 § (C + D)"', "(", "punctuation.section.parens.begin.costsheet"),
        (DEMO, 'row G formula "M * 25 / 100 - 0.05"', "-", "keyword.operator.arithmetic.costsheet"),
        (DEMO, 'row G formula "M * 25 / 100 - 0.05"', "/", "keyword.operator.arithmetic.costsheet"),
        # punctuation
        (DEMO, "copy-price list-price+sales-price", "+", "keyword.operator.costsheet"),
        (DEMO, "setup {  # settings may", "{", "punctuation.section.block.begin.costsheet"),
    ],
)
def test_a_token_gets_its_scope(tokens, path, line, word, scope):
    text = path.read_text(encoding="utf-8")
    assert scope_of(text, tokens[path], line, word)[-1] == scope


def test_comments(tokens):
    text = DEMO.read_text(encoding="utf-8")
    lines = text.splitlines()
    for number, source in [(0, lines[0]), (21, lines[21])]:
        start = source.index("#")
        hash_, rest = covering(tokens[DEMO], number, start, len(source))
        assert hash_.leaf == ("comment.line.number-sign.costsheet", "punctuation.definition.comment.costsheet")
        assert rest.leaf == ("comment.line.number-sign.costsheet",)
        assert (hash_.start, rest.end) == (start, len(source))
    assert lines[21].startswith("  explode-bom")  # a comment after a setting


def test_a_formula_is_embedded(tokens):
    """The formula's tokens are inside the embedded formula scope, its quotes are a string's."""
    text = DEMO.read_text(encoding="utf-8")
    number = next(i for i, line in enumerate(text.splitlines()) if 'row B formula "10 % A"' in line)
    source = text.splitlines()[number]
    quote = source.index('"10 % A"')
    inside = covering(tokens[DEMO], number, quote + 1, quote + 7)
    assert [source[t.start : t.end] for t in inside if source[t.start : t.end].strip()] == ["10", "%", "A"]
    assert all("meta.embedded.line.formula.costsheet" in t.scopes for t in inside)
    assert not any(s.startswith("string.") for t in inside for s in t.scopes)
    (opening,) = covering(tokens[DEMO], number, quote, quote + 1)
    assert "string.quoted.double.costsheet" in opening.scopes


def test_a_typographic_minus_and_a_bad_character_in_a_formula(tmp_path):
    path = tmp_path / "f.cost"
    path.write_text('condition charge C {\n  line "x" row A formula "A \u2212 2 \u2013 B $ 1"\n}\n', encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    lines = tokenize([path])[path]
    assert scope_of(text, lines, "A \u2212 2", "\u2212")[-1] == "keyword.operator.arithmetic.costsheet"
    assert scope_of(text, lines, "2 \u2013 B", "\u2013")[-1] == "keyword.operator.arithmetic.costsheet"
    assert scope_of(text, lines, "B $ 1", "$")[-1] == "invalid.illegal.character.costsheet"


def test_a_keyword_spelt_code_is_a_code_where_the_grammar_reads_a_code(tmp_path):
    """docs/language.md: keywords are reserved only where the grammar accepts them."""
    path = tmp_path / "k.cost"
    path.write_text(
        'item unit-cost { vendor item  unit 10  condition line }\ncondition charge C { line "x" round bold }\n',
        encoding="utf-8",
    )
    text = path.read_text(encoding="utf-8")
    lines = tokenize([path])[path]
    assert disagreements(GRAMMAR_TEXT, text, lines) == []
    assert scope_of(text, lines, "item unit-cost", "unit-cost")[-1] == "entity.name.type.item.costsheet"
    assert scope_of(text, lines, "vendor item", "item")[-1] in (
        "variable.other.code.costsheet",
        "constant.language.value.costsheet",
    )
    assert scope_of(text, lines, "unit 10", "10")[-1] == "variable.other.code.costsheet"
    assert scope_of(text, lines, "condition line", "line")[-1] == "variable.other.code.costsheet"
    assert scope_of(text, lines, "round bold", "bold")[-1] == "keyword.other.option.costsheet"


def test_an_unclosed_block_ends_at_the_next_declaration(tmp_path):
    """Like the parser's recovery: a declaration keyword at the start of a line starts afresh."""
    path = tmp_path / "u.cost"
    path.write_text('item A {\n  unit-cost 1\n\nvendor V "x"\nitem B { unit-cost 2 }\n', encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    lines = tokenize([path])[path]
    assert scope_of(text, lines, 'vendor V "x"', "vendor")[-1] == "storage.type.vendor.costsheet"
    assert scope_of(text, lines, 'vendor V "x"', "V")[-1] == "entity.name.type.vendor.costsheet"
    assert scope_of(text, lines, "item B", "B")[-1] == "entity.name.type.item.costsheet"


def test_an_unterminated_string_ends_at_the_end_of_its_line(tmp_path):
    path = tmp_path / "s.cost"
    path.write_text('vendor V "no end\nvendor W "x"\n', encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    lines = tokenize([path])[path]
    assert scope_of(text, lines, 'vendor W "x"', "W")[-1] == "entity.name.type.vendor.costsheet"


# ---------------------------------------------------------------- new keywords need no hand edit

EXTENDED = (
    GRAMMAR_TEXT.replace(
        "            | accounting_periods\n",
        "            | accounting_periods\n            | budget\n",
    )
    + """
!budget: "budget" (CODE|STRING) [STRING] "{" budget_stmt* "}"
!budget_stmt: "applies-from" DATE  -> budget_from
              | "exchange-rate" (CODE|STRING) NUMBER "per" (CODE|STRING)  -> budget_rate
              | "unit-of-measure" (CODE|STRING) uom_kind  -> budget_unit
!uom_kind: "physical" | "invoice"
"""
)
BUDGET = """budget S-2027 "Next year" {
  applies-from    2027-01-01
  exchange-rate   EUR 1.08 per USD
  unit-of-measure 1000 physical
}
"""


def test_a_new_declaration_is_highlighted_from_the_grammar_alone(tmp_path):
    assert "budget" not in GRAMMAR_TEXT
    grammar = tmp_path / "extended.tmLanguage.json"
    grammar.write_bytes(textmate.render(textmate.build(EXTENDED))["json"])
    path = tmp_path / "budget.cost"
    path.write_text(BUDGET + DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    lines = tokenize([path], grammar)[path]
    assert disagreements(EXTENDED, text, lines) == []
    assert unscoped(text, lines) == []
    expected = {
        ("budget S-2027", "budget"): "storage.type.budget.costsheet",
        ("budget S-2027", "S-2027"): "entity.name.type.budget.costsheet",
        ("applies-from    2027", "applies-from"): "keyword.other.statement.costsheet",
        ("applies-from    2027-01-01", "2027-01-01"): "constant.numeric.date.costsheet",
        ("exchange-rate   EUR", "EUR"): "variable.other.code.costsheet",
        ("EUR 1.08 per USD", "per"): "keyword.other.option.costsheet",
        ("EUR 1.08 per USD", "USD"): "variable.other.code.costsheet",
        ("unit-of-measure 1000", "1000"): "variable.other.code.costsheet",
        ("1000 physical", "physical"): "constant.language.uom-kind.costsheet",
    }
    for (line, word), scope in expected.items():
        assert scope_of(text, lines, line, word)[-1] == scope, (line, word)


# ---------------------------------------------------------------- any ruleset the printer writes


@pytest.fixture(scope="module")
def tokenizer():
    process = Tokenizer()
    yield process
    process.close()


@given(rulesets)
def test_any_printed_ruleset_is_highlighted_as_lark_reads_it(tokenizer, ruleset):
    """Generated trees, with keywords, number- and date-like words as codes, printed by `fmt`."""
    text = print_ruleset(ruleset)
    lines = tokenizer(text)
    assert disagreements(GRAMMAR_TEXT, text, lines) == [], text
    assert unscoped(text, lines, broken_formulas(GRAMMAR_TEXT, text)) == [], text
