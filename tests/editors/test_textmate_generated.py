"""The committed TextMate grammar files are what tools/textmate.py builds from the Lark grammar.

After a change of grammar/costsheet.lark: ``python tools/textmate.py generate``.
"""

from __future__ import annotations

import json
import plistlib
import re
import sys

import lark
import pytest

from .highlight import GRAMMAR, ROOT

sys.path.insert(0, str(ROOT / "tools"))

import textmate

GRAMMAR_TEXT = GRAMMAR.read_text(encoding="utf-8")


def test_the_committed_grammar_files_are_current():
    stale = [str(p.relative_to(ROOT)) for p in textmate.stale()]
    assert stale == [], f"stale: {stale}; run `python tools/textmate.py generate`"


@pytest.mark.thorough
def test_check_names_a_stale_file(tmp_path, capsys, monkeypatch):
    path = tmp_path / "costsheet.tmLanguage.json"
    fresh = textmate.outputs()[textmate.TEXTMATE_JSON]
    path.write_bytes(fresh)
    assert textmate.stale({path: fresh}) == []
    path.write_bytes(fresh.replace(b"keyword.other.option", b"keyword.other.opt", 1))
    assert textmate.stale({path: fresh}) == [path]
    monkeypatch.setattr(textmate, "outputs", lambda: {textmate.ROOT / "editors" / "nowhere.json": fresh})
    assert textmate.main(["check"]) == 1
    assert "editors/nowhere.json is stale" in capsys.readouterr().err


def test_the_property_list_and_the_vscode_copy_are_the_same_grammar():
    grammar = json.loads(textmate.TEXTMATE_JSON.read_text(encoding="utf-8"))
    assert plistlib.loads(textmate.TEXTMATE_PLIST.read_bytes()) == grammar
    assert json.loads(textmate.VSCODE_JSON.read_text(encoding="utf-8")) == grammar
    assert grammar["scopeName"] == "source.costsheet" and grammar["fileTypes"] == ["cost"]


def test_the_comment_preferences_name_the_grammar_scope():
    preferences = plistlib.loads(textmate.TEXTMATE_PREFERENCES.read_bytes())
    assert preferences["scope"] == "source.costsheet"
    assert preferences["settings"]["shellVariables"] == [{"name": "TM_COMMENT_START", "value": "# "}]


def test_every_keyword_of_the_lark_grammar_is_in_a_keyword_rule():
    """Read independently of the generator: every quoted word of the Lark grammar."""
    parser = lark.Lark(GRAMMAR_TEXT, parser="lalr", start=["ruleset", "formula"])
    words = {
        t.pattern.value
        for t in parser.terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and re.fullmatch(r"[a-z][a-z-]*", t.pattern.value)
    }
    assert {"setup", "unit-cost", "accounting-periods", "commission-discount", "applies-to"} <= words
    text = textmate.TEXTMATE_JSON.read_text(encoding="utf-8")
    grammar = json.loads(text)
    regexes = "\n".join(_regexes(grammar))
    missing = sorted(w for w in words if not re.search(r"[(|:]" + re.escape(w).replace(r"\-", "-") + r"[)|]", regexes))
    assert missing == []


def _regexes(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("match", "begin", "end") and isinstance(value, str):
                yield value
            else:
                yield from _regexes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _regexes(value)


def test_a_token_without_a_scope_stops_the_build():
    grammar = (
        GRAMMAR_TEXT.replace(
            '!vendor: "vendor" (CODE|STRING) [STRING]', '!vendor: "vendor" (CODE|STRING) [STRING] [MONEY]'
        )
        + "\nMONEY: /\\d+€/\n"
    )
    with pytest.raises(textmate.GrammarError, match=r"MONEY .*TERMINAL_SCOPES"):
        textmate.build(grammar)


@pytest.mark.thorough
def test_a_declaration_that_does_not_start_with_a_keyword_stops_the_build():
    grammar = (
        GRAMMAR_TEXT.replace(
            "            | accounting_periods\n", "            | accounting_periods\n            | loose\n"
        )
        + '\nloose: CODE "=" NUMBER\n'
    )
    with pytest.raises(textmate.GrammarError, match="loose must start with one keyword"):
        textmate.build(grammar)


@pytest.mark.thorough
def test_the_command_line(capsys):
    assert textmate.main(["check"]) == 0
    assert textmate.main(["frobnicate"]) == 2
    assert "textmate.py generate" in capsys.readouterr().err


def test_a_changed_code_pattern_stops_the_build():
    """The word boundaries of the highlighter are checked against the grammar's CODE."""
    code = r"CODE: /[A-Za-z0-9](?:[A-Za-z0-9_\-\/]|\.(?!\.))*/"
    assert code in GRAMMAR_TEXT
    grammar = GRAMMAR_TEXT.replace(code, code.replace(r"\/]", r"\/:]"))
    with pytest.raises(textmate.GrammarError, match="how ':' continues a code"):
        textmate.build(grammar)
