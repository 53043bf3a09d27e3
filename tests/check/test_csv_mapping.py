"""Master data from any ERP export: the mapping file csv.rules (issue 11, item 5).

A Business Central export (German locale: semicolons, Windows-1252, 1.234,50,
31.01.2026, BC's own headers and words) and a Finance and Operations one
(en-US: 1,234.50, 1/31/2026, F&O's headers) load through a mapping file
without being edited, into exactly the model the canonical CSV files give;
every mistake in the mapping file is a located diagnostic; and a table written
with any separator, decimal and date settings reads back, with its mapping, as
the canonical CSV does (a hypothesis property).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import costsheet
from costsheet.csvdata import read_master_data
from costsheet.csvdata.mapping import MAPPING_FILE, parse_mapping
from costsheet.csvdata.master import _COLUMNS
from costsheet.ruleset import analyze

from .test_checks import SHARED

SETUP = SHARED
DATE = dt.date(2026, 6, 1)


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def where(diagnostic) -> tuple[str, int, int]:
    return Path(diagnostic.span.file).name, diagnostic.span.line, diagnostic.span.column


# ---------------------------------------------------------------- the canonical files

CANONICAL = {
    "items.csv": "code,description,unit,unit_cost,standard_cost,costing_method,replenishment,lot_size,scrap,"
    "indirect_cost,overhead_rate,vendor\n"
    "1000,Rennrad,STK,1234.50,1180.00,standard,prod-order,10,2,5,2.50,\n"
    "1100,Vorderrad,STK,45.20,,fifo,purchase,1,,,,V-1000\n"
    "1110,Felge für Vorderrad,STK,12.10,,average,purchase,,,,,V-1000\n",
    "item-conditions.csv": "item,kind,condition\n1100,material,M\n",
    "bom.csv": "item,component,quantity,scrap\n1000,1100,2,\n1000,1110,1,5\n",
    "routing.csv": "item,operation,resource,setup,run\n1000,10,100,30min,12min\n1000,20,110,0.25h,4.5min\n",
    "workcenters.csv": "code,description,direct_unit_cost,indirect_cost,overhead_rate\n"
    "100,Montage,0.70/min,10,0.05/min\n",
    "machinecenters.csv": "code,work_center,description,direct_unit_cost\n110,100,Zentriermaschine,0.92/min\n",
    "vendors.csv": "code,name\nV-1000,Speichen GmbH\n",
    "prices.csv": "item,vendor,unit_cost,from,to,min_qty\n1100,V-1000,44.00,2026-01-01,2026-12-31,0\n"
    "1100,V-1000,41.50,2026-01-01,,1000\n1110,V-1000,11.90,,,0\n",
}

# ---------------------------------------------------------------- Business Central, German locale

BC_RULES = """\
# Business Central, exported from a German client: Windows-1252, semicolons, 1.234,50, 31.01.2026
encoding            cp1252
separator           ;
decimal-comma       yes
thousands-separator .
date-format         dd.mm.yyyy

items.csv: file=Item.csv, code=No., unit="Base Unit of Measure", unit_cost="Unit Cost",
  costing_method="Costing Method", replenishment="Replenishment System", scrap="Scrap %",
  indirect_cost="Indirect Cost %", vendor="Vendor No."
items.csv replenishment:  Purchase=purchase, "Prod. Order"=prod-order, Assembly=assembly
items.csv costing_method: FIFO=fifo, LIFO=lifo, Average=average, Standard=standard, Specific=specific

bom.csv: file="Production BOM Line.csv", item="Production BOM No.", component=No., quantity="Quantity per",
  scrap="Scrap %"
routing.csv: file="Routing Line.csv", item="Routing No.", operation="Operation No.", resource=No.,
  setup="Setup Time", run="Run Time", setup_unit="Setup Time Unit of Meas. Code",
  run_unit="Run Time Unit of Meas. Code"
routing.csv setup_unit: MINUTES=min, HOURS=h
routing.csv run_unit:   MINUTES=min, HOURS=h
workcenters.csv: file="Work Center.csv", code=No., description=Name, direct_unit_cost="Direct Unit Cost",
  indirect_cost="Indirect Cost %", time_unit="Unit of Measure Code", subcontractor="Subcontractor No."
workcenters.csv time_unit: MINUTES=min, HOURS=h
machinecenters.csv: file="Machine Center.csv", code=No., description=Name, work_center="Work Center No.",
  direct_unit_cost="Direct Unit Cost", indirect_cost="Indirect Cost %"
