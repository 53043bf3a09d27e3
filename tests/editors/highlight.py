"""Tokenizing with the TextMate grammar, and comparing the result with Lark's own reading.

``tokenize`` runs tests/editors/tokenize.mjs (vscode-textmate on Oniguruma, as VS Code
does).  ``disagreements`` is the oracle: every token that Lark's contextual lexer reads
(and every comment) must be covered by TextMate tokens whose scope says the same kind of
thing; the expectations below are written from the language reference (docs/language.md),
not taken from the generator.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs
import lark

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
GRAMMAR = ROOT / "grammar" / "costsheet.lark"
TEXTMATE = ROOT / "editors" / "textmate" / "costsheet.tmLanguage.json"

ROOT_SCOPE = "source.costsheet"
_KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")

#: Lark token type -> the scopes a TextMate token over it may have (prefixes)
EXPECTED: dict[str, tuple[str, ...]] = {
    "CODE": ("entity.name.", "variable.other.code.", "constant.language.value."),
    "STRING": ("string.quoted.double.",),
    "NUMBER": ("constant.numeric.costsheet",),
    "INT": ("constant.numeric.costsheet",),
    "PERCENT": ("constant.numeric.percent.",),
    "TIME": ("constant.numeric.time.",),
    "RATE": ("constant.numeric.rate.",),
    "DATE": ("constant.numeric.date.",),
    "DECIMALS_RANGE": ("constant.numeric.range.",),
    "GROUP": ("constant.language.cost-group.",),
    "COMMENT": ("comment.line.number-sign.",),
    "LBRACE": ("punctuation.section.block.begin.",),
    "RBRACE": ("punctuation.section.block.end.",),
}
#: the same for the tokens inside a formula
FORMULA_EXPECTED: dict[str, tuple[str, ...]] = {
    "F_NUMBER": ("constant.numeric.costsheet",),
    "ROW": ("variable.other.row.",),
    "ADD_OP": ("keyword.operator.arithmetic.",),
    "F_MINUS": ("keyword.operator.arithmetic.",),
    "MUL_OP": ("keyword.operator.arithmetic.",),
    "LPAR": ("punctuation.section.parens.begin.",),
    "RPAR": ("punctuation.section.parens.end.",),
}
KEYWORD_SCOPES = ("storage.type.", "keyword.other.statement.", "keyword.other.option.", "constant.language.")
SYMBOL_SCOPES = ("keyword.operator.", "punctuation.")
#: scopes that only group other tokens
_GROUPING = ("source.", "meta.")


@attrs.frozen
class Token:
    line: int  # 0-based
    start: int  # 0-based, end exclusive
    end: int
    scopes: tuple[str, ...]

    @property
    def leaf(self) -> tuple[str, ...]:
        """The scopes that say what the token is (not the ones that group it)."""
        return tuple(s for s in self.scopes if not s.startswith(_GROUPING))


def tokenize(files: Sequence[Path], grammar: Path = TEXTMATE) -> dict[Path, list[list[Token]]]:
    """Each file's TextMate tokens, line by line."""
    node = shutil.which("node")
    assert node, "node is needed"
    result = subprocess.run(
        [node, str(HERE / "tokenize.mjs"), str(grammar), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"tokenize.mjs failed:\n{result.stderr}"
    raw = json.loads(result.stdout)
    return {Path(f): _tokens(Path(f).read_text(encoding="utf-8"), lines) for f, lines in raw.items()}


def _tokens(text: str, lines: list) -> list[list[Token]]:
    """Tokens with columns in characters (tokenize.mjs counts UTF-16 code units)."""
    out = []
    for number, (source, line) in enumerate(zip(text.split("\n"), lines, strict=True)):
        column = [0]
        for index, char in enumerate(source):
            column.extend([index + 1] * (2 if ord(char) > 0xFFFF else 1))
        out.append([Token(number, column[s], column[e], tuple(sc)) for s, e, sc in line])
    return out


class Tokenizer:
    """One tokenize.mjs process that tokenizes texts one after the other (for property tests)."""

    def __init__(self, grammar: Path = TEXTMATE) -> None:
        node = shutil.which("node")
        assert node, "node is needed"
        self._process = subprocess.Popen(
            [node, str(HERE / "tokenize.mjs"), str(grammar), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def __call__(self, text: str) -> list[list[Token]]:
        assert self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps(text) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        assert answer, f"tokenize.mjs ended with status {self._process.wait()}"
        return _tokens(text, json.loads(answer))

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=30)


@attrs.frozen
class Reading:
    """What Lark read: the tokens up to the first syntax error, the comments, the error."""

    tokens: tuple[lark.Token, ...]
    comments: tuple[lark.Token, ...]
    error: str | None


@functools.cache
def _parser(grammar_text: str, start: str) -> tuple[lark.Lark, list[lark.Token]]:
    """A parser of the grammar, and the list its lexer appends comments to."""
    comments: list[lark.Token] = []
    parser = lark.Lark(
        grammar_text, parser="lalr", lexer="contextual", start=start, lexer_callbacks={"COMMENT": comments.append}
    )
    return parser, comments


def read(grammar_text: str, text: str, start: str = "ruleset") -> Reading:
    """Lark's tokens of ``text``, read with the contextual lexer as the parser reads them."""
    tokens: list[lark.Token] = []
    parser, comments = _parser(grammar_text, start)
    comments.clear()
    interactive = parser.parse_interactive(text)
    try:
        tokens.extend(interactive.iter_parse())  # keeps the tokens read before an error
        interactive.feed_eof()
    except lark.exceptions.UnexpectedInput as error:
        return Reading(tuple(tokens), tuple(comments), f"{type(error).__name__} at {error.line}:{error.column}")
    return Reading(tuple(tokens), tuple(comments), None)


def covering(lines: list[list[Token]], line: int, start: int, end: int) -> list[Token]:
    return [t for t in lines[line] if t.start < end and t.end > start]


def _matches(token: Token, prefixes: Iterable[str]) -> bool:
    return any(scope.startswith(p) for scope in token.leaf for p in prefixes)


def _expected(token: lark.Token, expected: dict[str, tuple[str, ...]] = EXPECTED) -> tuple[str, ...]:
    if token.type in expected:
        return expected[token.type]
    if _KEYWORD.fullmatch(token.value):
        return KEYWORD_SCOPES
    return SYMBOL_SCOPES


def _is_formula(previous: lark.Token, token: lark.Token) -> bool:
    """A STRING after the keyword formula (docs/language.md, "Lines")."""
    return token.type == "STRING" and previous.value == "formula" and previous.type != "CODE"


def disagreements(grammar_text: str, text: str, lines: list[list[Token]]) -> list[str]:
    """Where the TextMate tokens of ``text`` do not say what Lark read (empty: they agree)."""
    problems: list[str] = []
    reading = read(grammar_text, text)

    def check(line: int, start: int, end: int, what: str, prefixes: tuple[str, ...], word: str) -> None:
        problems.extend(
            f"{line + 1}:{start + 1}: Lark reads {word!r} as {what}, "
            f"TextMate scopes {text.splitlines()[line][token.start : token.end]!r} "
            f"as {' '.join(token.leaf) or '(nothing)'}"
            for token in covering(lines, line, start, end)
            if not _matches(token, prefixes)
        )

    previous = None
    for token in (*reading.tokens, *reading.comments):
        line, start, end = token.line - 1, token.column - 1, token.end_column - 1
        if previous is not None and _is_formula(previous, token):
            check(line, start, start + 1, "the quote of a formula", EXPECTED["STRING"], token.value)
            check(line, end - 1, end, "the quote of a formula", EXPECTED["STRING"], token.value)
            formula = read(grammar_text, token.value[1:-1], start="formula")
            for part in formula.tokens:
                offset = start + part.column
                check(
                    line,
                    offset,
                    offset + len(part.value),
                    f"formula {part.type}",
                    _expected(part, FORMULA_EXPECTED),
                    part.value,
                )
        else:
            check(line, start, end, token.type, _expected(token), token.value)
        if token.type != "COMMENT":
            previous = token
    return problems


def broken_formulas(grammar_text: str, text: str) -> list[tuple[int, int, int]]:
    """(line, start, end) of each formula string that is no formula (the checker reports it)."""
    out = []
    tokens = read(grammar_text, text).tokens
    for previous, token in itertools.pairwise(tokens):
        if _is_formula(previous, token) and read(grammar_text, token.value[1:-1], start="formula").error:
            out.append((token.line - 1, token.column - 1, token.end_column - 1))
    return out


def unscoped(text: str, lines: list[list[Token]], invalid_allowed: Iterable[tuple[int, int, int]] = ()) -> list[str]:
    """Text that no TextMate rule gave a scope of its own, and text scoped as invalid outside
    the ``invalid_allowed`` spans."""
    problems = []
    allowed = list(invalid_allowed)
    # not strict: after a final newline the tokenizer has one more (empty) line than splitlines()
    for number, (source, tokens) in enumerate(zip(text.splitlines(), lines, strict=False)):
        for token in tokens:
            piece = source[token.start : token.end]
            if piece.strip() and not token.leaf:
                problems.append(f"{number + 1}:{token.start + 1}: {piece!r} has no scope")
            if any(s.startswith("invalid.") for s in token.leaf) and not any(
                line == number and start <= token.start and token.end <= end for line, start, end in allowed
            ):
                problems.append(f"{number + 1}:{token.start + 1}: {piece!r} is scoped invalid")
    return problems


def scope_of(text: str, lines: list[list[Token]], line_part: str, word: str) -> tuple[str, ...]:
    """The scopes of the first TextMate token that is exactly ``word`` inside the first line
    containing ``line_part``."""
    for number, source in enumerate(text.splitlines()):
        if line_part not in source:
            continue
        base = source.index(line_part)
        offset = line_part.find(word)
        while offset >= 0:
            start = base + offset
            found = [
                t
                for t in covering(lines, number, start, start + len(word))
                if (t.start, t.end) == (start, start + len(word))
            ]
            if found:
                return found[0].leaf
            offset = line_part.find(word, offset + 1)
        pieces = [source[t.start : t.end] for t in lines[number]]
        raise AssertionError(f"{word!r} is not one token in {line_part!r}: {pieces}")
    raise AssertionError(f"no line contains {line_part!r}")
