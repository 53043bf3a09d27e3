"""The public API: light import, text or path, formulas alone."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import costsheet
from costsheet.syntax import nodes as n


def test_import_costsheet_is_light():
    """Importing the package must not load the parser, rich, FastAPI or the engines."""
    code = (
        "import sys, costsheet\n"
        "heavy = {'lark', 'rich', 'fastapi', 'uvicorn', 'sqlite3', 'costsheet.costing', 'costsheet.valuation'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_engines_return_data_and_import_no_presentation():
    """Costing and valuing (results and their JSON included) load no rich: the tables are cli/tables.py's."""
    code = (
        "import sys, datetime, costsheet\n"
        "ruleset = costsheet.load(sys.argv[1])\n"
        "ruleset.calculate('ICO-0001', explain=True).to_json(explain=True)\n"
        "ruleset.value().to_json()\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'rich'))\n"
    )
    demo = str(Path(__file__).resolve().parents[2] / "rulesets" / "demo.cost")
    out = subprocess.run([sys.executable, "-c", code, demo], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_load_from_text_and_path_agree(tmp_path):
    text = 'vendor V1 "One"\nitem A { unit-cost 1.50 vendor V1 }\n'
    path = tmp_path / "r.cost"
    path.write_text(text, encoding="utf-8")
    from_text = costsheet.load(text, file="r.cost")
    from_path = costsheet.load(str(path))
    assert from_text.model.items == from_path.model.items
    assert from_text.model.items["A"].unit_cost == Decimal("1.50")


def test_parse_formula_alone_with_rows():
    formula, diagnostics = costsheet.parse_formula("2 § (C + D)", rows=["C", "D"])
    assert diagnostics == ()
    assert formula == n.Binary("§", n.Num(Decimal(2)), n.Binary("+", n.Row("C"), n.Row("D")))


def test_parse_formula_reports_unknown_rows_with_columns():
    _, diagnostics = costsheet.parse_formula("10 % A + Z", rows=["A"])
    (diagnostic,) = diagnostics
    assert diagnostic.code == "empty-row"
    assert (diagnostic.span.column, diagnostic.span.end_column) == (10, 11)


def test_typographic_minus_and_en_dash_are_minus():
    a, _ = costsheet.parse_formula("A \u2212 B")
    b, _ = costsheet.parse_formula("A \u2013 B")
    c, _ = costsheet.parse_formula("A - B")
    assert a == b == c == n.Binary("-", n.Row("A"), n.Row("B"))


def test_a_parenthesised_expression_spans_its_parentheses():
    formula, _ = costsheet.parse_formula("15 / (C - C)")
    assert (formula.right.span.column, formula.right.span.end_column) == (6, 13)
    formula, _ = costsheet.parse_formula("(C - C - 100) § D")
    assert (formula.left.span.column, formula.left.span.end_column) == (1, 14)
