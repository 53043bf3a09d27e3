"""Lark, faster: a contextual lexer with one match per token, a leaner LALR loop, and
direct callbacks in place of Lark's parse-tree-builder wrappers.

Three parts, put in place as plugins of :class:`lark.Lark` (its ``_plugins`` option,
:data:`PLUGINS`); the parse results and the syntax errors stay Lark's own.

**The lexer.** Lark's lexer matches the blanks and comments before a token as
tokens of their own (then drops them), and reads a keyword as a code first and
then looks the code up among the keywords with a second pattern.
:class:`FastContextualLexer` makes, per parser state, one pattern: the blanks and
comments (possessive, so nothing is ever tried twice) followed by the state's
terminals in Lark's own order; and it looks keywords up in a dict.  Its loop keeps
the line count in local variables and makes each token with Lark's fields set
directly (Lark's ``Token(...)`` goes through two Python calls).  The tokens are
Lark's, with the same types, values and positions: a blank or ``#`` never starts a
terminal of the grammar, so skipping them all at once cuts the text where Lark
cuts it, and what follows is matched by Lark's own alternation.  Whatever it cannot
read (a character no terminal takes, the blanks at the end of the text) it hands
to Lark's own lexer loop from the same position, which raises what Lark raises;
Lark's own patterns of a state are compiled only then (docs/language.md, "Start-up").

**The parser loop.** :class:`FastLALRParser` runs Lark's LALR table with the loop
of Lark's ``ParserState.feed_token`` inlined into the loop over the tokens, each
rule's length, name and callback looked up once per rule rather than per
reduction (read from the parser cache in one pass that makes the loop's table
too), and without Lark's internal assertions.  A token the table has no
action for goes to Lark's own ``feed_token``, from the same state, which raises
Lark's error (with its interactive parser attached, as Lark does); the end of the
text too.  Interactive parsing (completion) and ``on_error`` stay Lark's.

**The callbacks.** Lark calls a rule's callback through a chain of wrappers: a
child filter (drops the filtered-out tokens, puts ``None`` where an optional part
is missing, splices in the children of inlined ``_rule`` and ``x*`` rules), ``?rule``'s
single-child shortcut, then the transformer's method, or a Tree for a rule without
one.  :func:`direct_callbacks` reads that chain, as Lark built it, and makes one
function per rule that builds the same children list in one expression and calls the
same method; an inlined rule (whose result only its parent reads) hands up its
children list instead of a Tree around it.  A chain of another shape (positions
propagated, ambiguity, a transformer's own ``__default__``) leaves every callback Lark's.

tests/syntax/test_fastlark.py holds all three to Lark's tokens, trees and diagnostics.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, NamedTuple

from lark import Transformer, Tree
from lark.exceptions import UnexpectedInput
from lark.grammar import Rule
from lark.lexer import BasicLexer, ContextualLexer, LexerState, PatternRE, PatternStr, TerminalDef, Token
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser
from lark.parsers.lalr_parser import LALR_Parser, _Parser
from lark.parsers.lalr_parser_state import ParseConf, ParserState

__all__ = ["FastContextualLexer", "FastLALRParser", "PLUGINS", "direct_callbacks", "retyped"]


def retyped(token: Token, type_: str) -> Token:
    """``Token.new_borrow_pos(type_, str(token), token)``: a token of another type with the same
    text and positions, made with Lark's fields set directly (as the lexer below makes its tokens;
    Lark's ``Token(...)`` goes through two Python calls)."""
    value = str(token)
    new: Token = str.__new__(Token, value)
    new.type = type_
    new.start_pos = token.start_pos
    new.value = value
    new.line = token.line
    new.column = token.column
    new.end_line = token.end_line
    new.end_column = token.end_column
    new.end_pos = token.end_pos
    return new


# ---------------------------------------------------------------- the lexer


class _Kind(NamedTuple):
    """What a terminal's group of a scanner's pattern says: the token type, the keywords a token
    of it may spell (a code that spells a keyword is that keyword), and whether its tokens may
    hold a line break."""

    type: str
    keywords: dict[str, str] | None
    multiline: bool


class _Scanner(NamedTuple):
    """One parser state's fast lexer: its pattern's ``match`` (blanks and comments, then the
    terminals, each a group of its own), and the :class:`_Kind` of each group by its number."""

    match: Callable[[str, int, int], re.Match[str] | None]
    kinds: tuple[_Kind | None, ...]


