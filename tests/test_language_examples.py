"""Every example of the language reference (docs/language.md) parses and checks as the text says.

The examples are kept in tests/data/language/ (``section*.cost``, named after
the part of the language each shows; ``all.cost`` includes them all).  The rules
stated in the prose of docs/language.md and docs/costing.md are tested here as
small DSL texts, each citing the section of the docs that states it.

tests/data/realism/section14.cost is the costing-realism example, a ruleset of its own.
tests/data/language/planned/ holds examples of features that are not built yet,
each with a test marked ``xfail(strict=True)`` naming the issue that builds it:
when the feature lands the test passes, strict xfail fails, and the marker goes.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from costsheet.diagnostics import Severity
from costsheet.ruleset import analyze
from costsheet.syntax.parser import parse, parse_formula

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402  (tools/doctext.py reads the docs' tables)

DATA = Path(__file__).parent / "data" / "language"
PLANNED = DATA / "planned"
EXAMPLES = sorted(p.name for p in DATA.glob("section*.cost"))

SHARED = (
    (DATA / "section3_chart.cost").read_text()
    + """
condition material   M "Plain material"   { direct 1110 overhead 1120 }
condition production P "Plain production" { direct 1110 overhead 3100 }
condition capacity   C "Plain capacity"   { direct 2110 overhead 2120 }
setup { default material M default production P default capacity C default subcontract C }
"""
)


def codes(text: str, file: str = "t.cost") -> list[str]:
    _, diagnostics, _ = analyze(text, file=file)
    return [d.code for d in diagnostics]


def diagnostics_of(text: str):
    return analyze(text, file="t.cost")[1]


# ---------------------------------------------------------------- the examples themselves


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_parses(name):
    ruleset, diagnostics = parse((DATA / name).read_text(encoding="utf-8"), name)
    assert diagnostics == ()
    assert ruleset is not None and ruleset.declarations


def test_section11_examples_together_check_clean():
    """docs/language.md, "The examples form one ruleset": the examples plus the shared declarations check clean."""
    ruleset, diagnostics, sources = analyze(DATA / "all.cost")
    assert diagnostics == ()
    assert ruleset is not None
    assert len(sources) == 9
    assert set(ruleset.model.items) == {"ICO-0001", "ICO-0002", "ICO-0003", "ICO-0005", "ITEM-A", "ST", "PG", "FELT"}


def test_examples_without_the_shared_declarations_do_not_check_clean():
    """docs/language.md, "The examples form one ruleset": without the shared declarations references dangle."""
    text = "\n".join((DATA / n).read_text() for n in EXAMPLES if n != "section11_shared.cost")
    found = codes(text)
    assert "unknown-condition" in found and "unknown-vendor" in found and "unknown-item" in found


def test_section9_diagnostic_shape_is_what_to_dict_gives():
    """docs/json.md, "Diagnostics": the keys of Diagnostic.to_dict, in that order."""
    text = SHARED + 'item A "Part" { unit-cost 1.00 condition material NOPE }\n'
    (diagnostic,) = diagnostics_of(text)
    data = diagnostic.to_dict()
    assert list(data)[:8] == ["severity", "file", "line", "column", "end_line", "end_column", "code", "message"]
    assert data["code"] == "unknown-condition" and data["severity"] == "error"
    assert data["line"] == text.count("\n", 0, text.index("NOPE")) + 1
    assert data["end_column"] - data["column"] == len("NOPE")


# ---------------------------------------------------------------- lexical rules


def test_comments_strings_and_quoted_codes():
    """docs/language.md, "Lexical rules": comments to the end of the line; strings with escapes; a code that collides
    with a keyword, or contains other characters, is written as a string."""
    text = SHARED + (
        'item "setup" "A \\"quoted\\" name\\nwith a newline" {  # a keyword as a code\n'
        "  unit-cost 1.00\n}\n"
        'item "A B" "Space in the code" { unit-cost 2.00 }\n'
    )
    ruleset, diagnostics, _ = analyze(text, file="t.cost")
    assert diagnostics == ()
    assert ruleset.model.items["setup"].description == 'A "quoted" name\nwith a newline'
    assert "A B" in ruleset.model.items


def test_codes_are_at_most_20_characters():
    """docs/language.md, "Lexical rules": codes are at most 20 characters."""
    assert codes(SHARED + f'item {"A" * 20} "ok" {{ unit-cost 1 }}\n') == []
    assert codes(SHARED + f'item {"A" * 21} "too long" {{ unit-cost 1 }}\n') == ["code-too-long"]


def test_codes_are_case_sensitive():
    """docs/language.md, "Lexical rules": codes are case-sensitive, so `a` does not name item `A`."""
    text = SHARED + 'item A "Part" { unit-cost 1 }\nitem B "Set" { replenishment prod-order bom { a 1 } }\n'
    assert codes(text) == ["unknown-item"]


def test_numbers_percentages_times_rates_and_dates():
    """docs/language.md, "Lexical rules": `12`, `12.50`, `-3`, `0.125`; `5%`, `2.5%`; `30s 12min 1.5h 1d`; `42.00/h
    0.70/min`; ISO dates."""
    text = (
        SHARED
        + """
