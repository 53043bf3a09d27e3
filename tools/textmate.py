"""The TextMate grammar of the costsheet language, generated from grammar/costsheet.lark.

    python tools/textmate.py generate   # rewrite the grammar files below
    python tools/textmate.py check      # exit 1 when a committed grammar file is stale

Written files (all from one build):

- ``editors/textmate/costsheet.tmLanguage.json``: the grammar, for VS Code, Shiki, GitHub's
  Linguist and other readers of the JSON form;
- ``editors/textmate/costsheet.tmLanguage``: the same grammar as a property list, for
  Sublime Text and TextMate, and ``costsheet.tmPreferences``: their comment setting;
- ``editors/vscode/syntaxes/costsheet.tmLanguage.json``: the copy inside the VS Code extension;
- ``editors/vscode/language-configuration.json``: its comments, brackets and what a word is.

Nothing in the grammar is written by hand: it is derived from the Lark grammar through
lark's own API (``Lark.rules``, ``Lark.terminals``):

- a *keyword* is a quoted word of the grammar (``"unit-cost"``), a *symbol* any other quoted
  string (``"{"``, ``".."``);
- every rule the ruleset is made of (``item``, ``price`` ...) is a *declaration*; a rule with
  braces is a *block*, and a block inside a block (``bom``, ``routing``) has its own context,
  so that each context highlights exactly the keywords the grammar allows there;
- inside a context a keyword is a *statement* keyword when a statement between the braces
  starts with it, a *value* when it is one of a rule that only lists words (``cost_group``),
  and an *option* otherwise;
- a bare word right after a keyword that the grammar lets a code follow is a code, unless it
  is one of the keywords allowed there too (``cost-base unit-cost``: a code; ``line 1120``:
  a code, not a number); a code first on a line in a block whose statements start with a
  code (``chart``, ``bom``, ``routing``) is that entry's code;
- numbers, dates and the other tokens use the grammar's own regular expressions, each where
  the grammar allows it; the string after the keyword named like the ``formula`` start rule
  is highlighted with the formula's own tokens.

Beyond the grammar, two tables of the implementation are read: the words the checker
allows where the grammar asks for a code (``costsheet.check.vocabulary``: ``fifo``, ``month``
...), highlighted as values; and the string escapes (``costsheet.syntax.transformer``).
What a named token (``NUMBER``, ``TIME`` ...) looks like in an editor is the one thing said
here (``TERMINAL_SCOPES``); a token this file does not know stops the build with a message
rather than being left uncoloured.
"""

from __future__ import annotations

import json
import plistlib
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import attrs
import lark

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "grammar" / "costsheet.lark"
TEXTMATE_JSON = ROOT / "editors" / "textmate" / "costsheet.tmLanguage.json"
TEXTMATE_PLIST = ROOT / "editors" / "textmate" / "costsheet.tmLanguage"
VSCODE_JSON = ROOT / "editors" / "vscode" / "syntaxes" / "costsheet.tmLanguage.json"
VSCODE_CONFIGURATION = ROOT / "editors" / "vscode" / "language-configuration.json"
TEXTMATE_PREFERENCES = ROOT / "editors" / "textmate" / "costsheet.tmPreferences"

__all__ = ["GRAMMAR", "ROOT", "Language", "analyse", "build", "generate", "outputs", "render", "stale"]

SCOPE = "source.costsheet"
#: the start rule of formulas; the string after the keyword of the same name is a formula
FORMULA = "formula"
#: the start rule of ruleset files
RULESET = "ruleset"

#: what each named token of the grammar looks like; None: highlighted by a rule of its own
TERMINAL_SCOPES: Mapping[str, str | None] = {
    "CODE": None,
    "STRING": None,
    "COMMENT": None,
    "NUMBER": "constant.numeric.costsheet",
    "INT": "constant.numeric.costsheet",
    "PERCENT": "constant.numeric.percent.costsheet",
    "TIME": "constant.numeric.time.costsheet",
    "RATE": "constant.numeric.rate.costsheet",
    "DATE": "constant.numeric.date.costsheet",
    "DECIMALS_RANGE": "constant.numeric.range.costsheet",
    "F_NUMBER": "constant.numeric.costsheet",
    "ROW": "variable.other.row.costsheet",
    "F_MINUS": "keyword.operator.arithmetic.costsheet",
    "MUL_OP": "keyword.operator.arithmetic.costsheet",
    "GROUP": "constant.language.cost-group.costsheet",  # the word after an element's description
}
#: symbols with a scope of their own; every other symbol is an operator
SYMBOL_SCOPES: Mapping[str, str] = {
    "{": "punctuation.section.block.begin.costsheet",
    "}": "punctuation.section.block.end.costsheet",
    "(": "punctuation.section.parens.begin.costsheet",
    ")": "punctuation.section.parens.end.costsheet",
}
OPERATOR_SCOPE = "keyword.operator.costsheet"
FORMULA_OPERATOR_SCOPE = "keyword.operator.arithmetic.costsheet"

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")


