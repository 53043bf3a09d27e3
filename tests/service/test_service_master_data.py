"""The service reads only the files sent: a ruleset's `setup { master-data "DIR" }` names a folder of
the server, which it never reads; it says so with a warning at the setting."""

from __future__ import annotations


def test_a_master_data_folder_is_not_read_and_the_answer_says_so(client, tmp_path):
    (tmp_path / "items.csv").write_text("code,description,unit_cost\nSECRET,Read me,1.00\n", encoding="utf-8")
    text = f'setup {{ master-data "{tmp_path}" }}\n'
    answer = client.post("/v1/ruleset/validate", json={"text": text})
    assert answer.status_code == 200
    body = answer.json()
    assert body["valid"] is True and body["warnings"] == 1
    (warning,) = body["diagnostics"]
    assert warning["code"] == "master-data-not-read" and warning["line"] == 1
    assert "SECRET" not in answer.text