class _FastBasicLexer(BasicLexer):
    """One parser state's lexer: Lark's, and the :class:`_Scanner` that reads its tokens faster."""

    def fast_scanner(self) -> _Scanner | None:
        """This lexer's scanner (built once), or None when Lark's scanner is not of the kind the
        fast lexer reproduces (Lark then reads every token in this state)."""
        if "_fast" not in self.__dict__:
            self.__dict__["_fast"] = self._build_fast_scanner()
        fast: _Scanner | None = self.__dict__["_fast"]
        return fast

    def _build_fast_scanner(self) -> _Scanner | None:
        # Lark's own scanner (one more pattern per state, and one per keyword table) is not built
        # here: only when a text needs Lark's ``next_token`` (an error, the end of the text)
        found = _keywords_apart(self.terminals, self.g_regex_flags) if not self.user_callbacks else None
        if found is None:
            return None
        terminals, keywords = found
        ignored = [t for t in terminals if t.name in self.ignore_types]
        kept = [t for t in terminals if t.name not in self.ignore_types]
        blanks = "|".join(t.pattern.to_regexp() for t in ignored)
        alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in kept)
        try:
            pattern = re.compile(f"(?:{blanks})*+(?:{alternatives})" if blanks else alternatives, self.g_regex_flags)
        except (re.error, AssertionError):  # patterns that Python cannot put in one: Lark's way
            return None
        if pattern.groups != len(kept):  # a terminal with groups of its own: the last group may not name it
            return None
        kinds: list[_Kind | None] = [None] * (pattern.groups + 1)
        for name, index in pattern.groupindex.items():
            kinds[index] = _Kind(name, keywords.get(name), name in self.newline_types)
        return _Scanner(pattern.match, tuple(kinds))


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
    """Lark's contextual lexer with a faster loop (see the module's docstring)."""

    BasicLexer = _FastBasicLexer

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        scanners: dict[int, _Scanner | None] = self.__dict__.setdefault("_scanners", {})
        lexers = self.lexers
        states = parser_state.state_stack
        line_ctr = lexer_state.line_ctr
        source = lexer_state.text.text
        end = lexer_state.text.end
        pos, line, line_start = line_ctr.char_pos, line_ctr.line, line_ctr.line_start_pos
        new = str.__new__
        lark_tokens: Iterator[Token] | None = None  # Lark's own loop, for what this one cannot read
        while True:
            state = states[-1]
            try:
                scanner = scanners[state]
            except KeyError:
                lexer = lexers[state]
                scanner = scanners[state] = lexer.fast_scanner() if isinstance(lexer, _FastBasicLexer) else None
            match = None if scanner is None else scanner[0](source, pos, end)  # a tuple's items: no attribute look-up
            if match is None:  # an error, the end of the text, or a state Lark must read: one token of Lark's
                if lark_tokens is None:
                    lark_tokens = super().lex(lexer_state, parser_state)
                lark_token = next(lark_tokens, None)  # from line_ctr, which is always up to date
                if lark_token is None:
                    return
                pos, line, line_start = line_ctr.char_pos, line_ctr.line, line_ctr.line_start_pos
                yield lark_token
                continue
            index = match.lastindex
            type_, keywords, multiline = scanner[1][index]  # type: ignore[index,misc]  # a match ends in a terminal's group
            value = match.group(index)  # type: ignore[arg-type]  # as above
            stop = match.end()
            start = stop - len(value)
            if start > pos:  # blanks and comments before the token: only "\n" ends a line, as in Lark
                newlines = source.count("\n", pos, start)
                if newlines:
                    line += newlines
                    line_start = source.rindex("\n", pos, start) + 1
            token = new(Token, value)  # Lark's Token(...), without its two Python calls
            token.start_pos = start
            token.value = value
            token.line = line
            token.column = start - line_start + 1
            if multiline:
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = start + value.rindex("\n") + 1
            token.type = type_ if keywords is None else keywords.get(value, type_)
            token.end_line = line
            token.end_column = column = stop - line_start + 1
            token.end_pos = pos = stop
            line_ctr.char_pos = stop  # the lexer's state as Lark's leaves it (an error handler may resume from it)
            line_ctr.line = line
            line_ctr.line_start_pos = line_start
            line_ctr.column = column
            lexer_state.last_token = token
            yield token


# ---------------------------------------------------------------- the callbacks

#: A rule's callback as Lark calls it: the children list in, the rule's value out.
Callback = Callable[[list[Any]], Any]


def _same(children: list[Any]) -> list[Any]:
    """The callback of an inlined rule that keeps its children as they are."""
    return children


