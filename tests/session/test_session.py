"""The session with CSV master data, the what-if seam, and what an update reports."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import costsheet
from costsheet.numbers import D

DATE = dt.date(2026, 6, 15)

SETUP = """chart {
  1110 element "Direct material"    material
  1120 element "Material overhead"  material-overhead
  2110 element "Direct capacity"    capacity
  2120 element "Capacity overhead"  capacity-overhead
  3100 element "Mfg. overhead"      mfg-overhead
}
condition material   M-STD "Purchased parts" { direct 1110 overhead 1120 line 1120 "Purchasing" percent 8 }
condition production P-STD "Assembly"        { direct 1110 overhead 3100 line 3100 "Tooling" percent 4 }
condition capacity   C-STD "Machine hours"   { direct 2110 overhead 2120 }
setup { default material M-STD default production P-STD default capacity C-STD }
"""

CSV = {
    "items.csv": "code,description,replenishment,unit,unit_cost,lot_size,vendor\n"
    "1000,Racing bike,prod-order,PCS,,10,\n1100,Front wheel,purchase,PCS,45.20,,V-1000\n"
    "1110,Rim,purchase,PCS,12.10,,V-1000\n1120,Spoke,purchase,PCS,0.40,,V-1000\n",
    "bom.csv": "item,component,quantity,scrap\n1000,1100,2,\n1000,1110,1,5%\n",
    "routing.csv": "item,operation,resource,setup,run\n1000,10,100,30min,12min\n",
    "workcenters.csv": "code,description,direct_unit_cost\n100,Assembly,42.00/h\n",
    "vendors.csv": "code,name\nV-1000,Spoke Supplies Ltd.\n",
}


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "setup.cost").write_text(SETUP, encoding="utf-8")
    (tmp_path / "md").mkdir()
    for name, text in CSV.items():
        (tmp_path / "md" / name).write_text(text, encoding="utf-8")
    return tmp_path


def fresh(folder) -> costsheet.costing.CostResults:
    return costsheet.load(str(folder / "setup.cost"), master_data=str(folder / "md")).calculate_all(date=DATE)


def test_a_csv_edit_recosts_the_items_it_reaches(folder):
    session = costsheet.Session(str(folder / "setup.cost"), master_data=str(folder / "md"), date=DATE)
    items = folder / "md" / "items.csv"
    items.write_text(CSV["items.csv"].replace("12.10", "13.10"), encoding="utf-8")
    update = session.update()
    assert update.ok
    assert update.recosted == {"1110", "1000"}  # the rim and the bike above it; not the wheel nor the spoke
    assert [move.item for move in update.moves] == ["1000", "1110"]
    assert update.moves[1].old_unit_cost < update.moves[1].new_unit_cost
    assert session.costing.as_results().to_json() == fresh(folder).to_json()
    # a CSV row inserted above: the rows below it moved, so they are costed again
    items.write_text(CSV["items.csv"].replace("1000,", "1130,Tube,purchase,PCS,2.00,,V-1000\n1000,", 1), "utf-8")
    update = session.update()
    assert update.ok and {"1000", "1100", "1110", "1120", "1130"} <= update.recosted
    assert session.costing.as_results().to_json() == fresh(folder).to_json()


def test_a_setup_change_recosts_everything(folder):
    session = costsheet.Session(str(folder / "setup.cost"), master_data=str(folder / "md"), date=DATE)
    (folder / "setup.cost").write_text(SETUP.replace("setup {", "setup { cost-base last-direct-cost"), "utf-8")
    update = session.update()
    assert update.ok and update.recosted == set(session.results)
    assert session.costing.as_results().to_json() == fresh(folder).to_json()


def test_an_unchanged_save_recosts_nothing(folder):
    session = costsheet.Session(str(folder / "setup.cost"), master_data=str(folder / "md"), date=DATE)
    update = session.update()
    assert update.ok and update.recosted == frozenset() and update.moves == ()


def test_recost_model_is_a_what_if_that_leaves_the_session_alone(folder):
    session = costsheet.Session(str(folder / "setup.cost"), master_data=str(folder / "md"), date=DATE)
    base = session.costing
    model = base.model
    items = dict(model.items)
    items["1110"] = attrs.evolve(items["1110"], unit_cost=D("20.00"))
    edited = attrs.evolve(model, items=costsheet.model.frozen_map(items))
    scenario, recosted = base.recost_model(edited)
    assert recosted == {"1110", "1000"}
    assert session.costing is base
    by_hand = (folder / "md" / "items.csv").read_text("utf-8").replace("12.10", "20.00")
    (folder / "md" / "items.csv").write_text(by_hand, "utf-8")
    assert scenario.as_results().to_json() == fresh(folder).to_json()


def test_the_first_load_raises_later_updates_do_not(folder):
    (folder / "broken.cost").write_text("item {", encoding="utf-8")
    with pytest.raises(costsheet.RulesetError):
        costsheet.Session(str(folder / "broken.cost"))
    session = costsheet.Session(SETUP + 'item X "x" { unit-cost 1.00 }\n', file="x.cost", date=DATE)
    update = session.update(SETUP + 'item X "x" { unit-cost 1.00 }\nitem Y { bom { Z 1 } }\n')
    assert not update.ok and any(d.is_error and d.span is not None for d in update.diagnostics)
    assert set(session.results) == {"X"}


def test_the_session_reads_the_setup_s_master_data_folder(folder):
    """``setup { master-data "DIR" }`` (relative to the file that gives it) without --master-data: the
    session reads it as a load does, and an edit of its CSV files is an update like any other."""
    (folder / "setup.cost").write_text(SETUP.replace("setup {", 'setup { master-data "md"'), encoding="utf-8")
    session = costsheet.Session(str(folder / "setup.cost"), date=DATE)
    assert session.costing.as_results().to_json() == fresh(folder).to_json()
    assert set(session.results) == {"1000", "1100", "1110", "1120"}
    (folder / "md" / "items.csv").write_text(CSV["items.csv"].replace("12.10", "13.10"), encoding="utf-8")
    update = session.update()
    assert update.ok and update.recosted == {"1110", "1000"}
    assert session.costing.as_results().to_json() == fresh(folder).to_json()
    # the folder renamed away: the update says master-data-not-found, and the last results stay
    (folder / "md").rename(folder / "elsewhere")
    update = session.update()
    assert not update.ok and [d.code for d in update.diagnostics] == ["master-data-not-found"]
    assert session.results["1110"].unit_cost is not None


def test_a_scenario_s_recost_and_the_session_s_what_if_agree(folder):
    """``scenarios.recost`` (the edits name the cone) and ``Costing.recost_model`` (the models compared)
    re-cost through the same seam: the same edit gives the same costs, and the same cone."""
    from costsheet.scenarios import Baseline, recost
    from costsheet.scenarios.edits import Changed

    session = costsheet.Session(str(folder / "setup.cost"), master_data=str(folder / "md"), date=DATE)
    model = session.costing.model
    items = dict(model.items)
    items["1110"] = attrs.evolve(items["1110"], unit_cost=D("20.00"))
    edited = attrs.evolve(model, items=costsheet.model.frozen_map(items))
    what_if, recosted = session.costing.recost_model(edited)
    base = Baseline.build(model, session.ruleset.program, list(model.items), DATE)
    changed = Changed(items=frozenset({"1110"}))
    assert base.cone(changed) == recosted == {"1110", "1000"}
    scenario = recost(base, edited, changed)
    assert {code: result.unit_cost for code, (result, _) in scenario.items()} == {
        code: result.unit_cost for code, result in what_if.results.items()
    }
    assert scenario["1000"][0].unit_cost != session.results["1000"].unit_cost


def test_the_trees_are_the_last_updates_parsed_files_good_or_not(folder):
    entry = str(folder / "setup.cost")
    session = costsheet.Session(entry, master_data=str(folder / "md"), date=DATE)
    assert set(session.trees) == {entry}
    assert [type(d).__name__ for d in session.trees[entry].declarations][:2] == ["ChartBlock", "ConditionDecl"]
    kept = session.trees[entry].declarations[0]
    edited = SETUP.replace("percent 8", "percent 9")
    (folder / "setup.cost").write_text(edited, encoding="utf-8")
    assert session.update().ok
    assert session.trees[entry].declarations[0] is kept  # not parsed again
    # a file with a syntax error is missing; a broken update's trees are its own
    (folder / "setup.cost").write_text(edited + "condition {\n", encoding="utf-8")
    assert not session.update().ok
    assert entry not in session.trees
    (folder / "setup.cost").write_text(edited, encoding="utf-8")
    assert session.update().ok and entry in session.trees


def test_local_texts_read_the_setups_master_data_folder(folder):
    entry = str(folder / "setup.cost")
    text = SETUP.replace("setup {", 'setup { master-data "md"', 1)
    local = costsheet.Session(text, file=entry, texts={entry: text}, date=DATE, local_texts=True)
    assert set(local.results) == {"1000", "1100", "1110", "1120"}
    submitted = costsheet.Session(text, file=entry, texts={entry: text}, date=DATE)  # name no folder of the server's
    assert not submitted.results and [d.code for d in submitted.diagnostics] == ["master-data-not-read"]
