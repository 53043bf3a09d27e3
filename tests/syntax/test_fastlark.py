"""The fast contextual lexer (``costsheet.syntax.fastlark``) against Lark's own.

The parser runs Lark with the fast lexer; here the same grammar runs with Lark's
lexer too, and both must give the same tokens (types, values, every position) for
the language examples, random and mutated rulesets, and the same syntax errors:
the same diagnostics from ``parse``, codes, positions, messages and hints.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lark
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark.parsers.lalr_parser import LALR_Parser

from costsheet.resources import resource_text
from costsheet.syntax import fastlark
from costsheet.syntax import parser as parser_module
from costsheet.syntax.fastlark import PLUGINS, FastContextualLexer, FastLALRParser
from costsheet.syntax.parser import lark_formula, parse

from .test_fuzz import EXAMPLES, JUNK, TOKENS, mutated

GRAMMAR = resource_text("grammar/costsheet.lark")


def _parser(start: str, fast: bool, **options: object) -> lark.Lark:
    options = dict(parser="lalr", lexer="contextual", maybe_placeholders=True, **options)
    if start == "ruleset":
        options["postlex"] = parser_module._AlwaysCode()
    if fast:
        options["_plugins"] = PLUGINS
    return parser_module.cached_parser(GRAMMAR, start, **options)


@pytest.fixture(scope="module")
def token_parsers() -> tuple[lark.Lark, lark.Lark]:
    """Both lexers under a parser that keeps every token in its tree (no transformer)."""
    return _parser("ruleset", False, keep_all_tokens=True), _parser("ruleset", True, keep_all_tokens=True)


def tokens(parser: lark.Lark, text: str) -> list[tuple[object, ...]] | tuple[object, ...]:
    """Every token of ``text`` with its positions, or what the parse error says."""
    try:
        tree = parser.parse(text)
    except lark.exceptions.UnexpectedInput as error:
        token = getattr(error, "token", None)
        expected = getattr(error, "expected", None) or getattr(error, "allowed", None)
        return (
            type(error).__name__,
            error.line,
            error.column,
            getattr(error, "pos_in_stream", None),
            None if token is None else _token(token),
            sorted(expected or ()),
        )
    return [_token(t) for t in _leaves(tree)]


def _token(t: lark.Token) -> tuple[object, ...]:
    return (t.type, str(t), t.start_pos, t.line, t.column, t.end_line, t.end_column, t.end_pos)


def _leaves(tree: lark.Tree) -> Iterator[lark.Token]:
    for child in tree.children:
        if isinstance(child, lark.Tree):
            yield from _leaves(child)
        elif child is not None:
            yield child


def test_the_parsers_run_the_plugins(token_parsers):
    plain, fast = token_parsers
    assert isinstance(fast.parser.lexer.lexer, FastContextualLexer)  # under the postlex connector
    assert not isinstance(plain.parser.lexer.lexer, FastContextualLexer)
    for start in ("ruleset", "formula"):
        assert isinstance(parser_module._parser(start).parser.parser, FastLALRParser)
    assert isinstance(parser_module._parser("ruleset").parser.lexer.lexer, FastContextualLexer)


def _lexers(parser: lark.Lark) -> list[object]:
    contextual = parser.parser.lexer
    contextual = getattr(contextual, "lexer", contextual)  # under the postlex connector
    return list({id(lexer): lexer for lexer in contextual.lexers.values()}.values())


@pytest.mark.parametrize("start", ["ruleset", "formula"])
def test_each_state_reads_keywords_as_lark_scanner_does(start):
    """Without building Lark's scanners, each state's lexer tries the terminals Lark's scanner
    tries, in its order, and reads as keywords the codes Lark's "unless" callbacks do."""
    plain = _parser(start, False)
    lexers = _lexers(plain)
    assert len(lexers) > 5
    for lexer in lexers:
        found = fastlark._keywords_apart(lexer.terminals, lexer.g_regex_flags)
        assert found is not None
        terminals, keywords = found
        scanner = lexer.scanner  # Lark's own, built here
        assert [t.name for t in terminals] == [t.name for t in scanner.terminals]
        assert set(keywords) == set(lexer.callback)
        for name, callback in lexer.callback.items():
            expected = {}
            for terminal in callback.scanner.terminals:
                expected.setdefault(terminal.pattern.value, terminal.name)
            assert keywords[name] == expected
            for keyword, terminal in expected.items():  # and Lark's callback reads them so
                assert callback.scanner.fullmatch(keyword) == terminal


def test_keywords_with_flags_are_left_to_lark():
    code = lark.lexer.TerminalDef("CODE", lark.lexer.PatternRE("[a-z]+"))
    keyword = lark.lexer.TerminalDef("ITEM", lark.lexer.PatternStr("item", flags=("i",)))
    plain = lark.lexer.TerminalDef("BOM", lark.lexer.PatternStr("bom"))
    assert fastlark._keywords_apart([code, plain], 0) == ([code], {"CODE": {"bom": "BOM"}})
    assert fastlark._keywords_apart([code, keyword, plain], 0) is None


