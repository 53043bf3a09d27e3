"""CSV master data held to the language's rules (issue 8, items 12 and 13).

Every value read from a CSV cell goes through the rules the same value obeys
in a ``.cost`` file (costsheet.check.values): the same diagnostic code and
the same message, located at the file, line and column of the cell.  Each
case below is a CSV file and the ruleset text that makes the same mistake.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import costsheet
from costsheet.csvdata import read_master_data, table
from costsheet.ruleset import analyze

from .test_checks import SHARED

SETUP = (
    SHARED
    + """
vendor V "Vendor"
rounding R nearest 0.01
workcenter WC "Work center" { direct-unit-cost 42.00/h }
"""
)
#: the items.csv every case starts from (a case may replace it)
ITEMS = "code,replenishment\nK,purchase\nF,prod-order\n"


def load_csv(folder: Path, files: dict[str, str], ruleset: str = SETUP):
    """``analyze`` of ``ruleset`` with a master-data folder holding ``files`` (and items.csv)."""
    folder.mkdir(exist_ok=True)
    for name, text in {"items.csv": ITEMS, **files}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return analyze(ruleset, file="setup.cost", master_data=str(folder))


def where(diagnostic) -> tuple[str, int, int]:
    return Path(diagnostic.span.file).name, diagnostic.span.line, diagnostic.span.column


#: (CSV files, the same mistake in a ruleset (None: compare the code only), code, file, line, column)
CASES = {
    "bom quantity -4": (
        {"bom.csv": "item,component,quantity\nF,K,-4\n"},
        'item F "f" { replenishment prod-order bom { K -4 } }',
        "out-of-range",
        "bom.csv",
        2,
        5,
    ),
    "bom quantity 0": (
        {"bom.csv": "item,component,quantity\nF,K,0\n"},
        'item F "f" { replenishment prod-order bom { K 0 } }',
        "out-of-range",
        "bom.csv",
        2,
        5,
    ),
    "bom scrap": (
        {"bom.csv": "item,component,quantity,scrap\nF,K,1,-5%\n"},
        'item F "f" { replenishment prod-order bom { K 1 scrap -5% } }',
        "out-of-range",
        "bom.csv",
        2,
        7,
    ),
    "unit cost": (
        {"items.csv": "code,unit_cost\nK,-20\n"},
        'item K "k" { unit-cost -20 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "indirect cost %": (
        {"items.csv": "code,indirect_cost\nK,-5%\n"},
        'item K "k" { indirect-cost -5% }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "indirect cost plain": (
        {"items.csv": "code,indirect_cost\nK,-5\n"},
        'item K "k" { indirect-cost -5 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "lot size 0": (
        {"items.csv": "code,description,lot_size\nK,Bolt,0\n"},
        'item K "k" { lot-size 0 }',
        "out-of-range",
        "items.csv",
        2,
        8,
    ),
    "lot size -5": (
        {"items.csv": "code,lot_size\nK,-5\n"},
        'item K "k" { lot-size -5 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "item scrap": ({"items.csv": "code,scrap\nK,-1%\n"}, 'item K "k" { scrap -1% }', "out-of-range", "items.csv", 2, 3),
    "overhead rate": (
        {"items.csv": "code,overhead_rate\nK,-0.5\n"},
        'item K "k" { overhead-rate -0.5 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "last direct cost": (
        {"items.csv": "code,last_direct_cost\nK,-1\n"},
        'item K "k" { last-direct-cost -1 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "standard cost": (
        {"items.csv": "code,standard_cost\nK,-1\n"},
        'item K "k" { standard-cost -1 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "price unit cost": (
        {"prices.csv": "item,vendor,unit_cost\nK,V,-1\n"},
        'item K "k" { }\nprice K vendor V unit-cost -1',
        "out-of-range",
        "prices.csv",
        2,
        5,
    ),
    "price min-qty": (
        {"prices.csv": "item,vendor,unit_cost,min_qty\nK,V,1,-3\n"},
        'item K "k" { }\nprice K vendor V min-qty -3 unit-cost 1',
        "out-of-range",
        "prices.csv",
        2,
        7,
    ),
    "discount over 100%": (
        {"discounts.csv": "item,vendor,percent\nK,V,120%\n"},
        'item K "k" { }\ndiscount K vendor V 120%',
        "out-of-range",
        "discounts.csv",
        2,
        5,
    ),
    "negative discount": (
        {"discounts.csv": "item,vendor,percent\nK,V,-5\n"},
        'item K "k" { }\ndiscount K vendor V -5%',
        "out-of-range",
        "discounts.csv",
        2,
        5,
    ),
    "number too large": (
        {"items.csv": "code,unit_cost\nK,100000000000000\n"},
        'item K "k" { unit-cost 100000000000000 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "5,000 digits": ({"items.csv": "code,unit_cost\nK," + "9" * 5000 + "\n"}, None, "out-of-range", "items.csv", 2, 3),
    "21 decimal places": (
        {"items.csv": "code,unit_cost\nK,0.000000000000000000001\n"},
        'item K "k" { unit-cost 0.000000000000000000001 }',
        "out-of-range",
        "items.csv",
        2,
        3,
    ),
    "huge run time": (
        {"routing.csv": "item,operation,resource,run\nF,10,WC," + "9" * 5000 + "min\n"},
        None,
        "out-of-range",
        "routing.csv",
        2,
        9,
    ),
    "invalid date": (
        {"prices.csv": "item,vendor,unit_cost,from\nK,V,1,2026-02-30\n"},
        'item K "k" { }\nprice K vendor V from 2026-02-30 unit-cost 1',
        "invalid-date",
        "prices.csv",
        2,
        7,
    ),
    "dates reversed": (
        {"prices.csv": "item,vendor,unit_cost,from,to\nK,V,1,2026-02-01,2026-01-01\n"},
        'item K "k" { }\nprice K vendor V from 2026-02-01 to 2026-01-01 unit-cost 1',
        "date-range",
        "prices.csv",
        2,
        18,
    ),
    "code too long": (
        {"items.csv": "code\nK23456789012345678901\n"},
        'item K23456789012345678901 "k" { }',
        "code-too-long",
        "items.csv",
        2,
        1,
    ),
    "unknown replenishment": (
        {"items.csv": "code,replenishment\nK,bought\n"},
        'item K "k" { replenishment bought }',
        "unknown-value",
        "items.csv",
        2,
        3,
    ),
    "unknown costing method": (
        {"items.csv": "code,costing_method\nK,fifo2\n"},
        'item K "k" { costing-method fifo2 }',
        "unknown-value",
        "items.csv",
        2,
        3,
    ),
    "unknown vendor": (
        {"items.csv": "code,vendor\nK,NOPE\n"},
        'item K "k" { vendor NOPE }',
        "unknown-vendor",
        "items.csv",
        2,
        3,
    ),
    "unknown rounding": (
        {"items.csv": "code,rounding\nK,NOPE\n"},
        'item K "k" { rounding NOPE }',
        "unknown-rounding",
        "items.csv",
        2,
        3,
    ),
    "unknown condition": (
        {"items.csv": "code,material_condition\nK,NOPE\n"},
        'item K "k" { condition material NOPE }',
        "unknown-condition",
        "items.csv",
        2,
        3,
    ),
    "condition of another kind": (
        {"items.csv": "code,material_condition\nK,P\n"},
        'item K "k" { condition material P }',
        "condition-kind-mismatch",
        "items.csv",
        2,
        3,
    ),
    "unknown component": (
        {"bom.csv": "item,component,quantity\nF,ZZ,1\n"},
        'item F "f" { replenishment prod-order bom { ZZ 1 } }',
        "unknown-item",
        "bom.csv",
        2,
        3,
    ),
    "bom cycle": (
        {
            "items.csv": "code,replenishment\nA,prod-order\nB,prod-order\n",
            "bom.csv": "item,component,quantity\nA,B,1\nB,A,1\n",
        },
        'item A "a" { replenishment prod-order bom { B 1 } }\nitem B "b" { replenishment prod-order bom { A 1 } }',
        "bom-cycle",
        "bom.csv",
        2,
        3,
    ),
    "unknown resource": (
        {"routing.csv": "item,operation,resource\nF,10,NOPE\n"},
        'item F "f" { replenishment prod-order routing { 10 NOPE } }',
        "unknown-resource",
        "routing.csv",
        2,
        6,
    ),
    "price of an unknown item": (
        {"prices.csv": "item,vendor,unit_cost\nZZ,V,1\n"},
        "price ZZ vendor V unit-cost 1",
        "unknown-item",
        "prices.csv",
        2,
        1,
    ),
    "price of an unknown vendor": (
        {"prices.csv": "item,vendor,unit_cost\nK,NOPE,1\n"},
        'item K "k" { }\nprice K vendor NOPE unit-cost 1',
        "unknown-vendor",
        "prices.csv",
        2,
        3,
    ),
    "item twice": ({"items.csv": "code\nK\nK\n"}, None, "duplicate-code", "items.csv", 3, 1),
    "vendor twice": ({"vendors.csv": "code,name\nW,One\nW,Two\n"}, None, "duplicate-code", "vendors.csv", 3, 1),
    "entry type": (
        {"ledgers.csv": "item,date,type,quantity\nK,2026-01-01,purchse,1\n"},
        None,
        "unknown-value",
        "ledgers.csv",
        2,
        14,
    ),
    "cost on a decrease": (
        {"ledgers.csv": "item,date,type,quantity,cost\nK,2026-01-01,purchase,2,4\nK,2026-01-02,sale,-1,5\n"},
        "ledger K { 2026-01-01 purchase +2 cost 4\n 2026-01-02 sale -1 cost 5 }",
        "misplaced-field",
        "ledgers.csv",
        3,
        22,
    ),
    "ledger of an unknown item": (
        {"ledgers.csv": "item,date,type,quantity\nZZ,2026-01-01,purchase,1\n"},
        "ledger ZZ { 2026-01-01 purchase +1 }",
        "unknown-item",
        "ledgers.csv",
        2,
        1,
    ),
    "huge entry number": (
        {"ledgers.csv": "item,date,type,quantity,applies_to\nK,2026-01-01,sale,-1," + "9" * 5000 + "\n"},
        None,
        "out-of-range",
        "ledgers.csv",
        2,
        22,
    ),
    # work centers and machine centers (issue 11 item 5)
    "work center rate": (
        {"workcenters.csv": "code,direct_unit_cost\nW2,-5\n"},
        'workcenter W2 "w" { direct-unit-cost -5 }',
        "out-of-range",
        "workcenters.csv",
        2,
        4,
    ),
    "work center overhead rate": (
        {"workcenters.csv": "code,description,overhead_rate\nW2,Saw,-1/min\n"},
        None,
        "out-of-range",
        "workcenters.csv",
        2,
        8,
    ),
    "work center indirect cost": (
        {"workcenters.csv": "code,indirect_cost\nW2,-10%\n"},
        'workcenter W2 "w" { indirect-cost -10% }',
        "out-of-range",
        "workcenters.csv",
        2,
        4,
    ),
    "machine center rate": (
        {"machinecenters.csv": "code,work_center,direct_unit_cost\nM2,WC,-3\n"},
        'machinecenter M2 "m" in WC { direct-unit-cost -3 }',
        "out-of-range",
        "machinecenters.csv",
        2,
        7,
    ),
    "unknown subcontractor": (
        {"workcenters.csv": "code,subcontractor\nW2,NOPE\n"},
        'workcenter W2 "w" { subcontractor NOPE }',
        "unknown-vendor",
        "workcenters.csv",
        2,
        4,
    ),
    "unknown capacity condition": (
        {"workcenters.csv": "code,condition\nW2,NOPE\n"},
        'workcenter W2 "w" { condition NOPE }',
        "unknown-condition",
        "workcenters.csv",
        2,
        4,
    ),
    "center condition of another kind": (
        {"machinecenters.csv": "code,work_center,condition\nM2,WC,M\n"},
        'machinecenter M2 "m" in WC { condition M }',
        "condition-kind-mismatch",
        "machinecenters.csv",
        2,
        7,
    ),
    "unknown work center": (
        {"machinecenters.csv": "code,work_center\nM2,NOPE\n"},
        'machinecenter M2 "m" in NOPE { }',
        "unknown-work-center",
        "machinecenters.csv",
        2,
        4,
    ),
    "center code too long": (
        {"workcenters.csv": "code\nW23456789012345678901\n"},
        'workcenter W23456789012345678901 "w" { }',
        "code-too-long",
        "workcenters.csv",
        2,
        1,
    ),
    "work center twice": ({"workcenters.csv": "code\nW2\nW2\n"}, None, "duplicate-code", "workcenters.csv", 3, 1),
    "a machine center with a work center's code": (
        {"workcenters.csv": "code\nW2\n", "machinecenters.csv": "code,work_center\nW2,WC\n"},
        None,
        "duplicate-code",
        "machinecenters.csv",
        2,
        1,
    ),
    "a CSV center with a ruleset center's code": (
        {"machinecenters.csv": "code,work_center\nWC,WC\n"},
        None,
        "duplicate-code",
        "machinecenters.csv",
        2,
        1,
    ),
    "a machine center without its work center": (
        {"machinecenters.csv": "code,work_center\nM2,\n"},
        None,
        "csv-missing-value",
        "machinecenters.csv",
        2,
        4,
    ),
    "a rate that is not one": (
        {"workcenters.csv": "code,direct_unit_cost\nW2,42/week\n"},
        None,
        "csv-bad-rate",
        "workcenters.csv",
        2,
        4,
    ),
    "a time unit that is not one": (
        {"workcenters.csv": "code,direct_unit_cost,time_unit\nW2,1,weeks\n"},
        None,
        "unknown-value",
        "workcenters.csv",
        2,
        6,
    ),
    "a routing time unit that is not one": (
        {"routing.csv": "item,operation,resource,run,run_unit\nF,10,WC,5,hrs\n"},
        None,
        "unknown-value",
        "routing.csv",
        2,
        11,
    ),
    # the items' conditions, one row each
    "item condition kind": (
        {"item-conditions.csv": "item,kind,condition\nK,materiel,M\n"},
        None,
        "unknown-value",
        "item-conditions.csv",
        2,
        3,
    ),
    "item capacity condition": (
        {"item-conditions.csv": "item,kind,condition\nK,capacity,C\n"},
        'item K "k" { condition capacity C }',
        "misplaced-statement",
        "item-conditions.csv",
        2,
        3,
    ),
    "item condition unknown": (
        {"item-conditions.csv": "item,kind,condition\nK,material,NOPE\n"},
        'item K "k" { condition material NOPE }',
        "unknown-condition",
        "item-conditions.csv",
        2,
        12,
    ),
    "item condition of another kind": (
        {"item-conditions.csv": "item,kind,condition\nF,production,C\n"},
        'item F "f" { replenishment prod-order condition production C }',
        "condition-kind-mismatch",
        "item-conditions.csv",
        2,
        14,
    ),
    "item condition twice": (
        {"items.csv": "code,material_condition\nK,M\n", "item-conditions.csv": "item,kind,condition\nK,material,M\n"},
        'item K "k" { condition material M condition material M }',
        "duplicate-field",
        "item-conditions.csv",
        2,
        12,
    ),
    "item condition of an item not in items.csv": (
        {"item-conditions.csv": "item,kind,condition\nZZ,material,M\n"},
        None,
        "unknown-item",
        "item-conditions.csv",
        2,
        1,
    ),
    "item condition without its kind": (
        {"item-conditions.csv": "item,kind,condition\nK,,M\n"},
        None,
        "csv-missing-value",
        "item-conditions.csv",
        2,
        3,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_csv_cell_gets_the_diagnostic_a_ruleset_gets(tmp_path, case):
    files, dsl, code, file, line, column = CASES[case]
    ruleset, diagnostics, _ = load_csv(tmp_path / "md", files)
    errors = [d for d in diagnostics if d.is_error]
    assert [(d.code, *where(d)) for d in errors] == [(code, file, line, column)], errors
    assert ruleset is None and errors[0].hint
    if dsl is not None:
        same = [d for d in analyze(SETUP + dsl, file="setup.cost")[1] if d.code == code]
        assert [d.message for d in same] == [errors[0].message]


def test_negative_csv_values_no_longer_give_negative_material_costs(tmp_path):
    """The reproducer of the issue: a BOM quantity of -4 was accepted and costed."""
    files = {
        "items.csv": "code,replenishment,unit_cost\nK,purchase,2\nF,prod-order,\n",
        "bom.csv": "item,component,quantity\nF,K,-4\n",
    }
    with pytest.raises(costsheet.RulesetError) as raised:
        costsheet.load(SETUP, file="setup.cost", master_data=str(_write(tmp_path, files)))
    assert [d.code for d in raised.value.diagnostics] == ["out-of-range"]


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_correct_csv_folder_loads_and_costs(tmp_path):
    files = {
        "items.csv": "Code,Replenishment,Unit-Cost,Vendor,Cost Base\nK,purchase,2,V,direct-unit-cost\n"
        "F,prod-order,,,\n",
        "bom.csv": "item,component,quantity,scrap\nF,K,4,0\n",
        "routing.csv": "item,operation,resource,setup,run\nF,10,WC,30min,1.5\n",
        "vendors.csv": 'code,name\nW,"Wholesale, Inc."\n',
        "prices.csv": "item,vendor,unit_cost,from,to,min_qty\nK,V,1.50,2026-01-01,2026-12-31,0\n",
        "discounts.csv": "item,vendor,percent\nK,V,10%\n",
    }
    ruleset = costsheet.load(SETUP, file="setup.cost", master_data=str(_write(tmp_path, files)))
    assert ruleset.diagnostics == ()
    assert ruleset.model.vendors["W"].name == "Wholesale, Inc."
    assert ruleset.calculate("F", date=__import__("datetime").date(2026, 6, 1)).unit_cost > 0


# ---------------------------------------------------------------- item 13: the files and rows themselves


@pytest.mark.parametrize(
    "name, guess",
    [
        ("itemz.csv", "items.csv"),
        ("item.csv", "items.csv"),
        ("Items.CSV", "items.csv"),
        ("price.csv", "prices.csv"),
        ("ledger.csv", "ledgers.csv"),
    ],
)
def test_a_misnamed_file_in_a_folder_is_reported_with_the_name_it_may_mean(tmp_path, name, guess):
    folder = _write(tmp_path / "md", {"items.csv": ITEMS, name: "code\nX\n"})
    data, diagnostics = read_master_data(folder)
    (found,) = diagnostics
    assert (found.code, where(found)) == ("csv-unknown-file", (name, 1, 1))
    assert found.is_error and f"did you mean {guess}?" in found.hint
    assert set(data.model.items) == {"K", "F"}


def test_files_that_are_not_csv_are_left_alone_and_a_named_file_must_be_known(tmp_path):
    folder = _write(tmp_path / "md", {"items.csv": ITEMS, "README.txt": "exported from BC", "notes.md": "x"})
    assert read_master_data(folder)[1] == ()
    (found,) = read_master_data([folder / "items.csv", folder / "README.txt"])[1]
    assert found.code == "csv-unknown-file"


def test_a_repeated_header_row_is_one_warning_and_the_rows_after_it_load(tmp_path):
    files = {"prices.csv": "item,vendor,unit_cost,min_qty\nK,V,1,0\nItem,Vendor,Unit-Cost,Min-Qty\nK,V,2,10\n"}
    ruleset, diagnostics, _ = load_csv(tmp_path / "md", files)
    (found,) = diagnostics
    assert (found.code, where(found), found.is_error) == ("csv-repeated-header", ("prices.csv", 3, 1), False)
    assert "repeats the header" in found.message
    assert [p.unit_cost for p in ruleset.model.prices] == [1, 2]


def test_a_repeated_header_in_a_ledger_file_too(tmp_path):
    files = {"ledgers.csv": "item,date,type,quantity\nK,2026-01-01,purchase,1\nitem,date,type,quantity\n"}
    _, diagnostics, _ = load_csv(tmp_path / "md", files)
    assert [(d.code, *where(d)) for d in diagnostics] == [("csv-repeated-header", "ledgers.csv", 3, 1)]


def test_a_bad_cell_gets_one_diagnostic_not_a_second_that_contradicts_it(tmp_path):
    _, diagnostics, _ = load_csv(tmp_path / "md", {"prices.csv": "item,vendor,unit_cost\nK,V,cheap\nK,V,\n"})
    assert [(d.code, *where(d)) for d in diagnostics] == [
        ("csv-bad-number", "prices.csv", 2, 5),
        ("csv-missing-value", "prices.csv", 3, 5),
    ]


@pytest.mark.parametrize("text", ["1,000.00", "1000,50", "1 000", "1e3", "0x10", "١٢"[:0] + "NaN"])
def test_numbers_are_written_as_in_a_ruleset(tmp_path, text):
    _, diagnostics, _ = load_csv(tmp_path / "md", {"items.csv": f'code,unit_cost\nK,"{text}"\n'})
    (found,) = diagnostics
    assert (found.code, where(found)) == ("csv-bad-number", ("items.csv", 2, 3))
    if "," in text or " " in text:
        assert "no thousands separators" in found.hint


def test_header_problems(tmp_path):
    _, diagnostics, _ = load_csv(tmp_path / "md", {"items.csv": "code,unit_cost,Unit Cost,unit_cots\nK,1,2,3\n"})
    assert [(d.code, *where(d)) for d in diagnostics] == [("csv-duplicate-column", "items.csv", 1, 16)]
    _, diagnostics, _ = load_csv(tmp_path / "md2", {"items.csv": "code,unit_cots,warehouse\nK,3,W1\n"})
    (found,) = diagnostics
    assert (found.code, where(found), found.is_error) == ("csv-unknown-column", ("items.csv", 1, 6), False)
    assert "did you mean unit_cost?" in found.message
    _, diagnostics, _ = load_csv(tmp_path / "md3", {"bom.csv": "item,quantity\n"})
    assert [(d.code, *where(d)) for d in diagnostics] == [("csv-missing-column", "bom.csv", 1, 1)]
    _, diagnostics, _ = load_csv(tmp_path / "md4", {"bom.csv": ""})
    assert [(d.code, *where(d)) for d in diagnostics] == [("csv-empty", "bom.csv", 1, 1)]


def test_columns_count_quoted_commas_and_newlines(tmp_path):
    files = {"items.csv": 'code,description,unit_cost\nK,"Bolt, ""M8""",-1\nF,"two\nlines, here",-2\n'}
    _, diagnostics, _ = load_csv(tmp_path / "md", files)
    assert [(d.code, *where(d)) for d in diagnostics] == [
        ("out-of-range", "items.csv", 2, 18),
        ("out-of-range", "items.csv", 4, 14),
    ]


