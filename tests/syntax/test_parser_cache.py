"""The built parsers are kept in the user's cache folder between runs, safely."""

from __future__ import annotations

import os

import pytest

from costsheet.resources import resource_text
from costsheet.syntax import parser as parsing

GRAMMAR = resource_text("grammar/costsheet.lark")
OPTIONS = dict(parser="lalr", lexer="contextual", maybe_placeholders=True)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COSTSHEET_CACHE_DIR", str(folder))
    return folder


def _files(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_a_built_parser_is_kept_and_used_again(cache):
    first = parsing.cached_parser(GRAMMAR, "formula", **OPTIONS)
    (name,) = _files(cache)
    assert name.startswith("parser-formula-") and name.endswith(".lark")
    written = (cache / name).stat().st_mtime_ns
    second = parsing.cached_parser(GRAMMAR, "formula", **OPTIONS)
    assert _files(cache) == [name] and (cache / name).stat().st_mtime_ns == written  # read, not rewritten
    assert second.parse("10 % A + 2") == first.parse("10 % A + 2")


def test_the_folder_is_private(cache):
    parsing.cached_parser(GRAMMAR, "formula", **OPTIONS)
    assert cache.stat().st_mode & 0o777 == 0o700


@pytest.mark.thorough
def test_processes_building_at_once_each_get_a_working_parser(cache):
    import subprocess
    import sys

    code = (
        "from costsheet.syntax.parser import cached_parser; from costsheet.resources import resource_text; "
        "p = cached_parser(resource_text('grammar/costsheet.lark'), 'ruleset', parser='lalr', "
        "lexer='contextual', maybe_placeholders=True); print(len(p.parse('vendor V').children))"
    )
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    assert [run.communicate()[0].strip() for run in runs] == ["1"] * 4
    assert len([n for n in _files(cache) if n.endswith(".lark")]) == 1


def test_another_grammar_gets_another_file(cache):
    parsing.cached_parser(GRAMMAR, "formula", **OPTIONS)
    parsing.cached_parser(GRAMMAR + "\n// changed\n", "formula", **OPTIONS)
    assert len(_files(cache)) == 2


def test_a_damaged_file_is_rebuilt_silently(cache, capsys):
    parsing.cached_parser(GRAMMAR, "formula", **OPTIONS)
    (name,) = _files(cache)
    (cache / name).write_bytes(b"not a parser\n")
    rebuilt = parsing.cached_parser(GRAMMAR, "formula", **OPTIONS)
    assert rebuilt.parse("1 + 2") is not None
    assert capsys.readouterr() == ("", "")


def test_an_unusable_folder_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("COSTSHEET_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert parsing.cache_directory() is None
    assert parsing.cached_parser(GRAMMAR, "formula", **OPTIONS).parse("1") is not None


def test_an_empty_setting_turns_the_cache_off(monkeypatch):
    monkeypatch.setenv("COSTSHEET_CACHE_DIR", "")
    assert parsing.cache_directory() is None


def test_the_default_folder_is_the_users_cache_not_the_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("COSTSHEET_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert parsing.cache_directory() == tmp_path / "xdg" / "costsheet"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert parsing.cache_directory() == tmp_path / "home" / ".cache" / "costsheet"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to make a foreign folder")
def test_a_folder_owned_by_someone_else_is_not_used(tmp_path, monkeypatch):
    folder = tmp_path / "theirs"
    folder.mkdir()
    os.chown(folder, 12345, 12345)
    monkeypatch.setenv("COSTSHEET_CACHE_DIR", str(folder))
    assert parsing.cache_directory() is None
