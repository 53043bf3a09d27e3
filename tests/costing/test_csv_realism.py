"""CSV master data with units of measure, currencies, BOM/routing versions and phantoms: each file
and column reads into the very model the same master data written as a ruleset builds, and costs
identically (docs/master-data.md, "Units, currencies, versions and phantoms")."""

from __future__ import annotations

import datetime as dt

import costsheet
from costsheet.costing import calculate
from costsheet.numbers import D
from costsheet.ruleset import analyze

from .support import CHART

SETUP = CHART + "setup { currency EUR }\n"
WORKCENTER = 'workcenter WC1 "Assembly" { direct-unit-cost 30.00/h }\n'

#: LANGUAGE's section-14 example without its by- and co-products, as a ruleset
RULESET = """
exchange-rate USD from 2026-01-01 1.0850
exchange-rate USD from 2026-07-01 1.1000
vendor V-3000 "US Fasteners" { currency USD }
item SPOKE "Spoke" {
  unit PCS
  unit-of-measure BOX 100
  vendor V-3000
  cost-base direct-unit-cost
}
price SPOKE vendor V-3000 from 2026-01-01 unit-cost 11.00 per BOX
price SPOKE vendor V-3000 from 2026-01-01 min-qty 2 unit-cost 10.00 per BOX
item RIM   "Rim"   { unit-cost 5.00 }
item FRAME "Frame" { unit-cost 40.00 }
item LAMP  "Lamp"  { unit-cost 4.00 }
item WHEELSET "Wheel set (phantom)" {
  replenishment phantom
  bom { RIM 1  SPOKE 0.36 unit BOX }
  routing { 50 WC1 run 6min }
}
item BIKE "City bike" {
  replenishment prod-order
  bom { FRAME 1  WHEELSET 2 }
  bom from 2026-07-01 { FRAME 1  WHEELSET 2  LAMP 1 }
  routing from 2026-01-01 { 10 WC1 setup 30min run 12min }
}
"""

#: the same master data as CSV files
FILES = {
    "items.csv": "code,description,replenishment,unit,vendor,unit_cost,cost_base\n"
    "SPOKE,Spoke,,PCS,V-3000,,direct-unit-cost\n"
    "RIM,Rim,,,,5.00,\n"
    "FRAME,Frame,,,,40.00,\n"
    "LAMP,Lamp,,,,4.00,\n"
    "WHEELSET,Wheel set (phantom),phantom,,,,\n"
    "BIKE,City bike,prod-order,,,,\n",
    "item-units.csv": "item,unit,factor\nSPOKE,BOX,100\n",
    "vendors.csv": "code,name,currency\nV-3000,US Fasteners,USD\n",
    "exchange-rates.csv": "currency,from,rate\nUSD,2026-01-01,1.0850\nUSD,2026-07-01,1.1000\n",
    "prices.csv": "item,vendor,unit_cost,from,min_qty,per\n"
    "SPOKE,V-3000,11.00,2026-01-01,,BOX\nSPOKE,V-3000,10.00,2026-01-01,2,BOX\n",
    "bom.csv": "item,component,quantity,unit,from\n"
    "WHEELSET,RIM,1,,\nWHEELSET,SPOKE,0.36,BOX,\n"
    "BIKE,FRAME,1,,\nBIKE,WHEELSET,2,,\n"
    "BIKE,FRAME,1,,2026-07-01\nBIKE,WHEELSET,2,,2026-07-01\nBIKE,LAMP,1,,2026-07-01\n",
    "routing.csv": "item,operation,resource,setup,run,from\n"
    "WHEELSET,50,WC1,,6min,\nBIKE,10,WC1,30min,12min,2026-01-01\n",
}


def _folder(tmp_path, files=FILES):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _both(tmp_path, files=FILES, ruleset=RULESET):
    from_csv = costsheet.load(SETUP + WORKCENTER, file="setup.cost", master_data=str(_folder(tmp_path, files)))
    from_dsl = costsheet.load(SETUP + WORKCENTER + ruleset, file="setup.cost")
    assert from_csv.diagnostics == () and from_dsl.diagnostics == ()
    return from_csv, from_dsl


def test_the_realism_example_from_csv_is_the_model_and_the_costs_of_the_ruleset(tmp_path):
    """Before and after the July versions and exchange rate, every item's JSON is the same both ways;
    by hand on 2026-07-15 (a lot of 1: 0.72 BOX, under the 2-BOX price): a BOX of spokes at 11.00 USD
    x 1.1000 = 12.10 EUR; 2 wheel sets: 2 x (5.00 + 0.36 x 12.10) = 18.712; frame 40.00, lamp 4.00;
    wheel set run 2 x 6 min + bike run 12 min + setup 30 min = 54 min at 30.00/h = 27.00: 89.712."""
    from_csv, from_dsl = _both(tmp_path)
    assert from_csv.model.items == from_dsl.model.items
    assert from_csv.model.vendors == from_dsl.model.vendors
    assert from_csv.model.prices == from_dsl.model.prices
    assert from_csv.model.exchange_rates == from_dsl.model.exchange_rates
    for date in (dt.date(2026, 3, 1), dt.date(2026, 7, 15)):
        csv_result, dsl_result = from_csv.calculate("BIKE", date=date), from_dsl.calculate("BIKE", date=date)
        assert csv_result.to_json() == dsl_result.to_json()
    assert from_csv.calculate("BIKE", date=dt.date(2026, 7, 15)).unit_cost == D("89.712")