def test_unreadable_files_are_diagnostics(tmp_path, monkeypatch):
    folder = _write(tmp_path / "md", {"items.csv": ITEMS})
    (folder / "bom.csv").write_bytes(b"item,component,quantity\nF,K,1\nF,\xff\xfe,2\n")
    (found,) = read_master_data(folder)[1]
    assert (found.code, where(found)) == ("csv-unreadable", ("bom.csv", 3, 3))  # at the bad byte
    (found,) = read_master_data(None, [tmp_path / "missing.csv"])[1]
    assert found.code == "csv-unreadable" and "does not exist" in found.message
    (found,) = read_master_data(None, [folder])[1]
    assert found.code == "csv-unreadable" and "folder" in found.message
    if hasattr(os, "mkfifo"):  # a FIFO would block a reader forever
        os.mkfifo(tmp_path / "fifo.csv")
        (found,) = read_master_data(None, [tmp_path / "fifo.csv"])[1]
        assert found.code == "csv-unreadable" and "not a regular file" in found.message
    monkeypatch.setattr(table, "MAX_BYTES", 10)
    assert [(d.code, *where(d)) for d in read_master_data(folder)[1]] == [
        ("csv-too-large", "items.csv", 1, 1),
        ("csv-too-large", "bom.csv", 1, 1),
    ]


