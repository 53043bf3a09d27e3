"""POST /v1/calculate and /v1/value: the same JSON as the public API, and the history."""

from __future__ import annotations

import datetime as dt

import pytest
from service_client import make_client

from costsheet.history import HistoryStore, ruleset_hash
from costsheet.numbers import D
from costsheet.ruleset import load_texts


def _api(spec_files):
    ruleset, diagnostics, _ = load_texts(spec_files, "main.cost")
    assert ruleset is not None, diagnostics
    return ruleset


def test_calculate_answers_the_api_result_and_records_it(client, spec_files, history_path):
    """The service returns exactly what costsheet.load(...).calculate(...).to_dict() returns."""
    body = {"files": spec_files, "main": "main.cost", "item": "ICO-0001", "lot_size": "25", "date": "2026-11-22"}
    answer = client.post("/v1/calculate", json=body)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    expected = _api(spec_files).calculate("ICO-0001", "25", dt.date(2026, 11, 22)).to_dict()
    assert data["result"] == expected
    assert data["result"]["lot_size"] == "25" and isinstance(data["result"]["unit_cost"], str)

    recorded = HistoryStore(history_path).get(data["history_id"])
    assert recorded.result == expected
    assert (recorded.source, recorded.item, recorded.lot_size, recorded.date) == (
        "service",
        "ICO-0001",
        "25",
        "2026-11-22",
    )
    assert recorded.ruleset_hash == ruleset_hash(spec_files)
    assert recorded.ruleset_path == "main.cost"


@pytest.mark.thorough
def test_two_lot_sizes_compare_in_the_history(client, spec_files, history_path):
    from costsheet.history import diff

    ids = [
        client.post(
            "/v1/calculate", json={"files": spec_files, "item": "ICO-0001", "lot_size": lot, "date": "2026-11-22"}
        ).json()["history_id"]
        for lot in ("1", "100")
    ]
    store = HistoryStore(history_path)
    change = diff(store.get(ids[0]), store.get(ids[1]))
    assert [c.key for c in change.inputs] == ["lot_size"]
    assert not change.same  # setup time spread over 100 units instead of 1


def test_a_failed_calculation_is_422_and_its_log_is_recorded(client, spec_files, history_path):
    answer = client.post("/v1/calculate", json={"files": spec_files, "item": "NO-SUCH-ITEM"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "calculation-failed"
    assert [d["code"] for d in answer.json()["diagnostics"]] == ["unknown-item"]
    (recorded,) = HistoryStore(history_path).list(item="NO-SUCH-ITEM")
    assert recorded.result is None and recorded.diagnostics[0]["code"] == "unknown-item"


def test_a_ruleset_with_errors_is_422_with_located_diagnostics(shared_client):
    answer = shared_client.post("/v1/calculate", json={"text": "item A {\n  bogus 1\n}\n", "item": "A"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "ruleset-has-errors"
    assert (body["diagnostics"][0]["file"], body["diagnostics"][0]["line"]) == ("ruleset.cost", 2)


def test_no_history_unless_asked_for(spec_files, history_path):
    with make_client(history_path=str(history_path)) as c:
        answer = c.post("/v1/calculate", json={"files": spec_files, "item": "ICO-0002"})
    assert answer.status_code == 200 and answer.json()["history_id"] is None
    assert not history_path.exists()


def test_an_unwritable_history_never_loses_the_result(spec_files, tmp_path, capfd):
    (tmp_path / "a-file").write_text("x")
    with make_client(record_history=True, history_path=str(tmp_path / "a-file" / "h.sqlite3")) as c:
        answer = c.post("/v1/calculate", json={"files": spec_files, "item": "ICO-0002"})
    assert answer.status_code == 200
    assert answer.json()["history_id"] is None and answer.json()["result"]["item"] == "ICO-0002"
    assert "history-write-failed" in capfd.readouterr().err


@pytest.mark.parametrize(
    "extra, code",
    [
        ({"lot_size": "1e5"}, "invalid-request"),
        ({"lot_size": "-3"}, "invalid-request"),
        ({"lot_size": 10}, "invalid-request"),
        ({"lot_size": "NaN"}, "invalid-request"),
        ({"date": "2026-02-30"}, "invalid-date"),
        ({"date": "22.11.2026"}, "invalid-request"),
        ({"item": ""}, "invalid-request"),
    ],
)
def test_bad_inputs_are_refused(shared_client, spec_files, extra, code):
    answer = shared_client.post("/v1/calculate", json={"files": spec_files, "item": "ICO-0001", **extra})
    assert answer.status_code == 422
    assert answer.json()["code"] == code


def test_value_answers_the_api_valuation(shared_client, spec_files):
    answer = shared_client.post("/v1/value", json={"files": spec_files, "as_of": "2026-06-30"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == _api(spec_files).value(as_of=dt.date(2026, 6, 30)).to_dict()


def test_value_one_item_fifo_matches_the_seed(shared_client, spec_files):
    """Seed 003_f65040538edfa81c.txt (BC costing methods): under FIFO the three sales cost 10, 20 and 30."""
    answer = shared_client.post("/v1/value", json={"files": spec_files, "item": "ITEM-A"})
    assert answer.status_code == 200
    item = answer.json()["result"]["items"]["ITEM-A"]
    sales = [e["cost_amount"] for e in item["entries"] if e["type"] == "sale"]
    assert [D(x) for x in sales] == [D("-10"), D("-20"), D("-30")]
    assert answer.json()["result"] == _api(spec_files).value(item="ITEM-A").to_dict()


def test_value_of_a_broken_ruleset_is_422(shared_client):
    answer = shared_client.post("/v1/value", json={"text": "ledger {", "item": "A"})
    assert answer.status_code == 422 and answer.json()["code"] == "ruleset-has-errors"
