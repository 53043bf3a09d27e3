"""The parser facade: text → syntax nodes and diagnostics.

``parse(text, file)`` parses a whole ruleset file; ``parse_formula(text, …)``
parses one formula with the grammar's second start rule.  Both return
``(node or None, diagnostics)`` and never raise for bad input.

Syntax errors are reported in the language's words ("expected a number after
unit-cost, found the code 'abc'"), and parsing resumes at the next line that
starts a top-level declaration, so one run reports every broken declaration.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import itertools
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import attrs
import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..diagnostics import Diagnostic, Span, shortened
from ..gcpause import paused_gc
from ..resources import resource_text
from . import nodes as n
from .fastlark import PLUGINS as LARK_PLUGINS
from .formula_reader import read_formula
from .transformer import AstBuilder, Children

try:
    import fcntl
except ImportError:  # not POSIX: no lock (Lark still checks the hash inside its file)
    fcntl = None  # type: ignore[assignment]  # the module, or None where there is none

__all__ = [
    "parse",
    "parse_formula",
    "BYTE_ORDER_MARK",
    "MAX_FORMULA_DEPTH",
    "MAX_FORMULA_LENGTH",
    "MAX_SYNTAX_ERRORS",
    "formula_depth",
    "expected_after",
    "parse_tolerant",
    "declaration_pieces",
    "parse_piece",
]

#: Formulas nested deeper than this are refused (recursive evaluation would fail).
MAX_FORMULA_DEPTH = 200
#: Formulas longer than this (in characters) are refused: parsing and checking
#: stay fast, and it is the service's default limit too.
MAX_FORMULA_LENGTH = 2_000
#: A UTF-8 byte-order mark some editors write at the start of a file; skipped.
BYTE_ORDER_MARK = "\ufeff"
#: After this many syntax errors in one file the parser stops looking for more.
MAX_SYNTAX_ERRORS = 50

_TOP_LEVEL = re.compile(
    r"^(?:setup|chart|rounding|condition|item|workcenter|machinecenter|vendor|price|discount|"
    r"ledger|accounting-periods|include|standard-cost|exchange-rate|scenario|simulation|"
    r"list-price|unit-price|sales-price)(?![A-Za-z0-9_\-./])",
    re.MULTILINE,
)

_current_file: contextvars.ContextVar[str] = contextvars.ContextVar("costsheet_parse_file", default="<text>")


class _FileAwareBuilder(AstBuilder):
    """The transformer bound into the cached parser; reads the file name of the parse in progress."""

    @property
    def file(self) -> str:
        return _current_file.get()

    @file.setter
    def file(self, value: str) -> None:  # AstBuilder.__init__ assigns it; the context decides
        pass

    _file = staticmethod(_current_file.get)  # what ``file`` reads, without a Python call per span

    def value_formula(self, children: Children) -> n.LineValue:
        """``formula "..."``: the formula parsed here, once, with spans in the file (the text
        starts after the opening quote); a formula that does not parse keeps its diagnostics."""
        value = super().value_formula(children)
        span = value.span
        assert isinstance(value.value, str) and span is not None, "a formula is a positioned text"
        formula, diagnostics = parse_formula(value.value, span.file, span.line, span.column + 1)
        return attrs.evolve(value, formula=formula, formula_diagnostics=diagnostics)


class _AlwaysCode:
    """Lets the lexer read a bare word as a code in every state, so a misspelt
    keyword is reported as "unexpected code 'unit-cots'" rather than as a
    stray character."""

    always_accept = ("CODE",)

    def process(self, stream: Iterator[lark.Token]) -> Iterator[lark.Token]:
        return stream


@functools.cache
def _parser(start: str) -> lark.Lark:
    """The parser of a start rule, ``"ruleset"`` or ``"formula"``, built (or loaded) on first use:
    the formula parser words the errors of the formulas the reader refuses, so a ruleset whose
    formulas are all good never loads it."""
    options: dict[str, object] = dict(
        parser="lalr",
        lexer="contextual",
        maybe_placeholders=True,
        transformer=_FileAwareBuilder(),
        _plugins=LARK_PLUGINS,  # a faster lexer and parser loop, the same results (syntax/fastlark.py)
    )
    if start == "ruleset":
        options["postlex"] = _AlwaysCode()
    return cached_parser(resource_text("grammar/costsheet.lark"), start, **options)


def cache_directory() -> Path | None:
    """Where built parsers are kept between runs (docs/language.md, "Start-up"), or None.

    ``$COSTSHEET_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/costsheet``,
    else ``~/.cache/costsheet``; created readable by its owner only, and used only
    when it is a folder of this user's (never the shared temporary folder)."""
    configured = os.environ.get("COSTSHEET_CACHE_DIR")
    if configured is not None:
        if not configured:
            return None
        directory = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        directory = Path(base) / "costsheet"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = directory.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(status.st_mode) or (hasattr(os, "getuid") and status.st_uid != os.getuid()):
        return None
    return directory


