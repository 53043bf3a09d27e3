"""The language reference (docs/language.md) says what the program does.

Its tables of words, defaults, ranges and places are read from the page and
compared with the program's behaviour: the checker's lists of allowed words
(from its own did-you-mean hints), the grammar's keywords (from its syntax
errors), the defaults of a loaded model, the ranges the checker enforces,
the rounding directions' and formula operators' worked numbers.  A word the
checker accepts that the page does not list, or a default that changed,
fails here.  Every ``cost`` block of the page parses, and the example
rulesets of tests/data/language are the page's examples.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from costsheet.ruleset import analyze, load
from costsheet.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path set-up above

PAGE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "tests" / "data" / "language"
CHART = (EXAMPLES / "section3_chart.cost").read_text(encoding="utf-8")
PLAIN = (
    CHART
    + """
condition material   M "m" { direct 1110 overhead 1120 }
condition production P "p" { direct 1110 overhead 3100 }
condition capacity   C "c" { direct 2110 overhead 2120 }
setup { default material M default production P default capacity C }
"""
)


def table(heading: str, first: str) -> list[dict[str, str]]:
    return doctext.table(PAGE, heading, first)


def words(cell: str) -> list[str]:
    """The words written in backticks in a table cell."""
    return re.findall(r"`([^`]+)`", cell)


def diagnostics(text: str):
    return analyze(text, file="t.cost")[1]


def codes(text: str) -> list[str]:
    return [d.code for d in diagnostics(text) if d.code != "no-condition"]


def allowed(text: str, code: str = "unknown-value") -> list[str]:
    """The words the checker lists in its hint for a word it does not know."""
    (found,) = [d for d in diagnostics(text) if d.code == code]
    return re.split(r", | or ", found.hint.split("write one of ", 1)[1])


def keywords(text: str) -> set[str]:
    """The keywords a syntax error says the grammar expects."""
    (error,) = parse(text, "t.cost")[1]
    assert error.code == "syntax-error"
    return set(re.findall(r"'([^']+)'", error.message.split(" after ")[0])) - {"}"}


# ---------------------------------------------------------------- the examples

RULESET_BLOCKS = [b for b in doctext.blocks(PAGE) if b.info == "cost"]


@pytest.mark.parametrize("block", RULESET_BLOCKS, ids=lambda b: f"line{b.line}")
def test_every_ruleset_block_of_the_page_parses(block):
    tree, found = parse(block.text, "block.cost")
    assert found == () and tree is not None


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("section*.cost")), ids=lambda p: p.stem)
def test_the_example_rulesets_are_the_pages_examples(path):
    assert path.read_text(encoding="utf-8") in {b.text for b in RULESET_BLOCKS}, (
        f"{path.name} is not shown in docs/language.md: copy it there, or the block here"
    )


# ---------------------------------------------------------------- every keyword of the grammar

GRAMMAR = (ROOT / "grammar" / "costsheet.lark").read_text(encoding="utf-8")


def grammar_keywords() -> set[str]:
    """Every word the grammar spells out (``"cost-base"``, ``"setup-only"`` ...), comments left out."""
    rules = "\n".join(line.split("//")[0] for line in GRAMMAR.splitlines())
    return set(re.findall(r'"([a-z][a-z0-9/+-]*)"i?', rules))


def written_on_the_page() -> set[str]:
    """The words inside the page's inline code spans (`...`), where the reference names keywords."""
    prose = re.sub(r"^(```+).*?^\1", "", PAGE, flags=re.S | re.M)
    return {word for span in re.findall(r"`([^`\n]+)`", prose) for word in re.findall(r"[a-z][a-z0-9/+-]*", span)}


def test_every_keyword_of_the_grammar_is_named_in_the_reference():
    assert len(grammar_keywords()) > 60  # the pattern reads the grammar's literals
    missing = sorted(grammar_keywords() - written_on_the_page())
    assert missing == [], f"docs/language.md does not name these keywords in `code`: {missing}"


# ---------------------------------------------------------------- setup

SETUP = {row["setting"]: row for row in table("3. Setup", "setting")}
WORD_SETTINGS = ["cost-base", "copy-standard-cost", "explode-bom", "average-cost-period", "average-cost-calc"]


def test_the_setup_table_lists_every_setting():
    listed = {words(name)[0].split()[0] for name in SETUP}
    assert listed == keywords("setup { foo 1 }")