vendors.csv: file=Vendor.csv, code=No., name=Name
prices.csv: file="Purchase Price.csv", item="Item No.", vendor="Vendor No.", unit_cost="Direct Unit Cost",
  from="Starting Date", to="Ending Date", min_qty="Minimum Quantity"

# written by hand beside the export, the canonical way
item-conditions.csv: encoding=utf-8, separator=",", decimal-comma=no, thousands-separator=none
"""

BC = {
    MAPPING_FILE: BC_RULES,
    "Item.csv": (
        "No.;Description;Base Unit of Measure;Unit Cost;Standard Cost;Costing Method;Replenishment System;"
        "Lot Size;Scrap %;Indirect Cost %;Overhead Rate;Vendor No.;Unit Price\r\n"
        "1000;Rennrad;STK;1.234,50;1.180,00;Standard;Prod. Order;10;2;5;2,50;;1.999,00\r\n"
        "1100;Vorderrad;STK;45,20;;FIFO;Purchase;1;;;;V-1000;\r\n"
        "1110;Felge für Vorderrad;STK;12,10;;Average;Purchase;;;;;V-1000;\r\n"
    ).encode("cp1252"),
    "item-conditions.csv": CANONICAL["item-conditions.csv"],
    "Production BOM Line.csv": (
        "Production BOM No.;Line No.;Type;No.;Description;Quantity per;Scrap %\r\n"
        "1000;10000;Item;1100;Vorderrad;2;\r\n"
        "1000;20000;Item;1110;Felge für Vorderrad;1;5\r\n"
    ).encode("cp1252"),
    "Routing Line.csv": (
        "Routing No.;Operation No.;Type;No.;Description;Setup Time;Run Time;"
        "Setup Time Unit of Meas. Code;Run Time Unit of Meas. Code\r\n"
        "1000;10;Work Center;100;Montage;30;12;MINUTES;MINUTES\r\n"
        "1000;20;Machine Center;110;Zentrieren;0,25;4,5;HOURS;MINUTES\r\n"
    ).encode("cp1252"),
    "Work Center.csv": (
        "No.;Name;Direct Unit Cost;Indirect Cost %;Overhead Rate;Unit of Measure Code;"
        "Subcontractor No.\r\n100;Montage;0,70;10;0,05;MINUTES;\r\n"
    ).encode("cp1252"),
    "Machine Center.csv": (
        "No.;Name;Work Center No.;Direct Unit Cost;Indirect Cost %;Overhead Rate\r\n110;Zentriermaschine;100;0,92;;\r\n"
    ).encode("cp1252"),
    "Vendor.csv": "No.;Name\r\nV-1000;Speichen GmbH\r\n".encode("cp1252"),
    "Purchase Price.csv": (
        "Item No.;Vendor No.;Starting Date;Ending Date;Minimum Quantity;Direct Unit Cost\r\n"
        "1100;V-1000;01.01.2026;31.12.2026;0;44,00\r\n"
        "1100;V-1000;01.01.2026;;1.000;41,50\r\n"
        "1110;V-1000;;;0;11,90\r\n"
    ).encode("cp1252"),
}


def test_a_business_central_export_loads_through_its_mapping_as_the_canonical_files_do(tmp_path):
    canonical, canonical_problems = read_master_data(write(tmp_path / "canonical", CANONICAL))
    bc, problems = read_master_data(write(tmp_path / "bc", BC))
    assert canonical_problems == () and problems == ()
    assert bc.model == canonical.model
    item = bc.model.items["1000"]
    assert (item.unit_cost, item.standard_cost, item.overhead_rate) == (
        Decimal("1234.50"),
        Decimal("1180.00"),
        Decimal("2.50"),
    )
    assert [(line.resource, line.setup_seconds, line.run_seconds) for line in item.routing] == [
        ("100", 1800, 720),
        ("110", 900, 270),
    ]
    assert bc.model.machine_centers["110"].direct_unit_cost.per_seconds == 60  # its work center's unit, minutes
    assert [p.min_qty for p in bc.model.prices] == [0, 1000, 0]
    assert bc.model.items["1110"].description == "Felge für Vorderrad"  # read as Windows-1252
    results = [
        costsheet.load(SETUP, file="setup.cost", master_data=str(tmp_path / name)).calculate("1000", date=DATE)
        for name in ("canonical", "bc")
    ]
    assert results[0].to_json() == results[1].to_json() and results[0].unit_cost > 0


def test_the_mapping_file_is_an_input_of_the_calculation(tmp_path):
    folder = write(tmp_path / "bc", BC)
    ruleset = costsheet.load(SETUP, file="setup.cost", master_data=str(folder))
    mapping = [i for i in ruleset.inputs if i.kind == "mapping"]
    assert [i.path for i in mapping] == [str(folder / MAPPING_FILE)]
    assert str(folder / "Item.csv") in [i.path for i in ruleset.inputs if i.kind == "master-data"]
    (folder / MAPPING_FILE).write_text(BC_RULES.replace("Average=average", "Average=fifo"), encoding="utf-8")
    changed = costsheet.load(SETUP, file="setup.cost", master_data=str(folder))
    assert [i.sha256 for i in changed.inputs if i.kind == "mapping"] != [i.sha256 for i in mapping]
    assert changed.model.items["1110"].costing_method == "fifo"


def test_a_file_named_on_its_own_is_read_with_the_mapping_beside_it(tmp_path):
    folder = write(tmp_path / "bc", BC)
    data, problems = read_master_data([folder / "Item.csv", folder / "Vendor.csv", folder / MAPPING_FILE])
    assert problems == ()
    assert set(data.model.items) == {"1000", "1100", "1110"} and set(data.model.vendors) == {"V-1000"}
    assert [i.kind for i in data.inputs] == ["mapping", "master-data", "master-data"]


def test_the_export_keeps_its_file_name_and_the_canonical_name_is_then_unknown(tmp_path):
    folder = write(tmp_path / "bc", {**BC, "items.csv": CANONICAL["items.csv"]})
    _, problems = read_master_data(folder)
    (found,) = problems
    assert (found.code, where(found)) == ("csv-unknown-file", ("items.csv", 1, 1))
    assert "Item.csv" in found.hint


# ---------------------------------------------------------------- Finance and Operations, en-US

FO_RULES = """\
# Finance and Operations, Released products and purchase prices exported from an en-US client
thousands-separator ,
date-format         m/d/yyyy