def test_a_cell_longer_than_the_csv_module_reads_is_a_diagnostic(tmp_path):
    _, diagnostics, _ = load_csv(tmp_path / "md", {"items.csv": 'code,description\nK,"' + "x" * 200_000 + '"\n'})
    (found,) = diagnostics
    assert found.code == "csv-unreadable" and found.span.line == 2


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["items.csv", "bom.csv", "routing.csv", "prices.csv", "discounts.csv", "ledgers.csv"]),
    text=st.lists(
        st.sampled_from(
            [
                *'KFV,"\n\r-%.0123456789 e2026abc\u2028\x00',
                "item",
                "code",
                "quantity",
                "unit_cost",
                "2026-02-30",
                "purchase",
                "charge",
                "9" * 30,
            ]
        ),
        max_size=60,
    ).map("".join),
)
def test_any_csv_text_gives_located_diagnostics_never_an_exception(tmp_path, name, text):
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8", newline="")
    for other in folder.iterdir():
        if other.name != name:
            other.unlink()
    _, diagnostics, _ = analyze(SETUP, file="setup.cost", master_data=str(folder))
    assert all(d.span is not None and d.span.line >= 1 and d.span.column >= 1 and d.hint for d in diagnostics)


WARNINGS = {
    "purchased item with a BOM": ({"bom.csv": "item,component,quantity\nK,F,1\n"}, "unused-bom", "bom.csv", 2, 3),
    "no price line": ({"items.csv": "code,cost_base\nK,direct-unit-cost\n"}, "no-price-line", "items.csv", 2, 1),
    "no condition": ({"items.csv": "code,replenishment\nK,assembly\n"}, "no-condition", "items.csv", 2, 1),
    "a work center without a condition": ({"workcenters.csv": "code\nW2\n"}, "no-condition", "workcenters.csv", 2, 1),
    "a machine center without a condition": (
        {"workcenters.csv": "code\nW2\n", "machinecenters.csv": "code,work_center\nM2,W2\n"},
        "no-condition",
        "machinecenters.csv",
        2,
        1,
    ),
}