vendor V "Vendor"
workcenter W "Work" { direct-unit-cost 42.00/h overhead-rate 0.70/min indirect-cost 2.5% }
item K "Part" { vendor V unit-cost 12 last-direct-cost 0.125 scrap 5% }
item A "Made" {
  replenishment prod-order
  unit-cost 12.50
  bom { K 2 }
  routing { 10 W setup 30s run 12min
            20 W setup 1.5h run 1d }
}
price K vendor V from 2026-01-31 unit-cost 0.11
ledger K { 2026-01-31 purchase +5 cost 10 2026-02-01 sale -3 }
"""
    )
    ruleset, diagnostics, _ = analyze(text, file="t.cost")
    assert diagnostics == ()
    routing = ruleset.model.items["A"].routing
    assert [r.setup_seconds for r in routing] == [30, 5400] and [r.run_seconds for r in routing] == [720, 86400]


def test_formulas_accept_typographic_minus_and_en_dash():
    """docs/language.md, "Formulas": formulas accept `-`, the typographic minus `−` and the en dash `–`."""
    plain, _ = parse_formula("A - B")
    assert parse_formula("A \u2212 B")[0] == plain == parse_formula("A \u2013 B")[0]


# ---------------------------------------------------------------- a ruleset


def test_setup_settings_may_be_spread_but_not_repeated():
    """docs/language.md, "Setup": several setup blocks may share the settings; a setting given twice is an error."""
    assert codes("setup { cost-base unit-cost }\nsetup { explode-bom rolled-up }\n") == []
    assert codes("setup { cost-base unit-cost }\nsetup { cost-base last-direct-cost }\n") == ["duplicate-setting"]


def test_declarations_may_come_in_any_order():
    """docs/language.md, "A ruleset": references resolve across the whole ruleset, whatever the order."""
    text = 'item A "Part" { unit-cost 1 condition material M }\n' + SHARED
    assert codes(text) == []


def test_includes_are_relative_once_and_cycles_are_errors(tmp_path):
    """docs/language.md, "A ruleset": `include` is relative to the including file, each file at most once, cycles
    are errors."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "main.cost").write_text('include "sub/parts.cost"\ninclude "sub/parts.cost"\n' + SHARED)
    (tmp_path / "sub" / "parts.cost").write_text('include "more.cost"\nitem A "Part" { unit-cost 1 }\n')
    (tmp_path / "sub" / "more.cost").write_text('item B "Part" { unit-cost 1 }\n')
    ruleset, diagnostics, sources = analyze(tmp_path / "main.cost")
    assert diagnostics == () and set(ruleset.model.items) == {"A", "B"} and len(sources) == 3
    (tmp_path / "sub" / "more.cost").write_text('include "../main.cost"\n')
    assert [d.code for d in analyze(tmp_path / "main.cost")[1]] == ["include-cycle"]


