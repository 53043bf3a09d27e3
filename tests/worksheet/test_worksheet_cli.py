"""``costsheet worksheet``: the worksheet, and --implement writing it back into copies of the demo
and of CSV master data; the files written keep every byte but the amounts that change."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from costsheet.cli import main
from costsheet.ruleset import analyze, load

ROOT = Path(__file__).resolve().parents[2]
DATE = "2026-12-01"


def run(*args: str):
    return CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"}).invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def demo(tmp_path):
    for name in ("demo.cost", "demo-ledger.cost"):
        shutil.copy(ROOT / "rulesets" / name, tmp_path / name)
    return tmp_path / "demo.cost"


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def _worksheet(path, *args: str, date: str = DATE) -> dict:
    result = run("worksheet", str(path), *args, "--date", date, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_worksheet_shows_current_and_new_standard_costs_with_shares(demo):
    data = _worksheet(demo, "ICO-0001")
    assert data["copy_standard_cost"] == "all-levels"
    bike = data["items"][0]
    assert bike["item"] == "ICO-0001" and bike["current"]["standard_cost"] == "1180.00"
    ruleset = load(demo)
    result = ruleset.calculate("ICO-0001", date=dt.date.fromisoformat(DATE))
    assert bike["new"]["standard_cost"] == str(result.unit_cost)
    assert sum(map(Decimal, bike["new"]["shares"].values())) == result.unit_cost
    # all-levels: every item the calculation visited has a line
    assert {line["item"] for line in data["items"]} == set(result.standard_costs)
    assert bike["changed"] and bike["percent"] is not None


def test_implement_changes_only_standard_costs_and_price_records(demo):
    before = demo.read_text(encoding="utf-8")
    ledger = (demo.parent / "demo-ledger.cost").read_text(encoding="utf-8")
    result = run("worksheet", str(demo), "--all", "--date", DATE, "--implement")
    assert result.exit_code == 0, result.output
    after = demo.read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == ["  standard-cost  1180.00"]
    assert all(re.fullmatch(r"\s*standard-cost\s+\d+\.\d+", line) for line in added if "standard-cost" in line)
    prices = [line for line in added if "standard-cost" not in line]
    assert prices and all(re.match(r"(list|unit|sales)-price ", line) for line in prices)
    assert (demo.parent / "demo-ledger.cost").read_text(encoding="utf-8") == ledger
    assert analyze(demo)[1] == ()
    again = _worksheet(demo, "--all")
    assert not any(line["changed"] for line in again["items"] + again["prices"])
    assert "no differences" in run("worksheet", str(demo), "--all", "--date", DATE).output


def test_implement_from_a_date_adds_dated_versions_with_shares(demo):
    before = demo.read_text(encoding="utf-8")
    result = run("worksheet", str(demo), "ICO-0001", "--date", DATE, "--implement", "--from", DATE)
    assert result.exit_code == 0, result.output
    removed, added = _changed_lines(before, demo.read_text(encoding="utf-8"))
    assert removed == []
    versions = [line for line in added if line.startswith("standard-cost ")]
    assert versions and all(f" from {DATE} " in line and " shares { " in line for line in versions)
    assert analyze(demo)[1] == ()
    again = _worksheet(demo, "ICO-0001")
    assert not any(line["changed"] for line in again["items"] + again["prices"])
    assert again["items"][0]["current"]["from"] == DATE
    # a second implement from the same date updates the versions in place: nothing to change
    assert run("worksheet", str(demo), "ICO-0001", "--date", DATE, "--implement", "--from", DATE).exit_code == 0
    assert _changed_lines(before, demo.read_text(encoding="utf-8"))[1] == added


LAYOUT = """\
# the parts, kept apart\x20\x20
include "parts/bolts.cost"   # an included file

setup { default material M  default production P }   # one line
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
  3100 element "Mfg. overhead"     mfg-overhead
}
condition material M "m" { direct 1110 overhead 1120 line 1120 "Handling" percent 10 }
condition production P "p" { direct 1110 overhead 3100 }
condition charge LP "Retail" {
  copy-price list-price+sales-price
  sales-type customer-price-group RETAIL
  line "Cost" row A element 1110
  line "List price" formula "A * 2" list-price
}

