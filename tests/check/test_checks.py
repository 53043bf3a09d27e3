"""The checker's machinery and the rules the golden files do not pin down:
locations at the offending token, one run collecting everything, checks over
a model with CSV-like master data, and the guard that turns a checker bug into
a diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest

from costsheet import model as m
from costsheet.check import CHECKS, Context, run_checks
from costsheet.diagnostics import Severity
from costsheet.model_builder import build_model
from costsheet.numbers import D
from costsheet.ruleset import analyze
from costsheet.syntax.parser import parse

DATA = Path(__file__).resolve().parents[1] / "data" / "language"
CHART = (DATA / "section3_chart.cost").read_text()
SHARED = (
    CHART
    + """
condition material   M "Plain material"   { direct 1110 overhead 1120 }
condition production P "Plain production" { direct 1110 overhead 3100 }
condition capacity   C "Plain capacity"   { direct 2110 overhead 2120 }
setup { default material M default production P default capacity C default subcontract C }
"""
)


def diagnostics(text: str):
    return analyze(text, file="t.cost")[1]


def located(text: str, code: str) -> str:
    """The source text under the (single-line) span of the one diagnostic with ``code``."""
    (found,) = [d for d in diagnostics(text) if d.code == code]
    line = text.splitlines()[found.span.line - 1]
    return line[found.span.column - 1 : found.span.end_column - 1]


def test_checks_are_plain_functions_of_a_context():
    assert CHECKS and all(callable(c) and c.__code__.co_argcount == 1 for c in CHECKS)
    assert len(set(CHECKS)) == len(CHECKS)


def test_diagnostics_point_at_the_offending_token():
    assert located(SHARED + 'item A "a" { unit-cost 1 vendor V-9 }', "unknown-vendor") == "V-9"
    assert located(SHARED + 'item A "a" { unit-cost 1 rounding R }', "unknown-rounding") == "R"
    assert located(SHARED + 'item A "a" { replenishment buy }', "unknown-value") == "buy"
    assert located(CHART + 'condition material X "x" { direct 6100 overhead 1120 }', "cost-group-mismatch") == "6100"
    assert located(CHART + 'condition charge X "x" { line "a" amount 1 setup-only }', "misplaced-flag") == "setup-only"
    assert (
        located(CHART + 'condition material X "x" { direct 1110 line "a" element 5000 }', "misplaced-value")
        == "element 5000"
    )


def test_every_problem_is_reported_in_one_run():
    text = (
        CHART
        + """