# ---------------------------------------------------------------- the chart


def test_only_elements_have_a_cost_group_and_every_element_has_one():
    """docs/language.md, "Chart of cost elements": `element` needs a cost group; only `element` lines have one."""
    assert codes('chart { 1110 element "Direct" }\n') == ["missing-cost-group"]
    assert codes('chart { 1000 heading "M" material 1110 element "D" material }\n') == ["unexpected-cost-group"]


def test_begin_and_end_totals_must_balance():
    """docs/language.md, "Chart of cost elements": end-total closes the innermost open begin-total; begin/end must
    balance."""
    nested = 'chart { 1 begin-total "a" 2 begin-total "b" 3 element "c" material 4 end-total "d" 5 end-total "e" }'
    assert codes(nested) == []
    assert codes('chart { 1 begin-total "a" 2 element "c" material }') == ["unbalanced-total"]
    assert codes('chart { 2 element "c" material 3 end-total "d" }') == ["unbalanced-total"]


def test_totaling_filters_compare_all_digit_codes_as_numbers():
    """docs/language.md, "Chart of cost elements", Decision: two all-digit codes compare as numbers (900 < 1000), so
    900..1000 holds 950."""
    assert codes('chart { 950 element "x" material 5000 total "t" 900..1000 }') == []
    assert codes('chart { 950 element "x" material 5000 total "t" 1000..900 }') == ["malformed-filter"]
    assert codes('chart { 950 element "x" material 5000 total "t" 100..200 | 950 }') == ["filter-names-no-element"]


# ---------------------------------------------------------------- rounding methods


@pytest.mark.parametrize("direction, ok", [("nearest", True), ("up", True), ("down", True), ("half", False)])
def test_rounding_directions(direction, ok):
    """docs/language.md, "Rounding methods": `nearest`, `up`, `down`."""
    assert codes(f"rounding R {direction} 0.05\n") == ([] if ok else ["unknown-value"])


# ---------------------------------------------------------------- master data


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("replenishment", "prod-order", None),
        ("replenishment", "buy", "unknown-value"),
        ("costing-method", "moving-average", None),
        ("costing-method", "avg", "unknown-value"),
        ("cost-base", "unit/direct/last", None),
        ("cost-base", "cheapest", "unknown-value"),
        ("lot-size", "0", "out-of-range"),
        ("scrap", "-2%", "out-of-range"),
        ("indirect-cost", "-1%", "out-of-range"),
    ],
)
def test_item_field_values(field, value, code):
    """docs/language.md, "Items, work centers and machine centers": the words each item field allows, and values
    that make sense."""
    text = SHARED + f'item A "Part" {{ unit-cost 1 {field} {value} }}\n'
    found = [c for c in codes(text) if c != "no-condition"]
    assert found == ([code] if code else [])


def test_machine_center_inherits_and_needs_its_work_center():
    """docs/language.md, "Items, work centers and machine centers": a machine center is `in` a work center, whose
    condition it inherits."""
    text = SHARED + 'workcenter W "W" { condition C }\nmachinecenter MC "M" in W { direct-unit-cost 1/h }\n'
    assert codes(text) == []
    assert codes(text.replace("in W", "in X")) == ["unknown-work-center"]


# ---------------------------------------------------------------- cost conditions

GROUP_ELEMENTS = {
    "material": "1110",
    "material-overhead": "1120",
    "capacity": "2110",
    "capacity-overhead": "2120",
    "subcontracted": "2130",
    "subcontracted-overhead": "2140",
    "mfg-overhead": "3100",
    "sales-overhead": "6100",
    "admin-overhead": "6200",
    "gain-loss": "6300",
    "commission-discount": "6400",
}


