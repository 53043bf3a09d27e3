"""The transformer's hot helpers against their plain forms: a span from the first positioned
child to the last one, the children without keyword and punctuation tokens, and keyword tokens
retyped with Lark's fields set directly (``fastlark.retyped``)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from lark import Token

from costsheet.diagnostics import Span
from costsheet.syntax import nodes as n
from costsheet.syntax.fastlark import retyped
from costsheet.syntax.transformer import _VALUE_TOKENS, AstBuilder

positions = st.integers(min_value=1, max_value=10_000)
types = st.sampled_from([*sorted(_VALUE_TOKENS), "LBRACE", "UNIT", "ITEM", "$END"])


@st.composite
def tokens(draw: st.DrawFn) -> Token:
    line, end_line = sorted((draw(positions), draw(positions)))
    start = draw(st.integers(min_value=0, max_value=100_000))
    text = draw(st.text(max_size=8))
    return Token(draw(types), text, start, line, draw(positions), end_line, draw(positions), start + len(text))


spans = st.builds(Span, st.just("x.cost"), positions, positions, positions, positions)
children = st.lists(
    st.one_of(
        st.none(),
        tokens(),
        st.builds(lambda text, span: n.Code(text, span=span), st.text(max_size=4), st.none() | spans),
        st.tuples(st.integers()),  # a filter: a tuple, without a span of its own
    ),
    max_size=8,
)


def plain_span(file: str, children: list[Any]) -> Span | None:
    """The span as the transformer first wrote it: the first positioned child, the last one."""
    positioned = [c if type(c) is Token else getattr(c, "span", None) for c in children if c is not None]
    positioned = [p for p in positioned if p is not None]
    if not positioned:
        return None
    first, last = positioned[0], positioned[-1]
    return Span(file, first.line, first.column, last.end_line, last.end_column)


@given(children)
def test_span_runs_from_the_first_positioned_child_to_the_last(children):
    assert AstBuilder("x.cost")._span(children) == plain_span("x.cost", children)


@given(children)
def test_parts_drop_keyword_and_punctuation_tokens(children):
    expected = [c for c in children if not (isinstance(c, Token) and c.type not in _VALUE_TOKENS)]
    assert AstBuilder._parts(children) == expected
    assert all(a is b for a, b in zip(AstBuilder._parts(children), expected, strict=True))


def fields(token: Token) -> tuple[object, ...]:
    positions = (token.start_pos, token.line, token.column, token.end_line, token.end_column, token.end_pos)
    return (type(token), token.type, str(token), token.value, *positions)


@given(tokens(), types)
def test_retyped_is_lark_new_borrow_pos(token, type_):
    assert fields(retyped(token, type_)) == fields(Token.new_borrow_pos(type_, str(token), token))
