"""The history file is private to its owner, and a source's records can be bounded (the service's retention)."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from costsheet.history import HistoryStore, record_calculation


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_new_history_file_and_its_wal_are_readable_by_the_owner_only(result, store_path):
    old = os.umask(0o022)  # the usual umask would make a plain file world-readable
    try:
        assert record_calculation(result, (), "demo.cost", "abc", store_path) == 1
    finally:
        os.umask(old)
    assert _mode(store_path) == 0o600
    for companion in (store_path.with_name(store_path.name + "-wal"), store_path.with_name(store_path.name + "-shm")):
        if companion.exists():
            assert _mode(companion) == 0o600, companion


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_existing_history_file_keeps_its_permissions(result, store_path):
    HistoryStore(store_path).count()  # nothing created by reading
    store_path.touch(mode=0o640)
    os.chmod(store_path, 0o640)
    record_calculation(result, (), "demo.cost", "abc", store_path)
    assert _mode(store_path) == 0o640


def test_keep_bounds_the_records_of_one_source_and_spares_the_others(result, store_path, store):
    cli_ids = [record_calculation(result, (), "demo.cost", "abc", store_path) for _ in range(3)]
    service_ids = [record_calculation(result, (), None, "abc", store_path, source="service", keep=4) for _ in range(10)]
    kept = store.list()
    assert sorted(c.id for c in kept if c.source == "service") == service_ids[-4:]
    assert sorted(c.id for c in kept if c.source == "cli") == cli_ids


def test_prune_deletes_nothing_below_the_bound(result, store_path, store):
    for _ in range(3):
        record_calculation(result, (), None, "abc", store_path, source="service")
    with store.write() as conn:
        assert HistoryStore.prune(conn, "service", 3) == 0
        assert HistoryStore.prune(conn, "service", 1) == 2
    assert store.count() == 1