class GrammarError(Exception):
    """The Lark grammar has a shape this generator cannot highlight; the message says what."""


# ================================================================ the grammar, analysed


@attrs.frozen
class Context:
    """A stretch of text with its own keywords: the top level, a declaration, a nested block."""

    rule: str
    head: str | None  # the keyword it starts with (None: the top level)
    block: bool  # has a { ... } body
    declaration: bool  # a top-level declaration
    rules: frozenset[str]  # the rules whose symbols stand in it (nested blocks excluded)
    terminals: tuple[str, ...]  # the terminals that stand in it, in grammar order
    entries: frozenset[str]  # the terminals a statement in its braces may start with
    entry_follows: frozenset[tuple[str, ...]]  # ... and the first two terminals of one
    subject: tuple[frozenset[str], ...] | None  # keywords between head and the code it is about
    children: tuple[str, ...]  # nested contexts, in grammar order


@attrs.frozen
class Language:
    """What the Lark grammar says, in the terms the highlighter needs."""

    keywords: Mapping[str, str]  # terminal name -> word
    symbols: Mapping[str, str]  # terminal name -> text
    regexps: Mapping[str, str]  # named regex terminal -> its regular expression
    priority: Mapping[str, int]  # terminal name -> lexer priority
    order: Mapping[str, int]  # terminal name -> position in the grammar
    rules: Mapping[str, tuple[tuple[str, ...], ...]]
    first2: Mapping[str, frozenset[tuple[str, ...]]]  # symbol -> its first two terminals
    follow2: Mapping[str, frozenset[tuple[str, ...]]]  # rule -> the two terminals after it
    contexts: Mapping[str, Context]  # rule -> context; RULESET first
    formula_keyword: str
    formula_terminals: tuple[str, ...]
    values: tuple[str, ...]  # words the checker accepts where a code stands
    escapes: tuple[tuple[str, str], ...]  # (character after a backslash, what the escape stands for)

    def word(self, terminal: str) -> str:
        return self.keywords[terminal]

    def first2_of(self, symbols: Sequence[str]) -> frozenset[tuple[str, ...]]:
        """The first two terminals of a sequence (a shorter tuple: the sequence ends there)."""
        out = {()}
        for symbol in symbols:
            out = {(a + b)[:2] for a in out for b in self.first2[symbol]}
            if all(len(t) == 2 for t in out):
                break
        return frozenset(out)

    def first_of(self, symbols: Sequence[str]) -> frozenset[str]:
        """The terminals a sequence may start with."""
        return frozenset(t[0] for t in self.first2_of(symbols) if t)

    def after(self, terminal: str, rules: Iterable[str]) -> frozenset[tuple[str, ...]]:
        """The two terminals that may follow ``terminal`` where it stands in ``rules``."""
        out: set[tuple[str, ...]] = set()
        for rule in rules:
            for expansion in self.rules[rule]:
                for i, symbol in enumerate(expansion):
                    if symbol == terminal:
                        out |= _concat(self.first2_of(expansion[i + 1 :]), self.follow2[rule])
        return frozenset(out)

    def enumerations(self, rules: Iterable[str]) -> dict[str, str]:
        """keyword terminal -> the first of ``rules`` that does nothing but list words, that lists it."""
        out: dict[str, str] = {}
        wanted = set(rules)
        for rule, expansions in self.rules.items():
            if rule in wanted and all(len(e) == 1 and e[0] in self.keywords for e in expansions):
                for (symbol,) in expansions:
                    out.setdefault(symbol, rule)
        return out

    @property
    def declarations(self) -> tuple[str, ...]:
        return self.contexts[RULESET].children

    def declaration_words(self) -> list[str]:
        return [self.word(self.contexts[d].head) for d in self.declarations]