item KIT   "Kit"   { replenishment assembly  bom { BOLT 4 }  condition charge LP  standard-cost 1.00 }  # same line
item PLAIN "Plain" {
    unit-cost      3.00     # aligned, with comments
    lot-size       5
}
standard-cost KIT from 2026-01-01 2.00 shares {
  material 2.00   # a share
}
"""

BOLTS = """\
\ufeff# bolts from the included file\r
item BOLT "Bolt" {\r
  unit-cost 0.25\r
}\r
"""


@pytest.fixture
def layout(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "main.cost").write_text(LAYOUT, encoding="utf-8")
    (tmp_path / "parts" / "bolts.cost").write_bytes(BOLTS.encode("utf-8"))
    return tmp_path / "main.cost"


def test_write_back_keeps_comments_layout_and_includes_byte_for_byte(layout):
    result = run("worksheet", str(layout), "--all", "--date", DATE, "--implement")
    assert result.exit_code == 0, result.output
    main_after = layout.read_text(encoding="utf-8")
    head = LAYOUT[: LAYOUT.index("item PLAIN")]
    # KIT's standard on the date comes from its dated version: its amounts change, its layout stays;
    # PLAIN has no standard cost: it gets the field; the prices follow KIT's last dated declaration
    assert main_after == head + (
        'item PLAIN "Plain" {\n'
        "    unit-cost      3.00     # aligned, with comments\n"
        "    lot-size       5\n"
        "    standard-cost 3.30\n"
        "}\n"
        "standard-cost KIT from 2026-01-01 1.10 shares {\n"
        "  material 1.10   # a share\n"
        "}\n"
        "list-price KIT from 2026-12-01 2.00\n"
        "sales-price KIT customer-price-group RETAIL from 2026-12-01 2.00\n"
    )
    # the included file: BOLT is declared there, so its standard cost is written there, CRLF and mark kept
    bolts = (layout.parent / "parts" / "bolts.cost").read_bytes()
    assert bolts == BOLTS.replace("  unit-cost 0.25\r\n", "  unit-cost 0.25\r\n  standard-cost 0.275\r\n").encode(
        "utf-8"
    )
    assert analyze(layout)[1] == ()
    again = _worksheet(layout, "--all")
    assert not any(line["changed"] for line in again["items"] + again["prices"])


def test_a_one_line_item_gets_its_field_on_its_line(tmp_path):
    path = tmp_path / "one.cost"
    path.write_text(
        "setup { default material M  default production P }\n"
        'chart { 1110 element "M" material 1120 element "O" material-overhead 3100 element "F" mfg-overhead }\n'
        'condition material M "m" { direct 1110 overhead 1120 }\n'
        'condition production P "p" { direct 1110 overhead 3100 }\n'
        'item A "a" { unit-cost 2.5 }  # kept\nitem B "b" { }\n'
        'item C "c" {\n  replenishment assembly  bom {\n    A 2\n  }\n}\n'
        'item D "d" {\n  replenishment assembly  lot-size 2  bom {\n    A 1\n  }\n}\n',
        encoding="utf-8",
    )
    assert run("worksheet", str(path), "--all", "--date", DATE, "--implement").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert 'item A "a" { unit-cost 2.5 standard-cost 2.50 }  # kept\n' in text
    assert 'item B "b" { standard-cost 0.00 }\n' in text
    # more on the last field's line (a BOM that goes on): the field joins that line
    assert 'item C "c" {\n  replenishment assembly standard-cost 5.00  bom {\n' in text
    assert 'item D "d" {\n  replenishment assembly  lot-size 2 standard-cost 2.50  bom {\n' in text
    assert analyze(path)[1] == ()


def _erp(tmp_path) -> Path:
    """The Business Central export of docs/erp.md, whose ruleset names its folder."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import doctext

    for step in doctext.session((ROOT / "docs" / "erp.md").read_text(encoding="utf-8")):
        if isinstance(step, doctext.File):
            target = tmp_path / step.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
    setup = tmp_path / "setup.cost"
    assert 'setup { master-data "erp" }' in setup.read_text(encoding="utf-8")
    return setup


