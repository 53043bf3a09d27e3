"""/docs works offline (assets from the package), the OpenAPI text points into docs/, and history is opt-in."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from service_client import make_client
from service_samples import FILES

from costsheet.history import HistoryStore

URL = re.compile(rb"""(?:src|href)\s*=\s*["']([^"']+)["']|url\s*:\s*["']([^"']+)["']""")
#: the language's design notes, which are not shipped: nothing a user reads may point to them
CONTRACT = re.compile(r"LANGUAGE\.md|shared[/]design")


def test_docs_reference_no_external_url_and_their_assets_are_served(shared_client):
    page = shared_client.get("/docs")
    assert page.status_code == 200 and b"swagger" in page.content.lower()
    assert b"http://" not in page.content and b"https://" not in page.content and b"//cdn" not in page.content
    references = {a or b for a, b in URL.findall(page.content)}
    assert {b"/docs/assets/swagger-ui-bundle.js", b"/docs/assets/swagger-ui.css", b"/openapi.json"} <= references
    for reference in references:
        asset = shared_client.get(reference.decode())
        assert asset.status_code == 200 and len(asset.content) > 100, reference
    assert "javascript" in shared_client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"]
    assert shared_client.get("/redoc").status_code == 404  # redoc would load from a CDN: not offered


def test_the_openapi_text_points_into_the_docs_not_to_placeholders(shared_client):
    text = shared_client.get("/openapi.json").text
    assert "example.invalid" not in text and not CONTRACT.search(text) and "section 9" not in text
    assert "docs/service.md" in text and "docs/errors.md" in text


@pytest.mark.thorough
def test_the_service_records_nothing_unless_asked(history_path):
    with make_client(history_path=str(history_path)) as c:
        answer = c.post("/v1/calculate", json={"files": FILES, "item": "ICO-0002"})
    assert answer.status_code == 200 and answer.json()["history_id"] is None
    assert not history_path.exists()


@pytest.mark.thorough
def test_the_service_keeps_only_its_newest_records(history_path):
    with make_client(record_history=True, history_path=str(history_path), history_keep=2) as c:
        ids = [
            c.post("/v1/calculate", json={"files": FILES, "item": "ICO-0002"}).json()["history_id"] for _ in range(4)
        ]
    assert [c.id for c in HistoryStore(history_path).list()] == ids[:1:-1]


def test_the_service_records_the_submitted_files_as_inputs(history_path):
    with make_client(record_history=True, history_path=str(history_path)) as c:
        calc_id = c.post("/v1/calculate", json={"files": FILES, "item": "ICO-0002"}).json()["history_id"]
    inputs = HistoryStore(history_path).get(calc_id).inputs
    assert sorted(i.path for i in inputs) == sorted(FILES)
    assert {i.kind for i in inputs} == {"ruleset"} and all(len(i.sha256) == 64 for i in inputs)


def test_serve_refuses_history_options_without_record_history():
    from costsheet.cli import main

    for option in (["--history", "h.sqlite3"], ["--history-keep", "5"]):
        result = CliRunner().invoke(main, ["serve", *option])
        assert result.exit_code == 2 and "needs --record-history" in result.output, result.output


def test_every_limit_of_the_settings_is_an_option_of_serve():
    import attrs

    from costsheet.cli.serve import command
    from costsheet.service import ServiceSettings

    options = {param.name for param in command.params}
    assert {field.name for field in attrs.fields(ServiceSettings)} <= options