def direct_callbacks(callbacks: dict[Any, Callback]) -> dict[Any, Callback] | None:
    """For Lark's callbacks (a rule's wrapper chain, or a terminal's callback), callbacks that
    give the same results in one call each (see the module's docstring); None when a chain is
    of a shape this does not reproduce."""
    direct: dict[Any, Callback] = {}
    for key, callback in callbacks.items():
        if isinstance(key, str):  # a terminal's callback (a transformer that visits tokens)
            direct[key] = callback
            continue
        built = _direct_callback(key.origin.name, callback)
        if built is None:
            return None
        direct[key] = built
    return direct


def _direct_callback(name: str, chain: Callback) -> Callback | None:
    """One rule's direct callback, from the wrapper chain Lark built for it."""
    callback: Any = chain  # a wrapper, with the next one as its node_builder, down to the method
    include: Sequence[tuple[int, bool, int]] | None = None
    trailing = 0
    if type(callback) is ChildFilterLALR:
        include, trailing, callback = callback.to_include, callback.append_none, callback.node_builder
    elif type(callback) is ChildFilterLALR_NoPlaceholders:
        include = [(index, expand, 0) for index, expand in callback.to_include]
        callback = callback.node_builder
    single = type(callback) is ExpandSingleChild
    if single:
        callback = callback.node_builder
    if hasattr(callback, "node_builder"):
        return None  # another wrapper: positions propagated, ambiguity
    inlined = name.startswith("_")  # Lark splices the children of its Tree into the parent's
    if inlined and (single or not _builds_tree(callback, name)):
        return None
    return _compile(include, trailing, single, None if inlined else callback)


def _builds_tree(callback: Callback, name: str) -> bool:
    """Whether ``callback`` is Lark's default for a rule without a method: ``Tree(name, children)``,
    through the transformer's ``__default__`` when it is Lark's."""
    if not (isinstance(callback, functools.partial) and callback.args == (name,) and not callback.keywords):
        return False
    function: Any = callback.func
    if isinstance(function, type) and issubclass(function, Tree):
        return True
    if getattr(function, "__name__", None) != "default_callback" or not function.__closure__:
        return False
    cells = dict(zip(function.__code__.co_freevars, (cell.cell_contents for cell in function.__closure__), strict=True))
    handler = cells.get("default_handler")
    return getattr(handler, "__func__", None) is Transformer.__default__


def _compile(
    include: Sequence[tuple[int, bool, int]] | None, trailing: int, single: bool, method: Callback | None
) -> Callback:
    """A function of the children list: the list Lark's child filter makes from it (``include``:
    index, spliced or not, placeholders before; then ``trailing`` placeholders), then
    ``method`` on it (with ``?rule``'s shortcut when ``single``), or the list itself (an
    inlined rule). Written as Python source from these numbers only, so that each rule's
    filter is one expression."""
    if include is None:  # Lark filters nothing
        if method is not None and not single:
            return method
        lines = ["x = c"]
    else:
        items: list[str] = []
        for index, expand, placeholders in include:
            items += ["None"] * placeholders
            items.append(f"*c[{index}]" if expand else f"c[{index}]")
        items += ["None"] * trailing
        if items and items[0].startswith("*"):  # left recursion: the first list grows, as in Lark's filter
            lines = [f"x = {items[0][1:]}"]
            rest = items[1:]
            if len(rest) == 1 and not rest[0].startswith("*"):
                lines.append(f"x.append({rest[0]})")
            elif len(rest) == 1:
                lines.append(f"x += {rest[0][1:]}")
            elif rest:
                lines.append(f"x += ({', '.join(rest)},)")
        else:
            lines = [f"x = [{', '.join(items)}]"]
    if method is None:
        if lines == ["x = c"]:
            return _same
        result = "x"
    else:
        result = "x[0] if len(x) == 1 else f(x)" if single else "f(x)"
    body = "".join(f"        {line}\n" for line in lines) + f"        return {result}\n"
    return _maker(body)(method)


@functools.cache
def _maker(body: str) -> Callable[[Callback | None], Callback]:
    """The function ``build(c)`` of that body around a given ``f``, compiled once per body (many
    rules share one, and compiling them all took a tenth of a ``costsheet check``'s start-up)."""
    namespace: dict[str, Any] = {}
    exec(f"def make(f):\n    def build(c):\n{body}    return build\n", namespace)  # made of numbers only
    make: Callable[[Callback | None], Callback] = namespace["make"]
    return make


# ---------------------------------------------------------------- the parser loop