def cached_parser(grammar: str, start: str, **options: object) -> lark.Lark:
    """A Lark LALR parser for ``start``, loaded from the cache when it was built before.

    Building the two parsers was three quarters of a cold ``costsheet check``.  The
    file name holds a hash of the grammar, the start rule, Lark's and Python's
    versions, and Lark checks its own hash of grammar and options inside the file,
    so a stale or foreign file is never used.  Reading and writing a cache file
    happen under an exclusive lock on a lock file beside it, so no process reads a
    file another is writing; a file that cannot be read is rebuilt, and when the
    folder cannot be written no file is kept (silently)."""
    directory = cache_directory()
    if directory is None:
        return lark.Lark(grammar, start=start, **options)
    key = hashlib.sha256("\0".join((grammar, start, lark.__version__, sys.version)).encode()).hexdigest()[:32]
    path = directory / f"parser-{start}-{key}.lark"
    try:
        lock = open(directory / f"{path.name}.lock", "a")  # noqa: SIM115 - held for the whole build
    except OSError:
        return lark.Lark(grammar, start=start, **options)
    with lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        return lark.Lark(grammar, start=start, cache=str(path), **options)


# ---------------------------------------------------------------- rulesets


def parse(text: str, file: str = "<text>") -> tuple[n.SourceFile | None, tuple[Diagnostic, ...]]:
    """Parse one ruleset file.  On syntax errors the SourceFile is None.

    A byte-order mark at the start is skipped (columns of the first line are
    counted after it, as editors show them)."""
    if text.startswith(BYTE_ORDER_MARK):
        text = text[1:]
    ruleset_parser = _parser("ruleset")
    token = _current_file.set(file)
    try:
        with paused_gc():  # halves the time of large parses; nothing cyclic is built here
            try:
                # the transformer is built into the parser: the parse is its SourceFile, not a Tree
                tree = cast(n.SourceFile, ruleset_parser.parse(text))
            except UnexpectedInput:
                return None, tuple(_syntax_errors(ruleset_parser, text, file))
            comments = tuple(comments_of(text, file))
            return attrs.evolve(tree, comments=comments), ()
    finally:
        _current_file.reset(token)


def _syntax_errors(parser: lark.Lark, text: str, file: str) -> Iterator[Diagnostic]:
    """Every syntax error, resuming at the next top-level declaration after each."""
    blanked = text
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            parser.parse(blanked)
            return
        except UnexpectedInput as error:
            yield _describe(error, text, file, "ruleset", parser)
            offset = _error_offset(error, text)
            resume = _TOP_LEVEL.search(text, _next_line(text, offset))
            if resume is None:
                return
            blanked = re.sub(r"[^\n]", " ", text[: resume.start()]) + text[resume.start() :]


def _next_line(text: str, offset: int) -> int:
    newline = text.find("\n", offset)
    return len(text) if newline < 0 else newline + 1


def _error_offset(error: UnexpectedInput, text: str) -> int:
    if isinstance(error, UnexpectedEOF):
        return len(text)
    pos = getattr(error, "pos_in_stream", None)
    if pos is None and isinstance(error, UnexpectedToken):
        pos = error.token.start_pos
    return pos or 0


def comments_of(text: str, file: str) -> Iterator[n.Comment]:
    """``# ...`` comments outside strings, for ``costsheet fmt``."""
    if "#" not in text:
        return
    # lines as Lark counts them: only "\n" ends a line (str.splitlines would also
    # split at "\r", "\x0c", "\u2028" ... and shift every later comment)
    for number, line in enumerate(text.split("\n"), start=1):
        if "#" not in line:
            continue
        line = line.rstrip("\r")
        in_string = escaped = False
        for index, ch in enumerate(line):
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "#":
                yield n.Comment(line[index:], span=Span(file, number, index + 1, number, len(line) + 1))
                break


