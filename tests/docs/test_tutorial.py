"""docs/tutorial.md runs as written: every step's file, every command, every output.

tools/doctext.py extracts the files (``<!-- file: NAME -->`` blocks) and the
commands (``console`` blocks) in page order, runs the commands in a fresh
folder and compares their output with the page.  After a deliberate change of
an output: ``python tools/doctext.py update docs/tutorial.md``, then read the
diff and the prose around it, which does the arithmetic by hand; the numbers
the prose states are checked below, so an update cannot quietly change them.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import costsheet

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path set-up above

PAGE = ROOT / "docs" / "tutorial.md"


def test_every_command_of_the_tutorial_prints_what_the_page_shows():
    assert doctext.differences(PAGE) == [], "run `python tools/doctext.py update docs/tutorial.md` and review"


def test_the_tutorial_starts_from_an_empty_file_and_runs_the_commands_it_promises():
    steps = doctext.session(PAGE.read_text(encoding="utf-8"))
    files = [s for s in steps if isinstance(s, doctext.File)]
    commands = [
        s.line.split()[1] + (" --explain" if "--explain" in s.line else "")
        for s in steps
        if isinstance(s, doctext.Command)
    ]
    assert files[0].text == "" and {f.name for f in files} == {"birdhouse.cost"}
    assert {"check", "calc", "calc --explain", "value", "fmt"} <= set(commands)


def _ruleset(step: int):
    files = [s for s in doctext.session(PAGE.read_text(encoding="utf-8")) if isinstance(s, doctext.File)]
    return costsheet.load(files[step].text, file="birdhouse.cost")


def test_the_numbers_the_prose_works_out_by_hand():
    import datetime as dt

    day = dt.date(2026, 6, 15)
    fifo, average = _ruleset(-2), _ruleset(-1)
    parts = {code: fifo.calculate(code, date=day).unit_cost for code in ("BOARD", "ROOF", "SCREW")}
    assert parts == {"BOARD": Decimal("2.75"), "ROOF": Decimal("3.30"), "SCREW": Decimal("0.055")}
    house = fifo.calculate("BH-100", date=day)
    assert house.totals["1199"] == Decimal("14.96") and house.totals["2199"] == Decimal("5.40")
    assert house.rolled_up["2110"] == Decimal("4.50") and house.rolled_up["3100"] == Decimal("1.018")
    assert house.rolled_up["1110"] == Decimal("13.60") and house.rolled_up["1120"] == Decimal("1.36")
    assert house.single_level["1110"] == Decimal("14.96")
    assert house.unit_cost == Decimal("21.378")
    assert [c.value for c in house.charges] == [Decimal("21.378"), Decimal("5.3445"), Decimal("27")]
    assert house.list_price == Decimal("27")
    board = fifo.value()["BOARD"]
    assert [e.cost_amount for e in board.entries][-1] == Decimal("-380.00")
    assert (board.quantity_on_hand, board.inventory_value) == (Decimal("50"), Decimal("130.00"))
    board = average.value(as_of=dt.date(2026, 6, 30))["BOARD"]
    assert [e.cost_amount for e in board.entries][-1] == Decimal("-382.50")
    assert board.inventory_value == Decimal("127.50")
