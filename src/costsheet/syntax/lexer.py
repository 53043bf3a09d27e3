"""Lark's contextual lexer, with one regular-expression match per token instead of two.

Lark's lexer matches the blanks and comments before a token as tokens of their own
(then drops them), and reads a keyword as a code first and then looks the code up
among the keywords with a second pattern.  :class:`FastContextualLexer` (handed to
Lark as its ``ContextualLexer`` plugin) makes, per parser state, one pattern: the
blanks and comments (possessive, so nothing is ever tried twice) followed by the
state's terminals in Lark's own order; and it looks keywords up in a dict.  The
tokens are Lark's, with the same types, values and positions: a blank or ``#``
never starts a terminal of the grammar, so skipping them all at once cuts the text
where Lark cuts it, and what follows is matched by Lark's own alternation.

Whatever this lexer cannot read on its own (a character no terminal takes, the
blanks at the end of the text) it hands to Lark's ``next_token``, which raises what
Lark raises, so syntax errors are unchanged.  tests/syntax/test_lexer.py holds the
two lexers to the same tokens and the same diagnostics.
"""

from __future__ import annotations

import re
from typing import Any

from lark.lexer import BasicLexer, ContextualLexer, LexerState, PatternStr, Token, UnlessCallback

__all__ = ["FastContextualLexer", "PLUGINS"]


class _FastBasicLexer(BasicLexer):
    """One parser state's lexer: Lark's, with a faster :meth:`next_token`."""

    _pattern: re.Pattern[str] | None = None
    _keywords: dict[str, dict[str, str]]

    def _fast_pattern(self) -> re.Pattern[str] | None:
        """Blanks and comments, then the scanner's terminals as alternatives named by type (built
        once); None when Lark's scanner is not of the kind this lexer reproduces."""
        scanner = self.scanner  # builds Lark's scanner and self.callback (keywords read as codes)
        self._keywords = {}
        for name, callback in self.callback.items():
            keywords = _keyword_table(callback)
            if keywords is None:
                return None
            self._keywords[name] = keywords
        ignored = [t for t in scanner.terminals if t.name in self.ignore_types]
        kept = [t for t in scanner.terminals if t.name not in self.ignore_types]
        blanks = "|".join(t.pattern.to_regexp() for t in ignored)
        alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in kept)
        try:
            return re.compile(f"(?:{blanks})*+(?:{alternatives})" if blanks else alternatives, self.g_regex_flags)
        except (re.error, AssertionError):  # patterns that Python cannot put in one: Lark's way
            return None

    def next_token(self, lex_state: LexerState, parser_state: Any = None) -> Token:
        pattern = self._pattern
        if pattern is None:
            pattern = self._pattern = self._fast_pattern() or _LARK
        line_ctr = lex_state.line_ctr
        text = lex_state.text
        pos = line_ctr.char_pos
        match = pattern.match(text.text, pos, text.end)
        if match is None:  # an error, the end of the text, or a scanner Lark must run itself
            return super().next_token(lex_state, parser_state)
        type_ = match.lastgroup
        assert type_ is not None, "every alternative is a named group"
        value = match.group(type_)
        end = match.end()
        start = end - len(value)
        source = text.text
        line = line_ctr.line
        line_start = line_ctr.line_start_pos
        if start > pos:  # blanks and comments before the token: only "\n" ends a line, as in Lark
            newlines = source.count("\n", pos, start)
            if newlines:
                line += newlines
                line_start = source.rindex("\n", pos, start) + 1
        column = start - line_start + 1
        end_line = line
        if type_ in self.newline_types:
            newlines = value.count("\n")
            if newlines:
                end_line += newlines
                line_start = start + value.rindex("\n") + 1
        keywords = self._keywords.get(type_)
        if keywords is not None:
            type_ = keywords.get(value, type_)
        token = Token(type_, value, start, line, column, end_line, end - line_start + 1, end)
        line_ctr.char_pos = end
        line_ctr.line = end_line
        line_ctr.line_start_pos = line_start
        line_ctr.column = end - line_start + 1
        lex_state.last_token = token
        return token


#: The marker of a lexer that leaves every token to Lark.
_LARK = re.compile("(?!)")


def _keyword_table(callback: object) -> dict[str, str] | None:
    """Lark's "unless" callback (a code that spells a keyword is that keyword) as a dict from
    the keyword to its terminal, or None for a callback that is not only plain strings."""
    if not isinstance(callback, UnlessCallback):
        return None
    table: dict[str, str] = {}
    for terminal in callback.scanner.terminals:
        if not isinstance(terminal.pattern, PatternStr) or terminal.pattern.flags:
            return None
        table.setdefault(terminal.pattern.value, terminal.name)
    return table


class FastContextualLexer(ContextualLexer):
    """Lark's contextual lexer with :class:`_FastBasicLexer` as each state's lexer."""

    BasicLexer = _FastBasicLexer


#: The ``_plugins`` option of :class:`lark.Lark` that puts the fast lexer in place.
PLUGINS = {"ContextualLexer": FastContextualLexer}