def _codes(tmp_path, files, ruleset=""):
    """(code, file name, line, column) of each diagnostic of loading ``files`` beside ``ruleset``."""
    _, diagnostics, _ = analyze(
        SETUP + WORKCENTER + ruleset, file="setup.cost", master_data=str(_folder(tmp_path, files))
    )
    return {
        (d.code, d.span.file.rsplit("/", 1)[-1], d.span.line, d.span.column) if d.span else (d.code,)
        for d in diagnostics
    }


def test_item_units_give_the_items_units_of_measure(tmp_path):
    """item-units.csv: one BOX is 100 PCS; a BOM line of 0.36 BOX costs 36 spokes (at 0.50: 18.00)."""
    files = {
        "items.csv": "code,replenishment,unit,unit_cost\nSPOKE,,PCS,0.50\nW,prod-order,,\n",
        "item-units.csv": "item,unit,factor\nSPOKE,BOX,100\nSPOKE,PAL,2400\n",
        "bom.csv": "item,component,quantity,unit\nW,SPOKE,0.36,BOX\n",
    }
    loaded = costsheet.load(SETUP, file="setup.cost", master_data=str(_folder(tmp_path, files)))
    assert loaded.diagnostics == ()
    assert dict(loaded.model.items["SPOKE"].units_of_measure) == {"BOX": D(100), "PAL": D(2400)}
    assert loaded.calculate("W", date=dt.date(2026, 6, 1)).unit_cost == D("18.00")


def test_unit_cells_are_checked_as_the_ruleset_checks_units(tmp_path):
    files = {
        "items.csv": "code,replenishment,unit,unit_cost\nSPOKE,,PCS,0.50\nW,prod-order,,\n",
        "item-units.csv": "item,unit,factor\nSPOKE,BOX,100\nSPOKE,BOX,50\nSPOKE,CASE,0\nNOPE,BOX,1\n",
        "bom.csv": "item,component,quantity,unit\nW,SPOKE,1,CRATE\n",
        "vendors.csv": "code\nV\n",
        "prices.csv": "item,vendor,unit_cost,per\nSPOKE,V,1.00,BAG\n",
    }
    codes = _codes(tmp_path, files)
    assert ("duplicate-unit", "item-units.csv", 3, 7) in codes
    assert ("out-of-range", "item-units.csv", 4, 12) in codes  # a factor of 0: above 0, as unit-of-measure
    assert ("unknown-item", "item-units.csv", 5, 1) in codes
    assert ("unknown-unit", "bom.csv", 2, 11) in codes  # at the unit cell
    assert ("unknown-unit", "prices.csv", 2, 14) in codes


def test_a_unit_of_a_ruleset_item_is_found_from_csv_and_the_other_way_round(tmp_path):
    files = {
        "items.csv": "code,replenishment\nW,prod-order\nBOLT,\n",
        "item-units.csv": "item,unit,factor\nBOLT,BAG,50\n",
        "bom.csv": "item,component,quantity,unit\nW,SPOKE,0.5,BOX\n",
    }
    ruleset = (
        'item SPOKE "Spoke" { unit-cost 0.10 unit-of-measure BOX 100 }\n'
        'item N "N" { replenishment prod-order bom { BOLT 1 unit BAG } }\n'
    )
    assert _codes(tmp_path, files, ruleset) == set()


def test_exchange_rates_for_an_amount_of_the_currency_are_divided_exactly(tmp_path):
    """Business Central's rate: 100 USD are 92.17 EUR, so 1 USD is 0.9217 EUR; a price of 10.00 USD
    is 9.217 EUR.  A rate for 3 units (1/3) is not exact: out-of-range at the amount cell."""
    files = {
        "items.csv": "code,vendor,cost_base\nK,V,direct-unit-cost\n",
        "vendors.csv": "code,currency\nV,USD\n",
        "exchange-rates.csv": "currency,from,rate,amount\nUSD,2026-01-01,92.17,100\nGBP,2026-01-01,1,3\n",
        "prices.csv": "item,vendor,unit_cost\nK,V,10.00\n",
    }
    loaded, diagnostics, _ = analyze(SETUP, file="setup.cost", master_data=str(_folder(tmp_path, files)))
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("out-of-range", 3, 18)]
    (tmp_path / "exchange-rates.csv").write_text("currency,from,rate,amount\nUSD,2026-01-01,92.17,100\n")
    loaded = costsheet.load(SETUP, file="setup.cost", master_data=str(tmp_path))
    assert [(r.currency, r.rate) for r in loaded.model.exchange_rates] == [("USD", D("0.9217"))]
    assert loaded.calculate("K", date=dt.date(2026, 6, 1)).unit_cost == D("9.217")