def _load(grammar_text: str) -> lark.Lark:
    return lark.Lark(grammar_text, parser="lalr", lexer="contextual", start=[RULESET, FORMULA], maybe_placeholders=True)


def analyse(grammar_text: str) -> Language:
    parser = _load(grammar_text)
    ignored = set(parser.ignore_tokens)
    keywords, symbols, regexps, priority, order = {}, {}, {}, {}, {}
    for index, terminal in enumerate(parser.terminals):
        priority[terminal.name] = terminal.priority
        order[terminal.name] = index
        pattern = terminal.pattern
        if terminal.name in ignored and terminal.name != "COMMENT":
            continue
        if isinstance(pattern, lark.lexer.PatternStr) and _WORD.fullmatch(pattern.value):
            keywords[terminal.name] = pattern.value
        elif isinstance(pattern, lark.lexer.PatternStr):
            symbols[terminal.name] = pattern.value
        elif terminal.name in TERMINAL_SCOPES:
            regexps[terminal.name] = pattern.to_regexp()
        else:
            raise GrammarError(
                f"the grammar has a token {terminal.name} ({pattern.to_regexp()}) that tools/textmate.py "
                f"does not know: add its scope to TERMINAL_SCOPES"
            )
    rules: dict[str, list[tuple[str, ...]]] = {}
    for rule in parser.rules:
        rules.setdefault(rule.origin.name, []).append(tuple(s.name for s in rule.expansion))
    frozen_rules = {name: tuple(expansions) for name, expansions in rules.items()}
    _check_word_boundaries(regexps["CODE"])
    first2, follow2 = _first_follow2(frozen_rules, set(order), parser.options.start)
    partial = Language(
        keywords=keywords,
        symbols=symbols,
        regexps=regexps,
        priority=priority,
        order=order,
        rules=frozen_rules,
        first2=first2,
        follow2=follow2,
        contexts={},
        formula_keyword="",
        formula_terminals=(),
        values=(),
        escapes=(),
    )
    contexts = _contexts(partial)
    formula_keyword = next((t for t, w in keywords.items() if w == FORMULA), None)
    if formula_keyword is None:
        raise GrammarError(f"no keyword {FORMULA!r} introduces formulas any more: update tools/textmate.py")
    formula_rules = _closure(partial, [FORMULA], stop=frozenset())
    formula_terminals = _terminals_of(partial, formula_rules)
    return attrs.evolve(
        partial,
        contexts=contexts,
        formula_keyword=formula_keyword,
        formula_terminals=formula_terminals,
        values=_value_words(regexps["CODE"]),
        escapes=_escapes(),
    )


