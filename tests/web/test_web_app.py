"""``costsheet web``'s server without a browser: its answers against the costing API, its closed file
access, its downloads, and the reload of a changed ruleset (docs/web.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient
from web_live import ROOT, demo_copy

import costsheet
from costsheet.service.web import Project, create_web_app, downloads
from costsheet.service.web.app import STATIC


@pytest.fixture
def demo(tmp_path):
    return demo_copy(tmp_path / "demo")


@pytest.fixture
def client(demo, tmp_path):
    app = create_web_app(Project(demo), history=str(tmp_path / "history.sqlite3"), watch=False)
    with TestClient(app) as c:
        yield c


def test_item_list_pages_sorts_and_searches(client, demo):
    ruleset = costsheet.load(demo)
    costs = {code: r.unit_cost for code, r in ruleset.calculate_all().items.items()}
    page = client.get("/api/items", params={"sort": "unit_cost", "desc": "true", "limit": 3}).json()
    assert page["total"] == len(ruleset.model.items)
    expected = sorted(costs, key=costs.__getitem__, reverse=True)[:3]
    assert [r["code"] for r in page["rows"]] == expected
    assert [r["unit_cost"]["value"] for r in page["rows"]] == [str(costs[c]) for c in expected]
    found = client.get("/api/items", params={"q": "wheel"}).json()
    assert [r["code"] for r in found["rows"]] == ["ICO-0002"]
    second = client.get("/api/items", params={"offset": 3, "limit": 3}).json()
    assert [r["code"] for r in second["rows"]] == list(ruleset.model.items)[3:6]


def test_costing_amounts_are_those_of_the_json(client, demo):
    expected = costsheet.load(demo).calculate("ICO-0001").to_dict()
    view = client.get("/api/items/ICO-0001/costing").json()
    elements = {r["code"]: r for r in view["chart"] if r["kind"] == "element" and "rolled_up" in r}
    assert {c: r["rolled_up"]["value"] for c, r in elements.items()} == {
        c: e["rolled_up"] for c, e in expected["elements"].items()
    }
    assert {c: r["single_level"]["value"] for c, r in elements.items()} == {
        c: e["single_level"] for c, e in expected["elements"].items()
    }
    totals = {r["code"]: r["total"]["value"] for r in view["chart"] if "total" in r}
    assert totals == expected["totals"]
    assert view["list_price"]["value"] == expected["list_price"]
    nodes = expected["bom"]["nodes"]
    assert {r["item"]: r["unit_cost"]["value"] for r in view["bom"]} == {c: n["unit_cost"] for c, n in nodes.items()}


def test_per_lot_amounts_are_the_unit_amounts_times_the_lot(client, demo):
    from decimal import Decimal

    unit = client.get("/api/items/ICO-0001/costing", params={"lot_size": "4"}).json()
    lot = client.get("/api/items/ICO-0001/costing", params={"lot_size": "4", "per": "lot"}).json()
    assert Decimal(lot["unit_cost"]["value"]) == Decimal(unit["unit_cost"]["value"]) * 4


def test_explain_names_the_ruleset_line_of_each_step(client, demo):
    result = costsheet.load(demo).calculate("ICO-0001", explain=True).to_dict(explain=True)
    view = client.get("/api/items/ICO-0001/explain", params={"line": "2110", "level": "single"}).json()
    expected = [s for s in result["explain"] if s["item"] == "ICO-0001" and s["element"] == "2110"]
    assert [s["source"] for s in view["steps"]] == [s["source"] for s in expected]
    lines = demo.read_text(encoding="utf-8").splitlines()
    for step in view["steps"]:
        assert step["where"]["file"].endswith("demo.cost")
        resource = step["source"].split(" on ")[1]  # "operation 10 on WC-100": the resource's line
        assert resource in lines[step["where"]["line"] - 1]


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../../../pyproject.toml",
        "/assets/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/assets/..%2f..%2f..%2fpyproject.toml",
        "/api/source?file=/etc/passwd",
        "/api/source?file=../pyproject.toml",
        "/api/source?file=pyproject.toml",
        "/api/download/..%2f..%2fpyproject.toml.csv",
        "/api/items/..%2f..%2fpyproject.toml/costing",
        "/%2e%2e/pyproject.toml",
    ],
)
def test_no_request_reaches_another_file(client, path):
    answer = client.get(path)
    assert answer.status_code in (404, 409, 422)
    assert "[build-system]" not in answer.text and "root:" not in answer.text


def test_the_source_of_the_ruleset_and_its_includes_is_shown(client, demo):
    names = client.get("/api/state").json()["files"]
    assert {os.path.basename(n) for n in names} == {"demo.cost", "demo-ledger.cost"}
    for name in names:
        lines = client.get("/api/source", params={"file": name}).json()["lines"]
        assert lines == Path(name).read_text(encoding="utf-8").splitlines()


def test_the_server_writes_no_ruleset_file(client, demo):
    before = {p: p.stat().st_mtime_ns for p in demo.parent.iterdir()}
    for path in ("/api/items", "/api/items/ICO-0001/costing", "/api/items/ICO-0001/valuation", "/api/diagnostics"):
        assert client.get(path).status_code == 200
    assert {p: p.stat().st_mtime_ns for p in demo.parent.iterdir()} == before


def test_csv_download_holds_the_costs_of_the_json(client, demo):
    answer = client.get("/api/download/items.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    expected = costsheet.load(demo).calculate_all().to_dict()
    costs = {code: r["unit_cost"] for code, r in expected["items"].items()}
    assert {r["code"]: r["unit_cost"] for r in rows} == costs
    costing = list(csv.DictReader(io.StringIO(client.get("/api/download/costing.csv?item=ICO-0001").text)))
    assert {r["code"]: r["total"] for r in costing if r["total"]} == expected["items"]["ICO-0001"]["totals"]
    assert client.get("/api/download/items.exe").status_code == 404
    assert client.get("/api/download/costing.csv").status_code == 422


def test_xlsx_downloads_hold_the_numbers_of_the_csv(client, demo):
    """Every view's workbook: the CSV's texts as cells, numbers (to 15 digits) in the numeric columns."""
    import openpyxl

    views = ("items", "costing?item=ICO-0001", "valuation?item=ICO-0001", "diagnostics")
    for view in views:
        name, _, query = view.partition("?")
        answer = client.get(f"/api/download/{name}.xlsx" + (f"?{query}" if query else ""))
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == downloads.FORMATS["xlsx"]
        assert answer.headers["content-disposition"].endswith('.xlsx"')
        expected = list(csv.reader(io.StringIO(client.get(f"/api/download/{name}.csv?{query}").text)))
        sheet = openpyxl.load_workbook(io.BytesIO(answer.content))[name]
        found = [list(row) for row in sheet.iter_rows(values_only=True)]
        start = found.index(expected[0])  # the title and the part's title come first
        rows = found[start + 1 : start + len(expected)]
        assert len(rows) == len(expected) - 1
        for got, want in zip(rows, expected[1:], strict=True):
            for cell, text in zip(got, want, strict=True):
                if isinstance(cell, (int, float)):
                    assert text and abs(Decimal(repr(cell)) - Decimal(text)) <= abs(Decimal(text)) * Decimal("1e-15")
                else:
                    assert (cell or "") == text
    items = openpyxl.load_workbook(io.BytesIO(client.get("/api/download/items.xlsx").content))["items"]
    assert any(isinstance(cell, float) for row in items.iter_rows(values_only=True) for cell in row)


def test_an_xlsx_download_without_openpyxl_is_a_clear_refusal(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl raises ImportError
    answer = client.get("/api/download/items.xlsx")
    assert answer.status_code == 501 and answer.json()["code"] == "xlsx-unavailable"
    assert "costsheet[xlsx]" in answer.text


def test_a_changed_ruleset_is_seen_and_reloaded(demo):
    project = Project(demo)
    assert not project.changed()
    text = demo.read_text(encoding="utf-8")
    demo.write_text(text.replace('"Racing bike"', '"Road bike"'), encoding="utf-8")
    assert project.changed()
    snapshot = project.reload()
    assert snapshot.generation == 2 and snapshot.ruleset.model.items["ICO-0001"].description == "Road bike"
    assert not project.changed()
    included = demo.parent / "demo-ledger.cost"
    included.write_text(included.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert project.changed()


def test_csv_master_data_is_watched_and_a_new_file_in_its_folder_too(demo, tmp_path):
    master = tmp_path / "erp"
    master.mkdir()
    items = master / "items.csv"
    items.write_text("code,description,replenishment,unit_cost\nCSV-1,Bell,purchase,12.50\n", encoding="utf-8")
    project = Project(demo, (str(master),))
    assert project.snapshot.ruleset.model.items["CSV-1"].unit_cost == Decimal("12.50")
    items.write_text("code,description,replenishment,unit_cost\nCSV-1,Bell,purchase,12.60\n", encoding="utf-8")
    assert project.changed()
    assert project.reload().ruleset.model.items["CSV-1"].unit_cost == Decimal("12.60")
    (master / "vendors.csv").write_text("code,name\nV-9,Bells Ltd\n", encoding="utf-8")
    assert project.changed()
    assert "V-9" in project.reload().ruleset.model.vendors


def _listed_costs(client) -> dict[str, str | None]:
    rows = client.get("/api/items", params={"limit": 100}).json()["rows"]
    return {r["code"]: r["unit_cost"]["value"] if r["unit_cost"] else None for r in rows}


def test_an_edit_re_costs_only_its_cone_and_the_pages_show_a_fresh_loads_costs(demo, tmp_path):
    from costsheet.whereused import build_index

    master = tmp_path / "erp"
    master.mkdir()
    items = master / "items.csv"
    items.write_text("code,description,replenishment,unit_cost\nCSV-1,Bell,purchase,12.50\n", encoding="utf-8")
    project = Project(demo, (str(master),))
    model = project.snapshot.ruleset.model
    assert project.snapshot.recosted == frozenset(project.snapshot.costed) and len(model.items) > 3
    with TestClient(create_web_app(project, watch=False)) as client:
        _listed_costs(client)
        # a ruleset edit: the rim's price; re-costed: the rim and what it goes into, nothing else
        demo.write_text(demo.read_text(encoding="utf-8").replace("18.40", "19.15", 1), encoding="utf-8")
        snapshot = project.reload()
        cone = build_index(snapshot.ruleset.model).affected(["ICO-0004"])
        assert snapshot.recosted == cone and len(cone) < len(model.items)
        fresh = costsheet.load(demo, master_data=str(master)).calculate_all(date=snapshot.date)
        assert _listed_costs(client) == {c: str(r.unit_cost) for c, r in fresh.items.items()}
        # a CSV edit: only its item
        items.write_text("code,description,replenishment,unit_cost\nCSV-1,Bell,purchase,12.60\n", encoding="utf-8")
        snapshot = project.reload()
        assert snapshot.recosted == {"CSV-1"}
        fresh = costsheet.load(demo, master_data=str(master)).calculate_all(date=snapshot.date)
        assert _listed_costs(client) == {c: str(r.unit_cost) for c, r in fresh.items.items()}
        assert snapshot.costed == fresh.items


REALISM = ROOT / "tests" / "data" / "realism" / "section14.cost"


@pytest.mark.parametrize("date", ["2026-07-01", "2026-06-01"])
def test_the_costing_bom_shows_phantoms_versions_units_and_joint_products_as_the_json(date):
    expected = costsheet.load(REALISM).calculate("BIKE", date=dt.date.fromisoformat(date)).to_dict()
    app = create_web_app(Project(REALISM), history=None, watch=False)
    with TestClient(app) as client:
        view = client.get("/api/items/BIKE/costing", params={"date": date}).json()
        kit = client.get("/api/items/BIKE-KIT/costing", params={"date": date}).json()
        phantom = client.get("/api/items/WHEELSET/costing", params={"date": date})
    node = expected["bom"]["nodes"]["BIKE"]
    assert (view["bom_version"], view["routing_version"]) == (expected["bom_version"], expected["routing_version"])
    assert view["currency"] == "EUR"
    rows = view["bom"]
    # the item, its by-product credit and co-product share under it, then its lines (the phantom's exploded)
    assert [(r["kind"], r["item"], r["phantom"]) for r in rows] == [
        ("item", "BIKE", None),
        *(("byproduct", b["item"], None) for b in expected["byproducts"]),
        *(("coproduct", c["item"], None) for c in expected["coproducts"]),
        *(("item", line["component"], line.get("phantom")) for line in node["lines"]),
    ]
    assert [r["parent"] for r in rows] == [-1, *([0] * (len(rows) - 1))]
    assert rows[0]["bom_version"] == node["bom_version"]
    credit, share = rows[1], rows[2]
    assert credit["extended"]["value"] == str(-Decimal(expected["byproducts"][0]["credit"]))
    assert share["extended"]["value"] == str(-Decimal(expected["coproducts"][0]["amount"]))
    assert share["description"] == "co-product share 10%"
    spoke = next(r for r in rows if r["item"] == "SPOKE")
    spoke_line = next(line for line in node["lines"] if line["component"] == "SPOKE")
    assert (spoke["quantity"], spoke["unit"]) == (spoke_line["quantity"], "PCS")
    nodes = expected["bom"]["nodes"]
    for row in rows[3:]:  # a line's extended amount: its quantity per unit of BIKE times the component's cost
        assert Decimal(row["extended"]["value"]) == Decimal(row["quantity"]) * Decimal(nodes[row["item"]]["unit_cost"])
    assert kit["coproduct_of"]["producer"] == "BIKE"
    assert kit["coproduct_of"]["unit_cost"]["value"] == expected["coproducts"][0]["unit_cost"]
    assert phantom.status_code == 422 and phantom.json()["diagnostics"][0]["code"] == "phantom-item"


def test_a_ruleset_with_errors_shows_its_diagnostics_with_the_source(demo, tmp_path):
    demo.write_text(demo.read_text(encoding="utf-8").replace("direct   1110", "direct   1115", 1), encoding="utf-8")
    app = create_web_app(Project(demo), watch=False)
    with TestClient(app) as client:
        refused = client.get("/api/items")
        assert refused.status_code == 409 and refused.json()["code"] == "ruleset-has-errors"
        view = client.get("/api/diagnostics").json()
        assert not view["clean"] and view["errors"] >= 1
        first = view["diagnostics"][0]
        marked = [line["text"] for line in first["excerpt"] if line["marked"]]
        assert any("1115" in text for text in marked)


#: a URL that leaves the server: a scheme, or a protocol-relative //host
_EXTERNAL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}|url\(\s*['"]?https?:""", re.IGNORECASE)