def test_currency_cells_are_checked_as_the_ruleset_checks_currencies(tmp_path):
    files = {
        "vendors.csv": "code,currency\nV,USD\n",
        "exchange-rates.csv": "currency,from,rate\nUSD,2026-01-01,0\nUSD,2026-02-01,1.1\nUSD,2026-02-01,1.2\n"
        "USD,2026-03-01,1.3\n",
    }
    codes = _codes(tmp_path, files, "exchange-rate USD from 2026-03-01 1.3\n")
    assert ("out-of-range", "exchange-rates.csv", 2, 16) in codes
    assert ("duplicate-exchange-rate", "exchange-rates.csv", 4, 1) in codes
    assert ("duplicate-exchange-rate", "exchange-rates.csv", 5, 1) in codes  # the ruleset's rate is the first
    _, diagnostics, _ = analyze(CHART, file="setup.cost", master_data=str(tmp_path))  # no setup currency
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics if d.code == "no-local-currency"] == [
        ("no-local-currency", 2, 3)
    ]


def test_version_codes_are_dated_by_the_versions_files(tmp_path):
    """Business Central's way: lines name a version code, bom-versions.csv and routing-versions.csv
    date it; the model is the one of lines dated in their from column."""
    dated = dict(FILES)
    dated["bom.csv"] = (
        "item,component,quantity,unit,version\n"
        "WHEELSET,RIM,1,,\nWHEELSET,SPOKE,0.36,BOX,\n"
        "BIKE,FRAME,1,,\nBIKE,WHEELSET,2,,\n"
        "BIKE,FRAME,1,,V2\nBIKE,WHEELSET,2,,V2\nBIKE,LAMP,1,,V2\n"
    )
    dated["bom-versions.csv"] = "item,version,from\nBIKE,V2,2026-07-01\n"
    dated["routing.csv"] = (
        "item,operation,resource,setup,run,version\nWHEELSET,50,WC1,,6min,\nBIKE,10,WC1,30min,12min,1\n"
    )
    dated["routing-versions.csv"] = "item,version,from\nBIKE,1,2026-01-01\n"
    from_csv, from_dsl = _both(tmp_path, dated)
    assert from_csv.model.items == from_dsl.model.items


def test_version_cells_are_checked(tmp_path):
    files = {
        "items.csv": "code,replenishment\nK,\nF,prod-order\n",
        "bom-versions.csv": "item,version,from\nF,V1,2026-01-01\nF,V1,2026-02-01\nF,V2,2026-01-01\nF,V3,\nF,V4,\n",
        "bom.csv": "item,component,quantity,version,from\nF,K,1,V9,\nF,K,1,V1,2026-01-01\nF,K,1,,2026-02-30\n",
    }
    codes = _codes(tmp_path, files)
    assert ("duplicate-version", "bom-versions.csv", 3, 3) in codes  # V1 twice
    assert ("duplicate-version", "bom-versions.csv", 4, 6) in codes  # a second version from 2026-01-01
    assert ("duplicate-version", "bom-versions.csv", 6, 6) in codes  # a second undated version
    assert ("unknown-version", "bom.csv", 2, 7) in codes
    assert ("misplaced-field", "bom.csv", 3, 10) in codes
    assert ("invalid-date", "bom.csv", 4, 8) in codes


def test_a_phantom_from_csv_is_exploded_and_not_costed_alone(tmp_path):
    from_csv, _ = _both(tmp_path)
    assert from_csv.model.items["WHEELSET"].replenishment == "phantom"
    result, diagnostics = calculate(from_csv.model, "BIKE", date=dt.date(2026, 3, 1))
    assert not diagnostics and result is not None
    nodes = result.to_dict()["bom"]["nodes"]
    assert "WHEELSET" not in nodes and {"RIM", "SPOKE", "FRAME"} <= set(nodes)
    result, diagnostics = calculate(from_csv.model, "WHEELSET", date=dt.date(2026, 3, 1))
    assert result is None and [d.code for d in diagnostics] == ["phantom-item"]


def test_a_purchased_item_with_only_dated_bom_lines_is_warned_as_with_undated_ones(tmp_path):
    """unused-bom looks at every version, as for a ruleset item: a purchased K with a BOM from July."""
    files = {
        "items.csv": "code,replenishment\nK,purchase\nC,purchase\n",
        "bom.csv": "item,component,quantity,from\nK,C,1,2026-07-01\n",
    }
    assert ("unused-bom", "bom.csv", 2, 3) in _codes(tmp_path, files)
