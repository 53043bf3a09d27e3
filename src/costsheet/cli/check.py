"""``costsheet check RULESET...``: every diagnostic of one or more rulesets.

Text output (the default) is hledger-style: ``FILE:LINE:COL: error[CODE]:
message``, the source line with ``^^^`` under the span, a hint, and a summary
line ``N errors, M warnings in K files``; colour only when standard output is a
terminal (and ``NO_COLOR`` is not set).

JSON output (``--format json``) is a JSON list of diagnostic objects in the
shape of docs/json.md, "Diagnostics" (plus ``hint``), sorted by file, line and
column, and nothing else, so that editors and scripts can read it directly.

Each RULESET is an entry file; the files it includes are checked with it.
A file that does not exist or cannot be read is a diagnostic like any other
(``file-not-found``, ``file-unreadable``): exit status 1, not 2.
Exit status: 0 no errors (warnings allowed), 1 errors, 2 wrong usage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
import click

from ..diagnostics import Diagnostic, render_json, render_text, sort_diagnostics

__all__ = ["command", "CheckReport", "check_paths", "render_report", "summary"]


@attrs.frozen
class CheckReport:
    """The diagnostics of a ``check`` run, the texts they point into, and the files read."""

    diagnostics: tuple[Diagnostic, ...]
    sources: dict[str, str]
    files: tuple[str, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def check_paths(paths: Sequence[str], master_data: Sequence[str] | None = None) -> CheckReport:
    """Analyze each ruleset (with its includes); diagnostics of files read twice are reported once."""
    from ..ruleset import diagnose

    found: dict[Diagnostic, None] = {}
    sources: dict[str, str] = {}
    files: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            found[_directory(path)] = None
            files[path] = None
            continue
        # a Path, not a str: diagnose() reads a str that does not look like a path as ruleset text
        diagnostics, texts = diagnose(Path(path), master_data=list(master_data or ()) or None)
        found.update(dict.fromkeys(diagnostics))
        sources.update(texts)
        files.update(dict.fromkeys(texts or [path]))
    return CheckReport(tuple(sort_diagnostics(found)), sources, tuple(files))


def _directory(path: str) -> Diagnostic:
    from ..diagnostics import Span

    return Diagnostic.error(
        "file-unreadable",
        f"{path} is a directory, not a ruleset file",
        Span.point(path, 1, 1),
        f"name the .cost file inside it, e.g. {os.path.join(path, 'demo.cost')}",
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: CheckReport) -> str:
    return (
        f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')} "
        f"in {_plural(len(report.files), 'file')}"
    )


def render_report(report: CheckReport, fmt: str = "text") -> str:
    """The whole output of ``costsheet check`` for ``report``, without colour."""
    if fmt == "json":
        import json

        return json.dumps(render_json(report.diagnostics), indent=2, ensure_ascii=False) + "\n"
    body = render_text(report.diagnostics, report.sources)
    return body + ("\n" if body else "") + summary(report) + "\n"


def _print_colour(text: str) -> None:
    """The text report with severities, codes and carets coloured by rich."""
    import re

    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True, force_terminal=True)  # only called for a terminal
    heading = re.compile(r"^(?P<where>.*?)(?P<severity>error|warning)\[(?P<code>[a-z0-9-]+)\]:(?P<message>.*)$")
    for line in text.splitlines():
        match = heading.match(line)
        out = Text()
        if match:
            style = "bold red" if match["severity"] == "error" else "bold yellow"
            out.append(match["where"], style="bold")
            out.append(f"{match['severity']}[{match['code']}]", style=style)
            out.append(":" + match["message"], style="bold")
        elif line.strip(" |^") == "" and "^" in line:
            out.append(line, style="bold red")
        elif line.startswith("  = hint:"):
            out.append(line, style="cyan")
        else:
            out.append(line)
        console.print(out)


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@click.command()
@click.argument("rulesets", nargs=-1, required=True, metavar="RULESET...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: messages with the source line and a hint; json: a list of diagnostic objects (docs/json.md).",
)
@click.option(
    "--master-data",
    "master_data",
    type=click.Path(exists=True),
    multiple=True,
    metavar="DIR",
    help="CSV master data (a directory or files) that the rulesets' references may name.",
)
def command(rulesets: tuple[str, ...], fmt: str, master_data: tuple[str, ...]) -> None:
    """Check RULESET files (and the files they include); report every diagnostic.

    \b
      costsheet check demo.cost
      costsheet check a.cost b.cost --format json
      costsheet check demo.cost --master-data masterdata/

    Every code is explained with an example in docs/errors.md.
    Exit status: 0 no errors (warnings allowed), 1 errors, 2 wrong usage.
    """
    from ..gcpause import paused_gc

    with paused_gc():  # read, checked and reported once: see cli.common.load_or_exit
        report = check_paths(rulesets, master_data)
    text = render_report(report, fmt)
    if fmt == "text" and _use_colour():
        _print_colour(text)
    else:
        click.echo(text, nl=False)
    sys.exit(report.exit_code)