items.csv: file="Released products.csv", code="Item number", description="Product name",
  unit="Inventory unit", unit_cost="Cost price", costing_method="Item model group",
  replenishment="Default order type", vendor="Main vendor"
items.csv costing_method: FIFO=fifo, WAVG=weighted-average, MAVG=moving-average, STD=standard
items.csv replenishment:  "Purchase order"=purchase, Production=prod-order
prices.csv: file="Purchase prices.csv", item="Item relation", vendor="Account selection",
  unit_cost="Amount in currency", from="From date", to="To date", min_qty="From"
vendors.csv: file="Vendors.csv", code="Vendor account", name=Name
"""

FO = {
    MAPPING_FILE: FO_RULES,
    "Released products.csv": "\ufeffItem number,Product name,Product type,Item model group,Default order type,"
    "Inventory unit,Cost price,Main vendor\n"
    '1000,Racing bike,Item,WAVG,Production,ea,"1,234.50",\n'
    "1100,Front wheel,Item,FIFO,Purchase order,ea,45.20,V-1000\n",
    "Purchase prices.csv": "Item relation,Account selection,From date,To date,From,Amount in currency,Currency\n"
    "1100,V-1000,1/1/2026,12/31/2026,0.00,44.00,EUR\n"
    '1100,V-1000,1/1/2026,,"1,000.00",41.50,EUR\n',
    "Vendors.csv": "Vendor account,Name\nV-1000,Spoke Supplies Ltd.\n",
}

FO_CANONICAL = {
    "items.csv": "code,description,unit,unit_cost,costing_method,replenishment,vendor\n"
    "1000,Racing bike,ea,1234.50,weighted-average,prod-order,\n"
    "1100,Front wheel,ea,45.20,fifo,purchase,V-1000\n",
    "prices.csv": "item,vendor,unit_cost,from,to,min_qty\n1100,V-1000,44.00,2026-01-01,2026-12-31,0.00\n"
    "1100,V-1000,41.50,2026-01-01,,1000.00\n",
    "vendors.csv": "code,name\nV-1000,Spoke Supplies Ltd.\n",
}


def test_a_finance_and_operations_export_loads_through_its_mapping_as_the_canonical_files_do(tmp_path):
    canonical, canonical_problems = read_master_data(write(tmp_path / "canonical", FO_CANONICAL))
    fo, problems = read_master_data(write(tmp_path / "fo", FO))
    assert canonical_problems == () and problems == ()
    assert fo.model == canonical.model
    assert fo.model.items["1000"].unit_cost == Decimal("1234.50")
    assert [(p.starting, p.ending, p.min_qty) for p in fo.model.prices] == [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), 0),
        (dt.date(2026, 1, 1), None, 1000),
    ]


# ---------------------------------------------------------------- cells of an export, located


def _bc_folder(tmp_path, **replace: str) -> Path:
    files = dict(BC)
    for name, text in replace.items():
        files[name.replace("_", " ") + ".csv"] = text.encode("cp1252")
    return write(tmp_path / "bc", files)


@pytest.mark.parametrize(
    "row, code, column, hint",
    [
        ("1100;V-1000;01.01.2026;;0;44.00", "csv-bad-number", 27, "1.234,50"),  # a point where the comma goes
        ("1100;V-1000;01.01.2026;;0;4.4,00", "csv-bad-number", 27, "1.234,50"),  # a group of one digit
        ("1100;V-1000;2026-01-01;;0;44,00", "csv-bad-date", 13, "dd.mm.yyyy"),
        ("1100;V-1000;30.02.2026;;0;44,00", "invalid-date", 13, "dd.mm.yyyy"),
        ("1100;V-1000;01.01.2026;;-1;44,00", "out-of-range", 25, None),
    ],
)
def test_a_bad_cell_of_an_export_is_located_at_its_cell(tmp_path, row, code, column, hint):
    header = "Item No.;Vendor No.;Starting Date;Ending Date;Minimum Quantity;Direct Unit Cost\r\n"
    folder = _bc_folder(tmp_path, Purchase_Price=header + row + "\r\n")
    _, diagnostics, _ = analyze(SETUP, file="setup.cost", master_data=str(folder))
    (found,) = [d for d in diagnostics if d.is_error]
    assert (found.code, where(found)) == (code, ("Purchase Price.csv", 2, column))
    if hint:
        assert hint in found.hint


_ITEM_HEADER = (
    "No.;Base Unit of Measure;Unit Cost;Costing Method;Replenishment System;Scrap %;Indirect Cost %;Vendor No.\r\n"
)


def test_an_exported_word_the_mapping_does_not_translate_is_the_rulesets_unknown_value(tmp_path):
    folder = _bc_folder(tmp_path, Item=_ITEM_HEADER + "1000;STK;1;Standard;Transfer;;;\r\n")
    _, diagnostics, _ = analyze(SETUP, file="setup.cost", master_data=str(folder))
    errors = [(d.code, *where(d)) for d in diagnostics if d.is_error and d.span.file.endswith("Item.csv")]
    assert errors == [("unknown-value", "Item.csv", 2, 21)]
    assert "Transfer is not a value of replenishment" in next(d.message for d in diagnostics if d.is_error)


def test_words_are_translated_without_regard_to_case(tmp_path):
    folder = _bc_folder(tmp_path, Item=_ITEM_HEADER + "1000;;;;PROD. ORDER;;;\r\n1100;;;;purchase;;;\r\n")
    data, _ = read_master_data(folder)
    assert [i.replenishment for i in data.model.items.values()] == ["prod-order", "purchase"]


def test_an_export_in_the_wrong_encoding_is_located_at_its_byte(tmp_path):
    folder = write(tmp_path / "x", {MAPPING_FILE: "encoding utf-8\n", "items.csv": b"code,description\nK,f\xfcr\n"})
    (found,) = read_master_data(folder)[1]
    assert (found.code, where(found)) == ("csv-unreadable", ("items.csv", 2, 4))
    assert "encoding cp1252" in found.hint
    folder = write(
        tmp_path / "y", {MAPPING_FILE: "encoding utf-16\n", "items.csv": "code,description\nK,für\n".encode("utf-16")}
    )
    data, problems = read_master_data(folder)
    assert problems == () and data.model.items["K"].description == "für"


def test_a_mapped_header_the_export_lacks_is_located_in_the_mapping_file(tmp_path):
    folder = write(
        tmp_path / "x",
        {MAPPING_FILE: 'items.csv: code=No., unit_cost="Unit Cots"\n', "items.csv": "No.,Unit Cost\nK,1\n"},
    )
    (found,) = read_master_data(folder)[1]
    assert (found.code, where(found)) == ("mapping-missing-header", (MAPPING_FILE, 1, 32))
    assert "did you mean 'Unit Cost'?" in found.hint


def test_a_header_of_one_cell_hints_at_the_separator(tmp_path):
    folder = write(tmp_path / "x", {MAPPING_FILE: "items.csv: code=No.\n", "items.csv": "No.;Name\nK;k\n"})
    (found,) = read_master_data(folder)[1]
    assert found.code == "mapping-missing-header" and "separator ;" in found.hint


def test_lines_for_a_file_the_folder_lacks_are_a_warning(tmp_path):
    folder = write(
        tmp_path / "x", {MAPPING_FILE: "items.csv: code=No.\nbom.csv: item=Parent\n", "items.csv": "No.\nK\n"}
    )
    data, problems = read_master_data(folder)
    (found,) = problems
    assert (found.code, where(found), found.is_error) == ("mapping-unused", (MAPPING_FILE, 2, 1), False)
    assert set(data.model.items) == {"K"}


def test_an_export_header_close_to_a_column_hints_at_the_mapping(tmp_path):
    folder = write(tmp_path / "x", {MAPPING_FILE: "items.csv: code=No.\n", "items.csv": "No.,Indirect Cost %\nK,5\n"})
    (found,) = read_master_data(folder)[1]
    assert (found.code, found.is_error) == ("csv-unknown-column", False)
    assert 'items.csv: indirect_cost="Indirect Cost %"' in found.hint


def test_a_mapped_header_is_read_as_the_column_it_is_mapped_to_and_as_nothing_else(tmp_path):
    folder = write(
        tmp_path / "x",
        {
            MAPPING_FILE: 'items.csv: unit_cost="Standard Cost", code=No.\n',
            "items.csv": "No.,Standard Cost,Description\nK,5,Bolt\n",
        },
    )
    data, problems = read_master_data(folder)
    item = data.model.items["K"]
    assert problems == () and (item.unit_cost, item.standard_cost, item.description) == (5, None, "Bolt")


# ---------------------------------------------------------------- mistakes in the mapping file

MISTAKES = {
    "unknown setting": ("decimal-coma yes", "mapping-unknown-setting", 1, 1, "did you mean decimal-comma?"),
    "not a line at all": ("this is not a rule", "mapping-syntax", 1, 1, "neither a setting"),
    "no value": ("separator", "mapping-bad-value", 1, 1, "has no value"),
    "two characters": ("separator ;;", "mapping-bad-value", 1, 11, "cannot separate cells"),
    "decimal comma maybe": ("decimal-comma maybe", "mapping-bad-value", 1, 15, "yes or no"),
    "thousands of letters": ("thousands-separator k", "mapping-bad-value", 1, 21, "cannot separate thousands"),
    "thousands = decimal": (
        "decimal-comma yes\nthousands-separator ,",
        "mapping-bad-value",
        2,
        21,
        "the decimal separator too",
    ),
    "two-digit year": ("date-format dd.mm.yy", "mapping-bad-value", 1, 13, "yy is not read"),
    "no day": ("date-format mm/yyyy", "mapping-bad-value", 1, 13, "the day is missing"),
    "month twice": ("date-format mm/mm/yyyy", "mapping-bad-value", 1, 13, "the month appears twice"),
    "unknown encoding": ("encoding klingon", "mapping-bad-value", 1, 10, "not an encoding"),
    "not a text encoding": ("encoding base64", "mapping-bad-value", 1, 10, "not an encoding"),
    "setting twice": ("separator ;\nseparator ,", "mapping-duplicate", 2, 11, "first at line 1"),
    "unknown file": ("itemz.csv: code=No.", "mapping-unknown-file", 1, 1, "did you mean items.csv?"),
    "unknown column": ("items.csv: cod=No.", "mapping-unknown-column", 1, 12, "did you mean code?"),
    "unknown value column": (
        "items.csv replenishmnet: Purchase=purchase",
        "mapping-unknown-column",
        1,
        11,
        "did you mean replenishment?",
    ),
    "column twice": ("items.csv: code=No.\nitems.csv: code=Item", "mapping-duplicate", 2, 12, "first at line 1"),
    "word twice": (
        "items.csv replenishment: Purchase=purchase, PURCHASE=assembly",
        "mapping-duplicate",
        1,
        45,
        "first at line 1, column 26",
    ),
    "empty header": ("items.csv: code=", "mapping-bad-value", 1, 17, "empty header"),
    "file in a folder": ("items.csv: file=erp/Item.csv", "mapping-bad-value", 1, 17, "without a folder"),
    "file twice": ("items.csv: file=a.csv, file=b.csv", "mapping-duplicate", 1, 24, "first at line 1"),
    "one export for two files": (
        "items.csv: file=a.csv\nvendors.csv: file=a.csv",
        "mapping-duplicate",
        2,
        19,
        "read as items.csv (line 1, column 17) and as vendors.csv",
    ),
    "another file's own name": (
        "items.csv: file=bom.csv",
        "mapping-duplicate",
        1,
        17,
        "the name of costsheet's bom.csv",
    ),
    "thousands of slashes": ("thousands-separator /", "mapping-bad-value", 1, 21, "cannot separate thousands"),
    "a pair without =": ("items.csv: code No.", "mapping-syntax", 1, 12, "has no =VALUE"),
    "a key missing": ("items.csv: =No.", "mapping-syntax", 1, 12, "a key is missing"),
    "a quote not closed": ('items.csv: code="No.', "mapping-syntax", 1, 17, "not closed"),
    "text after a quote": ('items.csv: code="No." x', "mapping-syntax", 1, 23, "a comma is missing"),
    "three words before the colon": ("items.csv unit cost: a=b", "mapping-syntax", 1, 1, "is not a file"),
    "indented, continuing nothing": ("  code=No.", "mapping-syntax", 1, 3, "no file line before it"),
    "continuing a setting": ("separator ;\n  code=No.", "mapping-syntax", 2, 3, "no file line before it"),
    "a per-file setting gone wrong": ("items.csv: decimal-comma=perhaps", "mapping-bad-value", 1, 26, "yes or no"),
}


@pytest.mark.parametrize("case", MISTAKES)
def test_a_mistake_in_the_mapping_file_is_located_with_a_stable_code(case):
    text, code, line, column, says = MISTAKES[case]
    _, diagnostics = parse_mapping(text + "\n", MAPPING_FILE, _COLUMNS)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [(code, line, column)], diagnostics
    (found,) = diagnostics
    assert says in found.message + " " + found.hint and found.is_error and found.hint


def test_every_mistake_of_a_mapping_file_is_reported_in_one_run_and_the_rest_still_counts():
    text = (
        "\n".join(
            MISTAKES[case][0] for case in ("unknown setting", "two characters", "unknown column", "a quote not closed")
        )
        + "\nitems.csv: code=No.\ndecimal-comma yes\n"
    )
    mapping, diagnostics = parse_mapping(text, MAPPING_FILE, _COLUMNS)
    assert [d.code for d in diagnostics] == [
        "mapping-unknown-setting",
        "mapping-bad-value",
        "mapping-unknown-column",
        "mapping-syntax",
    ]
    assert mapping.file("items.csv").columns["code"].text == "No."
    assert mapping.format.decimal_comma and mapping.format.separator == ","


def test_the_continuation_of_a_broken_line_says_nothing_more():
    _, diagnostics = parse_mapping('items.csv: code="No.\n  description=Name\n', MAPPING_FILE, _COLUMNS)
    assert [d.code for d in diagnostics] == ["mapping-syntax"]


def test_files_may_swap_names():
    mapping, diagnostics = parse_mapping("items.csv: file=bom.csv\nbom.csv: file=items.csv\n", MAPPING_FILE, _COLUMNS)
    assert diagnostics == () and (mapping.names()["bom.csv"], mapping.names()["items.csv"]) == ("items.csv", "bom.csv")


def test_comments_blank_lines_and_quotes():
    text = (
        '# a comment\n\n   # an indented comment\nitems.csv: description="Name, ""short""", code = No. ,\n'
        '  unit_cost = "Unit Cost"\nseparator "|"\nthousands-separator space\n'
    )
    mapping, diagnostics = parse_mapping(text, MAPPING_FILE, _COLUMNS)
    assert diagnostics == ()
    columns = {name: header.text for name, header in mapping.file("items.csv").columns.items()}
    assert columns == {"description": 'Name, "short"', "code": "No.", "unit_cost": "Unit Cost"}
    assert (mapping.format.separator, mapping.format.thousands) == ("|", " ")


