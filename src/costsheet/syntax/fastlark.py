"""Lark, faster: a contextual lexer with one match per token and a leaner LALR loop.

Two plugins for :class:`lark.Lark` (its ``_plugins`` option, :data:`PLUGINS`); the
parse results and the syntax errors stay Lark's own.

**The lexer.** Lark's lexer matches the blanks and comments before a token as
tokens of their own (then drops them), and reads a keyword as a code first and
then looks the code up among the keywords with a second pattern.
:class:`FastContextualLexer` makes, per parser state, one pattern: the blanks and
comments (possessive, so nothing is ever tried twice) followed by the state's
terminals in Lark's own order; and it looks keywords up in a dict.  The tokens are
Lark's, with the same types, values and positions: a blank or ``#`` never starts a
terminal of the grammar, so skipping them all at once cuts the text where Lark
cuts it, and what follows is matched by Lark's own alternation.  Whatever it cannot
read (a character no terminal takes, the blanks at the end of the text) it hands
to Lark's ``next_token``, which raises what Lark raises; Lark's own patterns of a
state are compiled only then (docs/language.md, "Start-up").

**The parser loop.** :class:`FastLALRParser` runs Lark's LALR table with the loop
of Lark's ``ParserState.feed_token`` inlined into the loop over the tokens, each
rule's length, name and callback looked up once per rule rather than per
reduction, and without Lark's internal assertions.  A token the table has no
action for goes to Lark's own ``feed_token``, from the same state, which raises
Lark's error (with its interactive parser attached, as Lark does); the end of the
text too.  Interactive parsing (completion) and ``on_error`` stay Lark's.

tests/syntax/test_fastlark.py holds both to Lark's tokens, trees and diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from lark.exceptions import UnexpectedInput
from lark.grammar import Rule
from lark.lexer import BasicLexer, ContextualLexer, LexerState, PatternRE, PatternStr, TerminalDef, Token
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser
from lark.parsers.lalr_parser import LALR_Parser, _Parser
from lark.parsers.lalr_parser_state import ParseConf, ParserState

__all__ = ["FastContextualLexer", "FastLALRParser", "PLUGINS"]


# ---------------------------------------------------------------- the lexer


class _FastBasicLexer(BasicLexer):
    """One parser state's lexer: Lark's, with a faster :meth:`next_token`."""

    _pattern: re.Pattern[str] | None = None
    _keywords: dict[str, dict[str, str]]

    def _fast_pattern(self) -> re.Pattern[str] | None:
        """Blanks and comments, then the scanner's terminals as alternatives named by type (built
        once); None when Lark's scanner is not of the kind this lexer reproduces.

        Lark's own scanner (one more pattern per state, and one per keyword table) is not built
        here: only when a text needs Lark's ``next_token`` (an error, the end of the text)."""
        found = _keywords_apart(self.terminals, self.g_regex_flags) if not self.user_callbacks else None
        if found is None:
            return None
        terminals, self._keywords = found
        ignored = [t for t in terminals if t.name in self.ignore_types]
        kept = [t for t in terminals if t.name not in self.ignore_types]
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


def _keywords_apart(
    terminals: Collection[TerminalDef], flags: int
) -> tuple[list[TerminalDef], dict[str, dict[str, str]]] | None:
    """What Lark's scanner for ``terminals`` matches, without its patterns: the terminals it
    tries, in order, and for each pattern terminal the keywords it reads as codes first, as a
    dict from the keyword to its terminal (Lark's "unless" callback: a code that spells a
    keyword is that keyword).  The choice is Lark's ``_create_unless``: a string terminal of the
    same priority that the pattern matches whole, and then not tried on its own.  None when
    such a keyword has flags (case-insensitive, ...): Lark's way then.
    tests/syntax/test_fastlark.py holds it to Lark's scanners."""
    strings = [t for t in terminals if isinstance(t.pattern, PatternStr)]
    embedded: set[str] = set()
    tables: dict[str, dict[str, str]] = {}
    for pattern_terminal in terminals:
        if not isinstance(pattern_terminal.pattern, PatternRE):
            continue
        regexp = pattern_terminal.pattern.to_regexp()
        table: dict[str, str] = {}
        for string in strings:
            value = string.pattern.value
            if string.priority != pattern_terminal.priority:
                continue
            match = re.match(regexp, value, flags)
            if match is None or match.group(0) != value:
                continue
            if string.pattern.flags:
                return None
            table.setdefault(value, string.name)
            embedded.add(string.name)  # no flags, so none the pattern lacks
        if table:
            tables[pattern_terminal.name] = table
    return [t for t in terminals if t.name not in embedded], tables


class FastContextualLexer(ContextualLexer):
    """Lark's contextual lexer with :class:`_FastBasicLexer` as each state's lexer."""

    BasicLexer = _FastBasicLexer


# ---------------------------------------------------------------- the parser loop

#: A parse table entry made ready for the loop: a shift's next state, or a reduction's
#: (number of children, rule name, callback).
_Reduction = tuple[int, str, Any]


