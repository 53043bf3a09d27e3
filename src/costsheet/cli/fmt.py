"""``costsheet fmt``: rewrite rulesets in the canonical layout.

Only the syntax layer runs (parse and print), so a file with a checker error
still formats; a file with a syntax error is left untouched and its
diagnostics are reported (exit 1).  Files are read and written as UTF-8 with
their line endings untouched by Python (``newline=""``) and written through a
temporary file and a rename, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile

import click

__all__ = ["command"]


def _write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".fmt-", suffix=".cost", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        try:
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        except OSError:
            pass
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _diff(path: str, old: str, new: str) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{path} (original)",
            tofile=f"{path} (formatted)",
        )
    )


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print what would change as a unified diff.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help='json: {"files": [{"file", "status"}], "diagnostics": [...]}; status is unchanged, '
    "reformatted, would-reformat or error.",
)
def command(files: tuple[str, ...], check: bool, show_diff: bool, fmt: str) -> None:
    """Rewrite FILES in the canonical layout: aligned columns, a stable order
    inside blocks, minimal quoting, comments kept.

    \b
      costsheet fmt demo/demo.cost            # rewrite in place
      costsheet fmt --check rulesets/*.cost   # CI: exit 1 if a file is not formatted
      costsheet fmt --diff demo/demo.cost     # show the changes, write nothing

    Exit status: 0 nothing to do (or files rewritten), 1 a file has syntax
    errors or (--check/--diff) would change, 2 wrong usage.
    """
    import json

    from ..diagnostics import Diagnostic, render_json, render_text

    statuses: list[dict[str, str]] = []
    found: list[Diagnostic] = []
    sources: dict[str, str] = {}
    for path in files:
        status, diagnostics = _format_file(path, check or show_diff, show_diff and fmt == "text", sources)
        statuses.append({"file": path, "status": status})
        found.extend(diagnostics)
        if fmt == "text" and status == "would-reformat" and not show_diff:
            click.echo(f"would reformat {path}")
        elif fmt == "text" and status == "reformatted":
            click.echo(f"reformatted {path}", err=True)
    if fmt == "json":
        click.echo(json.dumps({"files": statuses, "diagnostics": render_json(found)}, indent=2))
    elif found:
        click.echo(render_text(found, sources), err=True, nl=False)
    failed = any(d.is_error for d in found)
    if failed or any(s["status"] == "would-reformat" for s in statuses):
        raise SystemExit(1)


def _format_file(path: str, dry_run: bool, show_diff: bool, sources: dict[str, str]):
    """``(status, diagnostics)`` for one file; with ``dry_run`` nothing is written."""
    from ..diagnostics import Diagnostic, Span
    from ..files import read_text

    try:
        text = read_text(path, newline="")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return "error", (
            Diagnostic.error(
                "file-unreadable",
                f"cannot read the file: {reason}",
                Span.point(path, 1, 1),
                "check the path and that the file is UTF-8 text",
            ),
        )
    sources[path] = text
    from ..syntax import format_ruleset

    formatted, diagnostics = format_ruleset(text, path)
    if formatted is None:
        return "error", diagnostics
    if formatted == text:
        return "unchanged", diagnostics
    if dry_run:
        if show_diff:
            click.echo(_diff(path, text, formatted), nl=False)
        return "would-reformat", diagnostics
    try:
        _write(path, formatted)
    except OSError as error:
        return "error", (
            *diagnostics,
            Diagnostic.error(
                "file-unwritable",
                f"cannot write the file: {error.strerror or error}",
                Span.point(path, 1, 1),
                "check the file's permissions",
            ),
        )
    return "reformatted", diagnostics
