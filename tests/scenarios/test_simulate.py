"""Simulations: the result depends on the ruleset, the simulation and the seed only, not on
how the runs are split into batches or over which workers (local processes or a Dask
cluster started here over loopback); re-costing the cone equals costing from scratch."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costsheet.costing import calculate, plan_program, replan_program
from costsheet.ruleset import analyze
from costsheet.scenarios import (
    Baseline,
    Job,
    apply_edits,
    changed_by,
    combine,
    read_definitions,
    recost,
    run_batch,
    run_local,
    run_on_cluster,
)
from costsheet.scenarios.simulate import batches

from .support import ITEMS, ruleset_text

DATE = dt.date(2026, 6, 15)
SIMULATION = """
simulation RISK "Steel and labour risk" {
  runs 60
  seed 42
  item FRAME unit-cost triangular -5% 0% +15%
  workcenter WC-1 direct-unit-cost uniform 40.00/h 46.00/h
  item BIKE scrap normal 2% 0.5%
  price PIPE vendor V-1 uniform -10% +10%
  condition C-STD line 1 amount normal 4.50 0.30
  item BOLT unit-cost uniform 0.20 0.20
  exchange-rate USD triangular -10% 0% +20%
  item SCRAP-AL unit-cost uniform 0.80 1.60
}
"""


def _job(extra: str = SIMULATION, items=("BIKE", "FORK", "BOLT")) -> tuple[Job, object]:
    text = ruleset_text(extra=extra)
    ruleset, diagnostics, _ = analyze(text, file="t.cost")
    assert ruleset is not None, [d.message for d in diagnostics]
    simulation = read_definitions(ruleset.files).simulations["RISK"]
    return Job((("t.cost", text),), "RISK", tuple(items), DATE), simulation


@pytest.mark.thorough
@given(st.lists(st.integers(1, 59), max_size=6, unique=True))
def test_the_result_does_not_depend_on_how_runs_are_batched(cuts):
    job, simulation = _job()
    bounds = [0, *sorted(cuts), simulation.runs]
    found = [run_batch(job, start, stop) for start, stop in itertools.pairwise(bounds)]
    whole = combine(job, simulation, [run_batch(job, 0, simulation.runs)])
    assert combine(job, simulation, reversed(found)) == whole


def test_one_and_two_local_workers_give_the_same_result():
    job, simulation = _job()
    one = run_local(job, simulation, 1)
    assert run_local(job, simulation, 2) == one
    assert one.runs == 60 and one.seed == 42 and len(one.items) == 3


def test_every_run_equals_calc_on_its_edited_model():
    """recost (the cone only, plans reused) against costing the edited model from scratch."""
    job, simulation = _job()
    text = dict(job.texts)["t.cost"]
    ruleset, _, _ = analyze(text, file="t.cost")
    base = Baseline.build(ruleset.model, ruleset.program, ITEMS, DATE)
    batch = run_batch(job, 0, 8)
    from costsheet.scenarios.simulate import _edits

    for draws, values in zip(batch.draws, batch.values, strict=True):
        edited = apply_edits(ruleset.model, _edits(simulation, draws))
        program = plan_program(edited)
        again = recost(base, edited, changed_by(v.target for v in simulation.variations))
        replanned = replan_program(ruleset.program, edited)
        for item in ITEMS:
            fresh, _ = calculate(edited, item, date=DATE, program=program)
            assert again[item][0].unit_cost == fresh.unit_cost and again[item][0].list_price == fresh.list_price
            assert calculate(edited, item, date=DATE, program=replanned)[0] == fresh
        for item, value in zip(job.items, values, strict=True):
            assert value == (again[item][0].unit_cost, again[item][0].list_price)


def test_draws_are_clamped_where_a_field_cannot_go():
    job, simulation = _job(
        """