def _concat(left: Iterable[tuple[str, ...]], right: Iterable[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    right = tuple(right)
    return frozenset((a + b)[:2] for a in left for b in (right if len(a) < 2 else ((),)))


def _first_follow2(rules, terminals, starts):
    """FIRST and FOLLOW sets of two terminals (LL(2)), by fixpoint."""
    first: dict[str, set[tuple[str, ...]]] = {t: {(t,)} for t in terminals}
    first.update({r: set() for r in rules})

    def of(symbols):
        out = {()}
        for symbol in symbols:
            out = set(_concat(out, first[symbol]))
        return out

    changed = True
    while changed:
        changed = False
        for rule, expansions in rules.items():
            for expansion in expansions:
                new = of(expansion) - first[rule]
                if new:
                    first[rule] |= new
                    changed = True
    follow: dict[str, set[tuple[str, ...]]] = {r: set() for r in rules}
    for start in starts:
        follow[start].add(())
    changed = True
    while changed:
        changed = False
        for rule, expansions in rules.items():
            for expansion in expansions:
                for i, symbol in enumerate(expansion):
                    if symbol in rules:
                        new = set(_concat(of(expansion[i + 1 :]), follow[rule])) - follow[symbol]
                        if new:
                            follow[symbol] |= new
                            changed = True
    return ({k: frozenset(v) for k, v in first.items()}, {k: frozenset(v) for k, v in follow.items()})


def _is_block(language: Language, rule: str) -> bool:
    return any("LBRACE" in e for e in language.rules[rule])


def _is_transparent(rule: str) -> bool:
    """Rules Lark inlines: ``_name`` and its own ``__name_star_N`` helpers."""
    return rule.startswith("_")


def _closure(language: Language, start: Iterable[str], stop: frozenset[str]) -> frozenset[str]:
    """The rules reachable from ``start`` without entering the rules in ``stop``."""
    seen: set[str] = set()
    todo = [s for s in start if s in language.rules]
    while todo:
        rule = todo.pop()
        if rule in seen or rule in stop:
            continue
        seen.add(rule)
        todo.extend(s for e in language.rules[rule] for s in e if s in language.rules)
    return frozenset(seen)


def _terminals_of(language: Language, rules: Iterable[str]) -> tuple[str, ...]:
    found = {s for r in rules for e in language.rules[r] for s in e if s not in language.rules}
    return tuple(sorted(found, key=language.order.__getitem__))


def _items(language: Language, symbols: Iterable[str]) -> list[str]:
    """The named rules and terminals a sequence of symbols stands for, through inlined rules."""
    out: list[str] = []
    todo = list(symbols)
    seen: set[str] = set()
    while todo:
        symbol = todo.pop(0)
        if symbol in seen:
            continue
        seen.add(symbol)
        if symbol in language.rules and _is_transparent(symbol):
            todo.extend(s for e in language.rules[symbol] for s in e)
        else:
            out.append(symbol)
    return out


def _head(language: Language, rule: str) -> str:
    first = language.first_of([rule])
    if len(first) != 1 or not first <= language.keywords.keys():
        words = ", ".join(sorted(first))
        raise GrammarError(f"rule {rule} must start with one keyword to be highlighted, not with {words}")
    return next(iter(first))


def _subject(language: Language, rule: str) -> tuple[frozenset[str], ...] | None:
    """The keyword sets between a declaration's keyword and its code, or None if it names none."""
    prefixes = set()
    for expansion in language.rules[rule]:
        prefix = []
        for symbol in expansion[1:]:
            if symbol in ("CODE", "STRING"):
                break
            words = language.first_of([symbol])
            if not words <= language.keywords.keys() or () in language.first2[symbol]:
                return None
            prefix.append(words)
        else:
            return None
        prefixes.add(tuple(prefix))
    if len(prefixes) != 1:
        return None
    return next(iter(prefixes))


def _contexts(language: Language) -> dict[str, Context]:
    blocks = frozenset(r for r in language.rules if _is_block(language, r))
    declarations = [s for s in _items(language, [e for x in language.rules[RULESET] for e in x]) if s in language.rules]
    out: dict[str, Context] = {}
    top_rules = _closure(language, [RULESET], stop=frozenset(declarations))
    out[RULESET] = Context(
        rule=RULESET,
        head=None,
        block=False,
        declaration=False,
        rules=top_rules,
        terminals=(),
        entries=frozenset(),
        entry_follows=frozenset(),
        subject=None,
        children=tuple(declarations),
    )
    todo = [(d, True) for d in declarations]
    while todo:
        rule, declaration = todo.pop(0)
        if rule in out:
            continue
        head = _head(language, rule)
        nested = blocks - {rule}
        rules = _closure(language, [rule], stop=nested)
        children = tuple(
            dict.fromkeys(
                s
                for r in sorted(rules, key=list(language.rules).index)
                for e in language.rules[r]
                for s in e
                if s in nested
            )
        )
        body = [
            e[e.index("LBRACE") + 1 : len(e) - 1 - e[::-1].index("RBRACE")]
            for e in language.rules[rule]
            if "LBRACE" in e
        ]
        entry_follows = frozenset().union(*(language.first2_of((*b, "RBRACE")) for b in body))
        entries = frozenset(t[0] for t in entry_follows) - {"RBRACE"}
        terminals = tuple(t for t in _terminals_of(language, rules) if t != head)
        out[rule] = Context(
            rule=rule,
            head=head,
            block=bool(body),
            declaration=declaration,
            rules=rules,
            terminals=terminals,
            entries=entries,
            entry_follows=entry_follows,
            subject=_subject(language, rule) if declaration else None,
            children=children,
        )
        todo.extend((c, False) for c in children)
    return out


def _import_costsheet() -> None:
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)


def _value_words(code_regexp: str) -> tuple[str, ...]:
    """The words the checker accepts where the grammar takes a code, that can be written bare."""
    _import_costsheet()
    from costsheet.check import vocabulary

    words: set[str] = set()
    for name in vocabulary.__all__:
        value = getattr(vocabulary, name)
        if isinstance(value, tuple):  # COSTING_METHODS = ("fifo", ...)
            words.update(w for w in value if isinstance(w, str))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(item, tuple):  # setting -> its words
                    words.update(w for w in item if isinstance(w, str))
                elif isinstance(key, str) and isinstance(item, (bool, int, str)):
                    words.add(key)  # word -> what it takes
    bare = re.compile(code_regexp)
    return tuple(sorted((w for w in words if bare.fullmatch(w)), key=lambda w: (-len(w), w)))


def _escapes() -> tuple[tuple[str, str], ...]:
    _import_costsheet()
    from costsheet.syntax import transformer

    return tuple(sorted(transformer._ESCAPES.items()))


# ================================================================ the TextMate grammar

#: not a character of a code: where a word may start, and where it ends
_BEFORE_WORD = r"(?<![A-Za-z0-9_\-/])"
_BEFORE_NUMBER = r"(?<![A-Za-z0-9_\-/.])"
_AFTER_WORD = r"(?![A-Za-z0-9_\-/]|\.(?!\.))"


def _check_word_boundaries(code_regexp: str) -> None:
    """The boundaries above are written for the grammar's CODE; stop if CODE changed."""
    code = re.compile(code_regexp)
    for char in map(chr, range(32, 127)):
        continues = bool(code.fullmatch("A" + char + "A"))
        if continues == bool(re.match(_AFTER_WORD, char + "A")) or (continues and char != ".") == bool(
            re.match(".." + _BEFORE_WORD, "A" + char)
        ):
            raise GrammarError(
                f"the grammar's CODE changed how {char!r} continues a code: "
                "update _BEFORE_WORD and _AFTER_WORD in tools/textmate.py"
            )


def _alternatives(words: Iterable[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace("\\-", "-") for w in ordered) + ")"


def _word(words: Iterable[str]) -> str:
    return _BEFORE_WORD + _alternatives(words) + _AFTER_WORD


@attrs.frozen
class _Scopes:
    """The scope of each keyword in one context."""

    language: Language
    context: Context
    enumerations: Mapping[str, str]

    @classmethod
    def of(cls, language: Language, context: Context) -> _Scopes:
        return cls(language, context, language.enumerations(context.rules))

    def keyword(self, terminal: str) -> str:
        """Statement keywords start a statement in braces; values are listed by a rule of words only."""
        if terminal in self.context.entries:
            return "keyword.other.statement.costsheet"
        rule = self.enumerations.get(terminal)
        if rule is not None:
            return f"constant.language.{rule.replace('_', '-')}.costsheet"
        return "keyword.other.option.costsheet"

    def keywords(self) -> list[str]:
        return [t for t in self.context.terminals if t in self.language.keywords]


def build(grammar_text: str) -> dict:
    """The TextMate grammar (a JSON-ready dict) of a Lark grammar text."""
    language = analyse(grammar_text)
    repository: dict[str, dict] = {
        "comment": {
            "match": r"(#).*$",
            "name": "comment.line.number-sign.costsheet",
            "captures": {"1": {"name": "punctuation.definition.comment.costsheet"}},
        },
        "string": {
            "begin": '"',
            "beginCaptures": {"0": {"name": "punctuation.definition.string.begin.costsheet"}},
            "end": '(")|$',
            "endCaptures": {"1": {"name": "punctuation.definition.string.end.costsheet"}},
            "name": "string.quoted.double.costsheet",
            "patterns": [
                {
                    "match": "\\\\[" + "".join(re.escape(e) for e, _ in language.escapes) + "]",
                    "name": "constant.character.escape.costsheet",
                },
                {"match": r"\\."},
            ],
        },
        "formula-content": {"patterns": list(_formula_patterns(language))},
        "code": {
            "patterns": [
                {"match": _word(language.values), "name": "constant.language.value.costsheet"},
                {"match": _BEFORE_WORD + language.regexps["CODE"], "name": "variable.other.code.costsheet"},
            ]
        },
        "invalid": {"match": r"\S", "name": "invalid.illegal.character.costsheet"},
    }
    top = language.contexts[RULESET]
    for context in language.contexts.values():
        if context.head is not None:
            repository.update(_context_rules(language, context))
    return {
        "name": "costsheet",
        "scopeName": SCOPE,
        "fileTypes": ["cost"],
        "comment": "Generated by tools/textmate.py from grammar/costsheet.lark: do not edit; "
        "run `python tools/textmate.py generate`.",
        "patterns": [
            {"include": "#comment"},
            *({"include": f"#{d}"} for d in top.children),
            {"include": "#string"},
            {"include": "#code"},
            {"include": "#invalid"},
        ],
        "repository": repository,
    }


def _formula_patterns(language: Language) -> Iterator[dict]:
    # a formula is read after its string's escapes: those that stand for white space are fine
    spaces = "".join(re.escape(e) for e, char in language.escapes if char.isspace())
    yield {"match": f"\\\\[{spaces}]", "name": "constant.character.escape.costsheet"}
    yield {"match": r"\\.", "name": "invalid.illegal.character.costsheet"}
    terminals = sorted(language.formula_terminals, key=lambda t: (-language.priority[t], language.order[t]))
    for terminal in terminals:
        if terminal in language.symbols:
            text = language.symbols[terminal]
            yield {"match": re.escape(text), "name": SYMBOL_SCOPES.get(text, FORMULA_OPERATOR_SCOPE)}
        else:
            yield {"match": language.regexps[terminal], "name": _terminal_scope(terminal)}
    yield {"include": "#invalid"}


def _terminal_scope(terminal: str) -> str:
    scope = TERMINAL_SCOPES.get(terminal)
    if scope is None:
        raise GrammarError(f"token {terminal} has no scope in TERMINAL_SCOPES")
    return scope


VALUE_SCOPE = "constant.language.value.costsheet"
CODE_SCOPE = "variable.other.code.costsheet"
STRING_SCOPE = "string.quoted.double.costsheet"


def _token_scope(terminal: str) -> str:
    return STRING_SCOPE if terminal == "STRING" else _terminal_scope(terminal)


def _code_slot(language: Language, allowed: Iterable[str], values: bool = True) -> str:
    """A bare code where the terminals ``allowed`` may stand: not one of the keywords allowed
    there, nor a number or date that may stand there (Lark prefers those); with ``values``, a
    value word (one group) or else a code (the next group)."""
    allowed = sorted(set(allowed), key=language.order.__getitem__)
    words = [language.word(t) for t in allowed if t in language.keywords]
    unless = f"(?!{_alternatives(words)}{_AFTER_WORD})" if words else ""
    unless += "".join(
        f"(?!{language.regexps[t]})" for t in allowed if t in language.regexps and t not in ("CODE", "STRING")
    )
    code = f"({language.regexps['CODE']})"
    if not values:
        return unless + code
    return unless + f"(?:({_alternatives(language.values)}){_AFTER_WORD}|{code})"


def _code_runs(
    language: Language,
    follows: Iterable[tuple[str, ...]],
    scope: str,
) -> Iterator[tuple[str, list[str]]]:
    """How codes may follow a place, given the two terminals that may follow it: a code (then
    maybe a second one: ``rounding NICKEL up``), or a token and a code (``2026-01-05 purchase``).
    Each as a regular expression and the scopes of its groups.  A code right at the place gets
    ``scope`` (and is read as a value word only if ``scope`` is that of a plain code)."""
    follows = set(follows)
    values = scope == CODE_SCOPE
    first_scopes = [VALUE_SCOPE, scope] if values else [scope]
    first = {t[0] for t in follows if t}

    def then(token: str) -> set[str]:
        return {t[1] for t in follows if len(t) == 2 and t[0] == token}

    if "CODE" in first:
        regex, scopes = _code_slot(language, first, values), list(first_scopes)
        if "CODE" in then("CODE"):
            regex += r"(?:\s+" + _code_slot(language, then("CODE")) + ")?"
            scopes += [VALUE_SCOPE, CODE_SCOPE]
        yield regex, scopes
    for token in sorted(first, key=language.order.__getitem__):
        if token != "CODE" and token in language.regexps and "CODE" in then(token):
            yield (
                f"({language.regexps[token]})\\s+" + _code_slot(language, then(token)),
                [_token_scope(token), VALUE_SCOPE, CODE_SCOPE],
            )


def _captures(scopes: Sequence[str], start: int = 1) -> dict[str, dict[str, str]]:
    return {str(i): {"name": scope} for i, scope in enumerate(scopes, start=start)}


def _context_rules(language: Language, context: Context) -> dict[str, dict]:
    """The repository entries of one declaration or nested block."""
    name = context.rule
    head = language.word(context.head)
    declarations = _alternatives(language.declaration_words())
    at_next_declaration = f"(?=^{declarations}{_AFTER_WORD})"
    scopes = _Scopes.of(language, context)
    begin = _BEFORE_WORD + "(" + _escape(head) + ")" + _AFTER_WORD
    groups = [f"storage.type.{head}.costsheet" if context.declaration else "keyword.other.statement.costsheet"]
    if context.subject is not None:
        last = {context.head}
        for words in context.subject:
            begin += rf"(?:\s+({_alternatives(language.word(w) for w in words)}){_AFTER_WORD})?"
            groups.append(scopes.keyword(min(words)))
            last = words
        follows = frozenset().union(*(language.after(t, context.rules) for t in last))
        runs = list(_code_runs(language, follows, f"entity.name.type.{head}.costsheet"))
        if runs:
            begin += r"(?:\s+(?:" + "|".join(regex for regex, _ in runs) + "))?"
            groups += [scope for _, run_scopes in runs for scope in run_scopes]
    patterns = f"{name}-patterns"
    rules: dict[str, dict] = {
        name: {
            "begin": begin,
            "beginCaptures": _captures(groups),
            "end": (r"(?<=\})|" if context.block else "") + at_next_declaration,
            "name": f"meta.{'declaration' if context.declaration else 'block'}.{head}.costsheet",
            "patterns": ([{"include": f"#{name}-body"}] if context.block else []) + [{"include": f"#{patterns}"}],
        },
        patterns: {"patterns": list(_patterns(language, context, scopes))},
    }
    if context.block:
        rules[f"{name}-body"] = {
            "begin": r"\{",
            "beginCaptures": {"0": {"name": SYMBOL_SCOPES["{"]}},
            "end": r"\}|" + at_next_declaration,
            "endCaptures": {"0": {"name": SYMBOL_SCOPES["}"]}},
            "patterns": [*_entry_patterns(language, context), {"include": f"#{patterns}"}],
        }
    return rules


def _escape(text: str) -> str:
    return re.escape(text).replace("\\-", "-")


def _patterns(language: Language, context: Context, scopes: _Scopes) -> Iterator[dict]:
    """What may stand in a context, the more specific first."""
    yield {"include": "#comment"}
    keywords = scopes.keywords()
    if language.formula_keyword in keywords:
        yield {
            "begin": _BEFORE_WORD + f"({FORMULA}){_AFTER_WORD}" + r'\s*(")',
            "beginCaptures": {
                "1": {"name": scopes.keyword(language.formula_keyword)},
                "2": {"name": f"{STRING_SCOPE} punctuation.definition.string.begin.costsheet"},
            },
            "end": '(")|$',
            "endCaptures": {"1": {"name": f"{STRING_SCOPE} punctuation.definition.string.end.costsheet"}},
            "contentName": "meta.embedded.line.formula.costsheet",
            "patterns": [{"include": "#formula-content"}],
        }
    yield {"include": "#string"}
    for child in context.children:
        yield {"include": f"#{child}"}
    symbols = [t for t in context.terminals if t in language.symbols and language.symbols[t] not in "{}"]
    for terminal in (*keywords, *symbols):
        if terminal in language.keywords:
            anchor = f"{_BEFORE_WORD}({_escape(language.word(terminal))}){_AFTER_WORD}\\s+"
            scope = scopes.keyword(terminal)
        else:
            text = language.symbols[terminal]
            anchor = f"({re.escape(text)})\\s*"
            scope = SYMBOL_SCOPES.get(text, OPERATOR_SCOPE)
        for regex, run_scopes in _code_runs(language, language.after(terminal, context.rules), CODE_SCOPE):
            yield {"match": anchor + regex, "captures": _captures([scope, *run_scopes])}
    by_scope: dict[str, list[str]] = {}
    for terminal in keywords:
        by_scope.setdefault(scopes.keyword(terminal), []).append(language.word(terminal))
    for scope, words in by_scope.items():
        yield {"match": _word(words), "name": scope}
    for terminal in symbols:
        text = language.symbols[terminal]
        yield {"match": re.escape(text), "name": SYMBOL_SCOPES.get(text, OPERATOR_SCOPE)}
    numbers = [t for t in context.terminals if TERMINAL_SCOPES.get(t) and t in language.regexps]
    for terminal in sorted(numbers, key=lambda t: (-language.priority[t], language.order[t])):
        yield {"match": _BEFORE_NUMBER + language.regexps[terminal], "name": _terminal_scope(terminal)}
    yield {"include": "#code"}
    yield {"include": "#invalid"}


def _entry_patterns(language: Language, context: Context) -> Iterator[dict]:
    """The code an entry of a block like chart, bom or routing starts with, first on its line
    (or after the brace), and a code after the entry's first token."""
    head = language.word(context.head)
    scope = f"entity.name.type.{head}.costsheet" if context.declaration else f"variable.other.code.{head}.costsheet"
    for regex, run_scopes in _code_runs(language, context.entry_follows, scope):
        yield {"match": r"(?:^|(?<=\{))\s*" + regex, "captures": _captures(run_scopes)}


# ================================================================ files


def render(grammar: dict) -> dict[str, bytes]:
    """The file contents of one grammar, by kind: json, plist."""
    text = json.dumps(grammar, indent=2, ensure_ascii=False) + "\n"
    return {"json": text.encode("utf-8"), "plist": plistlib.dumps(grammar, sort_keys=False)}


#: what starts a comment (the grammar's COMMENT token runs from it to the end of the line)
LINE_COMMENT = "#"


def language_configuration(language: Language) -> dict:
    """VS Code's language configuration: comments, brackets, quotes, indentation, words."""
    comment = re.compile(language.regexps["COMMENT"])
    if not comment.fullmatch(LINE_COMMENT + " any text") or comment.fullmatch("x" + LINE_COMMENT):
        raise GrammarError(f"comments no longer start with {LINE_COMMENT!r}: update LINE_COMMENT")
    texts = set(language.symbols.values())
    brackets = [[open_, close] for open_, close in (("{", "}"), ("(", ")")) if {open_, close} <= texts]
    js_comment = "".join("\\" + c if c in r".*+?^$()[]{}|\/" else c for c in LINE_COMMENT)
    block_start, block_end = r"\{\s*(" + js_comment + ".*)?$", r"^\s*\}"
    return {
        "comment": "Generated by tools/textmate.py from grammar/costsheet.lark: do not edit.",
        "comments": {"lineComment": LINE_COMMENT},
        "brackets": brackets,
        "autoClosingPairs": [{"open": o, "close": c} for o, c in brackets]
        + [{"open": '"', "close": '"', "notIn": ["string", "comment"]}],
        "surroundingPairs": [*brackets, ['"', '"']],
        "folding": {"markers": {"start": block_start, "end": block_end}},
        "indentationRules": {"increaseIndentPattern": block_start, "decreaseIndentPattern": block_end},
        "wordPattern": language.regexps["CODE"],
    }


def preferences() -> dict:
    """Sublime Text's and TextMate's settings for the scope: what toggling a comment writes."""
    return {
        "name": "costsheet comments",
        "scope": SCOPE,
        "settings": {"shellVariables": [{"name": "TM_COMMENT_START", "value": LINE_COMMENT + " "}]},
    }


def outputs(grammar_text: str | None = None) -> dict[Path, bytes]:
    """Every generated file and its content."""
    text = grammar_text if grammar_text is not None else GRAMMAR.read_text(encoding="utf-8")
    files = render(build(text))
    configuration = json.dumps(language_configuration(analyse(text)), indent=2) + "\n"
    return {
        TEXTMATE_JSON: files["json"],
        TEXTMATE_PLIST: files["plist"],
        VSCODE_JSON: files["json"],
        VSCODE_CONFIGURATION: configuration.encode("utf-8"),
        TEXTMATE_PREFERENCES: plistlib.dumps(preferences(), sort_keys=False),
    }


def generate() -> list[Path]:
    written = []
    for path, content in outputs().items():
        if not path.is_file() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
    return written


def stale(files: Mapping[Path, bytes] | None = None) -> list[Path]:
    """The generated files whose committed content differs from a fresh build."""
    files = outputs() if files is None else files
    return [path for path, content in files.items() if not path.is_file() or path.read_bytes() != content]


def main(argv: list[str]) -> int:
    if argv == ["generate"]:
        for path in generate():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    if argv == ["check"]:
        old = stale()
        for path in old:
            print(f"{path.relative_to(ROOT)} is stale: run `python tools/textmate.py generate`", file=sys.stderr)
        return 1 if old else 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except GrammarError as error:
        print(f"tools/textmate.py: {error}", file=sys.stderr)
        sys.exit(1)
