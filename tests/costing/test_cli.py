"""``costsheet calc`` and ``costsheet init`` through click's runner: output, JSON and exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from costsheet.cli import main
from costsheet.numbers import D

from .support import CHART, total


def _demo(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "costsheet calc" in result.output and "ICO-0001" in result.output
    return runner, str(tmp_path / "demo" / "demo.cost")


def test_init_writes_a_demo_that_calc_runs_out_of_the_box(tmp_path):
    runner, path = _demo(tmp_path)
    result = runner.invoke(main, ["calc", path, "ICO-0001"])
    assert result.exit_code == 0, result.output
    for text in ("Direct material", "Cost of goods manufactured", "Unit cost", "List price", "RETAIL"):
        assert text in result.output
    again = runner.invoke(main, ["init", str(tmp_path / "demo")])
    assert again.exit_code == 1 and "--force" in again.output


def test_calc_json_is_section_9_and_agrees_with_the_table(tmp_path):
    runner, path = _demo(tmp_path)
    result = runner.invoke(
        main, ["calc", path, "ICO-0001", "--lot-size", "25", "--date", "2026-11-22", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["item"], data["lot_size"], data["date"]) == ("ICO-0001", "25", "2026-11-22")
    single = total({code: D(v["single_level"]) for code, v in data["elements"].items()})
    rolled = total({code: D(v["rolled_up"]) for code, v in data["elements"].items()})
    assert single == rolled == D(data["unit_cost"])  # exactly: the JSON keeps every one of the 20 places
    assert D(data["list_price"]) > D(data["unit_cost"])
    assert set(data["standard_costs"]) == {f"ICO-000{i}" for i in range(1, 9) if i != 7} | {"ICO-0007"}


def test_every_demo_item_calculates(tmp_path):
    runner, path = _demo(tmp_path)
    result = runner.invoke(main, ["calc", path, "--all", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.output)["items"]) == [f"ICO-000{i}" for i in range(1, 9)]
    table = runner.invoke(main, ["calc", path, "--all"])
    assert table.exit_code == 0 and "ICO-0008" in table.output


def test_explain_shows_the_sources(tmp_path):
    runner, path = _demo(tmp_path)
    result = runner.invoke(main, ["calc", path, "ICO-0002", "--explain"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "operation 30 on WC-PAINT" in result.output and "C-STD line 2" in result.output


def test_usage_errors_exit_2_and_calculation_errors_exit_1(tmp_path):
    runner, path = _demo(tmp_path)
    assert runner.invoke(main, ["calc", path, "ICO-0001", "--lot-size", "ten"]).exit_code == 2
    assert runner.invoke(main, ["calc", path, "ICO-0001", "--date", "22.11.2026"]).exit_code == 2
    assert runner.invoke(main, ["calc", path]).exit_code == 2
    unknown = runner.invoke(main, ["calc", path, "ico-0001", "--format", "json"])
    assert unknown.exit_code == 1
    assert json.loads(unknown.output)["diagnostics"][0]["code"] == "unknown-item"
    broken = tmp_path / "broken.cost"
    broken.write_text(
        'item A "A" { unit-cost 1 cost-base direct-unit-cost }\ncondition material M "M" { direct 1 overhead 2 }\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["calc", str(broken), "A"])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_the_table_shows_the_costing_bom_as_a_tree_and_the_json_as_a_graph(tmp_path):
    """The spoke is in the wheel and in the accessory kit: two rows in the tree, one node in the JSON."""
    runner, path = _demo(tmp_path)
    table = runner.invoke(main, ["calc", path, "ICO-0001", "--no-history"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    tree = table.output[table.output.index("Costing BOM") :]
    assert "   ICO-0002 " in tree and "     ICO-0005 " in tree and tree.count("ICO-0005") == 2
    assert "more rows not shown" not in tree
    data = json.loads(runner.invoke(main, ["calc", path, "ICO-0001", "--format", "json", "--no-history"]).output)
    assert data["bom"]["root"] == "ICO-0001" and sorted(data["bom"]["nodes"]) == [f"ICO-000{i}" for i in range(1, 9)]


def test_the_costing_bom_tree_stops_at_its_row_limit_and_says_how_many_rows_it_left_out(tmp_path):
    from costsheet.cli.tables import BOM_ROWS

    levels = ['item L0 "Leaf" { unit-cost 1 }']
    levels += [f'item L{i} "L{i}" {{ replenishment prod-order bom {{ L{i - 1} 1 L{i - 1} 1 }} }}' for i in range(1, 12)]
    path = tmp_path / "diamond.cost"
    path.write_text(CHART + "\n".join(levels) + "\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["calc", str(path), "L11", "--no-history"], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    assert f"{2**12 - 1 - BOM_ROWS:,} more rows not shown: the tree stops after {BOM_ROWS} rows" in out.output
    single = path.read_text(encoding="utf-8") + "setup { explode-bom single-level }\n"
    path.write_text(single, encoding="utf-8")
    out = CliRunner().invoke(main, ["calc", str(path), "L11", "--no-history"], env={"COLUMNS": "160"})
    assert "L10 +" in out.output and "+ the item has components below the levels shown" in out.output
    assert "more rows not shown" not in out.output
