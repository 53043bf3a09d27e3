"""Reading reports back: workbooks with openpyxl, CSV with Decimal; and comparing numbers with the JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from costsheet.cli import main
from costsheet.numbers import D

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "rulesets" / "demo.cost"


def run(*args: str, env: dict[str, str] | None = None):
    """``costsheet ARGS`` through click's runner (standard output and error apart)."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def json_of(*args: str) -> dict:
    out = run(*args, "--format", "json")
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def csv_file(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    """The data rows of a sheet as dicts keyed by header (the header row is the first bold row that
    follows the title block: the row after the part's title)."""
    import openpyxl

    sheet = openpyxl.load_workbook(path)[name]
    rows = list(sheet.iter_rows())
    header_index = _header_index(sheet)
    headers = [cell.value for cell in rows[header_index]]
    found = []
    for row in rows[header_index + 1 :]:
        values = [cell.value for cell in row]
        if not any(v is not None for v in values):
            break  # the notes follow an empty row
        found.append(dict(zip(headers, values, strict=False)))
    return found


def _header_index(sheet) -> int:
    """The header row: the row frozen panes start below."""
    from openpyxl.utils.cell import coordinate_from_string

    _, row = coordinate_from_string(sheet.freeze_panes)
    return row - 2


def close(cell: object, text: str | None) -> bool:
    """A workbook's number agrees with the JSON's string to 15 significant digits (both empty: agree)."""
    if text is None or text == "":
        return cell is None
    if not isinstance(cell, (int, float)) or isinstance(cell, bool):
        return False
    exact = D(text)
    if exact == 0:
        return cell == 0
    return abs(Decimal(repr(float(cell))) - exact) <= abs(exact) * Decimal("1e-15")


def exact(cell: str, text: str | None) -> bool:
    """A CSV cell is exactly the JSON's string (both empty: agree)."""
    return cell == (text or "")
