"""docs/master-data.md holds what the program reads: every file and column, every setting of the
mapping file, and examples that load as the page says.

Its files (``<!-- file: NAME -->`` blocks, tools/doctext.py) are written into a folder: the
canonical files (md/), the Business Central export with its csv.rules (bc/) and the Finance and
Operations one (fo/) load without a diagnostic, and bc/ gives the model md/ gives, but for the one
difference the page names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from costsheet.cli.check import check_paths, render_report
from costsheet.csvdata import FILES, read_master_data
from costsheet.csvdata.ledgers import COLUMNS as LEDGER_COLUMNS
from costsheet.csvdata.mapping import SETTINGS
from costsheet.ruleset import analyze

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path set-up above

PAGE = (ROOT / "docs" / "master-data.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("master-data-doc")
    for step in doctext.session(PAGE):
        assert isinstance(step, doctext.File), "the page holds files, no commands"
        (base / step.name).parent.mkdir(parents=True, exist_ok=True)
        (base / step.name).write_text(step.text, encoding="utf-8")
    return base


def test_the_page_lists_every_file_with_its_columns():
    rows = doctext.table(PAGE, "The files", "file")
    listed = {row["file"].strip("`"): (row["required columns"], row["optional columns"]) for row in rows}
    expected = {name: (", ".join(required), ", ".join(optional)) for name, (required, optional) in FILES.items()}
    expected["ledgers.csv"] = (", ".join(LEDGER_COLUMNS[:3]), ", ".join(LEDGER_COLUMNS[3:]))
    assert listed == expected


def test_the_page_lists_every_setting_of_the_mapping_file():
    rows = doctext.table(PAGE, "The mapping file", "setting")
    assert [row["setting"].strip("`") for row in rows] == list(SETTINGS)


@pytest.mark.parametrize("name", ["md", "bc", "fo"])
def test_each_example_loads_with_the_pages_ruleset_without_a_diagnostic(folder, name):
    ruleset, diagnostics, _ = analyze(folder / "setup.cost", master_data=str(folder / name))
    assert diagnostics == () and ruleset is not None
    if name != "fo":
        assert ruleset.calculate("1000", date=dt.date(2026, 6, 1)).unit_cost > 0


def test_the_business_central_export_reads_as_the_canonical_files_but_for_the_difference_the_page_names(folder):
    canonical = read_master_data(folder / "md")[0].model
    bc = read_master_data(folder / "bc")[0].model
    assert [bc.items[code].standard_cost for code in ("1100", "1110")] == [Decimal("0.00")] * 2
    assert "items 1100\nand 1110 get a standard cost of 0.00" in PAGE
    same = {
        code: attrs.evolve(item, standard_cost=canonical.items[code].standard_cost) for code, item in bc.items.items()
    }
    assert attrs.evolve(bc, items=same) == canonical


def test_the_finance_and_operations_export_reads_its_numbers_and_dates(folder):
    fo = read_master_data(folder / "fo")[0].model
    assert fo.items["1200"].unit_cost == Decimal("1234.50")
    assert fo.items["1110"].costing_method == "weighted-average"
    assert [(p.starting, p.ending, p.min_qty) for p in fo.prices] == [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), 0),
        (dt.date(2026, 1, 1), None, 1000),
    ]


def test_the_diagnostic_the_page_shows_is_the_programs(folder, tmp_path):
    shown = re.search(r"```text\n(md/bom\.csv:2:11: .*?)```", PAGE, re.S).group(1)
    broken = tmp_path / "md"
    broken.mkdir()
    for file in (folder / "md").iterdir():
        (broken / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "bom.csv").write_text("item,component,quantity,scrap\n1000,1100,-2,\n1000,1110,1,5%\n", encoding="utf-8")
    with contextlib.chdir(tmp_path):
        (tmp_path / "setup.cost").write_text((folder / "setup.cost").read_text(encoding="utf-8"), encoding="utf-8")
        text = render_report(check_paths(["setup.cost"], ["md"]), "text")
    assert shown in text


def test_the_units_currencies_versions_and_phantoms_example_costs_what_the_page_says(folder):
    ruleset, diagnostics, _ = analyze(folder / "realism.cost", master_data=str(folder / "units"))
    assert diagnostics == () and ruleset is not None
    assert "costs the bike at 89.712" in PAGE
    assert ruleset.calculate("BIKE", date=dt.date(2026, 7, 15)).unit_cost == Decimal("89.712")
    # before July: no lamp (4.00), the spokes at 1.0850: 2 x 0.36 x 11.00 x 1.0850 = 8.5932
    assert ruleset.calculate("BIKE", date=dt.date(2026, 3, 1)).unit_cost == Decimal("40.00") + Decimal(
        "10.00"
    ) + Decimal("8.5932") + Decimal("27.00")


def test_the_business_central_units_versions_and_currencies_read_as_the_canonical_files(folder):
    """bc-units/ and the hand-kept phantoms/ give the model of units/ (the page's claim)."""
    canonical, canonical_diagnostics = read_master_data(folder / "units")
    bc, bc_diagnostics = read_master_data([folder / "bc-units", folder / "phantoms"])
    assert canonical_diagnostics == () and bc_diagnostics == ()
    assert bc.model == canonical.model
    assert "reads the model `units`\ngives" in PAGE
    ruleset, diagnostics, _ = analyze(
        folder / "realism.cost", master_data=[str(folder / "bc-units"), str(folder / "phantoms")]
    )
    assert diagnostics == () and ruleset.calculate("BIKE", date=dt.date(2026, 7, 15)).unit_cost == Decimal("89.712")


def test_the_by_and_co_products_example_costs_what_the_page_says(folder):
    """joint/ beside units/: 89.712 less 0.25 x 1.20 = 0.30, less 10% of the rest (8.9412) = 80.4708;
    fo-joint/, an export read through its csv.rules, gives the same model."""
    both = [str(folder / "units"), str(folder / "joint")]
    ruleset, diagnostics, _ = analyze(folder / "realism.cost", master_data=both)
    assert diagnostics == () and ruleset is not None
    assert "costs the bike at 80.4708" in PAGE and "8.9412, which is BIKE-KIT's unit cost" in " ".join(PAGE.split())
    day = dt.date(2026, 7, 15)
    assert ruleset.calculate("BIKE", date=day).unit_cost == Decimal("80.4708")
    assert ruleset.calculate("BIKE-KIT", date=day).unit_cost == Decimal("8.9412")
    canonical, canonical_diagnostics = read_master_data([folder / "units", folder / "joint"])
    mapped, mapped_diagnostics = read_master_data([folder / "units", folder / "fo-joint"])
    assert canonical_diagnostics == () and mapped_diagnostics == ()
    assert mapped.model == canonical.model
