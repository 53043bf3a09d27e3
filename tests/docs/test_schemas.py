"""The JSON of every command validates against its schema in docs/schema/ (docs/json.md).

The outputs are real: the commands run (through click's CliRunner, as a shell
would run them) on the demo that `costsheet init` writes, on the language
reference's examples and on small rulesets made for one shape each; the
service answers come from `costsheet serve` over loopback.  The schemas list
every key (``additionalProperties: false``), so a key the docs do not
describe fails here, and amounts must be decimal strings.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from costsheet.cli import main

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schema"
EXAMPLES = ROOT / "tests" / "data" / "language"

#: every schema file, by name, as a resource the others can refer to relatively
REGISTRY = referencing.Registry().with_resources(
    (path.as_uri(), referencing.Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
    for path in sorted(SCHEMAS.glob("*.schema.json"))
)


def validate(shape: str, data: object) -> None:
    """Validate ``data`` against docs/schema/<shape>.schema.json (every error reported at once)."""
    schema = {"$ref": (SCHEMAS / f"{shape}.schema.json").as_uri()}
    validator = jsonschema.Draft202012Validator(
        schema, registry=REGISTRY, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:20])


def invalid(shape: str, data: object) -> bool:
    try:
        validate(shape, data)
    except AssertionError:
        return True
    return False


def run(*args: str, status: int = 0):
    """``costsheet ARGS`` in the current directory: its standard output as JSON."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == status, (args, result.output)
    return json.loads(result.stdout)


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """The demo ruleset written by `costsheet init`, with the history in the temporary folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path / "history.sqlite3"))
    validate("init", run("init", "demo", "--format", "json"))
    return tmp_path / "demo" / "demo.cost"


@pytest.fixture
def examples(tmp_path, monkeypatch):
    """The examples of docs/language.md (all.cost includes them all)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path / "history.sqlite3"))
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("planned"))
    return copy / "all.cost"


