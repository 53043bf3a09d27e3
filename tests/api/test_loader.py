"""Includes: relative to the including file, each file once, cycles and missing files diagnosed."""

from __future__ import annotations

from pathlib import Path

import pytest

import costsheet
from costsheet.loader import mapping_reader, read_sources
from costsheet.ruleset import analyze


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_include_is_relative_to_the_including_file(tmp_path):
    write(tmp_path, "main.cost", 'include "parts/vendors.cost"\nitem A { vendor V1 }\n')
    write(tmp_path, "parts/vendors.cost", 'include "more.cost"\nvendor V1 "One"\n')
    write(tmp_path, "parts/more.cost", 'vendor V2 "Two"\n')
    sources = read_sources(str(tmp_path / "main.cost"))
    assert sources.diagnostics == ()
    assert [Path(f.file).name for f in sources.files] == ["main.cost", "vendors.cost", "more.cost"]
    ruleset = costsheet.load(tmp_path / "main.cost")
    assert set(ruleset.model.vendors) == {"V1", "V2"}


def test_a_file_included_twice_is_read_once(tmp_path):
    write(tmp_path, "main.cost", 'include "a.cost"\ninclude "b.cost"\n')
    write(tmp_path, "a.cost", 'include "common.cost"\n')
    write(tmp_path, "b.cost", 'include "common.cost"\n')
    write(tmp_path, "common.cost", 'vendor V1 "One"\n')
    sources = read_sources(str(tmp_path / "main.cost"))
    assert sources.diagnostics == ()
    assert len(sources.files) == 4


def test_missing_include_is_a_diagnostic_at_the_include_line(tmp_path):
    write(tmp_path, "main.cost", 'vendor V1 "One"\ninclude "nowhere.cost"\n')
    sources = read_sources(str(tmp_path / "main.cost"))
    (diagnostic,) = sources.diagnostics
    assert diagnostic.code == "include-not-found"
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 1)
    assert "nowhere.cost" in diagnostic.message


def test_include_cycle_names_the_cycle():
    texts = {"a.cost": 'include "b.cost"\n', "b.cost": 'include "a.cost"\n'}
    sources = read_sources("a.cost", mapping_reader(texts))
    (diagnostic,) = sources.diagnostics
    assert diagnostic.code == "include-cycle"
    assert diagnostic.span.file == "b.cost"
    assert "a.cost -> b.cost -> a.cost" in diagnostic.message


def test_syntax_errors_in_several_files_are_all_reported():
    texts = {"a.cost": 'include "b.cost"\nitem X { unit-cost }\n', "b.cost": "vendor\n"}
    ruleset, diagnostics, _ = analyze(texts["a.cost"], file="a.cost", texts=texts)
    assert ruleset is None
    assert {d.span.file for d in diagnostics} == {"a.cost", "b.cost"}


def test_missing_ruleset_file_is_a_diagnostic(tmp_path):
    ruleset, diagnostics, _ = analyze(str(tmp_path / "none.cost"))
    assert ruleset is None
    assert [d.code for d in diagnostics] == ["file-not-found"]


def test_load_raises_one_error_with_every_diagnostic():
    with pytest.raises(costsheet.RulesetError) as caught:
        costsheet.load("item X { unit-cots 1 }\nitem Y { lot-sise 2 }\n", file="t.cost")
    codes = [d.code for d in caught.value.diagnostics]
    assert codes == ["syntax-error", "syntax-error"]
    assert "t.cost:1:10" in caught.value.render()


def test_an_item_in_csv_and_in_the_ruleset_is_a_duplicate(tmp_path):
    (tmp_path / "items.csv").write_text("code,description,unit_cost\nA,From CSV,2\nB,Only CSV,3\n", encoding="utf-8")
    ruleset, diagnostics, _ = analyze('item A "From DSL" { unit-cost 1 }\n', file="r.cost", master_data=str(tmp_path))
    assert ruleset is None
    (duplicate,) = [d for d in diagnostics if d.code == "duplicate-code"]
    assert duplicate.span.file.endswith("items.csv") and duplicate.span.line == 2
    assert "r.cost:1" in duplicate.message


def test_ledgers_from_csv_reach_the_python_api(tmp_path):
    """Issue 4: ledgers from CSV work "the same through the Python API" (master-data folder or files)."""
    (tmp_path / "ledgers.csv").write_text(
        "item,date,type,quantity,cost\nA,2026-01-01,purchase,2,8.00\nA,2026-01-02,sale,-1,\n", encoding="utf-8"
    )
    text = 'item A "Part" { costing-method fifo }\n'
    from_folder = costsheet.load(text, file="r.cost", master_data=str(tmp_path)).value()
    from_file = costsheet.load(text, file="r.cost", ledger_csv=[str(tmp_path / "ledgers.csv")]).value()
    for result in (from_folder, from_file):
        data = result.to_dict()["items"]["A"]
        assert (data["quantity_on_hand"], data["inventory_value"]) == ("1", "4.00")