def _cost_group_table() -> dict[tuple[str, str], set[str]]:
    """(kind, role) -> the cost groups accepted, read from the table of docs/language.md, "Cost conditions"."""
    page = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    found = {}
    for row in doctext.table(page, "Which cost groups each kind accepts", "kind"):
        for role, column in (
            ("direct", "`direct` header"),
            ("overhead", "`overhead` header"),
            ("line", "line elements"),
        ):
            if row[column] != "-":
                found[(row["kind"], role)] = set(row[column].split(", "))
    return found


TABLE = _cost_group_table()
HEADERS = {"material": ("1110", "1120"), "production": ("1110", "3100"), "capacity": ("2110", "2120")}


@pytest.mark.parametrize("kind, role", sorted(TABLE))
@pytest.mark.parametrize("group", sorted(GROUP_ELEMENTS))
def test_cost_groups_each_kind_accepts(kind, role, group):
    """docs/language.md, "Cost conditions": the table of cost groups; another group is an error, a warning on charge
    lines."""
    element = GROUP_ELEMENTS[group]
    direct, overhead = HEADERS.get(kind, (None, None))
    if role == "direct":
        direct = element
    elif role == "overhead":
        overhead = element
    headers = f"direct {direct} overhead {overhead}" if direct else ""
    value = "amount 1" if kind == "charge" else "percent 1"
    line = f'line {element} "x" {value}' if role == "line" else ""
    text = (DATA / "section3_chart.cost").read_text() + f'condition {kind} K "k" {{ {headers} {line} }}\n'
    found = [(d.code, d.severity) for d in diagnostics_of(text)]
    if group in TABLE[(kind, role)]:
        assert found == []
    else:
        severity = Severity.WARNING if kind == "charge" else Severity.ERROR
        assert found == [("cost-group-mismatch", severity)]


@pytest.mark.parametrize("kind", ["material", "production", "capacity", "charge"])
@pytest.mark.parametrize("value", ["percent 5", "amount 1", "element 5000", 'formula "1 + 1"'])
def test_values_belong_to_kinds(kind, value):
    """docs/language.md, "Cost conditions": percent/amount in material, production, capacity; amount, element,
    formula in charge."""
    allowed = {"charge": ("amount", "element", "formula")}.get(kind, ("percent", "amount"))
    found = codes(_condition(kind, f'line "x" {value}'))
    assert found == ([] if value.split()[0] in allowed else ["misplaced-value"])


@pytest.mark.parametrize("kind", ["material", "production", "capacity", "charge"])
@pytest.mark.parametrize("flag", ["setup-only", "allocation 50%", "round", "list-price", "bold"])
def test_flags_belong_to_kinds(kind, flag):
    """docs/language.md, "Cost conditions": setup-only and allocation in capacity conditions; list-price and bold in
    charge
    conditions; `round` everywhere (any line may say round; see docs/errors.md)."""
    places = {
        "setup-only": {"capacity"},
        "allocation": {"capacity"},
        "list-price": {"charge"},
        "bold": {"charge"},
        "round": {"material", "production", "capacity", "charge"},
    }
    line = f'line "x" amount 1 {flag.replace("round", "round R")}'
    found = codes(_condition(kind, line) + "rounding R nearest 0.01\n")
    assert found == ([] if kind in places[flag.split()[0]] else ["misplaced-flag"])


def _condition(kind: str, body: str) -> str:
    headers = "" if kind == "charge" else "direct {} overhead {}".format(*HEADERS[kind])
    return (DATA / "section3_chart.cost").read_text() + f'condition {kind} K "k" {{ {headers} {body} }}\n'


def test_misplaced_messages_say_where_they_belong():
    """docs/language.md, "Cost conditions": the checker rejects a flag or value where it does not belong, with a
    message that says where."""
    (flag,) = diagnostics_of(_condition("material", 'line "x" amount 1 bold'))
    assert "belongs in charge conditions" in flag.message
    (value,) = diagnostics_of(_condition("charge", 'line "x" percent 1'))
    assert "belong in material, production and capacity conditions" in value.message