# ---------------------------------------------------------------- the schemas themselves


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_is_a_valid_draft_2020_12_schema_named_in_the_docs(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert f"schema/{path.name}" in (ROOT / "docs" / "json.md").read_text(encoding="utf-8")


def test_amounts_are_decimal_strings_never_numbers():
    """docs/json.md: a JSON number, an exponent or a thousands separator is not an amount."""
    assert not invalid("common", {}) and not invalid(
        "diagnostic",
        {
            "severity": "error",
            "file": None,
            "line": None,
            "column": None,
            "end_line": None,
            "end_column": None,
            "code": "unknown-item",
            "message": "m",
        },
    )
    decimal = {"$ref": (SCHEMAS / "common.schema.json").as_uri() + "#/$defs/decimal"}
    validator = jsonschema.Draft202012Validator(decimal, registry=REGISTRY)
    for good in ("0", "12.50", "-3", "382.06751934272", "36.900"):
        assert validator.is_valid(good), good
    for bad in (12.5, 12, "1e3", "1,000.00", "+1", "-0", ".5", "5.", "", "NaN", None):
        assert not validator.is_valid(bad), bad


# ---------------------------------------------------------------- check, calc, value on the demo


def test_check(demo, tmp_path):
    validate("check", run("check", str(demo), "--format", "json"))
    broken = tmp_path / "broken.cost"
    broken.write_text('item A "Part" { unit-cost abc }\nitem B { condition material NOPE lot-size 0 }\n')
    found = run("check", str(broken), "--format", "json", status=1)
    assert found and all("hint" in d for d in found)
    validate("check", found)
    validate("check", run("check", str(tmp_path / "missing.cost"), "--format", "json", status=1))


def test_calc_every_demo_item_with_and_without_explain(demo):
    items = run("calc", str(demo), "--all", "--date", "2026-06-15", "--format", "json")
    validate("calc-all", items)
    assert len(items["items"]) == 8 and "diagnostics" not in items
    for item in items["items"]:
        one = run("calc", str(demo), item, "--date", "2026-06-15", "--format", "json")
        validate("calc", one)
        assert one["bom"]["root"] == item and "explain" not in one
    explained = run("calc", str(demo), "ICO-0001", "--lot-size", "25", "--explain", "--format", "json")
    validate("calc", explained)
    assert explained["explain"] and explained["prices"] and explained["charges"]


def test_calc_of_by_and_co_products(tmp_path, monkeypatch):
    """The section-14 example: a producer with a by-product and a co-product, and the co-product."""
    monkeypatch.chdir(tmp_path)
    ruleset = ROOT / "tests" / "data" / "realism" / "section14.cost"
    bike = run("calc", str(ruleset), "BIKE", "--date", "2026-06-01", "--explain", "--format", "json")
    validate("calc", bike)
    assert bike["byproducts"][0]["valued_at"] == "cost" and bike["coproducts"][0]["item"] == "BIKE-KIT"
    kit = run("calc", str(ruleset), "BIKE-KIT", "--date", "2026-06-01", "--format", "json")
    validate("calc", kit)
    assert kit["coproduct_of"]["producer"] == "BIKE" and kit["bom"]["nodes"]["BIKE-KIT"]["coproduct_of"]
    validate("calc-all", run("calc", str(ruleset), "--all", "--date", "2026-07-01", "--format", "json"))


def test_calc_failures(demo, tmp_path):
    validate("failure", run("calc", str(demo), "NOPE", "--format", "json", status=1))
    validate("failure", run("calc", str(tmp_path / "missing.cost"), "A", "--format", "json", status=1))
    priced = tmp_path / "priced.cost"
    priced.write_text(
        demo.read_text().replace('include "demo-ledger.cost"', "")
        + "item ONLY-PRICED { vendor V-1000 cost-base direct-unit-cost }\n"
        "price ONLY-PRICED vendor V-1000 from 2030-01-01 unit-cost 1.00\n"
    )
    failed = run("calc", str(priced), "ONLY-PRICED", "--date", "2026-06-15", "--format", "json", status=1)
    validate("failure", failed)
    assert [d["code"] for d in failed["diagnostics"]] == ["no-valid-price"]
    everything = run("calc", str(priced), "--all", "--date", "2026-06-15", "--format", "json", status=1)
    validate("calc-all", everything)
    assert "ONLY-PRICED" not in everything["items"] and everything["diagnostics"]


def test_value(demo):
    validate("value", run("value", str(demo), "--format", "json"))
    adjusted = run("value", str(demo), "--format", "json", "--adjustments", "--as-of", "2026-06-30")
    validate("value", adjusted)
    assert adjusted["as_of"] == "2026-06-30"
    assert any(e.get("adjustments") for item in adjusted["items"].values() for e in item["entries"])
    validate("value", run("value", str(demo), "--item", "ICO-0003", "--format", "json"))


def test_value_by_location_and_variant_and_with_ledger_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart = (EXAMPLES / "section3_chart.cost").read_text()
    (tmp_path / "l.cost").write_text(
        chart
        + """
setup { average-cost-calc item-location-variant }
item A "a" { costing-method average }
item S "s" { costing-method standard standard-cost 10 }
ledger A { 2020-01-01 purchase +2 cost 10 location BLUE variant RED  2020-01-02 purchase +1 cost 4
           2020-02-01 sale -1 location BLUE variant RED  2020-03-01 revaluation unit-cost 6 }
ledger S { 2020-01-01 purchase +1 cost 12  2020-01-05 charge 1 amount 1 }
"""
    )
    data = run("value", "l.cost", "--format", "json", "--adjustments")
    validate("value", data)
    assert set(data["items"]) == {"A|BLUE|RED", "A||", "S||"} and data["items"]["S||"]["variances"]
    (tmp_path / "bad.cost").write_text('item A "a" { }\nledger A { 2020-01-01 sale 0 }\n')
    validate("failure", run("value", "bad.cost", "--format", "json", status=1))


def test_the_language_examples(examples):
    validate("check", run("check", str(examples), "--format", "json"))
    everything = run("calc", str(examples), "--all", "--date", "2026-06-15", "--format", "json")
    validate("calc-all", everything)
    for item in everything["items"]:
        validate("calc", run("calc", str(examples), item, "--date", "2026-06-15", "--format", "json", "--explain"))
    validate("value", run("value", str(examples), "--format", "json", "--adjustments"))


def test_calc_single_level_costing_bom_has_unexpanded_nodes(examples):
    text = examples.parent / "section2_setup.cost"
    text.write_text(text.read_text().replace("explode-bom         rolled-up", "explode-bom         single-level"))
    data = run("calc", str(examples), "ICO-0001", "--date", "2026-06-15", "--format", "json")
    validate("calc", data)
    assert any("lines" not in node for node in data["bom"]["nodes"].values())


@pytest.mark.thorough
def test_where_used_of_every_code_of_the_demo(demo):
    import costsheet
    from costsheet.whereused import build_index

    index = build_index(costsheet.load(str(demo)).model)
    for kind in ("item", "resource", "condition", "element", "vendor"):
        for code in index.codes(kind):
            validate("where-used", run("where-used", str(demo), code, "--kind", kind, "--format", "json"))
    validate("where-used", run("where-used", str(demo), "V-1000", "--date", "2024-01-01", "--format", "json"))
    validate("failure", run("where-used", str(demo), "NOPE", "--format", "json", status=1))


def test_worksheet_with_and_without_implement(demo):
    args = ("worksheet", str(demo), "--all", "--date", "2026-12-01", "--format", "json")
    validate("worksheet", run(*args))
    implemented = run(*args, "--implement", "--from", "2026-12-01")
    validate("worksheet", implemented)
    assert implemented["implemented"]["files"] and implemented["prices"]
    again = run(*args)
    validate("worksheet", again)
    assert all(line["current"]["from"] == "2026-12-01" for line in again["items"])
    validate("failure", run("worksheet", str(demo), "NOPE", "--format", "json", status=1))


# ---------------------------------------------------------------- fmt, init, history


def test_fmt(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.cost").write_text('vendor V "Vendor"\n')
    (tmp_path / "messy.cost").write_text('vendor   V "Vendor"\n')
    (tmp_path / "broken.cost").write_text("item A {\n")
    validate("fmt", run("fmt", "ok.cost", "--format", "json"))
    checked = run("fmt", "--check", "ok.cost", "messy.cost", "broken.cost", "--format", "json", status=1)
    validate("fmt", checked)
    assert [f["status"] for f in checked["files"]] == ["unchanged", "would-reformat", "error"]
    validate("fmt", run("fmt", "messy.cost", "--format", "json"))


def test_init_refuses_to_overwrite(demo):
    validate("failure", run("init", str(demo.parent), "--format", "json", status=1))


def test_history(demo, tmp_path):
    run("calc", str(demo), "ICO-0002", "--date", "2026-06-15", "--format", "json")
    demo.write_text(demo.read_text().replace("last-direct-cost 17.90", "last-direct-cost 17.95"))  # the rim
    run("calc", str(demo), "ICO-0002", "--date", "2026-06-15", "--format", "json")
    run("calc", str(demo), "NOPE-NOT-RECORDED", "--format", "json", status=1)
    frame = "price    ICO-0003 vendor V-3000 from "
    (tmp_path / "failing.cost").write_text(demo.read_text().replace(frame + "2025-01-01", frame + "2099-01-01"))
    # the frame ICO-0003 has no valid price before 2099: a failed calculation is recorded with its log
    shutil.copy(demo.parent / "demo-ledger.cost", tmp_path / "demo-ledger.cost")
    run("calc", str(tmp_path / "failing.cost"), "ICO-0003", "--date", "2026-06-15", "--format", "json", status=1)
    listed = run("history", "list", "--format", "json")
    validate("history-list", listed)
    assert [row["ok"] for row in listed] == [False, True, True]
    for row in listed:
        validate("history-show", run("history", "show", str(row["id"]), "--format", "json"))
    changed = run("history", "diff", str(listed[2]["id"]), str(listed[1]["id"]), "--format", "json")
    validate("history-diff", changed)
    assert not changed["same"] and any(c["section"] == "file" for c in changed["inputs"])
    validate("history-diff", run("history", "diff", str(listed[1]["id"]), str(listed[0]["id"]), "--format", "json"))


# ---------------------------------------------------------------- the service, over loopback


@pytest.mark.thorough
def test_service_answers():
    pytest.importorskip("fastapi")
    httpx = pytest.importorskip("httpx")
    sys.path.insert(0, str(ROOT / "tests" / "service"))
    from live_server import running_server
    from service_samples import FILES

    with running_server("--workers", "1") as server:

        def post(path: str, body: dict, status: int = 200) -> dict:
            answer = httpx.post(server.url + path, json=body, timeout=60)
            assert answer.status_code == status, answer.text
            return answer.json()

        validate("service-health", httpx.get(server.url + "/health", timeout=10).json())
        validate("service-formula", post("/v1/formula/validate", {"formula": "2 § (C + D)", "rows": ["C", "D"]}))
        validate("service-formula", post("/v1/formula/validate", {"formula": "A + * 2"}))
        validate("service-ruleset", post("/v1/ruleset/validate", {"files": FILES}))
        validate("service-ruleset", post("/v1/ruleset/validate", {"text": "item A { unit-cost abc }"}))
        validate("service-calculate", post("/v1/calculate", {"files": FILES, "item": "ICO-0001", "date": "2026-06-15"}))
        validate("service-value", post("/v1/value", {"files": FILES, "as_of": "2026-06-30"}))
        validate("service-refusal", post("/v1/calculate", {"files": FILES, "item": "NOPE"}, status=422))
        validate("service-refusal", post("/v1/calculate", {"files": FILES, "item": "A", "lot_size": 10}, status=422))
        refused = httpx.get(server.url + "/v1/nowhere", timeout=10)
        assert refused.status_code == 404
        validate("service-refusal", refused.json())
