"""The load runs each stage once: formulas are parsed by the parser only, the costing
program is planned inside the load, and the loaded Ruleset is immutable."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import costsheet
import costsheet.syntax
from costsheet.syntax import parser as parser_module

DEMO = Path(__file__).resolve().parents[2] / "rulesets" / "demo.cost"


def test_each_formula_is_parsed_once_per_load(monkeypatch):
    calls: list[str] = []
    original = parser_module.parse_formula

    def counting(text, *args, **kwargs):
        calls.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(parser_module, "parse_formula", counting)
    ruleset = costsheet.load(DEMO)
    ruleset.calculate("ICO-0001", lot_size=10)
    formulas = [
        line.value
        for condition in ruleset.model.conditions.values()
        for line in condition.lines
        if line.value_kind == "formula"
    ]
    assert formulas and sorted(calls) == sorted(formulas)


def test_the_program_is_planned_inside_the_load_and_the_ruleset_is_frozen():
    ruleset = costsheet.load(DEMO)
    assert ruleset.program.model is ruleset.model
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ruleset.model = None
    with pytest.raises(TypeError):
        ruleset.sources[str(DEMO)] = ""  # a read-only mapping
    assert ruleset.calculate("ICO-0001").unit_cost == ruleset.calculate("ICO-0001").unit_cost


def test_the_syntax_node_keeps_the_formula_text_and_its_tree():
    tree, diagnostics = costsheet.syntax.parse(
        'condition charge C "C" {\n  line "a" row A amount 1\n  line "b" formula "A*2"\n}\n', "c.cost"
    )
    assert not diagnostics
    value = tree.declarations[0].body[1].value
    assert value.value == "A*2" and value.formula.op == "*"
    assert (value.formula.span.line, value.formula.span.column) == (3, 21)  # in the file, inside the quotes