def test_served_pages_reference_no_external_url(client):
    for path in ["/", *(f"/assets/{p.name}" for p in STATIC.iterdir())]:
        answer = client.get(path)
        assert answer.status_code == 200
        text = answer.text
        text = text.replace("http://www.w3.org/2000/svg", "")  # the SVG namespace, a name, never fetched
        assert _EXTERNAL.findall(text) == [], path


def test_the_assets_ship_in_the_wheel():
    """hatch ships src/costsheet whole (pyproject.toml), so the static files are package data."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["src/costsheet"]' in config
    assert {p.name for p in STATIC.iterdir()} >= {"index.html", "app.js", "app.css"}


def test_the_web_command_listens_on_loopback_by_default():
    from costsheet.cli.web import command

    host = next(p for p in command.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_history_diff_compares_two_recorded_calculations(client, demo, tmp_path, monkeypatch):
    monkeypatch.setenv("COSTSHEET_HISTORY", str(tmp_path / "history.sqlite3"))
    ruleset = costsheet.load(demo)
    ruleset.calculate("ICO-0001", record=True)
    ruleset.calculate("ICO-0001", lot_size=25, record=True)
    records = client.get("/api/history").json()["records"]
    assert [r["lot_size"] for r in records] == ["25", "10"]
    view = client.get("/api/history/diff", params={"a": records[1]["id"], "b": records[0]["id"]}).json()
    unit = [c for c in view["changes"] if c["section"] == "unit_cost"]
    assert unit and unit[0]["before"] == records[1]["unit_cost"] and unit[0]["after"] == records[0]["unit_cost"]
    assert client.get("/api/history/diff", params={"a": 999, "b": 1}).status_code == 404
    assert json.loads(client.get(f"/api/download/history-diff.json?a={records[1]['id']}&b={records[0]['id']}").text)