def parse_tolerant(text: str, file: str = "<text>") -> n.SourceFile:
    """The declarations of ``text`` that parse, each on its own: a file with syntax errors
    still has an outline in an editor.  The text is cut where a line starts a top-level
    declaration; each piece is parsed after as many newlines as lines before it, so that its
    spans are the file's."""
    tree, _ = parse(text, file)
    if tree is not None:
        return tree
    text = text.removeprefix(BYTE_ORDER_MARK)
    declarations: list[n.Declaration] = []
    comments: list[n.Comment] = []
    for line, piece in declaration_pieces(text):
        tree, _ = parse_piece(piece, file, line)
        if tree is not None:
            declarations.extend(tree.declarations)
            comments.extend(tree.comments)
    return n.SourceFile(tuple(declarations), file=file, comments=tuple(comments))


def declaration_pieces(text: str) -> list[tuple[int, str]]:
    """``text`` cut before every line that starts a top-level declaration: ``(first line, piece)``
    pairs (the first piece is what comes before the first declaration, when anything does).
    When every piece parses on its own (:func:`parse_piece`), their declarations are the file's."""
    starts = [match.start() for match in _TOP_LEVEL.finditer(text)]
    bounds = [0, *(start for start in starts if start), len(text)]
    pieces, line = [], 1
    for start, end in itertools.pairwise(bounds):
        pieces.append((line, text[start:end]))
        line += text.count("\n", start, end)
    return pieces


def parse_piece(piece: str, file: str, line: int) -> tuple[n.SourceFile | None, tuple[Diagnostic, ...]]:
    """:func:`parse` of a piece of a file that starts at ``line``: spans are the file's (the
    piece is parsed after as many newlines as lines before it)."""
    return parse("\n" * (line - 1) + piece, file)