# ---------------------------------------------------------------- the costing model


def test_bom_cycle_names_the_cycle():
    """docs/costing.md, "Calculation": a BOM cycle is an error that names the cycle."""
    text = SHARED + (
        'item A "a" { replenishment prod-order bom { B 1 } }\n'
        'item B "b" { replenishment prod-order bom { C 1 } }\n'
        'item C "c" { replenishment prod-order bom { A 1 } }\n'
    )
    (cycle,) = diagnostics_of(text)
    assert cycle.code == "bom-cycle" and "A -> B -> C -> A" in cycle.message


def test_formula_errors_point_into_the_formula():
    """docs/language.md, "Formulas": a formula that does not parse is an error with the line and the column inside
    the formula."""
    text = 'condition charge K "k" {\n  line "a" row A amount 1\n  line "b" formula "A + * 2"\n}\n'
    (error,) = diagnostics_of(text)
    assert error.code == "syntax-error"
    assert (error.span.line, error.span.column) == (3, text.splitlines()[2].index("*") + 1)


def test_a_row_with_no_lines_is_an_error():
    """docs/language.md, "Formulas": a row with no lines is an error."""
    assert codes('condition charge K "k" { line "b" formula "A + 1" }') == ["empty-row"]


def test_charge_cycles_name_the_lines():
    """docs/language.md, "Formulas": lines that depend on each other in a cycle are an error that names the lines."""
    (error,) = diagnostics_of('condition charge K "k" { line "a" row A formula "B" line "b" row B formula "A" }')
    assert error.code == "charge-cycle" and '"a"' in error.message and '"b"' in error.message


def test_at_most_one_list_price_line():
    """docs/costing.md, "Charges and list price": the value of the `list-price` line (at most one) is the list price."""
    text = 'condition charge K "k" { line "a" amount 1 list-price line "b" amount 2 list-price }'
    assert codes(text) == ["duplicate-list-price"]


def test_contained_share_example():
    """docs/language.md, "Formulas": `5 § B` with B = 100 is 4.7619… (a share contained in a gross amount)."""
    from costsheet.ruleset import load

    text = SHARED + (
        'condition charge K "k" { line "gross" row B amount 100\n'
        '  line "share" formula "5 § B" list-price }\n'
        'item A "Part" { unit-cost 1 condition charge K }\n'
    )
    result = load(text, file="t.cost").calculate("A")
    assert str(result.list_price).startswith("4.7619")


# ---------------------------------------------------------------- valuation


def test_specific_decrease_needs_applies_to():
    """docs/valuation.md, "The methods": under `specific` every decrease needs applies-to; one without is an error
    naming the entry."""
    text = SHARED + (
        'item A "a" { unit-cost 1 costing-method specific }\n'
        "ledger A { 2020-01-01 purchase +1 cost 10 2020-02-01 sale -1 }\n"
    )
    (error,) = diagnostics_of(text)
    assert error.code == "specific-without-applies-to" and "entry 2" in error.message


def test_impossible_dates_are_errors():
    """docs/language.md, "Lexical rules": dates are ISO dates; 2026-02-30 does not exist."""
    assert codes("accounting-periods { 2026-01-01 2026-02-30 }") == ["invalid-date"]


# ---------------------------------------------------------------- planned features (not built yet)


def _with_the_examples(text: str, *, replace: tuple[str, str] | None = None) -> str:
    """The ruleset of the examples (all of tests/data/language) with ``text`` joined to it."""
    base = "\n".join((DATA / name).read_text(encoding="utf-8") for name in EXAMPLES)
    if replace is not None:
        assert replace[0] in base
        base = base.replace(*replace)
    return base + "\n" + text