@pytest.mark.parametrize("setting", WORD_SETTINGS)
def test_setup_words_and_defaults(setting):
    row = SETUP[f"`{setting}`"]
    assert words(row["values"]) == allowed(f"setup {{ {setting} xyz }}")
    default = getattr(analyze("", file="t.cost")[0].model.setup, setting.replace("-", "_"))
    assert words(row["default"]) == [getattr(default, "value", default)]


def test_the_yes_no_setting():
    row = SETUP["`include-physical-value`"]
    assert words(row["values"]) == allowed("setup { include-physical-value xyz }")
    assert words(row["default"]) == ["no"]
    assert analyze("", file="t.cost")[0].model.setup.include_physical_value is False


def test_setup_number_defaults_and_none():
    setup = analyze("", file="t.cost")[0].model.setup
    assert words(SETUP["`decimals amounts`"]["default"]) == ["2:5"] and setup.amount_decimals == (2, 5)
    assert words(SETUP["`decimals quantities`"]["default"]) == ["2:5"] and setup.quantity_decimals == (2, 5)
    assert words(SETUP["`amount-precision`"]["default"]) == ["0.01"] and setup.amount_precision == Decimal("0.01")
    for kind in ("material", "production", "capacity", "subcontract"):
        assert SETUP[f"`default {kind}`"]["default"] == "none" and getattr(setup, f"default_{kind}") is None
    assert SETUP["`assembly direct E overhead E`"]["default"].startswith("none")
    assert setup.assembly_direct is None and setup.assembly_overhead is None


def test_the_cost_bases():
    bases = [words(row["cost base"])[0] for row in table("3. Setup", "cost base")]
    assert bases == words(SETUP["`cost-base`"]["values"])


# ---------------------------------------------------------------- chart


def test_the_chart_line_types():
    types = [words(row["line type"])[0] for row in table("4. Chart of cost elements", "line type")]
    assert set(types) == keywords('chart { 1 foo "x" }')


def test_the_cost_groups_and_the_charge_groups():
    rows = table("4. Chart of cost elements", "cost group")
    groups = [words(row["cost group"])[0] for row in rows]
    assert groups == allowed('chart { 1 element "x" materal }', "unknown-cost-group")
    charge_groups = {words(row["cost group"])[0] for row in rows if row["part of the unit cost"].startswith("no")}
    accepted = table("Which cost groups each kind accepts", "kind")
    (charge,) = [row for row in accepted if row["kind"] == "charge"]
    assert charge_groups == set(charge["line elements"].split(", "))


# ---------------------------------------------------------------- rounding

ROUNDING = table("5. Rounding methods", "direction")


def test_the_rounding_directions():
    assert [words(row["direction"])[0] for row in ROUNDING] == allowed("rounding R half 0.05")


@pytest.mark.parametrize("row", ROUNDING, ids=lambda r: r["direction"])
def test_the_rounding_examples(row):
    direction = words(row["direction"])[0]
    for value, column in (("1.234", "1.234 to 0.05"), ("-1.234", "-1.234 to 0.05")):
        text = PLAIN + (
            f"rounding R {direction} 0.05\n"
            f'condition charge K "k" {{ line "x" amount {value} list-price round R }}\n'
            'item A "a" { unit-cost 1 condition charge K }\n'
        )
        assert load(text, file="t.cost").calculate("A").list_price == Decimal(row[column])


# ---------------------------------------------------------------- items, work and machine centers

ITEM_FIELDS = table("Item fields", "field")
#: the item's model attribute for each field of the table (conditions by kind)
ATTRIBUTE = {
    "condition material CODE": "material_condition",
    "condition production CODE": "production_condition",
    "condition charge CODE": "charge_condition",
    "bom [from DATE] { … }": "bom",
    "routing [from DATE] { … }": "routing",
    "unit-of-measure UNIT FACTOR": "units_of_measure",
    "byproduct CODE QTY [value N]": "byproducts",
    "coproduct CODE QTY share P%": "coproducts",
}


