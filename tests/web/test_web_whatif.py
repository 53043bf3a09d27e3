"""The what-if page of ``costsheet web``: its data checked against the scenarios API
(:func:`costsheet.scenarios.run_whatif`, :func:`~costsheet.scenarios.run_simulation`), the
histogram against the runs, and one real browser on a ruleset with a scenario (docs/web.md)."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient
from web_live import ROOT, running_web

import costsheet
from costsheet.scenarios import Baseline, Job, read_definitions, run_batch, run_simulation, run_whatif
from costsheet.service.web import Project, create_web_app
from costsheet.service.web.whatif import BINS, MAX_RUNS, histogram

sys.path.insert(0, str(ROOT / "tests"))
from scenarios.support import ruleset_text

DATE = "2026-06-15"
SCENARIOS = """
scenario STEEL-UP "Dearer frame" { item FRAME unit-cost +8%  workcenter WC-1 direct-unit-cost +3% }
simulation RISK "Steel and bolts" {
  runs 40  seed 3  item FRAME unit-cost uniform -5% +5%  item BOLT unit-cost uniform -10% +10%
}
simulation LONG { runs 1500  seed 1  item BOLT unit-cost uniform -10% +10% }
"""


@pytest.fixture
def steel(tmp_path):
    path = tmp_path / "steel.cost"
    path.write_text(ruleset_text(extra=SCENARIOS), encoding="utf-8")
    return path


@pytest.fixture
def client(steel):
    with TestClient(create_web_app(Project(steel), watch=False)) as c:
        yield c


def test_the_page_lists_the_scenarios_and_simulations(client):
    data = client.get("/api/what-if").json()
    assert data["scenarios"] == [{"code": "STEEL-UP", "description": "Dearer frame", "edits": 2}]
    assert [(s["code"], s["runs"], s["inputs"]) for s in data["simulations"]] == [
        ("RISK", 40, ["item FRAME unit-cost", "item BOLT unit-cost"]),
        ("LONG", 1500, ["item BOLT unit-cost"]),
    ]


def test_a_scenario_shows_the_numbers_of_the_scenarios_api(client, steel):
    data = client.get("/api/what-if/scenarios/STEEL-UP", params={"date": DATE}).json()
    ruleset = costsheet.load(steel)
    base = Baseline.build(ruleset.model, ruleset.program, tuple(ruleset.model.items), dt.date.fromisoformat(DATE))
    expected = run_whatif(base, read_definitions(ruleset.files).scenarios["STEEL-UP"]).to_dict()["items"]
    assert [row["item"] for row in data["items"]] == list(expected)
    for row in data["items"]:
        for key in ("base", "scenario", "difference", "percent"):
            for figure, text in expected[row["item"]][key].items():
                cell = row[key][figure]
                assert (cell and cell["value"]) == text
    bike = next(row for row in data["items"] if row["item"] == "BIKE")
    assert Decimal(bike["difference"]["unit_cost"]["value"]) > 0 and not data["limited"]
    one = client.get("/api/what-if/scenarios/STEEL-UP", params={"date": DATE, "items": "FRAME"}).json()
    assert [row["item"] for row in one["items"]] == ["FRAME"]


def test_a_simulation_shows_the_statistics_influence_and_histogram_of_its_runs(client, steel):
    data = client.get("/api/what-if/simulations/RISK", params={"item": "BIKE", "date": DATE}).json()
    ruleset = costsheet.load(steel)
    simulation = read_definitions(ruleset.files).simulations["RISK"]
    job = Job(tuple(ruleset.sources.items()), "RISK", ("BIKE",), dt.date.fromisoformat(DATE))
    expected = run_simulation(job, simulation, workers=1).to_dict()
    assert (data["runs"], data["declared"], data["seed"]) == (40, 40, 3)
    for figure, summary in expected["items"]["BIKE"].items():
        assert {k: cell["value"] for k, cell in data["statistics"][figure].items()} == summary
    assert [(i["input"], i["rank_correlation"]) for i in data["influence"]] == [
        (i["input"], i["rank_correlation"]) for i in expected["influence"]
    ]
    bins = data["histogram"]
    assert len(bins) == BINS and sum(b["count"] for b in bins) == 40
    costs = [values[0][0] for values in run_batch(job, 0, 40).values]
    assert bins[0]["low"] == expected["items"]["BIKE"]["unit_cost"]["min"]
    assert bins[-1]["high"] == expected["items"]["BIKE"]["unit_cost"]["max"]
    for index, b in enumerate(bins):
        low, high = Decimal(b["low"]), Decimal(b["high"])
        last = index == len(bins) - 1
        assert b["count"] == sum(1 for c in costs if low <= c and (c <= high if last else c < high))


def test_a_long_simulation_runs_its_first_runs_only(client):
    data = client.get("/api/what-if/simulations/LONG", params={"item": "BOLT", "date": DATE}).json()
    assert (data["runs"], data["declared"]) == (MAX_RUNS, 1500)
    assert sum(b["count"] for b in data["histogram"]) == MAX_RUNS


def test_mistakes_are_refusals_with_a_code(client):
    assert client.get("/api/what-if/scenarios/NOPE").json()["code"] == "unknown-scenario"
    assert client.get("/api/what-if/simulations/NOPE", params={"item": "BIKE"}).json()["code"] == "unknown-simulation"
    answer = client.get("/api/what-if/simulations/RISK", params={"item": "NOPE"})
    assert answer.status_code == 404 and answer.json()["code"] == "unknown-item"
    assert client.get("/api/what-if/scenarios/STEEL-UP", params={"items": "BIKE,NOPE"}).status_code == 404
    assert client.get("/api/what-if/scenarios/STEEL-UP", params={"date": "soon"}).json()["code"] == "invalid-date"


def test_the_histogram_of_equal_values_is_one_bar():
    assert histogram([Decimal("2.5")] * 3) == [{"low": "2.5", "high": "2.5", "count": 3}]


@pytest.mark.external("chromium", "selenium")
def test_the_browser_shows_a_scenario_and_a_simulation(steel):
    from test_web_browser import css, opened, wait_for
    from web_live import chromium

    ruleset = costsheet.load(steel)
    base = Baseline.build(ruleset.model, ruleset.program, ("BIKE",), dt.date.fromisoformat(DATE))
    expected = run_whatif(base, read_definitions(ruleset.files).scenarios["STEEL-UP"]).to_dict()["items"]["BIKE"]
    driver = chromium()
    try:
        with running_web(steel) as url:
            opened(driver, f"{url}/#/what-if", "#scenario-list a[data-scenario='STEEL-UP']")
            assert css(driver, "#simulation-list a[data-simulation='RISK']")
            css(driver, "#scenario-list a[data-scenario='STEEL-UP']")[0].click()
            wait_for(driver, lambda d: css(d, "#scenario-table tr[data-item='BIKE']"))
            opened(driver, f"{url}/#/what-if/scenario/STEEL-UP?date={DATE}", "#scenario-table tr[data-item='BIKE']")
            row = css(driver, "#scenario-table tr[data-item='BIKE']")[0]
            shown = [cell.get_attribute("data-value") for cell in row.find_elements("css selector", "[data-value]")]
            assert shown[:4] == [expected[k]["unit_cost"] for k in ("base", "scenario", "difference", "percent")]
            opened(driver, f"{url}/#/what-if/simulation/RISK?item=BIKE", "#histogram rect")
            bars = css(driver, "#histogram rect")
            assert len(bars) == BINS and sum(int(b.get_attribute("data-count")) for b in bars) == 40
            assert len(css(driver, "#influence tbody tr")) == 2
    finally:
        driver.quit()