item A "a" { vendor NOPE unit-cost 1 unit-cost 2 lot-size 0 condition material Q }
condition material M2 "m" { direct 9999 line 1120 "x" amount 1 bold }
setup { cost-base cheapest cost-base unit-cost }
"""
    )
    codes = sorted(d.code for d in diagnostics(text))
    assert codes == sorted(
        [
            "unknown-vendor",
            "duplicate-field",
            "out-of-range",
            "unknown-condition",
            "unknown-element",
            "misplaced-flag",
            "unknown-value",
            "duplicate-setting",
        ]
    )


def test_duplicates_name_where_the_first_is():
    (dup,) = diagnostics(SHARED + 'vendor V "a"\nvendor V "b"\n')
    assert dup.code == "duplicate-code" and "first at t.cost:" in dup.message
    assert dup.span.line == SHARED.count("\n") + 2


def test_work_and_machine_centers_share_one_namespace():
    text = SHARED + 'workcenter W "w" { condition C }\nmachinecenter W "m" in W { }\n'
    assert [d.code for d in diagnostics(text)] == ["duplicate-code"]


def test_condition_references_check_the_kind():
    text = SHARED + 'workcenter W "w" { condition M }\nsetup { assembly direct 1110 overhead 3100 }\n'
    (found,) = diagnostics(text)
    assert found.code == "condition-kind-mismatch" and "capacity" in found.message


def test_assembly_elements_follow_the_production_table():
    text = SHARED + "setup { assembly direct 1120 overhead 3100 }\n"
    assert [d.code for d in diagnostics(text)] == ["cost-group-mismatch"]


def test_element_values_may_name_totals_but_headers_may_not():
    """docs/language.md, "Lines": `element E` may be a total or end-total; a header needs an element line."""
    charge = CHART + 'condition charge K "k" { line "a" element 5000 line "b" element 1199 }\n'
    assert diagnostics(charge) == ()
    heading = CHART + 'condition charge K "k" { line "a" element 1000 }\n'
    assert [d.code for d in diagnostics(heading)] == ["not-an-element"]


def test_charge_line_group_mismatch_is_a_warning_and_loads():
    text = CHART + 'condition charge K "k" { line 1110 "a" amount 1 }\n'
    ruleset, found, _ = analyze(text, file="t.cost")
    assert [(d.code, d.severity) for d in found] == [("cost-group-mismatch", Severity.WARNING)]
    assert ruleset is not None


def test_bom_cycle_of_one_item_and_each_cycle_once():
    text = SHARED + (
        'item A "a" { replenishment prod-order bom { A 1 } }\n'
        'item B "b" { replenishment prod-order bom { C 1 } }\n'
        'item C "c" { replenishment prod-order bom { B 1 } }\n'
        'item D "d" { replenishment prod-order bom { B 1 C 1 } }\n'
    )
    messages = sorted(d.message for d in diagnostics(text) if d.code == "bom-cycle")
    assert messages == [
        "the bills of materials form a cycle: A -> A",
        "the bills of materials form a cycle: B -> C -> B",
    ]


def test_deep_bom_chain_does_not_exhaust_the_stack():
    chain = "\n".join(f'item I{i} "x" {{ replenishment prod-order bom {{ I{i + 1} 1 }} }}' for i in range(3000))
    text = SHARED + chain + '\nitem I3000 "x" { unit-cost 1 }\n'
    assert diagnostics(text) == ()


def test_round_without_method_needs_the_items_rounding():
    base = SHARED + 'condition charge K "k" { line "a" amount 1.234 round list-price }\n'
    assert [d.code for d in diagnostics(base + 'item A "a" { unit-cost 1 condition charge K }')] == [
        "no-rounding-method"
    ]
    ok = base + 'rounding R nearest 0.01\nitem A "a" { unit-cost 1 rounding R condition charge K }'
    assert diagnostics(ok) == ()


def test_direct_unit_cost_without_price_lines_warns():
    text = SHARED + 'vendor V "v"\nitem A "a" { vendor V cost-base direct-unit-cost }\n'
    assert [(d.code, d.severity) for d in diagnostics(text)] == [("no-price-line", Severity.WARNING)]
    priced = text + "price A vendor V unit-cost 1\n"
    assert diagnostics(priced) == ()
    other_vendor = text + 'vendor W "w"\nprice A vendor W unit-cost 1\n'
    assert [d.code for d in diagnostics(other_vendor)] == ["no-price-line"]


@pytest.mark.parametrize(
    "line, code",
    [
        ("discount A vendor V 101%", "out-of-range"),
        ("discount A vendor V -1%", "out-of-range"),
        ("price A vendor V min-qty -1 unit-cost 1", "out-of-range"),
        ("price A vendor V unit-cost -1", "out-of-range"),
        ("price A vendor V from 2026-02-01 to 2026-01-01 unit-cost 1", "date-range"),
        ("price A vendor V from 2026-13-01 unit-cost 1", "invalid-date"),
    ],
)
def test_price_and_discount_ranges(line, code):
    text = SHARED + 'vendor V "v"\nitem A "a" { vendor V unit-cost 1 }\n' + line + "\n"
    assert [d.code for d in diagnostics(text)] == [code]


@pytest.mark.parametrize(
    "flag, ok",
    [("allocation 0%", True), ("allocation 100%", True), ("allocation 101%", False), ("allocation -1%", False)],
)
def test_allocation_is_a_share(flag, ok):
    text = CHART + f'condition capacity K "k" {{ direct 2110 overhead 2120 line 2120 "a" percent 5 {flag} }}\n'
    assert [d.code for d in diagnostics(text)] == ([] if ok else ["out-of-range"])


def test_ledger_entry_words_and_options():
    text = SHARED + (
        'item A "a" { unit-cost 1 }\nledger A { 2026-01-01 purchse +1 cost 1 cost 2 2026-01-02 sale -1 cost 3 }\n'
    )
    assert sorted(d.code for d in diagnostics(text)) == ["duplicate-field", "misplaced-field", "unknown-value"]


def test_ledger_of_an_unknown_item_is_reported_once_at_its_code():
    text = SHARED + "ledger NOPE { 2026-01-01 purchase +1 cost 1 }\n"
    (found,) = diagnostics(text)
    assert found.code == "unknown-item" and located(text, "unknown-item") == "NOPE"


def test_checks_run_on_a_model_with_master_data_from_elsewhere():
    """References resolve against the model, which may hold CSV master data without syntax."""
    ruleset, _ = parse(SHARED + 'item A "a" { replenishment prod-order bom { K 2 } }\n', "t.cost")
    model = build_model((ruleset,))
    assert [d.code for d in run_checks((ruleset,), model)] == ["unknown-item"]
    extra = {**model.items, "K": m.Item("K", unit_cost=D("0.10"))}
    import attrs

    assert run_checks((ruleset,), attrs.evolve(model, items=m.frozen_map(extra))) == ()


def test_a_failing_check_becomes_an_internal_error_and_the_others_still_run():
    def broken(ctx: Context):
        raise RuntimeError("boom")

    ruleset, _ = parse(SHARED + 'item A "a" { vendor NOPE unit-cost 1 }\n', "t.cost")
    found = run_checks((ruleset,), build_model((ruleset,)), checks=(broken, *CHECKS))
    assert [d.code for d in found] == ["internal-error", "unknown-vendor"]
    assert "boom" in found[0].message and found[0].hint


def test_every_diagnostic_has_a_hint():
    golden = Path(__file__).resolve().parents[1] / "golden"
    for path in sorted(golden.glob("*.cost")):
        if path.is_file():
            for d in analyze(path)[1]:
                assert d.hint, f"{d.code} in {path.name} has no hint"