def _default(cell: str):
    """A table's default written as the model holds it."""
    if cell in ("none",) or cell.startswith(("setup ", "the setup")):
        return None
    text = words(cell)[0] if words(cell) else cell
    text = text.removesuffix("%").removesuffix("/h")
    return Decimal(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text


def test_the_item_table_lists_every_field():
    listed = {words(row["field"])[0].split()[0] for row in ITEM_FIELDS}
    grammar = keywords("item A { foo 1 }")
    center_only = {
        words(row["field"])[0]
        for row in table("Work center and machine center fields", "field")
        if row["work center"].startswith("yes") and not words(row["field"])[0].startswith("condition")
    }
    assert listed == grammar - (center_only - listed)


@pytest.mark.parametrize("row", ITEM_FIELDS, ids=lambda r: words(r["field"])[0])
def test_item_field_defaults(row):
    field = words(row["field"])[0]
    item = analyze('item A "a" { }', file="t.cost")[0].model.items["A"]
    value = getattr(item, ATTRIBUTE.get(field, field.replace("-", "_")))
    value = getattr(value, "value", value)  # a word may be held as an enum member
    expected = _default(row["default"])
    assert (value or None if expected is None else value) == expected


def _range_cases(range_text: str, percent: bool):
    """(value as written, accepted?) pairs that a range cell promises."""
    unit = "%" if percent else ""
    if range_text in ("0 or more", "0% or more"):
        return [(f"0{unit}", True), (f"12.5{unit}", True), (f"-1{unit}", False)]
    match = re.fullmatch(r"([\d.]+) to ([\d,]+)", range_text)
    if match:
        low, high = Decimal(match.group(1)), Decimal(match.group(2).replace(",", ""))
        cases = ((low, True), (high, True), (low - low / 10, False), (high + 1, False))
        return [(format(value, "f"), ok) for value, ok in cases]
    return []


@pytest.mark.parametrize("row", [r for r in ITEM_FIELDS if r["range"]], ids=lambda r: words(r["field"])[0])
def test_item_field_ranges(row):
    field = words(row["field"])[0]
    if row["kind"] == "word":
        listed = words(row["range"]) or None  # `costing-method`: "the costing methods below", tested there
        assert listed in (None, allowed(f'item A "a" {{ {field} xyz }}'))
        return
    cases = _range_cases(row["range"], row["kind"] == "percentage")
    assert cases, f"the range {row['range']!r} of {field} is not one this test can read"
    for written, ok in cases:
        found = codes(PLAIN + f'item A "a" {{ {field} {written} }}\n')
        assert found == ([] if ok else ["out-of-range"]), (field, written)


CENTER_FIELDS = table("Work center and machine center fields", "field")


@pytest.mark.parametrize("row", CENTER_FIELDS, ids=lambda r: words(r["field"])[0])
def test_center_fields_belong_where_the_table_says(row):
    field = words(row["field"])[0]
    value = {"rate": "1.00/h", "percentage": "5%"}.get(row["kind"], "V")
    statement = "condition C" if field.startswith("condition") else f"{field} {value}"
    base = PLAIN + 'vendor V "v"\n'
    on_work = codes(base + f'workcenter W "w" {{ {statement} }}\n')
    on_machine = codes(base + f'workcenter W "w" {{ }}\nmachinecenter M "m" in W {{ {statement} }}\n')
    assert (on_work == []) == row["work center"].startswith("yes")
    assert (on_machine == []) == row["machine center"].startswith("yes")
    if row["range"] == "0 or more":
        assert codes(base + f'workcenter W "w" {{ {field} 0/h }}\n') == []
        assert codes(base + f'workcenter W "w" {{ {field} -1 }}\n') == ["out-of-range"]


def test_center_defaults():
    model = analyze('workcenter W "w" { }\nmachinecenter M "m" in W { }\n', file="t.cost")[0].model
    for center in (model.work_centers["W"], model.machine_centers["M"]):
        for row in CENTER_FIELDS:
            field = words(row["field"])[0]
            if field.startswith("condition") or (field == "subcontractor" and center is model.machine_centers["M"]):
                continue
            value = getattr(center, field.replace("-", "_"))
            expected = _default(row["default"])
            assert getattr(value, "amount", value) == expected, field


def test_replenishments_and_costing_methods():
    replenishments = [words(r["replenishment"])[0] for r in table("Item fields", "replenishment")]
    assert replenishments == allowed('item A "a" { replenishment xyz }')
    methods = [words(r["costing method"])[0] for r in table("Item fields", "costing method")]
    assert methods == allowed('item A "a" { costing-method xyz }')


# ---------------------------------------------------------------- conditions

KINDS = ["material", "production", "capacity", "charge"]
_HEADERS = {
    "material": "direct 1110 overhead 1120",
    "production": "direct 1110 overhead 3100",
    "capacity": "direct 2110 overhead 2120",
    "charge": "",
}


def _condition(kind: str, line: str) -> str:
    return CHART + f'rounding R nearest 0.01\ncondition {kind} K "k" {{ {_HEADERS[kind]} {line} }}\n'


@pytest.mark.parametrize("row", table("Lines", "value"), ids=lambda r: r["value"])
def test_line_values_belong_where_the_table_says(row):
    examples = {
        "percent N": "percent 5",
        "amount N": "amount 1",
        "element E": "element 5000",
        'formula "…"': 'formula "1 + 1"',
        "none": "",
    }
    value = examples[words(row["value"])[0] if words(row["value"]) else "none"]
    for kind in KINDS:
        column = row["charge"] if kind == "charge" else row["material, production, capacity"]
        found = codes(_condition(kind, f'line "x" {value}'))
        if column == "yes":
            assert found == [], (kind, value)
        elif column == "no":
            assert found == ["misplaced-value"], (kind, value)
        else:
            assert found == words(column), (kind, value)


@pytest.mark.parametrize("row", table("Lines", "flag"), ids=lambda r: r["flag"])
def test_flags_belong_where_the_table_says(row):
    flag = {"allocation P%": "allocation 50%", "round [METHOD]": "round R"}.get(
        words(row["flag"])[0], words(row["flag"])[0]
    )
    places = KINDS if row["allowed in"] == "every kind" else row["allowed in"].split(", ")
    for kind in KINDS:
        found = codes(_condition(kind, f'line "x" amount 1 {flag}'))
        assert found == ([] if kind in places else ["misplaced-flag"]), (kind, flag)


def cost_group_cases():
    """(kind, role, group, accepted) for every cell of the page's cost-group table."""
    groups = [words(row["cost group"])[0] for row in table("4. Chart of cost elements", "cost group")]
    cases = []
    for row in table("Which cost groups each kind accepts", "kind"):
        for role, column in (
            ("direct", "`direct` header"),
            ("overhead", "`overhead` header"),
            ("line", "line elements"),
        ):
            if row[column] == "-":
                continue
            accepted = set(row[column].split(", "))
            cases.extend((row["kind"], role, group, group in accepted) for group in groups)
    return cases


def test_the_cost_group_table_covers_every_kind_and_role():
    cases = cost_group_cases()
    assert {(kind, role) for kind, role, _, _ in cases} == {
        (kind, role) for kind in KINDS[:3] for role in ("direct", "overhead", "line")
    } | {("charge", "line")}


def test_copy_price_kinds():
    kinds = [words(r["`copy-price`"])[0] for r in table("Price records: copy-price and sales-type", "`copy-price`")]
    assert kinds == allowed('condition charge K "k" { copy-price xyz }')


@pytest.mark.parametrize(
    "row", table("Price records: copy-price and sales-type", "`sales-type`"), ids=lambda r: r["`sales-type`"]
)
def test_sales_types_and_their_codes(row):
    kind = words(row["`sales-type`"])[0].split()[0]
    kinds = [
        words(r["`sales-type`"])[0].split()[0]
        for r in table("Price records: copy-price and sales-type", "`sales-type`")
    ]
    assert kinds == allowed('condition charge K "k" { sales-type xyz }')
    with_code = codes(f'condition charge K "k" {{ sales-type {kind} X }}')
    without = codes(f'condition charge K "k" {{ sales-type {kind} }}')
    if row["code"] == "required":
        assert (with_code, without) == ([], ["invalid-sales-type"])
    else:
        assert (with_code, without) == (["invalid-sales-type"], [])


# ---------------------------------------------------------------- ledgers


def test_the_entry_types():
    types = [words(r["entry type"])[0] for r in table("9. Ledgers", "entry type")]
    assert types == allowed('item A "a" { }\nledger A { 2020-01-01 buy +1 }')


# ---------------------------------------------------------------- formulas


@pytest.mark.parametrize("row", table("10. Formulas", "operator"), ids=lambda r: r["operator"])
def test_the_formula_examples(row):
    (formula,) = words(row["example (A = 200, B = 50)"])
    text = PLAIN + (
        'condition charge K "k" {\n  line "a" row A amount 200\n  line "b" row B amount 50\n'
        f'  line "x" formula "{formula}" list-price\n}}\nitem I "i" {{ unit-cost 1 condition charge K }}\n'
    )
    value = load(text, file="t.cost").calculate("I").list_price
    shown = row["value"]
    if shown.endswith("…"):
        assert str(value).startswith(shown[:-1]), (formula, value)
    else:
        assert value == Decimal(shown), (formula, value)
