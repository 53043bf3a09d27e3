"""POST /v1/formula/validate: diagnostics with columns inside the formula, and its limits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_client import make_client


@pytest.fixture(scope="module")
def client(shared_client):
    """Validation records nothing: one app serves the whole module."""
    return shared_client


#: The formulas of the retail charge condition LP-RETAIL (docs/language.md, "Cost conditions").
SPEC_FORMULAS = [
    ("10 % A", ["A"]),
    ("4 % A", ["A"]),
    ("A + B", ["A", "B"]),
    ("15 % C", ["C"]),
    ("2 § (C + D)", ["C", "D"]),
    ("C + D + E", ["C", "D", "E"]),
]


@pytest.mark.parametrize("formula, used", SPEC_FORMULAS)
def test_the_spec_formulas_are_valid(client, formula, used):
    """docs/language.md, "Cost conditions": every formula of the LP-RETAIL condition validates against rows A-E."""
    answer = client.post("/v1/formula/validate", json={"formula": formula, "rows": list("ABCDE")})
    assert answer.status_code == 200
    assert answer.json() == {"valid": True, "rows_used": used, "diagnostics": []}


def test_typographic_minus_and_en_dash_are_accepted(client):
    """docs/language.md, "Formulas": consultants paste − and – from word processors."""
    for formula in ("A \u2212 B", "A \u2013 B", "\u22121 * A"):
        assert client.post("/v1/formula/validate", json={"formula": formula}).json()["valid"]


def test_a_syntax_error_points_at_its_column(client):
    formula = "2 § (C + D"
    answer = client.post("/v1/formula/validate", json={"formula": formula}).json()
    assert answer["valid"] is False
    (diag,) = answer["diagnostics"]
    assert diag["file"] == "<formula>" and diag["line"] == 1
    assert diag["column"] == len(formula) + 1  # the end: a ')' is missing
    assert diag["severity"] == "error" and diag["hint"]


def test_an_unknown_row_is_an_error_at_the_row(client):
    formula = "15 % (C + X)"
    answer = client.post("/v1/formula/validate", json={"formula": formula, "rows": ["C", "D"]}).json()
    assert not answer["valid"]
    (diag,) = answer["diagnostics"]
    assert diag["code"] == "empty-row"
    assert formula[diag["column"] - 1 : diag["end_column"] - 1] == "X"
    assert answer["rows_used"] == ["C", "X"]


def test_without_rows_any_row_name_is_accepted(client):
    assert client.post("/v1/formula/validate", json={"formula": "X + Y"}).json()["valid"]


@pytest.mark.thorough
def test_a_formula_over_the_length_limit_is_refused():
    with make_client(max_formula_chars=20, record_history=False) as c:
        assert c.post("/v1/formula/validate", json={"formula": "1 + " * 4 + "1"}).status_code == 200
        answer = c.post("/v1/formula/validate", json={"formula": "1 + " * 10 + "1"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "formula-too-long" and "41 characters" in answer.json()["detail"]


@pytest.mark.parametrize(
    "nest, column",
    [(lambda k: "(" * k + "1" + ")" * k, 31), (lambda k: "- " * k + "1", 61)],
    ids=["parentheses", "unary-minus"],
)
def test_nesting_is_limited(nest, column):
    with make_client(max_nesting_depth=30, record_history=False) as c:
        assert c.post("/v1/formula/validate", json={"formula": nest(30)}).json()["valid"]
        answer = c.post("/v1/formula/validate", json={"formula": nest(31)})
        assert answer.status_code == 422
        body = answer.json()
        assert body["code"] == "too-deeply-nested"
        assert body["diagnostics"][0]["column"] == column  # the 31st level
        # and a 10 000 deep formula is refused just as fast, without a RecursionError
        assert c.post("/v1/formula/validate", json={"formula": nest(10_000)}).status_code == 422
        assert c.get("/health").status_code == 200  # still serving


@pytest.mark.parametrize(
    "body, fragment",
    [
        (b"{bad json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"formula": 12}', "formula"),
        (b'{"rows": ["A"]}', "formula: Field required"),
        (b'{"formula": "A", "lot": 1}', "lot"),
        (b'{"formula": "A", "rows": "A"}', "rows"),
    ],
)
def test_malformed_requests_get_422_with_a_clear_message(client, body, fragment):
    answer = client.post("/v1/formula/validate", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid-request"
    assert fragment in answer.json()["detail"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(formula=st.text(max_size=80), rows=st.none() | st.lists(st.text(max_size=5), max_size=4))
def test_any_text_is_answered_never_a_server_error(client, formula, rows):
    answer = client.post("/v1/formula/validate", json={"formula": formula, "rows": rows})
    assert answer.status_code in (200, 422), answer.text
    body = answer.json()
    if answer.status_code == 200:
        assert body["valid"] == all(d["severity"] != "error" for d in body["diagnostics"])
        for diag in body["diagnostics"]:
            assert diag["file"] == "<formula>" and diag["line"] >= 1 and diag["column"] >= 1
    else:
        assert body["code"] and body["detail"]