simulation RISK {
  runs 30
  item BOLT unit-cost uniform -5.00 -1.00
  item BIKE lot-size normal 0 1
  item FRAME unit-cost uniform -150% -120%
}
""",
        items=("BOLT", "FRAME", "BIKE"),
    )
    result = run_local(job, simulation, 1)
    bolt = result.items[0].unit_cost
    assert bolt.min == bolt.max == Decimal("0.40")  # unit cost 0 and the freight line
    frame = result.items[1].unit_cost
    assert frame.max == Decimal("1.50")  # 0 x 1.02 + the overhead rate 1.50
    assert result.items[2].unit_cost.min > 0  # lot sizes of at least 0.000001: no division by zero


def test_statistics_and_influence_of_a_known_run():
    job, simulation = _job()
    result = run_local(job, simulation, 1)
    bike = result.items[0]
    assert bike.unit_cost.min <= bike.unit_cost.p5 <= bike.unit_cost.p50 <= bike.unit_cost.p95 <= bike.unit_cost.max
    assert bike.list_price is not None and result.items[1].list_price is None
    influence = [i for i in result.influence if i.item == "BIKE"]
    assert [abs(i.rank_correlation) for i in influence] == sorted(
        (abs(i.rank_correlation) for i in influence), reverse=True
    )
    assert influence[0].input == "item FRAME unit-cost"
    constant = next(i for i in influence if i.input == "item BOLT unit-cost")
    assert constant.rank_correlation == 0  # an input that does not vary has no influence
    fork = [i for i in result.influence if i.item == "FORK"]
    # the fork's cost is mostly its pipes; the bike's inputs correlate with it only by chance
    assert fork[0].input == "price PIPE vendor V-1" and fork[0].rank_correlation > Decimal("0.9")
    assert all(i.rank_correlation == 0 for i in result.influence if i.item == "BOLT")  # its cost does not vary


def test_the_json_has_no_float_and_decimal_strings_only():
    job, simulation = _job()
    data = json.loads(run_local(job, simulation, 1).to_json(), parse_float=lambda text: pytest.fail(text))
    assert data["simulation"] == "RISK" and data["runs"] == 60 and data["seed"] == 42
    for figures in data["items"]["BIKE"].values():
        assert all(isinstance(v, str) and Decimal(v) for v in figures.values())


def test_a_run_that_cannot_be_costed_is_a_diagnostic():
    """A draw of 0 makes the list price divide by zero: the simulation says which run failed."""
    job, simulation = _job(
        """
condition charge LP-DIV "Divides" { line "A" row A element 5000  line "Per unit" formula "10 / A" list-price }
item DIV "Divides" { unit-cost 1 condition material M-BARE condition charge LP-DIV }
simulation RISK { runs 5  item DIV unit-cost uniform 0 0 }
""",
        items=("DIV",),
    )
    found = run_local(job, simulation, 1)
    assert [d.code for d in found.diagnostics] == ["run-failed"] and found.items == ()
    assert "run 0 of simulation RISK could not cost item DIV" in found.diagnostics[0].message
    assert "(4 more failed calculations)" in found.diagnostics[0].message


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def test_a_dask_cluster_gives_the_same_result_as_the_local_run(cluster):
    job, simulation = _job()
    assert run_on_cluster(job, simulation, cluster.scheduler_address) == run_local(job, simulation, 1)


def test_the_job_is_shipped_once_per_worker_and_runs_in_batches(cluster):
    from distributed import Client

    calls = []

    def factory(address):
        client = Client(address)
        scatter = client.scatter

        def counting(data, **options):
            calls.append(("scatter", options.get("broadcast")))
            return scatter(data, **options)

        client.scatter = counting
        return client

    job, simulation = _job()
    run_on_cluster(job, simulation, cluster.scheduler_address, client_factory=factory)
    assert calls == [("scatter", True)]
    assert len(batches(simulation.runs, 8)) == 8


def test_recost_costs_only_the_cone(monkeypatch):
    """A change of the frame re-costs the frame, the bikes and the e-bike's co-product: not the
    bolt, the pipe or the fork."""
    assert _recosted_by("item FRAME unit-cost +5%", monkeypatch) == ["BIKE", "EBIKE", "EKIT", "FRAME"]


def test_an_exchange_rate_recosts_what_is_priced_in_that_currency(monkeypatch):
    """USD prices the spoke, which the e-bike uses through its phantom wheel set (and the kit shares)."""
    assert _recosted_by("exchange-rate USD +5%", monkeypatch) == ["EBIKE", "EKIT", "SPOKE"]


def _recosted_by(line: str, monkeypatch) -> list[str]:
    from costsheet.costing import Calculator

    ruleset, _, _ = analyze(ruleset_text(extra=f"scenario S {{ {line} }}\n"), file="t.cost")
    base = Baseline.build(ruleset.model, ruleset.program, ITEMS, DATE)
    scenario = read_definitions(ruleset.files).scenarios["S"]
    costed = []
    compute = Calculator._compute_safely

    def counting(self, item, lot):
        costed.append(item.code)
        return compute(self, item, lot)

    monkeypatch.setattr(Calculator, "_compute_safely", counting)
    after = recost(base, apply_edits(ruleset.model, scenario.edits), changed_by(e.target for e in scenario.edits))
    assert after["FORK"] is base.results["FORK"]  # outside the cone: the baseline's own result
    return sorted(costed)
