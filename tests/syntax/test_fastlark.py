"""The fast lexer, parser loop and direct callbacks (``costsheet.syntax.fastlark``) against Lark's own.

The parser runs Lark with the plugins; here the same grammar runs without them too,
and both must give the same tokens (types, values, every position) and the same parse
trees for the language examples, random and mutated rulesets, the same syntax errors,
and the same syntax nodes (every span included) and diagnostics from ``parse``: codes,
positions, messages and hints.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import lark
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
from lark.parsers.lalr_parser import LALR_Parser

from costsheet.resources import resource_text
from costsheet.syntax import fastlark
from costsheet.syntax import parser as parser_module
from costsheet.syntax.fastlark import PLUGINS, FastContextualLexer, FastLALRParser, direct_callbacks
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


def tokens(parser: lark.Lark, text: str, **options: Any) -> list[tuple[object, ...]] | tuple[object, ...]:
    """The parse tree of ``text`` and every token in it with its positions, or what the parse
    error says."""
    try:
        tree = parser.parse(text, **options)
    except lark.exceptions.UnexpectedInput as error:
        return _error(error)
    return [tree, *(_token(t) for t in _leaves(tree))]


def _error(error: lark.exceptions.UnexpectedInput) -> tuple[object, ...]:
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
    table holds each reduction's size, rule name and the direct callback made from the one Lark calls."""
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
    prepared = fast.__dict__["_loop"]
    assert prepared.lark_callbacks is fast.parser.callbacks
    assert prepared.callbacks.keys() == fast.parser.callbacks.keys()
    for state, actions in fast.parser.parse_table.states.items():
        for name, (action, arg) in actions.items():
            if action.name == "Shift":
                assert prepared.table[state][name] == (True, arg)
            else:
                shift, (size, origin, callback) = prepared.table[state][name]
                assert (shift, size, origin) == (False, len(arg.expansion), arg.origin.name)
                assert callback is fastlark._or_none(prepared.callbacks[arg])  # the direct callback
    assert fast._prepared() is prepared


def test_every_rule_has_a_direct_callback(token_parsers):
    """Neither the parses with the transformer nor the tree-building one fall back to Lark's
    wrappers (which would leave the direct callbacks untested)."""
    ruleset = parser_module._parser("ruleset")
    for parser in (ruleset, parser_module._parser("formula"), token_parsers[1]):
        lalr = parser.parser.parser
        callbacks = lalr._prepared().callbacks
        assert callbacks is not lalr.parser.callbacks
        assert callbacks.keys() == lalr.parser.callbacks.keys()
    wrappers = {type(callback) for callback in ruleset.parser.parser.parser.callbacks.values()}
    assert wrappers >= {ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild}


def test_a_chain_it_does_not_reproduce_stays_larks():
    """Positions propagated (a wrapper the direct callbacks do not make): Lark's callbacks, the
    same trees."""
    plain = _parser("ruleset", False, propagate_positions=True)
    fast = _parser("ruleset", True, propagate_positions=True)
    assert direct_callbacks(fast.parser.parser.parser.callbacks) is None
    tree, expected = fast.parse(EXAMPLES), plain.parse(EXAMPLES)
    assert tree == expected
    assert [(t.meta.line, t.meta.end_column) for t in tree.iter_subtrees()] == [
        (t.meta.line, t.meta.end_column) for t in expected.iter_subtrees()
    ]


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
def test_random_rulesets_recover_alike(token_parsers, text):
    """With an error handler that skips what does not fit, Lark's own loop resumes from the
    lexer's state: the fast lexer keeps it as Lark's does."""
    lark_lexer, fast = token_parsers
    assert tokens(fast, text, on_error=_skip) == tokens(lark_lexer, text, on_error=_skip)


def _skip(error: lark.exceptions.UnexpectedInput) -> bool:
    return True


@given(texts)
def test_random_rulesets_have_the_same_diagnostics(monkeypatch_parsers, text):
    expected = monkeypatch_parsers(parse, text, "fuzz.cost")
    assert exactly(parse(text, "fuzz.cost")) == exactly(expected)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_rulesets_parse_alike(monkeypatch_parsers, path):
    """The same syntax nodes, every span, value type and digit included, and the same diagnostics."""
    text = path.read_text(encoding="utf-8")
    assert exactly(parse(text, path.name)) == exactly(monkeypatch_parsers(parse, text, path.name))


def test_language_examples_parse_alike(monkeypatch_parsers):
    tree, diagnostics = parse(EXAMPLES, "examples.cost")
    assert tree is not None and not diagnostics
    assert exactly((tree, diagnostics)) == exactly(monkeypatch_parsers(parse, EXAMPLES, "examples.cost"))


def exactly(value: object) -> object:
    """``value`` as nested tuples that tell apart what ``==`` does not: a node's spans (left out
    of its equality), its class, ``Decimal("1.0")`` and ``Decimal("1.00")``, a ``str`` and a
    subclass of it."""
    if attrs.has(type(value)):
        return (type(value).__name__, *((f.name, exactly(getattr(value, f.name))) for f in attrs.fields(type(value))))
    if isinstance(value, tuple | list):
        return (type(value).__name__, *map(exactly, value))
    return (type(value).__name__, repr(value))


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
    assert exactly(lark_formula(text, "f.cost")) == exactly(expected)