def test_csv_items_get_standard_costs_csv_beside_their_export(tmp_path):
    setup = _erp(tmp_path)
    exports = {p.name: p.read_bytes() for p in (tmp_path / "erp").iterdir()}
    ruleset_text = setup.read_text(encoding="utf-8")
    assert run("worksheet", str(setup), "--all", "--date", DATE, "--implement").exit_code == 0
    assert setup.read_text(encoding="utf-8") == ruleset_text
    assert {p.name: p.read_bytes() for p in (tmp_path / "erp").iterdir() if p.name in exports} == exports
    written = (tmp_path / "erp" / "standard-costs.csv").read_text(encoding="utf-8").splitlines()
    # the folder's mapping says how: semicolons, decimal commas, dd.mm.yyyy
    assert written[0] == "item;from;standard_cost;material;capacity;subcontracted;capacity_overhead;mfg_overhead"
    assert all(line.split(";")[1] == "01.12.2026" for line in written[1:]) and len(written) == 4
    assert analyze(setup)[1] == ()
    again = _worksheet(setup, "--all")
    assert not any(line["changed"] for line in again["items"])
    # the next export has a new price for the wheel: --from adds dated rows with their shares
    items = tmp_path / "erp" / "Item.csv"
    items.write_text(items.read_text(encoding="utf-8").replace("45,20", "46,00"), encoding="utf-8")
    late = ("--date", "2027-01-01", "--implement", "--from", "2027-01-01")
    assert run("worksheet", str(setup), "--all", *late).exit_code == 0
    rows = (tmp_path / "erp" / "standard-costs.csv").read_text(encoding="utf-8").splitlines()
    assert rows[:4] == written and [row.split(";")[:2] for row in rows[4:]] == [
        ["1000", "01.01.2027"],
        ["1100", "01.01.2027"],
    ]
    assert all(any(cell for cell in row.split(";")[3:]) for row in rows[4:])
    prices = (tmp_path / "erp" / "sales-prices.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(";")[:3] for row in prices[1:]] == [
        ["1000", "sales-price", "01.12.2026"],
        ["1000", "sales-price", "01.01.2027"],
    ]
    assert analyze(setup)[1] == ()
    assert not any(line["changed"] for line in _worksheet(setup, "--all", date="2027-01-01")["items"])


def test_the_price_import_file(demo, tmp_path):
    target = tmp_path / "prices.csv"
    result = run("worksheet", str(demo), "ICO-0001", "--date", DATE, "--prices-csv", str(target))
    assert result.exit_code == 0, result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Item No.,Sales Type,Sales Code,Starting Date,Unit Price"
    assert "ICO-0001,Customer Price Group,RETAIL,2026-12-01,511.80" in lines
    assert "ICO-0001,All Customers,,2026-12-01,511.80" in lines


def test_usage_and_unknown_items(demo):
    assert run("worksheet", str(demo)).exit_code == 2
    assert run("worksheet", str(demo), "ICO-0001", "--from", DATE).exit_code == 2
    result = run("worksheet", str(demo), "ICO-0009", "--date", DATE)
    assert result.exit_code == 1 and "unknown-item" in result.output


def test_csv_master_data_with_units_currencies_versions_and_phantoms_is_left_as_exported(tmp_path):
    """docs/master-data.md's units/ folder: --implement writes standard-costs.csv beside it and
    leaves every other file (item-units, exchange rates, versions, per, currency columns) as it was;
    the standards it writes are the costs of the versions valid on the date."""
    sys.path.insert(0, str(ROOT / "tools"))
    import doctext

    for step in doctext.session((ROOT / "docs" / "master-data.md").read_text(encoding="utf-8")):
        if isinstance(step, doctext.File) and step.name.split("/")[0] in ("realism.cost", "units"):
            target = tmp_path / step.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
    setup = tmp_path / "realism.cost"
    folder = tmp_path / "units"
    exports = {p.name: p.read_bytes() for p in folder.iterdir()}
    implement = ("--master-data", str(folder), "--implement", "--from", "2026-07-15")
    result = run("worksheet", str(setup), "--all", "--date", "2026-07-15", *implement)
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in exports} == exports
    rows = (folder / "standard-costs.csv").read_text(encoding="utf-8").splitlines()
    assert "BIKE,2026-07-15,89.712" in [",".join(row.split(",")[:3]) for row in rows]
    assert not any(row.startswith("WHEELSET,") for row in rows)  # a phantom is never costed alone
    assert analyze(setup, master_data=str(folder))[1] == ()