def test_a_mapping_file_that_is_not_utf8_is_a_diagnostic(tmp_path):
    folder = write(tmp_path / "x", {MAPPING_FILE: b"items.csv: code=Nr\xfc\n", "items.csv": "code\nK\n"})
    (found,) = read_master_data(folder)[1]
    assert (found.code, where(found)) == ("csv-unreadable", (MAPPING_FILE, 1, 19))


# ---------------------------------------------------------------- a table in any format reads as the canonical one

#: characters every encoding of _FORMATS can write
_HEADER_CHARS = st.characters(max_codepoint=0xFF, categories=("L", "N", "P", "Zs"))
_CODES = st.text("ABCDEFGHJK0123456789-", min_size=1, max_size=8)
_AMOUNTS = st.decimals(
    min_value=0, max_value=Decimal("99999999999.999999"), places=6, allow_nan=False, allow_infinity=False
)
_DATES = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
_FORMATS = st.fixed_dictionaries(
    {
        "separator": st.sampled_from([",", ";", "\t", "|"]),
        "decimal_comma": st.booleans(),
        "thousands": st.sampled_from(["", ".", ",", " ", "\u00a0", "'"]),
        "date": st.sampled_from(["yyyy-mm-dd", "dd.mm.yyyy", "d.m.yyyy", "m/d/yyyy", "yyyymmdd", "dd/mm/yyyy"]),
        "encoding": st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1"]),
    }
).filter(lambda f: f["thousands"] != ("," if f["decimal_comma"] else "."))