def expected_after(text: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """What the grammar accepts after ``text`` (a file's text up to a cursor), from the parse
    table through Lark's interactive parser: ``(keywords, other terminals)``, e.g.
    ``({"bom", "unit-cost", "}", ...}, {"CODE", "STRING"})``, read from the last line that starts a
    top-level declaration (so an error further up does not matter); None when that declaration
    does not parse up to the end of ``text``."""
    starts = [match.start() for match in _TOP_LEVEL.finditer(text)]
    text = text[starts[-1] :] if starts else text  # from the declaration the cursor is in
    ruleset_parser = _parser("ruleset")
    try:
        interactive = ruleset_parser.parse_interactive(text)
        interactive.exhaust_lexer()
        choices = interactive.choices()  # type: ignore[no-untyped-call]  # lark leaves choices() unannotated
    except UnexpectedInput:
        return None
    literals = {t.name: t.pattern.value for t in ruleset_parser.terminals if t.pattern.type == "str"}
    names = {name for name in choices if name == name.upper()}
    keywords = frozenset(literals[name] for name in names if name in literals)
    return keywords, frozenset(name for name in names if name not in literals)


# ---------------------------------------------------------------- formulas


def parse_formula(
    text: str, file: str = "<formula>", line: int = 1, column: int = 1
) -> tuple[n.Formula | None, tuple[Diagnostic, ...]]:
    """Parse one formula.  ``line``/``column`` say where its text starts in
    ``file`` (inside the quotes), so that spans point into the ruleset."""
    tree, diagnostics = _parse_formula_text(text, file)
    if (line, column) == (1, 1):
        return tree, diagnostics
    return (
        None if tree is None else _shift(tree, line, column),
        tuple(_shift_diagnostic(d, line, column) for d in diagnostics),
    )


#: Formula texts parsed lately, kept: charge conditions repeat their formulas, and a ruleset's
#: formulas are parsed in the syntax stage (benchmarks/bench_parse.py); a bounded, thread-safe
#: cache of immutable trees, so sharing them is safe.
_FORMULA_CACHE_SIZE = 1024


@functools.lru_cache(maxsize=_FORMULA_CACHE_SIZE)
def _parse_formula_text(text: str, file: str) -> tuple[n.Formula | None, tuple[Diagnostic, ...]]:
    """:func:`parse_formula` with spans relative to the text (line 1, column 1).

    The hand-written reader (:mod:`.formula_reader`) reads every formula Lark accepts, to
    the same tree; Lark parses only the texts it refuses, so that it words the diagnostic."""
    depth = _parenthesis_depth(text)  # (((...))) adds no node, but is nesting all the same
    if depth > MAX_FORMULA_DEPTH:
        return None, (_too_deep(depth, text, file, 1, 1),)
    if len(text) > MAX_FORMULA_LENGTH:
        return None, (_too_long(text, file, 1, 1),)
    tree = read_formula(text, file)  # the fast path: the same tree, or None where Lark words an error
    if tree is None:
        tree, diagnostics = lark_formula(text, file)
        if tree is None:
            return None, diagnostics
    # a node takes at least one character, so a text of MAX_FORMULA_DEPTH characters is never too deep
    depth = formula_depth(tree) if len(text) > MAX_FORMULA_DEPTH else 0
    if depth > MAX_FORMULA_DEPTH:
        return None, (_too_deep(depth, text, file, 1, 1),)
    return tree, ()


def lark_formula(text: str, file: str) -> tuple[n.Formula | None, tuple[Diagnostic, ...]]:
    """The formula ``text`` parsed by Lark (spans relative to the text), or its syntax error:
    the slow path of :func:`parse_formula`, and what the tests hold the fast one to."""
    formula_parser = _parser("formula")
    token = _current_file.set(file)
    try:
        # the transformer is built into the parser: the parse is its formula, not a Tree
        return cast(n.Formula, formula_parser.parse(text)), ()
    except UnexpectedInput as error:
        return None, (_describe(error, text, file, "formula", formula_parser),)
    finally:
        _current_file.reset(token)


def _parenthesis_depth(text: str) -> int:
    if text.count("(") <= MAX_FORMULA_DEPTH:
        return 0
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    return deepest


def _whole_formula(text: str, file: str, line: int, column: int) -> Span:
    first_line = text.split("\n", 1)[0]
    return Span(file, 1, 1, 1, len(first_line) + 1 if first_line else 2).shifted(line, column)


def _too_deep(depth: int, text: str, file: str, line: int, column: int) -> Diagnostic:
    return Diagnostic.error(
        "formula-too-deep",
        f"the formula is nested {depth} levels deep; at most {MAX_FORMULA_DEPTH} are allowed",
        _whole_formula(text, file, line, column),
        "split it into several rows: compute a part in its own line and name that row",
    )


def _too_long(text: str, file: str, line: int, column: int) -> Diagnostic:
    return Diagnostic.error(
        "formula-too-long",
        f"the formula has {len(text):,} characters; at most {MAX_FORMULA_LENGTH:,} are allowed",
        _whole_formula(text, file, line, column),
        "split it into several rows: compute a part in its own line and name that row",
    )


def formula_depth(formula: n.Formula) -> int:
    """Nesting depth of a formula, computed without recursion."""
    deepest = 0
    stack = [(formula, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, n.Binary):
            stack.append((node.left, depth + 1))
            stack.append((node.right, depth + 1))
        elif isinstance(node, n.Unary):
            stack.append((node.operand, depth + 1))
    return deepest


def _shift(node: n.Formula, line: int, column: int) -> n.Formula:
    span = node.span.shifted(line, column) if node.span else None
    if isinstance(node, n.Binary):
        return n.Binary(node.op, _shift(node.left, line, column), _shift(node.right, line, column), span=span)
    if isinstance(node, n.Unary):
        return n.Unary(node.op, _shift(node.operand, line, column), span=span)
    return attrs.evolve(node, span=span)


def _shift_diagnostic(diagnostic: Diagnostic, line: int, column: int) -> Diagnostic:
    if diagnostic.span is None or (line, column) == (1, 1):
        return diagnostic
    return attrs.evolve(diagnostic, span=diagnostic.span.shifted(line, column))


# ---------------------------------------------------------------- messages

_WORDS = {
    "CODE": "a code",
    "STRING": "a quoted text",
    "NUMBER": "a number",
    "INT": "an entry number",
    "PERCENT": "a percentage such as 5%",
    "TIME": "a time such as 30min, 1.5h",
    "RATE": "a rate such as 42.00/h",
    "DATE": "a date such as 2026-01-31",
    "DECIMALS_RANGE": "decimals such as 2:5",
    "GROUP": "a cost group",
    "F_NUMBER": "a number",
    "ROW": "a row name",
    "ADD_OP": "'+'",
    "F_MINUS": "'-'",
    "MUL_OP": "an operator (* / % §)",
    "$END": "the end",
}


def _keyword(name: str, parser: lark.Lark) -> str:
    if name in _WORDS:
        return _WORDS[name]
    for terminal in parser.terminals:
        if terminal.name == name:
            return f"'{terminal.pattern.value}'" if terminal.pattern.type == "str" else name.lower()
    return name.lower()


_LOOKS_NUMERIC = re.compile(r"[+\-]?\d+(?:\.\d+)?")


def _found(token: lark.Token) -> str:
    if token.type == "$END":
        return "the end of the text"
    shown = shortened(str(token))
    if token.type == "CODE":  # the lexer reads any word as a code where no number may stand
        return f"the number {shown}" if _LOOKS_NUMERIC.fullmatch(token) else f"the code '{shown}'"
    if token.type == "STRING":
        return f"the text {shown}"
    if token.type in ("NUMBER", "F_NUMBER", "INT"):
        return f"the number {shown}"
    if token.type in _WORDS:
        return f"{_WORDS[token.type].split(' such as ')[0]} '{shown}'"
    return f"'{shown}'"


def _previous_word(text: str, offset: int) -> str | None:
    before = text[:offset]
    for line in reversed(before.splitlines()):
        stripped = line.split("#", 1)[0].strip() if '"' not in line else line.strip()
        if stripped:
            return stripped.split()[-1]
    return None


#: The words that start a top-level declaration, in the order docs/language.md, "A ruleset" lists them.
_DECLARATION_WORDS = (
    "setup",
    "chart",
    "rounding",
    "condition",
    "item",
    "workcenter",
    "machinecenter",
    "vendor",
    "exchange-rate",
    "price",
    "discount",
    "ledger",
    "accounting-periods",
    "include",
    "standard-cost",
    "scenario",
    "simulation",
    "list-price",
    "unit-price",
    "sales-price",
)


def _expected(expected: set[str], parser: lark.Lark) -> str:
    words = {_keyword(name, parser) for name in expected}
    declarations = {f"'{word}'" for word in _DECLARATION_WORDS}
    folded = len(words & declarations) >= len(declarations) - 1
    if folded:  # "a quoted text or a new declaration (setup, chart, ...)" rather than 14 words
        words -= declarations
    ordered = sorted(words, key=lambda w: (w.startswith("'"), w))
    if folded:
        ordered.append("a new declaration (setup, chart, condition, item, ...)")
    if len(ordered) == 1:
        return ordered[0]
    if len(ordered) <= 6:
        return ", ".join(ordered[:-1]) + " or " + ordered[-1]
    return "one of " + ", ".join(ordered)


_DECLARATION_TERMINALS = tuple(word.upper().replace("-", "_") for word in _DECLARATION_WORDS)


def _parser_expects(error: UnexpectedInput) -> set[str] | None:
    """The terminals the parser would accept where it stopped, from its parse table.

    ``error.expected`` is the contextual lexer's view, which always includes
    CODE (see :class:`_AlwaysCode`); the parse table says what the grammar
    really allows, so "expected a number after unit-cost" does not offer a code.
    Lark's public :meth:`InteractiveParser.choices` gives that state's actions."""
    interactive = getattr(error, "interactive_parser", None)
    if interactive is None:
        return None
    return {name for name in interactive.choices() if name == name.upper()}


def _describe(error: UnexpectedInput, text: str, file: str, what: str, parser: lark.Lark) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream
        char = text[position] if position is not None and position < len(text) else ""
        span = Span(file, error.line, error.column, error.line, error.column + 1)
        if char == '"':
            return Diagnostic.error(
                "unterminated-string",
                "this text has no closing quote",
                span,
                'close it with " on the same line; write \\" for a quote inside it',
            )
        history = getattr(error, "token_history", None) or ()
        number = history[-1] if history and history[-1].type in _NUMBER_TOKENS else None
        written = _separated_number(text, number.start_pos) if number is not None and char == "," else None
        if written is not None:
            return Diagnostic.error(
                "unexpected-character", f"unexpected character ',' in the number {written}", span, _number_hint(written)
            )
        hint = (
            "codes are letters, digits and _ . - / ; write other codes in quotes"
            if what == "ruleset"
            else "formulas use numbers, row names, + - * / % § and parentheses"
        )
        return Diagnostic.error("unexpected-character", f"unexpected character {char!r}", span, hint)
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        expected = _parser_expects(error) or getattr(error, "expected", None) or set()
        lines = text.splitlines() or [""]
        span = Span(file, len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 2)
        message = f"the {what} ends too early: expected {_expected(set(expected), parser)}"
        if what == "formula":
            hint = "complete the formula: an operator needs a number, a row or a parenthesis after it"
        else:
            hint = "a closing '}' may be missing" if "RBRACE" in expected else "complete the last statement"
        return Diagnostic.error("unexpected-end", message, span, hint)
    assert isinstance(error, UnexpectedToken)
    token = error.token
    span = Span(
        file, token.line, token.column, token.end_line or token.line, token.end_column or token.column + len(token)
    )
    expected = _parser_expects(error) or set(error.expected)
    expected = expected - {"$END"} if len(expected) > 1 else expected
    previous = _previous_word(text, token.start_pos)
    after = f" after {previous}" if previous else ""
    written = _separated_number(text, token.start_pos) if expected & _NUMBER_POSITIONS else None
    found = _found(token) if written is None else f"the number {written}"
    message = f"expected {_expected(expected, parser)}{after}, found {found}"
    hint = _number_hint(written) if written is not None else _hint(expected, token, what, parser)
    return Diagnostic.error("syntax-error", message, span, hint)


# Numbers written with a decimal comma or thousands separators (24,00  1,000.00  5,5%):
# the lexer stops at the ',', so the error names the number and says how to write it.
_NUMBER_TOKENS = frozenset({"NUMBER", "INT", "F_NUMBER"})
_NUMBER_POSITIONS = frozenset({"NUMBER", "INT", "PERCENT", "TIME", "RATE", "DECIMALS_RANGE", "F_NUMBER"})
_SEPARATED = re.compile(
    r"([+\-]?\d+(?:\.\d+)*(?:,\d+)(?:[.,]\d+)*)(%|/(?:min|s|h|d)|min|s|h|d)?"
    r"(?![A-Za-z0-9_])"
)


def _separated_number(text: str, start: int) -> str | None:
    """The number with a ',' in it that starts at ``start`` (``24,00``, ``5,5%``), else None."""
    match = _SEPARATED.match(text, start)
    return match.group() if match else None


def _number_hint(written: str) -> str:
    """How to write ``written``: the last separator marks the decimals, unless it is a lone ','
    before three digits, which may be either."""
    match = _SEPARATED.fullmatch(written)
    assert match is not None, "the caller found a separated number"
    number, unit = match.group(1), match.group(2) or ""
    point, comma = number.rfind("."), number.rfind(",")
    lead = "numbers have a point before the decimals and no thousands separators: write "
    if point > comma or number.count(",") > 1:  # 1,000.00  1,000,000
        return f"{lead}{number.replace(',', '')}{unit}"
    if point >= 0 or len(number) - comma - 1 != 3:  # 1.000,00  24,00
        return f"{lead}{number.replace('.', '').replace(',', '.')}{unit}"
    return f"{lead}{number.replace(',', '')}{unit}, or {number.replace(',', '.')}{unit} if the comma marks the decimals"


def _hint(expected: set[str], token: lark.Token, what: str, parser: lark.Lark) -> str:
    if what == "formula":
        return 'a formula is numbers and row names joined by + - * / % §, e.g. "10 % A + B"'
    if expected == {"INT"}:
        return "write the entry's number: entries are numbered 1, 2, 3 ... in the order written"
    if expected <= {"NUMBER", "INT"}:
        return "write a plain number such as 12.50: no units, no thousands separators"
    if expected <= {"PERCENT", "NUMBER"}:
        return "write a percentage with its sign, such as 5%"
    if expected <= {"RATE", "NUMBER"}:
        return "write an amount per time unit such as 42.00/h or 0.70/min (a plain number is per hour)"
    if expected == {"TIME"}:
        return "write a time with its unit: s, min, h or d (30min, 1.5h)"
    if expected == {"DATE"}:
        return "write dates as YYYY-MM-DD"
    if "RBRACE" not in expected and expected & set(_DECLARATION_TERMINALS) and token.type != "CODE":
        return "every declaration starts with a keyword: " + ", ".join(_DECLARATION_WORDS)
    keywords = [w.strip("'") for w in (_keyword(name, parser) for name in expected) if w.startswith("'")]
    import difflib  # only for a syntax error's hint

    close = difflib.get_close_matches(str(token), keywords, n=1, cutoff=0.75) if token.type == "CODE" else []
    if close:
        return f"did you mean '{close[0]}'?"
    if "RBRACE" in expected and token.type == "CODE":
        return (
            f"'{token}' is not a keyword here; check its spelling, or close the block with '}}' "
            "before starting the next declaration"
        )
    if token.type == "CODE":
        return f"'{token}' is not a keyword here; check its spelling against the language reference"
    return "see docs/language.md for the statement's form"