class FastLALRParser(LALR_Parser):
    """Lark's LALR parser with :func:`_run` as its loop and :func:`direct_callbacks` (see the
    module's docstring)."""

    @classmethod
    def deserialize(  # type: ignore[override]  # Lark's LALR_Parser adds callbacks and debug to Serialize's
        cls, data: Any, memo: Any, callbacks: Any, debug: bool = False
    ) -> FastLALRParser:
        """Lark's, loading the parse table from the parser cache in one pass that builds the
        loop's table (:meth:`_prepared`) too: a reduction's rule is the memo's entry its reference
        names (what Lark's ``Rule.deserialize`` returns for one), and each rule's entry of the
        loop is made once, not once per state.  Data of another shape: Lark's own way."""
        if debug or not _memo_references(data):
            return super().deserialize(data, memo, callbacks, debug)  # type: ignore[no-untyped-call,no-any-return]
        tokens = data["tokens"]
        rules = {key: rule for key, rule in memo.items() if isinstance(rule, Rule)}
        direct = direct_callbacks(callbacks) or callbacks
        lark_reduce = {key: (Reduce, rule) for key, rule in rules.items()}
        loop_reduce = {key: (False, _reduction(rule, direct)) for key, rule in rules.items()}
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
        inst._loop = _Prepared.of(callbacks, direct, loop)
        return inst

    def parse(self, lexer: Any, start: str, on_error: Any = None) -> Any:
        if on_error is not None or self.parser.debug:
            return super().parse(lexer, start, on_error)  # type: ignore[no-untyped-call]  # lark leaves it unannotated
        prepared = self._prepared()
        state = ParserState(ParseConf(self.parser.parse_table, prepared.callbacks, start), lexer)
        try:
            return _run(state, prepared.table, prepared.token_callbacks)
        except UnexpectedInput as error:
            error.interactive_parser = InteractiveParser(self.parser, state, state.lexer)
            raise

    def _prepared(self) -> _Prepared:
        """What the loop needs (the same for every start rule: only the first state differs),
        made from the parse table when it was not read from the parser cache."""
        built: _Prepared | None = self.__dict__.get("_loop")
        lark_callbacks = self.parser.callbacks
        if built is None or built.lark_callbacks is not lark_callbacks:
            direct = direct_callbacks(lark_callbacks) or lark_callbacks
            ready: dict[int, tuple[bool, _Reduction]] = {}  # by the rule's id: Lark hashes a rule in Python
            table = {
                state: {
                    name: (True, arg)
                    if action is Shift
                    else ready.get(id(arg)) or ready.setdefault(id(arg), (False, _reduction(arg, direct)))
                    for name, (action, arg) in actions.items()
                }
                for state, actions in self.parser.parse_table.states.items()
            }
            built = self._loop = _Prepared.of(lark_callbacks, direct, table)
        return built


#: A reduction in the loop's table: the number of children, the rule's name, its callback (None:
#: the children list is the value).
_Reduction = tuple[int, str, Any]


class _Prepared(NamedTuple):
    """What the loop needs, made once: the callbacks (direct ones where they can be) made from
    ``lark_callbacks``, the terminals' callbacks among them, and the parse table with each
    reduction's rule read once: ``(True, next state)`` for a shift, ``(False, reduction)``."""

    lark_callbacks: dict[Any, Callback]
    callbacks: dict[Any, Callback]
    token_callbacks: dict[str, Callback]
    table: dict[int, dict[str, tuple[bool, Any]]]

    @classmethod
    def of(
        cls, lark_callbacks: dict[Any, Callback], callbacks: dict[Any, Callback], table: dict[int, Any]
    ) -> _Prepared:
        return cls(lark_callbacks, callbacks, {k: f for k, f in callbacks.items() if isinstance(k, str)}, table)


def _reduction(rule: Rule, callbacks: Any) -> _Reduction:
    return len(rule.expansion), rule.origin.name, _or_none(callbacks[rule] if callbacks else None)


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


def _or_none(callback: Callback | None) -> Callback | None:
    return None if callback is _same else callback


def _run(
    state: ParserState[int], table: dict[int, dict[str, tuple[bool, Any]]], token_callbacks: dict[str, Any]
) -> Any:
    """Lark's ``parse_from_state``: every token fed to the LALR automaton (``token_callbacks``:
    the terminals' callbacks), the result at the end."""
    state_stack = state.state_stack
    value_stack = state.value_stack
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


#: The ``_plugins`` option of :class:`lark.Lark` that puts them in place.
PLUGINS = {"ContextualLexer": FastContextualLexer, "LALR_Parser": FastLALRParser}