@pytest.mark.parametrize("case", WARNINGS)
def test_csv_items_get_the_warnings_ruleset_items_get(tmp_path, case):
    files, code, file, line, column = WARNINGS[case]
    # so that an assembly item and a center find no condition
    ruleset = SETUP.replace("default production P ", "").replace("default capacity C ", "")
    _, diagnostics, _ = load_csv(tmp_path / "md", files, ruleset)
    (found,) = [d for d in diagnostics if d.code == code and where(d)[0] == file]
    assert (where(found), found.is_error) == ((file, line, column), False)
    assert not [d for d in diagnostics if d.is_error]


def test_check_shows_the_csv_line_under_the_message(tmp_path):
    from costsheet.cli.check import check_paths, render_report

    (tmp_path / "setup.cost").write_text(SETUP, encoding="utf-8")
    folder = _write(tmp_path / "md", {"items.csv": ITEMS, "bom.csv": "item,component,quantity\nF,K,-4\n"})
    report = check_paths([str(tmp_path / "setup.cost")], [str(folder)])
    text = render_report(report, "text")
    assert f"{folder / 'bom.csv'}:2:5: error[out-of-range]: quantity of the BOM line of K in item F" in text
    assert "2 | F,K,-4\n  |     ^^\n" in text
    assert text.endswith("1 error, 0 warnings in 3 files\n")


def test_several_folders_are_read_in_turn_and_a_file_named_twice_once(tmp_path):
    first = _write(tmp_path / "a", {"items.csv": "code\nK\n", "vendors.csv": "code\nW\n"})
    second = _write(tmp_path / "b", {"items.csv": "code\nF\nK\n"})
    data, diagnostics = read_master_data([first, second])
    assert set(data.model.items) == {"K", "F"} and set(data.model.vendors) == {"W"}
    (found,) = diagnostics
    assert (found.code, where(found)) == ("duplicate-code", ("items.csv", 3, 1))
    assert str(first / "items.csv") in found.message and found.span.file == str(second / "items.csv")
    data, diagnostics = read_master_data([first, first / "items.csv"])
    assert diagnostics == () and [i.path for i in data.inputs] == [str(first / "items.csv"), str(first / "vendors.csv")]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_that_cannot_be_listed_is_a_diagnostic(tmp_path):
    folder = _write(tmp_path / "md", {"items.csv": ITEMS})
    folder.chmod(0o300)
    try:
        (found,) = read_master_data(folder)[1]
    finally:
        folder.chmod(0o700)
    assert found.code == "csv-unreadable" and "folder" in found.message
