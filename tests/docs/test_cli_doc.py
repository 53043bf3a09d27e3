"""docs/cli.md lists every command, subcommand and option the program has, and no other.

The options are read from the click commands themselves, so an option added to
a command without a line in docs/cli.md fails here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pytest

from costsheet.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path set-up above

PAGE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def _command(*names: str) -> click.Command:
    command: click.Command = main
    context = click.Context(main)
    for name in names:
        assert isinstance(command, click.Group)
        command = command.get_command(context, name)
        assert command is not None, names
    return command


def _options(command: click.Command) -> set[str]:
    """Every option name of a command (both sides of a --x/--no-x flag), help excluded."""
    found = set()
    for param in command.params:
        if isinstance(param, click.Option):
            found.update(name for name in (*param.opts, *param.secondary_opts) if name.startswith("--"))
    return found - {"--help"}


def _documented(heading: str) -> set[str]:
    """The options named in the first column of the option tables under a heading of docs/cli.md."""
    found = set()
    for title, rows in doctext.tables(PAGE):
        if title == heading and rows[0][0] == "option":
            for row in rows[1:]:
                found.update(re.findall(r"--[a-z][a-z-]*", row[0]))
    return found


def test_every_command_has_a_section():
    listed = [
        re.findall(r"`([\w-]+)`", row["command"])[0] for row in doctext.table(PAGE, "The command line", "command")
    ]
    assert sorted(listed) == sorted(COMMANDS)
    for name in COMMANDS:
        assert f"## costsheet {name}\n" in PAGE


@pytest.mark.parametrize("name", [n for n in COMMANDS if n != "history"])
def test_every_option_is_documented(name):
    assert _documented(f"costsheet {name}") == _options(_command(name))


def test_the_history_subcommands_and_their_options():
    group = _command("history")
    assert isinstance(group, click.Group)
    rows = doctext.table(PAGE, "costsheet history", "subcommand")
    listed = sorted(row["subcommand"].strip("`").split()[0] for row in rows)
    assert listed == sorted(group.list_commands(click.Context(group)))
    options = set().union(*(_options(_command("history", sub)) for sub in group.list_commands(click.Context(group))))
    assert _documented("costsheet history") == options
