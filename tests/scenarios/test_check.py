"""The checker's rules on scenario and simulation lines (docs/scenarios.md): each mistake is one
located diagnostic with its code; the golden files (tests/golden) hold the full texts of the
new codes."""

from __future__ import annotations

import pytest

from costsheet.ruleset import analyze

from .support import ruleset_text


def codes(block: str) -> list[str]:
    _, diagnostics, _ = analyze(ruleset_text(extra=block), file="t.cost")
    return [d.code for d in diagnostics]


def located(block: str):
    _, diagnostics, _ = analyze(ruleset_text(extra=block), file="t.cost")
    return [(d.code, d.span.line if d.span else None) for d in diagnostics]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("item NOPE unit-cost 1", "unknown-item"),
        ("price NOPE vendor V-1 +5%", "unknown-item"),
        ("workcenter WC-9 direct-unit-cost 40/h", "unknown-work-center"),
        ("machinecenter MC-9 direct-unit-cost 40/h", "unknown-resource"),
        ("condition NOPE line 1 amount 1", "unknown-condition"),
        ("item FRAME unit-cots 1", "unknown-field"),
        ("item FRAME rounding 1", "unknown-field"),
        ("workcenter WC-1 scrap 1%", "unknown-field"),
        ("condition M-STD line 1 element 1", "unknown-field"),
        ("condition M-STD line 2 amount 1", "no-such-line"),
        ("condition M-STD line 0 amount 1", "no-such-line"),
        ("price FRAME vendor V-1 +5%", "no-such-line"),
        ("discount BOLT vendor V-1 5%", "no-such-line"),
        ("condition M-STD line 1 percent 1", "wrong-value-kind"),
        ("condition LP line 1 amount 1", "wrong-value-kind"),  # an element line
        ("item FRAME unit-cost 2.00/h", "wrong-value-kind"),
        ("item FRAME scrap 2.00/h", "wrong-value-kind"),
        ('item FRAME unit-cost "1"', "wrong-value-kind"),
        ("condition LP line 2 formula 20", "wrong-value-kind"),
        ('condition LP line 2 formula "20 % "', "unexpected-end"),
        ('condition LP line 2 formula "20 % Z"', "empty-row"),
        ("item BIKE lot-size 0", "out-of-range"),
        ("discount PIPE vendor V-1 120%", "out-of-range"),
        # costing realism: only exchange rates are scenario fields; a unit factor, a by-product's value,
        # a co-product's share or a version are not
        # (docs/scenarios.md, "Exchange rates, units, versions, phantoms, co- and by-products")
        ("exchange-rate GBP 1.20", "no-such-line"),
        ("exchange-rate USD 0", "out-of-range"),
        ("exchange-rate USD 1.20/h", "wrong-value-kind"),
        ("item SPOKE unit-of-measure 50", "unknown-field"),
        ("item EBIKE byproduct 0.30", "unknown-field"),
        ("item EBIKE coproduct 20%", "unknown-field"),
        ("item EBIKE bom 2026-07-01", "syntax-error"),  # a version is no field: the line does not parse
        ("price SPOKE vendor V-1 +5%", "no-such-line"),
    ],
)
def test_a_scenario_line_mistake_is_one_diagnostic_at_its_line(line, code):
    block = f"scenario S {{\n  {line}\n}}\n"
    found = located(block)
    base_lines = ruleset_text().count("\n")
    assert [c for c, _ in found] == [code], found
    assert found[0][1] == base_lines + 2  # the scenario's line, not elsewhere


def test_relative_changes_and_percentages_where_they_belong_are_clean():
    block = """scenario S {
  item FRAME unit-cost -5%
  item FRAME unit-cost 0%
  item BIKE lot-size +50%
  workcenter WC-1 direct-unit-cost 45
  machinecenter MC-1 overhead-rate 2.00/min
  condition LP line 2 formula "25 % A"
  condition P-STD line 1 percent 5%
  discount PIPE vendor V-1 0%
  exchange-rate USD 1.20
  exchange-rate USD -5%
  price SPOKE vendor V-2 10.50
}
"""
    assert codes(block) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("runs 0", ["out-of-range"]),
        ("runs 2.5", ["out-of-range"]),
        ("runs 10  seed -1", ["out-of-range"]),
        ("runs 10  runs 20", ["duplicate-field"]),
        ("seed 4", ["missing-field"]),
        ("runs 10  item FRAME unit-cost uniform 2 1", ["bad-distribution"]),
        ("runs 10  item FRAME unit-cost normal 1 -1", ["bad-distribution"]),
        ("runs 10  item FRAME unit-cost uniform 1 2 3", ["bad-distribution"]),
        ("runs 10  item FRAME unit-cost uniform 1/h 2/h", ["bad-distribution"]),
        ("runs 10  workcenter WC-1 direct-unit-cost uniform 1/h 2/min", ["bad-distribution"]),
        ("runs 10  condition LP line 2 formula uniform 1 2", ["bad-distribution"]),
        ("runs 10  item NOPE unit-cost uniform 1 2", ["unknown-item"]),
        ("runs 10  item FRAME unit-cost uniform 1 1", []),
        ("runs 10  exchange-rate USD triangular 1.00 1.10 1.30", []),
        ("runs 10  exchange-rate USD uniform -5% +5%", []),
        ("runs 10  exchange-rate USD uniform 1/h 2/h", ["bad-distribution"]),
        ("runs 10  exchange-rate CHF uniform 1 2", ["no-such-line"]),
        ("runs 10  seed 0  item BIKE scrap normal 2% 0%  condition M-STD line 1 amount triangular 0 0.4 1", []),
    ],
)
def test_simulation_settings_and_distributions(body, expected):
    assert codes(f"simulation R {{ {body} }}\n") == expected


def test_a_scenario_or_simulation_declared_twice():
    assert codes("scenario S { }\nscenario S { }\nsimulation S { runs 1 }\nsimulation S { runs 1 }\n") == [
        "duplicate-code",
        "duplicate-code",
    ]