class _LarkTableReader(FastLALRParser):
    """The fast loop on a parse table that Lark's own ``deserialize`` reads from the cache."""

    deserialize = classmethod(LALR_Parser.deserialize.__func__)  # type: ignore[attr-defined]


@pytest.mark.parametrize("start", ["ruleset", "formula"])
def test_the_cached_parse_table_reads_as_lark_reads_it(start, tmp_path, monkeypatch):
    """Loaded from the parser cache, the parse table is Lark's, entry for entry, and the loop's
    table holds each reduction's size, rule name and the very callback Lark calls."""
    monkeypatch.setenv("COSTSHEET_CACHE_DIR", str(tmp_path))
    options = dict(transformer=parser_module._FileAwareBuilder())
    _parser(start, True, **options)  # built from the grammar, written to the cache
    fast = _parser(start, True, **options).parser.parser
    lark_read = _parser(start, False, _plugins={**PLUGINS, "LALR_Parser": _LarkTableReader}, **options).parser.parser
    assert isinstance(fast, FastLALRParser) and type(lark_read) is _LarkTableReader
    assert "_loop" in fast.__dict__ and "_loop" not in lark_read.__dict__  # read in one pass: ours only

    def entries(parser):
        return {
            state: {name: (action.name, arg) for name, (action, arg) in actions.items()}
            for state, actions in parser.parser.parse_table.states.items()
        }

    assert entries(fast) == entries(lark_read)
    callbacks, loop = fast.__dict__["_loop"]
    assert callbacks is fast.parser.callbacks
    for state, actions in fast.parser.parse_table.states.items():
        for name, (action, arg) in actions.items():
            if action.name == "Shift":
                assert loop[state][name] == (True, arg)
            else:
                shift, (size, origin, callback) = loop[state][name]
                assert (shift, size, origin) == (False, len(arg.expansion), arg.origin.name)
                assert callback is callbacks[arg]


ROOT = Path(__file__).resolve().parents[2]
RULESETS = sorted(p for p in [*(ROOT / "rulesets").glob("*.cost"), *(ROOT / "tests").rglob("*.cost")] if p.is_file())


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_rulesets_lex_alike(token_parsers, path):
    """The demo rulesets and every ruleset of the tests (the golden ones with syntax errors too)."""
    lark_lexer, fast = token_parsers
    text = path.read_text(encoding="utf-8")
    assert tokens(fast, text) == tokens(lark_lexer, text)


def test_language_examples_lex_alike(token_parsers):
    lark_lexer, fast = token_parsers
    expected = tokens(lark_lexer, EXAMPLES)
    assert isinstance(expected, list) and len(expected) > 500
    assert tokens(fast, EXAMPLES) == expected


texts = st.one_of(
    mutated(),
    st.lists(st.sampled_from(TOKENS + list(JUNK)), max_size=60).map(" ".join),
    st.lists(st.sampled_from([*TOKENS, *JUNK, "\n", "\n\n", "  ", "\t", "# note\n", "\r\n"]), max_size=60).map("".join),
    st.text(max_size=200),
)


@given(texts)
def test_random_rulesets_lex_alike(token_parsers, text):
    lark_lexer, fast = token_parsers
    assert tokens(fast, text) == tokens(lark_lexer, text)


@given(texts)
def test_random_rulesets_have_the_same_diagnostics(monkeypatch_parsers, text):
    expected = monkeypatch_parsers(parse, text, "fuzz.cost")
    assert parse(text, "fuzz.cost") == expected


@pytest.fixture(scope="module")
def monkeypatch_parsers():
    """``parse`` as it would be with Lark's own lexer and loop: the module's parsers swapped
    for the call (a ruleset's formulas are the reader's, so they are the same either way)."""
    plain = {
        start: _parser(start, False, transformer=parser_module._FileAwareBuilder()) for start in ("ruleset", "formula")
    }
    patch = pytest.MonkeyPatch()

    def with_plain_lark(function, *args):
        patch.setattr(parser_module, "_parser", plain.__getitem__)
        try:
            return function(*args)
        finally:
            patch.undo()

    return with_plain_lark


@pytest.fixture(scope="module")
def formula_parsers() -> tuple[lark.Lark, lark.Lark]:
    """The formula start rule with both lexers: Lark parses the formulas the reader refuses."""
    return _parser("formula", False, keep_all_tokens=True), _parser("formula", True, keep_all_tokens=True)


@given(st.text(alphabet="0123456789.,+-−–*/%§()AB_ #\n\t$", max_size=40) | st.text(max_size=20))
def test_random_formulas_lex_alike(formula_parsers, text):
    lark_lexer, fast = formula_parsers
    assert tokens(fast, text) == tokens(lark_lexer, text)


@given(st.text(alphabet="0123456789.,+-−–*/%§()AB_ #\n\t$", max_size=40) | st.text(max_size=20))
def test_random_formulas_have_the_same_diagnostics(monkeypatch_parsers, text):
    """What Lark says about a formula the reader refuses (and the tree of one it accepts)."""
    expected = monkeypatch_parsers(lark_formula, text, "f.cost")
    assert lark_formula(text, "f.cost") == expected
