"""Reading the docs as data: fenced blocks, tables, and the sessions the docs show.

A *session* is a page (docs/tutorial.md, docs/json.md) whose files and
commands are run for real:

- a fenced block right after ``<!-- file: NAME -->`` is the whole content of
  file NAME from there on (written into the session's folder);
- a ````console```` block holds commands (lines starting with ``$ ``), each
  followed by its exact output (standard output and standard error, as a
  terminal shows them; trailing blanks of each line do not count). Every
  command starts with ``costsheet`` and must exit 0, unless the block follows
  ``<!-- exit: N -->``.

Commands run in a fresh temporary folder, in page order, through click's test
runner (the same ``main`` the ``costsheet`` script calls), with
``COSTSHEET_HISTORY`` inside that folder, no colour and 100 columns.

    python tools/doctext.py check  docs/tutorial.md   # exit 1 and a diff when an output differs
    python tools/doctext.py update docs/tutorial.md   # rewrite the outputs from the current program

tests/docs/test_tutorial.py and tests/docs/test_json_doc.py run the same
comparisons under pytest.  After a deliberate change of an output, run
``update`` and read the diff: the prose around an output explains its
numbers, and must be checked by hand.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["Block", "Command", "File", "blocks", "check", "run", "session", "table", "tables", "update"]

_FENCE = re.compile(r"^(```+)([\w-]*)[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)
_MARK = re.compile(r"<!--\s*(\w+):\s*(.*?)\s*-->\s*$")
#: the width the session's tables are laid out for
COLUMNS = 100


@attrs.frozen
class Block:
    """A fenced block: its info word (``cost``, ``console`` ...), its text, where its text starts and ends
    (character offsets into the page) and the ``<!-- key: value -->`` marks on the lines just above it."""

    info: str
    text: str
    start: int
    end: int
    line: int
    marks: dict[str, str]


@attrs.frozen
class File:
    name: str
    text: str
    line: int


@attrs.frozen
class Command:
    line: str  # as written after "$ "
    output: str  # as shown
    status: int
    block: Block


def blocks(text: str) -> list[Block]:
    """Every fenced block of a Markdown text, in order."""
    found = []
    for match in _FENCE.finditer(text):
        marks: dict[str, str] = {}
        before = text[: match.start()].splitlines()
        while before and _MARK.match(before[-1].strip()):
            key, value = _MARK.match(before[-1].strip()).groups()
            marks[key] = value
            before.pop()
        found.append(
            Block(
                match.group(2),
                match.group(3),
                match.start(3),
                match.end(3),
                text.count("\n", 0, match.start()) + 1,
                marks,
            )
        )
    return found


def tables(text: str) -> Iterator[tuple[str, list[list[str]]]]:
    """Every Markdown table as (the heading above it, rows of cells, the header row first)."""
    heading = ""
    rows: list[list[str]] = []
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)  # lines of code blocks are no table
    for line in [*text.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", stripped[1:-1])]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append([c.replace("\\|", "|") for c in cells])
            continue
        if rows:
            yield heading, rows
            rows = []
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()


def table(text: str, heading: str, first: str) -> list[dict[str, str]]:
    """The rows of the table under ``heading`` whose first column is titled ``first``, as dicts by title."""
    for title, rows in tables(text):
        if title == heading and rows[0][0] == first:
            return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    raise LookupError(f"no table headed {first!r} under {heading!r}")


def session(text: str) -> list[File | Command]:
    """The files and commands of a page, in order."""
    steps: list[File | Command] = []
    for block in blocks(text):
        if "file" in block.marks:
            steps.append(File(block.marks["file"], block.text, block.line))
        elif block.info == "console":
            status = int(block.marks.get("exit", "0"))
            for chunk in re.split(r"^\$ ", block.text, flags=re.M)[1:]:
                command, _, output = chunk.partition("\n")
                steps.append(Command(command, output, status, block))
    return steps


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def _import_costsheet():
    """The command line's ``main``: the installed costsheet, else this checkout's src/."""
    try:
        from costsheet.cli import main
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))
        from costsheet.cli import main
    return main


def run(text: str, folder: Path) -> list[tuple[Command, str, int]]:
    """Run the page's session in ``folder``: each command with the output and exit status it gave."""
    from click.testing import CliRunner

    main = _import_costsheet()
    runner = CliRunner(
        env={
            "COSTSHEET_HISTORY": str(folder / "history.sqlite3"),
            "COLUMNS": str(COLUMNS),
            "NO_COLOR": "1",
            "TERM": "dumb",
        }
    )
    results = []
    with contextlib.chdir(folder):
        for step in session(text):
            if isinstance(step, File):
                path = folder / step.name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(step.text, encoding="utf-8")
                continue
            words = shlex.split(step.line)
            if words[0] != "costsheet":
                raise ValueError(f"line {step.block.line}: a session runs costsheet commands only: {step.line}")
            result = runner.invoke(main, words[1:], prog_name="costsheet", catch_exceptions=False)
            results.append((step, result.output, result.exit_code))
    return results


def differences(path: Path) -> list[str]:
    """What differs between the page and a fresh run of its session (empty when nothing does)."""
    text = path.read_text(encoding="utf-8")
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        for command, output, status in run(text, Path(folder)):
            if status != command.status:
                problems.append(
                    f"{path.name}:{command.block.line}: `{command.line}` exited {status}, "
                    f"the page says {command.status}:\n{output}"
                )
            if _clean(output) != _clean(command.output):
                diff = difflib.unified_diff(
                    _clean(command.output).splitlines(),
                    _clean(output).splitlines(),
                    "the page",
                    "the program",
                    lineterm="",
                )
                problems.append(f"{path.name}:{command.block.line}: `{command.line}`\n" + "\n".join(diff))
    return problems


def check(path: Path) -> bool:
    problems = differences(path)
    for problem in problems:
        print(problem)
    return not problems


def update(path: Path) -> None:
    """Rewrite every command's output on the page from a fresh run."""
    text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        outputs = run(text, Path(folder))
    by_block: dict[int, list[tuple[Command, str]]] = {}
    for command, output, _ in outputs:
        by_block.setdefault(command.block.start, []).append((command, output))
    for start in sorted(by_block, reverse=True):
        commands = by_block[start]
        block = commands[0][0].block
        body = "".join(
            f"$ {command.line}\n{_clean(output)}\n" if _clean(output) else f"$ {command.line}\n"
            for command, output in commands
        )
        text = text[: block.start] + body + text[block.end :]
    path.write_text(text, encoding="utf-8")


def _main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("check", "update"):
        print(__doc__)
        return 2
    ok = True
    for name in argv[1:]:
        path = Path(name)
        if argv[0] == "update":
            update(path)
            print(f"wrote {path}")
        else:
            ok = check(path) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(_main(sys.argv[1:]))