def _check_clean(text: str, directory: Path) -> None:
    path = directory / "planned.cost"
    path.write_text(text, encoding="utf-8")
    ruleset, diagnostics, _ = analyze(path)
    assert [d.code for d in diagnostics] == [] and ruleset is not None


ITEM_LOCATION_VARIANT = ("average-cost-calc   item ", "average-cost-calc   item-location-variant ")


def test_section12_ledgers_check_clean_and_value(tmp_path):
    """docs/valuation.md, "The methods side by side": the F&O LIFO ledger (periodic-lifo, with
    include-physical-value yes) with an expected cost and its invoice, a physical receipt and
    issue and a sales return, and an average item's transfer, join the examples' ruleset (setup
    `average-cost-calc item-location-variant`), check clean and value.

    FP: the invoice makes entry 1 worth 200.00 (100.00 a unit); February's issue was posted at the
    running average (200 + 25) / 3 = 75.00 and is settled at the close (2020-02-29) against the
    newest financial receipt, entry 1 (-100.00); the physical issue is adjusted to the newest
    receipt not used, the physical entry 2 (25.00); the return takes entry 3's final cost.
    TR: the transfer leaves BLUE at its average 15.00 and arrives at RED at the same value."""
    from costsheet.ruleset import load

    _check_clean(_with_the_examples("", replace=ITEM_LOCATION_VARIANT), tmp_path)
    result = load(tmp_path / "planned.cost").value()
    fp = result["FP||"]
    assert [(e.entry, str(e.cost_amount)) for e in fp.entries] == [
        (1, "200.00"),
        (2, "25.00"),
        (3, "-100.00"),
        (4, "-25.00"),
        (5, "100.00"),
    ]
    assert [str(fp.entry(n).running_cost_amount) for n in (3, 4)] == ["-75.00", "-75.00"]
    assert fp.quantity_on_hand == 2 and str(fp.inventory_value) == "200.00"
    february = load(tmp_path / "planned.cost").value(as_of=dt.date(2020, 2, 10))["FP||"]
    assert [str(february.entry(n).cost_amount) for n in (3, 4)] == ["-75.00", "-75.00"]
    january = load(tmp_path / "planned.cost").value(as_of=dt.date(2020, 1, 10))["FP||"]
    assert str(january.entry(1).expected_cost_amount) == "190.00" and str(january.entry(1).cost_amount) == "0.00"
    assert str(result["TR|BLUE|STD"].entry(2).cost_amount) == "-15.00"
    assert str(result["TR|RED|STD"].entry(3).cost_amount) == "15.00"


def test_planned_scenarios_and_simulations_check_clean(tmp_path):
    """`scenario` and `simulation` blocks join the examples' ruleset and change nothing until named."""
    _check_clean(_with_the_examples((PLANNED / "issue12_scenarios.cost").read_text(encoding="utf-8")), tmp_path)


SECTION14 = Path(__file__).parent / "data" / "realism" / "section14.cost"


def test_section14_costing_realism_checks_clean_and_costs(tmp_path):
    """The costing-realism example, a ruleset of its own (units of measure, an exchange rate,
    dated BOM and routing versions, a phantom, a by-product and a co-product): it checks clean
    and costs; tests/costing/test_joint_products.py works its numbers out by hand."""
    from costsheet.ruleset import load

    _check_clean(SECTION14.read_text(encoding="utf-8"), tmp_path)
    bike = load(tmp_path / "planned.cost").calculate("BIKE", date=dt.date(2026, 6, 1))
    assert bike.unit_cost == Decimal("76.76388")


def test_planned_cost_versions_and_price_records_check_clean(tmp_path):
    """Dated `standard-cost` declarations with shares, price records and `setup { master-data DIR }`
    join the examples' ruleset."""
    (tmp_path / "erp").mkdir()
    _check_clean(_with_the_examples((PLANNED / "issue11_cost_versions.cost").read_text(encoding="utf-8")), tmp_path)
