"""CSV master data: an ERP export next to a ruleset that holds only setup, chart and conditions."""

from __future__ import annotations

import costsheet
from costsheet.csvdata import load_master_data
from costsheet.numbers import D

from .support import CHART, DATE


def _write(directory, name, text):
    (directory / name).write_text(text, encoding="utf-8")


def test_master_data_from_csv_is_costed_like_the_dsl(tmp_path):
    _write(
        tmp_path,
        "items.csv",
        "code,description,replenishment,unit_cost,lot_size,indirect_cost,vendor,cost_base\n"
        "K,Part,purchase,20,,,V-1,direct-unit-cost\n"
        "F,Made,prod-order,,10,10%,,\n",
    )
    _write(tmp_path, "bom.csv", "item,component,quantity,scrap\nF,K,2,5%\n")
    _write(tmp_path, "routing.csv", "item,operation,resource,setup,run\nF,10,WC,30min,12\n")
    _write(tmp_path, "prices.csv", "item,vendor,unit_cost,from,to,min_qty\nK,V-1,18.00,2026-01-01,,\n")
    _write(tmp_path, "discounts.csv", "item,vendor,percent,from,to,min_qty\nK,V-1,10%,,,\n")
    ruleset = costsheet.load(
        CHART + 'workcenter WC "W" { direct-unit-cost 42.00/h }', file="setup.cost", master_data=str(tmp_path)
    )
    result = ruleset.calculate("F", date=DATE)
    material = D("18.00") * D("0.9") * D(2) * D("1.05")
    assert result.unit_cost == (material + D("10.50")) * D("1.1")


def test_items_read_from_csv_are_frozen_with_their_lines_in_tuples(tmp_path):
    """Regression: the reader made each Item with lists and appended BOM and routing lines to them."""
    _write(tmp_path, "items.csv", "code,description,replenishment\nK,Part,purchase\nF,Made,prod-order\n")
    _write(tmp_path, "bom.csv", "item,component,quantity\nF,K,2\nF,K,3\n")
    _write(tmp_path, "routing.csv", "item,operation,resource,setup,run\nF,10,WC,30min,12\n")
    model, _ = load_master_data(tmp_path)
    made, part = model.items["F"], model.items["K"]
    assert [line.quantity for line in made.bom] == [D(2), D(3)] and isinstance(made.bom, tuple)
    assert [op.operation for op in made.routing] == ["10"] and isinstance(made.routing, tuple)
    assert part.bom == () and part.routing == ()


def test_bad_cells_are_located_diagnostics(tmp_path):
    _write(tmp_path, "items.csv", "code,unit_cost,replenishment\nA,abc,purchase\nB,1,bought\n")
    _write(tmp_path, "routing.csv", "item,operation,resource,run\nZ,10,WC,3 parsecs\n")
    model, diagnostics = load_master_data(tmp_path)
    codes = [(d.code, d.span.line, d.span.column) for d in diagnostics]
    assert ("csv-bad-number", 2, 3) in codes
    assert ("unknown-value", 3, 5) in codes  # the code a .cost file gets for `replenishment bought`
    assert ("unknown-item", 2, 1) in codes
    assert set(model.items) == {"A", "B"}
    assert all(d.hint for d in diagnostics)


CENTERS_DSL = """
workcenter WC "Assembly" { direct-unit-cost 42.00/h indirect-cost 10% overhead-rate 3.00/h }
machinecenter MC "Truing" in WC { direct-unit-cost 0.90/min }
vendor V-3 "Painter"
workcenter PAINT "Painting" { subcontractor V-3 direct-unit-cost 30 }
item K "Part" { unit-cost 20 }
item F "Made" {
  replenishment prod-order
  lot-size 10
  condition production P-BASE
  bom { K 2 }
  routing {
    10 WC setup 30min run 12min
    20 MC run 4.5min
    30 PAINT setup 0.25h run 90s
  }
}
"""


def test_work_and_machine_centers_and_item_conditions_from_csv_are_costed_as_the_dsl_ones(tmp_path):
    """Every kind of CSV master data file at once: the same numbers as the same declarations in a ruleset."""
    _write(
        tmp_path,
        "items.csv",
        "code,description,replenishment,unit_cost,lot_size\nK,Part,purchase,20,\nF,Made,prod-order,,10\n",
    )
    _write(tmp_path, "item-conditions.csv", "item,kind,condition\nF,production,P-BASE\n")
    _write(tmp_path, "bom.csv", "item,component,quantity\nF,K,2\n")
    _write(
        tmp_path,
        "routing.csv",
        "item,operation,resource,setup,run,setup_unit,run_unit\n"
        "F,10,WC,30,12,,\nF,20,MC,,4.5,,min\nF,30,PAINT,0.25,1.5,h,min\n",
    )
    _write(
        tmp_path,
        "workcenters.csv",
        "code,description,direct_unit_cost,indirect_cost,overhead_rate,time_unit,"
        "subcontractor\nWC,Assembly,42.00/h,10%,0.05,min,\nPAINT,Painting,30,,,,V-3\n",
    )
    _write(tmp_path, "machinecenters.csv", "code,work_center,description,direct_unit_cost\nMC,WC,Truing,0.90\n")
    _write(tmp_path, "vendors.csv", "code,name\nV-3,Painter\n")
    from_csv = costsheet.load(CHART, file="setup.cost", master_data=str(tmp_path))
    from_dsl = costsheet.load(CHART + CENTERS_DSL, file="setup.cost")
    assert from_csv.diagnostics == () and from_dsl.diagnostics == ()
    assert from_csv.model.machine_centers["MC"].direct_unit_cost.per_seconds == 60  # the work center's unit
    assert from_csv.model.items["F"].production_condition == "P-BASE"
    csv_result, dsl_result = from_csv.calculate("F", date=DATE), from_dsl.calculate("F", date=DATE)
    assert csv_result.unit_cost == dsl_result.unit_cost > 0
    assert csv_result.to_json() == dsl_result.to_json()
