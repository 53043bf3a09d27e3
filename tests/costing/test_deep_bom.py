"""A 5,000-level BOM through every surface: nothing recurses on the BOM's depth (issue 8, item 4).

Before, a chain of 250 levels costed fine and then the history write raised
RecursionError, ``--format json`` failed at 300 levels and the service
answered 500.  The costing BOM is now a graph (no nesting at all), the
expansions are iterative, and these tests run far past the interpreter's
recursion limit (1,000 frames), so any recursion left on the way fails them.
"""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

import costsheet
from costsheet.cli import main
from costsheet.costing import bom_tree
from costsheet.history import HistoryStore, diff

from .support import CHART, DATE

LEVELS = 5_000
TOP = f"L{LEVELS - 1}"


def chain(levels: int) -> str:
    """Item L0 is bought for 1.00; L(i) is made of one L(i-1)."""
    lines = ['item L0 "Leaf" { unit-cost 1.00 }']
    lines += [f'item L{i} "Level {i}" {{ replenishment prod-order bom {{ L{i - 1} 1 }} }}' for i in range(1, levels)]
    return CHART + "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def deep_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("deep") / "deep.cost"
    path.write_text(chain(LEVELS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deep(deep_file):
    return costsheet.load(str(deep_file))


def test_the_depth_is_far_past_the_recursion_limit():
    assert 4 * sys.getrecursionlimit() < LEVELS


def test_the_api_costs_and_serialises_a_deep_bom(deep):
    result = deep.calculate(TOP, date=DATE, explain=True)
    assert result.unit_cost == 1
    data = json.loads(json.dumps(result.to_dict(explain=True)))
    nodes = data["bom"]["nodes"]
    assert len(nodes) == LEVELS and nodes["L1"]["lines"] == [{"component": "L0", "quantity": "1"}]
    assert len(data["explain"]) >= LEVELS
    assert len(repr(result)) > 0  # the repr names components by item; it does not descend them
    tree = bom_tree(result.bom, max_rows=100)
    assert [row.node.item for row in tree.rows[:2]] == [TOP, f"L{LEVELS - 2}"] and tree.left_out == LEVELS - 100
    assert [node.item for node in result.bom.walk()][-1] == "L0"


@pytest.mark.thorough
def test_the_history_records_shows_and_compares_a_deep_result(deep, tmp_path):
    store = tmp_path / "deep.sqlite3"
    ids = [costsheet.history.record_calculation(deep.calculate(TOP, date=DATE), store_path=store) for _ in range(2)]
    assert None not in ids
    first, second = (HistoryStore(store).get(i) for i in ids)
    assert len(first.result["bom"]["nodes"]) == LEVELS
    assert diff(first, second).same


@pytest.mark.thorough
def test_calc_json_table_explain_and_history_of_a_deep_bom(deep_file):
    """(The explain table is a flat list of steps, one row each: with 10,000 rows rich takes seconds, so
    --explain is exercised here through the JSON; the table of steps does not depend on the depth.)"""
    runner = CliRunner()
    data = runner.invoke(main, ["calc", str(deep_file), TOP, "--date", "2026-06-15", "--format", "json", "--explain"])
    assert data.exit_code == 0, data.output
    answer = json.loads(data.output)
    assert len(answer["bom"]["nodes"]) == LEVELS and answer["explain"][-1]["item"] == "L0"
    table = runner.invoke(main, ["calc", str(deep_file), TOP, "--date", "2026-06-15"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    assert "Costing BOM" in table.output and f"{LEVELS - 50:,} more rows not shown" in table.output
    listed = runner.invoke(main, ["history", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    first, second = sorted(row["id"] for row in json.loads(listed.output))
    shown = runner.invoke(main, ["history", "show", str(second)], env={"COLUMNS": "160"})
    assert shown.exit_code == 0, shown.output
    assert f"{LEVELS - 50:,} more rows not shown" in shown.output
    as_json = runner.invoke(main, ["history", "show", str(second), "--format", "json"])
    assert len(json.loads(as_json.output)["result"]["bom"]["nodes"]) == LEVELS
    for fmt in ("table", "json"):
        compared = runner.invoke(main, ["history", "diff", str(first), str(second), "--format", fmt])
        assert compared.exit_code == 0 and "Traceback" not in compared.output, compared.output
    assert json.loads(compared.output)["same"] is True
