"""POST /v1/ruleset/validate: whole rulesets, several files, positions inside the submitted text."""

from __future__ import annotations

import pytest
from service_client import make_client


@pytest.fixture(scope="module")
def client(shared_client):
    """Validation records nothing: one app serves the whole module."""
    return shared_client


#: An item (docs/language.md, "Items, work centers and machine centers") with a misspelt field on line 3.
BAD_FIELD = """\
vendor V-1000 "Spoke Supplies Ltd."
item ICO-0005 "Spoke" {
  replenishment purchase  unit-kost 0.12
}
"""


def test_the_spec_ruleset_as_two_files_is_valid(client, spec_files):
    answer = client.post("/v1/ruleset/validate", json={"files": spec_files, "main": "main.cost"})
    assert answer.status_code == 200
    assert answer.json() == {"valid": True, "errors": 0, "warnings": 0, "diagnostics": []}


def test_an_error_is_located_in_the_submitted_file(client):
    answer = client.post("/v1/ruleset/validate", json={"files": {"parts/m.cost": BAD_FIELD}}).json()
    assert not answer["valid"] and answer["errors"] >= 1
    diag = next(d for d in answer["diagnostics"] if d["severity"] == "error")
    assert (diag["file"], diag["line"]) == ("parts/m.cost", 3)
    line = BAD_FIELD.splitlines()[diag["line"] - 1]
    assert line[diag["column"] - 1 : diag["end_column"] - 1] == "unit-kost"


def test_text_is_named_ruleset_cost(client):
    answer = client.post("/v1/ruleset/validate", json={"text": BAD_FIELD}).json()
    assert {d["file"] for d in answer["diagnostics"]} == {"ruleset.cost"}


def test_includes_resolve_among_the_submitted_files_only(client, spec_files):
    alone = client.post("/v1/ruleset/validate", json={"text": spec_files["main.cost"]}).json()
    assert [d["code"] for d in alone["diagnostics"]] == ["include-not-found"]
    assert alone["diagnostics"][0]["line"] == 1 + spec_files["main.cost"].splitlines().index(
        next(line for line in spec_files["main.cost"].splitlines() if line.startswith("include"))
    )


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../etc/passwd", "../tests/conftest.py"])
def test_an_include_never_reads_the_server_files(client, target):
    answer = client.post("/v1/ruleset/validate", json={"text": f'include "{target}"\n'}).json()
    assert [d["code"] for d in answer["diagnostics"]] == ["include-not-found"]
    assert "root:" not in str(answer)


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, "invalid-request"),
        ({"text": "x", "files": {"a.cost": "x"}}, "invalid-request"),
        ({"files": {}}, "invalid-request"),
        ({"files": {"a.cost": ""}, "main": "b.cost"}, "unknown-main-file"),
        ({"files": {"/etc/passwd": ""}}, "invalid-file-name"),
        ({"files": {"../up.cost": ""}}, "invalid-file-name"),
        ({"files": {"a/./b.cost": ""}}, "invalid-file-name"),
        ({"files": {"": ""}}, "invalid-file-name"),
        ({"files": {"a\\b.cost": ""}}, "invalid-file-name"),
        ({"files": {"a\nb.cost": ""}}, "invalid-file-name"),
        ({"text": "(" * 100}, "too-deeply-nested"),
    ],
)
def test_bad_requests_are_refused_with_a_code(client, body, code):
    answer = client.post("/v1/ruleset/validate", json=body)
    assert answer.status_code == 422
    assert answer.json()["code"] == code and answer.json()["detail"]


def test_a_file_name_with_a_lone_surrogate_is_refused(client):
    body = b'{"files": {"a\\ud800.cost": "item X { unit-cost 1 }"}}'
    answer = client.post("/v1/ruleset/validate", content=body, headers={"content-type": "application/json"})
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid-file-name")


def test_too_many_files():
    with make_client(max_files=3, record_history=False) as c:
        files = {f"f{i}.cost": "" for i in range(4)}
        answer = c.post("/v1/ruleset/validate", json={"files": files})
    assert answer.status_code == 422 and answer.json()["code"] == "too-many-files"


def test_a_deep_paren_in_a_ruleset_is_located(client):
    text = 'condition charge X "x" {\n  line "a" row A formula "' + "(" * 70 + '1"\n}\n'
    answer = client.post("/v1/ruleset/validate", json={"text": text})
    assert answer.status_code == 422
    (diag,) = answer.json()["diagnostics"]
    assert (diag["file"], diag["line"]) == ("ruleset.cost", 2)
    assert diag["column"] == text.splitlines()[1].index("(") + 65  # the 65th parenthesis


def test_garbage_rulesets_are_answered_with_diagnostics(client):
    for text in ("\x00\x01\x02", "item", "}}}}", "condition charge X {", "é" * 1000, "item A { bom { A 1 } }"):
        answer = client.post("/v1/ruleset/validate", json={"text": text})
        assert answer.status_code == 200, (text, answer.text)
        assert answer.json()["valid"] is False or answer.json()["errors"] == 0