class FastLALRParser(LALR_Parser):
    """Lark's LALR parser with :func:`_run` as its loop (see the module's docstring)."""

    @classmethod
    def deserialize(  # type: ignore[override]  # Lark's LALR_Parser adds callbacks and debug to Serialize's
        cls, data: Any, memo: Any, callbacks: Any, debug: bool = False
    ) -> FastLALRParser:
        """Lark's, loading the parse table from the parser cache in one pass that builds the
        loop's table (:meth:`_table`) too: a reduction's rule is the memo's entry its reference
        names (what Lark's ``Rule.deserialize`` returns for one), and each rule's entry of the
        loop is made once, not once per state.  Data of another shape: Lark's own way."""
        if debug or not _memo_references(data):
            return super().deserialize(data, memo, callbacks, debug)  # type: ignore[no-untyped-call,no-any-return]
        tokens = data["tokens"]
        rules = {key: rule for key, rule in memo.items() if isinstance(rule, Rule)}
        lark_reduce = {key: (Reduce, rule) for key, rule in rules.items()}
        loop_reduce = {key: (False, _reduction(rule, callbacks)) for key, rule in rules.items()}
        states: dict[int, dict[str, tuple[Any, Any]]] = {}
        loop: dict[int, dict[str, tuple[bool, Any]]] = {}
        for state, actions in data["states"].items():
            states[state] = {
                tokens[token]: lark_reduce[arg["@"]] if action == 1 else (Shift, arg)
                for token, (action, arg) in actions.items()
            }
            loop[state] = {
                tokens[token]: loop_reduce[arg["@"]] if action == 1 else (True, arg)
                for token, (action, arg) in actions.items()
            }
        inst = cls.__new__(cls)
        # Lark's own deserialize makes this IntParseTable; lark annotates the attribute ParseTable
        inst._parse_table = IntParseTable(states, data["start_states"], data["end_states"])  # type: ignore[no-untyped-call,assignment]
        inst.parser = _Parser(inst._parse_table, callbacks, debug)
        inst._loop = (callbacks, loop)
        return inst

    def parse(self, lexer: Any, start: str, on_error: Any = None) -> Any:
        if on_error is not None or self.parser.debug:
            return super().parse(lexer, start, on_error)  # type: ignore[no-untyped-call]  # lark leaves it unannotated
        state = ParserState(ParseConf(self.parser.parse_table, self.parser.callbacks, start), lexer)
        try:
            return _run(state, self._table(state.parse_conf))
        except UnexpectedInput as error:
            error.interactive_parser = InteractiveParser(self.parser, state, state.lexer)
            raise

    def _table(self, conf: ParseConf[int]) -> dict[int, dict[str, tuple[bool, Any]]]:
        """The parse table with each reduction's rule read once: ``(True, next state)`` for a
        shift, ``(False, (size, rule name, callback))`` for a reduction (the same for every
        start rule: only the first state differs)."""
        built = self.__dict__.get("_loop")
        if built is None or built[0] is not conf.callbacks:
            ready: dict[int, tuple[bool, _Reduction]] = {}
            table = {
                state: {
                    name: (True, arg)
                    if action is Shift
                    else ready.get(id(arg)) or ready.setdefault(id(arg), (False, _reduction(arg, conf.callbacks)))
                    for name, (action, arg) in actions.items()
                }
                for state, actions in conf.states.items()
            }
            built = self._loop = (conf.callbacks, table)
        return built[1]


def _reduction(rule: Rule, callbacks: Any) -> _Reduction:
    return len(rule.expansion), rule.origin.name, callbacks[rule] if callbacks else None


def _memo_references(data: Any) -> bool:
    """Whether every reduction of the serialized table names its rule by a memo reference."""
    try:
        return all(
            isinstance(arg, dict) and "@" in arg
            for actions in data["states"].values()
            for action, arg in actions.values()
            if action == 1
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def _run(state: ParserState[int], table: dict[int, dict[str, tuple[bool, Any]]]) -> Any:
    """Lark's ``parse_from_state``: every token fed to the LALR automaton, the result at the end."""
    state_stack = state.state_stack
    value_stack = state.value_stack
    token_callbacks = state.parse_conf.callbacks
    token = None
    for token in state.lexer.lex(state):  # type: ignore[no-untyped-call]  # lark leaves it unannotated
        type_ = token.type
        while True:
            try:
                shift, arg = table[state_stack[-1]][type_]
            except KeyError:
                state.feed_token(token)  # no action: Lark raises its own error from this state
                raise AssertionError("Lark accepted a token its parse table has no action for") from None
            if shift:
                state_stack.append(arg)
                value_stack.append(token_callbacks[type_](token) if type_ in token_callbacks else token)
                break
            size, origin, callback = arg
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = children if callback is None else callback(children)
            _, new_state = table[state_stack[-1]][origin]
            state_stack.append(new_state)
            value_stack.append(value)
    end = Token.new_borrow_pos("$END", "", token) if token else Token("$END", "", 0, 1, 1)
    return state.feed_token(end, True)


#: The ``_plugins`` option of :class:`lark.Lark` that puts both in place.
PLUGINS = {"ContextualLexer": FastContextualLexer, "LALR_Parser": FastLALRParser}