def _number(value: Decimal, form: dict) -> str:
    whole, _, fraction = format(value, "f").partition(".")
    if form["thousands"]:
        groups = []
        while len(whole) > 3:
            whole, group = whole[:-3], whole[-3:]
            groups.insert(0, group)
        whole = form["thousands"].join([whole, *groups])
    return whole + ((("," if form["decimal_comma"] else ".") + fraction) if fraction else "")


def _date(value: dt.date | None, form: dict) -> str:
    if value is None:
        return ""
    pattern = form["date"]
    for token, text in (
        ("yyyy", f"{value.year:04d}"),
        ("mm", f"{value.month:02d}"),
        ("dd", f"{value.day:02d}"),
        ("m", str(value.month)),
        ("d", str(value.day)),
    ):
        pattern = pattern.replace(token, text)
    return pattern


def _table(rows: list[list[str]], separator: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _thousands(separator: str) -> str:
    return "none" if not separator else "space" if not separator.strip() else _quoted(separator)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form=_FORMATS,
    items=st.dictionaries(
        _CODES, st.tuples(_AMOUNTS, st.sampled_from(["purchase", "prod-order", "assembly"])), min_size=1, max_size=6
    ),
    prices=st.lists(st.tuples(_AMOUNTS, _DATES, st.one_of(st.none(), st.integers(0, 3000)), _AMOUNTS), max_size=6),
    headers=st.lists(st.text(_HEADER_CHARS, min_size=1, max_size=12), min_size=9, max_size=9),
)
def test_a_table_in_any_format_reads_back_with_its_mapping_as_the_canonical_table(
    tmp_path, form, items, prices, headers
):
    from costsheet.csvdata.table import column_name

    names = [column_name(header) for header in [*headers, "Vendor"]]
    assume("" not in names and len(set(names)) == len(names))  # headers that tell the columns apart
    prices = [
        (cost, start, None if days is None else start + dt.timedelta(days=days), quantity)
        for cost, start, days, quantity in prices
    ]
    codes = list(items)
    item_rows = [[code, "Item, " + code, _number(cost, form), words.upper()] for code, (cost, words) in items.items()]
    price_rows = [
        [codes[i % len(codes)], "V", _number(cost, form), _date(start, form), _date(end, form), _number(quantity, form)]
        for i, (cost, start, end, quantity) in enumerate(prices)
    ]
    canonical_prices = [
        [
            codes[i % len(codes)],
            "V",
            format(cost, "f"),
            start.isoformat(),
            end.isoformat() if end else "",
            format(quantity, "f"),
        ]
        for i, (cost, start, end, quantity) in enumerate(prices)
    ]
    item_headers, price_headers = headers[:4], [*headers[4:], "Vendor"]
    rules = (
        "\n".join(
            [
                f"encoding {form['encoding']}",
                f"separator {'tab' if form['separator'] == chr(9) else _quoted(form['separator'])}",
                f"decimal-comma {'yes' if form['decimal_comma'] else 'no'}",
                f"thousands-separator {_thousands(form['thousands'])}",
                f"date-format {form['date']}",
                "items.csv: "
                + ", ".join(
                    f"{column}={_quoted(header)}"
                    for column, header in zip(
                        ("code", "description", "unit_cost", "replenishment"), item_headers, strict=True
                    )
                ),
                "items.csv replenishment: PURCHASE=purchase, PROD-ORDER=prod-order, ASSEMBLY=assembly",
                "prices.csv: "
                + ", ".join(
                    f"{column}={_quoted(header)}"
                    for column, header in zip(
                        ("item", "unit_cost", "from", "to", "min_qty", "vendor"), price_headers, strict=True
                    )
                ),
            ]
        )
        + "\n"
    )
    price_order = [0, 2, 3, 4, 5, 1]  # the exported file's columns in another order than the canonical one's
    exported = {
        MAPPING_FILE: rules,
        "items.csv": _table([item_headers, *item_rows], form["separator"]).encode(form["encoding"]),
        "prices.csv": _table(
            [[price_headers[i] for i in range(6)], *[[row[price_order[i]] for i in range(6)] for row in price_rows]],
            form["separator"],
        ).encode(form["encoding"]),
    }
    canonical = {
        "items.csv": _table(
            [
                ["code", "description", "unit_cost", "replenishment"],
                *[[code, "Item, " + code, format(cost, "f"), words] for code, (cost, words) in items.items()],
            ],
            ",",
        ),
        "prices.csv": _table([["item", "vendor", "unit_cost", "from", "to", "min_qty"], *canonical_prices], ","),
    }
    expected, expected_problems = read_master_data(write(tmp_path / "canonical", canonical))
    found, problems = read_master_data(write(tmp_path / "exported", exported))
    assert problems == expected_problems == ()
    assert found.model == expected.model


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(
        st.sampled_from(
            [
                "items.csv",
                "bom.csv",
                "itemz.csv",
                " replenishment",
                ":",
                ": ",
                "=",
                ",",
                '"',
                '""',
                "\n",
                "\n  ",
                "#",
                "code",
                "No.",
                "separator",
                "decimal-comma",
                "thousands-separator",
                "date-format",
                "encoding",
                " yes",
                " ;",
                " dd.mm.yyyy",
                " cp1252",
                " utf-16",
                "file",
                "Item.csv",
                " ",
                "\t",
                "\u00e9",
                "\x00",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_any_mapping_text_gives_located_diagnostics_never_an_exception(tmp_path, text):
    _, diagnostics = parse_mapping(text, MAPPING_FILE, _COLUMNS)
    assert all(d.span is not None and d.span.line >= 1 and d.span.column >= 1 and d.hint for d in diagnostics)
    folder = write(tmp_path / "fuzz", {MAPPING_FILE: text, "items.csv": "code,No.\nK,1\n"})
    _, found, _ = analyze(SETUP, file="setup.cost", master_data=str(folder))
    assert all(d.span is not None and d.hint for d in found)


def test_a_ledger_file_named_on_its_own_is_read_with_the_ledgers_lines_of_the_mapping_beside_it(tmp_path):
    rules = (
        "decimal-comma yes\nthousands-separator .\ndate-format dd.mm.yyyy\nseparator ;\n"
        'ledgers.csv: item="Item No.", date="Posting Date", type="Entry Type", quantity=Quantity,'
        ' cost="Cost Amount (Actual)"\n'
        'ledgers.csv type: Purchase=purchase, Sale=sale, "Positive Adjmt."=positive-adjustment\n'
    )
    folder = write(
        tmp_path / "bc",
        {
            MAPPING_FILE: rules,
            "Item Ledger Entry.csv": "Posting Date;Entry Type;Item No.;Quantity;Cost Amount (Actual)\n"
            "02.01.2026;Purchase;K;1.000;1.250,00\n"
            "03.02.2026;Sale;K;-400;\n"
            "04.02.2026;Positive Adjmt.;K;2;2,50\n",
        },
    )
    ruleset = costsheet.load(
        SETUP + 'item K "k" { unit-cost 1 }', file="setup.cost", ledger_csv=[folder / "Item Ledger Entry.csv"]
    )
    entries = ruleset.model.ledgers["K"].entries
    assert [(e.date, e.type, e.quantity, e.cost) for e in entries] == [
        (dt.date(2026, 1, 2), "purchase", 1000, Decimal("1250.00")),
        (dt.date(2026, 2, 3), "sale", -400, None),
        (dt.date(2026, 2, 4), "positive-adjustment", 2, Decimal("2.50")),
    ]
    assert [i.kind for i in ruleset.inputs][-2:] == ["mapping", "ledgers"]
