"""The SQLite store: round trips, Decimals as text, WAL, paths, and failing writes."""

from __future__ import annotations

import io
import sqlite3

import pytest

from costsheet import Diagnostic, Span
from costsheet.history import (
    ENV_VAR,
    HistoryStore,
    StoreError,
    default_store_path,
    record_calculation,
    resolve_store_path,
    ruleset_hash,
)
from costsheet.numbers import D


def test_record_and_read_back_the_full_result(result, store_path, store):
    diag = Diagnostic.warning("charge-group", "element 6100 is not a charge group", Span("demo.cost", 12, 7, 12, 11))
    new_id = record_calculation(result, [diag], "rulesets/demo.cost", "abc123", store_path)
    calc = store.get(new_id)
    assert calc is not None
    assert calc.result == result
    assert calc.diagnostics == (diag.to_dict(),)
    assert (calc.item, calc.lot_size, calc.date, calc.unit_cost) == ("ICO-0001", "10", "2026-11-22", "1234.56789")
    assert (calc.ruleset_path, calc.ruleset_hash, calc.source) == ("rulesets/demo.cost", "abc123", "cli")
    assert calc.recorded_at.endswith("Z")


def test_amounts_are_stored_as_text_never_real(result, store_path):
    result["unit_cost"] = D("0.1000000000000000000000000000001")  # a Decimal a float cannot hold
    record_calculation(result, (), None, "h", store_path, lot_size=D("12.50"))
    with sqlite3.connect(store_path) as conn:
        kinds = conn.execute(
            "SELECT typeof(lot_size), typeof(unit_cost), lot_size, unit_cost FROM calculations"
        ).fetchone()
    assert kinds == ("text", "text", "12.50", "0.1000000000000000000000000000001")


def test_a_float_is_refused_with_a_warning_not_an_exception(result, store_path, store):
    result["unit_cost"] = 0.1
    err = io.StringIO()
    assert record_calculation(result, (), None, "h", store_path, stderr=err) is None
    assert "history-write-failed" in err.getvalue() and "float" in err.getvalue()
    assert store.count() == 0


def test_the_store_runs_in_wal_mode(result, store_path):
    record_calculation(result, (), None, "h", store_path)
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_object_with_to_dict_is_accepted(result, store_path, store):
    class CostResult:
        def to_dict(self):
            return result

    new_id = record_calculation(CostResult(), (), None, "h", store_path)
    assert store.get(new_id).result == result


def test_a_failed_calculation_keeps_its_log(store_path, store):
    diag = Diagnostic.error("bom-cycle", "ICO-1 -> ICO-2 -> ICO-1", None, "break the cycle")
    new_id = record_calculation(None, [diag], "x.cost", "h", store_path, item="ICO-1", lot_size="5", date="2026-01-01")
    calc = store.get(new_id)
    assert calc.result is None and not calc.ok
    assert calc.diagnostics[0]["code"] == "bom-cycle" and calc.diagnostics[0]["hint"] == "break the cycle"
    assert (calc.lot_size, calc.date) == ("5", "2026-01-01")


@pytest.mark.parametrize(
    "bad_path",
    ["{tmp}/a-file/history.sqlite3", "{tmp}/not-a-db.sqlite3"],
    ids=["parent-is-a-file", "file-is-not-sqlite"],
)
def test_a_failing_write_warns_and_returns_none(result, tmp_path, bad_path):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "not-a-db.sqlite3").write_bytes(b"this is not an SQLite database, not at all" * 10)
    err = io.StringIO()
    assert record_calculation(result, (), None, "h", bad_path.format(tmp=tmp_path), stderr=err) is None
    message = err.getvalue()
    assert "warning[history-write-failed]" in message and "COSTSHEET_HISTORY" in message


def test_a_store_from_a_newer_version_is_refused(result, store_path, store):
    record_calculation(result, (), None, "h", store_path)
    with sqlite3.connect(store_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        store.list()
    err = io.StringIO()
    assert record_calculation(result, (), None, "h", store_path, stderr=err) is None


def test_list_is_newest_first_and_filters_by_item(result, store_path, store):
    ids = [record_calculation(dict(result, item=item), (), None, "h", store_path) for item in ("A", "B", "A", "C", "A")]
    assert [c.id for c in store.list()] == ids[::-1]
    assert [c.id for c in store.list(item="A")] == [ids[4], ids[2], ids[0]]
    assert [c.id for c in store.list(limit=2)] == [ids[4], ids[3]]
    assert store.list(item="nope") == ()


def test_reading_a_missing_store_creates_nothing(tmp_path):
    store = HistoryStore(tmp_path / "none" / "h.sqlite3")
    assert store.list() == () and store.get(1) is None and store.count() == 0
    assert not (tmp_path / "none").exists()


def test_path_resolution_option_then_env_then_xdg(tmp_path):
    env = {"HOME": str(tmp_path / "home")}
    assert default_store_path(env) == tmp_path / "home" / ".local" / "share" / "costsheet" / "history.sqlite3"
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    assert resolve_store_path(None, env) == tmp_path / "xdg" / "costsheet" / "history.sqlite3"
    env[ENV_VAR] = str(tmp_path / "env.sqlite3")
    assert resolve_store_path(None, env) == tmp_path / "env.sqlite3"
    assert resolve_store_path(tmp_path / "opt.sqlite3", env) == tmp_path / "opt.sqlite3"


def test_the_env_var_is_honoured_by_record_calculation(result, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env.sqlite3"))
    new_id = record_calculation(result, (), None, "h")
    assert HistoryStore(tmp_path / "from-env.sqlite3").get(new_id) is not None


def test_ruleset_hash_covers_contents_not_order_or_names():
    one = {"main.cost": 'include "parts.cost"\n', "parts.cost": "item A {}\n"}
    assert ruleset_hash(one) == ruleset_hash(dict(reversed(list(one.items()))))
    assert ruleset_hash(one) == ruleset_hash({"/elsewhere/main.cost": one["main.cost"], "x": one["parts.cost"]})
    assert ruleset_hash(one) != ruleset_hash({**one, "parts.cost": "item B {}\n"})
    assert ruleset_hash("text") == ruleset_hash(["text"]) == ruleset_hash(b"text")
    assert len(ruleset_hash("text")) == 64


def test_a_result_nested_too_deeply_to_store_warns_instead_of_raising(result, store_path, store):
    """The history never raises: not even for a caller's own result dict nested 100,000 levels deep."""
    deep: dict = {}
    for _ in range(100_000):
        deep = {"inner": deep}
    result["extra"] = deep
    err = io.StringIO()
    assert record_calculation(result, (), None, "h", store_path, stderr=err) is None
    assert "history-write-failed" in err.getvalue() and store.count() == 0
