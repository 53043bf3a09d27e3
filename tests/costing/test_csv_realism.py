"""CSV master data with units of measure, currencies, BOM/routing versions and phantoms: each file
and column reads into the very model the same master data written as a ruleset builds, and costs
identically (docs/master-data.md, "Units, currencies, versions and phantoms")."""

from __future__ import annotations

import datetime as dt

import costsheet
from costsheet.numbers import D

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
