"""Bad input as diagnostics, ledgers from CSV and DSL text, and the `costsheet value` command."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from costsheet.check import ledger_problems
from costsheet.csvdata.ledgers import parse_ledgers
from costsheet.valuation import value

from .support import model

DEMO = """
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
}
condition material M-BASE "Plain material" { direct 1110 overhead 1120 }
setup { default material M-BASE }
item ITEM-A "Ledger demo item" { costing-method fifo }
ledger ITEM-A {
  2020-01-01 purchase +1 cost 10.00
  2020-01-01 purchase +1 cost 20.00
  2020-01-01 purchase +1 cost 30.00
  2020-02-01 sale     -1
  2020-03-01 sale     -1 applies-to 2
  2020-04-01 sale     -1
  2020-04-15 purchase +5 cost 60.00 location BLUE variant RED
  2020-04-20 purchase -1 applies-to 7
  2020-05-01 revaluation 7 unit-cost 13.00
  2020-05-01 revaluation unit-cost 13.00
  2020-05-02 charge 7 amount 2.50
}
"""


def codes(diagnostics):
    return sorted(d.code for d in diagnostics)


def test_bad_ledgers_are_diagnostics():
    """docs/valuation.md, "Diagnostics": each a diagnostic naming the entry, never a traceback."""
    bad = model(
        "specific",
        """
        2020-01-01 purchase +1 cost 10.00
        2020-01-02 sale -1
        2020-01-03 sale -1 applies-to 9
        2020-01-04 sale -1 applies-to 2
        2020-01-05 purchase +1 cost 5.00 applies-to 1
        2020-01-06 sale -1 applies-to 7
        2020-01-06 purchase +1 cost 1.00
        2020-01-07 charge 12 amount 1.00
        2020-01-08 revaluation 13 unit-cost 1.00
    """,
    )
    assert codes(ledger_problems(bad)) == [
        "applies-to-later-entry",
        "applies-to-not-increase",
        "applies-to-on-increase",
        "applies-to-unknown-entry",
        "charge-unknown-entry",
        "revaluation-unknown-entry",
        "specific-without-applies-to",
    ]
    assert all(d.hint for d in ledger_problems(bad))
    standard = model("standard", "2020-01-01 purchase +1 cost 10.00")
    assert codes(ledger_problems(standard)) == ["standard-cost-missing"]


def test_a_warning_of_the_ledger_rules_is_reported_once(tmp_path):
    """Regression: the ledger rules ran in the checker and again in the valuation, so
    `costsheet value` printed the revaluation-per-item-only warning twice."""
    import costsheet

    ruleset = costsheet.load(
        """
item A "A" { costing-method average }
ledger A {
  2026-01-01 purchase +10 cost 100
  2026-01-05 revaluation 1 unit-cost 12
}
""",
        file="reval.cost",
    )
    _, diagnostics = ruleset.value_with_diagnostics()
    assert [d.code for d in diagnostics].count("revaluation-per-item-only") == 1


def test_section_8_ledger_from_dsl(tmp_path):
    """The ledger of docs/language.md, "Ledgers", loaded as DSL text: entry 7 (5 at 60.00) revalued to 13.00
    for its 4 remaining units (+4.00), then charged 2.50 (0.50 a unit): the return of 1 costs
    -12.50 and 4 units are worth 54.00."""
    from costsheet.model_builder import build_model
    from costsheet.syntax.parser import parse

    tree, diagnostics = parse(DEMO, "demo.cost")
    assert not diagnostics
    result, diagnostics = value(build_model([tree]))
    item = result["ITEM-A"]
    assert not diagnostics
    assert [str(e.cost_amount) for e in item.entries[3:]] == ["-10.00", "-20.00", "-30.00", "66.50", "-12.50"]
    assert str(item.inventory_value) == "54.00" and item.quantity_on_hand == 4


def test_item_location_variant_keys():
    """docs/json.md, "costsheet value": under average-cost-calc item-location-variant results are keyed
    ITEM|LOCATION|VARIANT; a fixed-applied return without a location follows its increase."""
    m = model(
        "average",
        """
        2020-01-01 purchase +2 cost 10.00
        2020-01-01 purchase +5 cost 60.00 location BLUE variant RED
        2020-01-02 purchase -1 applies-to 2
        2020-01-03 sale -1 location BLUE variant RED
    """,
        average_cost_calc="item-location-variant",
    )
    result, _ = value(m)
    assert set(result.items) == {"ITEM-A||", "ITEM-A|BLUE|RED"}
    blue = result["ITEM-A|BLUE|RED"]
    assert [e.entry for e in blue.entries] == [2, 3, 4] and str(blue.entry(4).cost_amount) == "-12.00"


def test_as_of():
    """Inventory value as of a date: only what is dated on or before it counts."""
    m = model(
        "fifo",
        """
        2020-01-01 purchase +2 cost 20.00
        2020-02-01 sale -1
        2020-03-01 purchase +1 cost 30.00
    """,
    )
    result, _ = value(m, as_of=dt.date(2020, 2, 15))
    assert str(result["ITEM-A"].inventory_value) == "10.00" and result.to_dict()["as_of"] == "2020-02-15"


def test_json_shape():
    """docs/json.md, "costsheet value": amounts are strings, keys as documented."""
    result, _ = value(
        model(
            "standard",
            """
        2020-01-01 purchase +1 cost 10.00
        2020-02-01 sale -1
    """,
            standard_cost="15",
        )
    )
    data = json.loads(json.dumps(result.to_dict()))
    item = data["items"]["ITEM-A"]
    assert item["entries"][1] == {
        "entry": 2,
        "date": "2020-02-01",
        "type": "sale",
        "quantity": "-1",
        "cost_amount": "-15.00",
        "expected_cost_amount": "0.00",
    }
    assert item["variances"] == [{"kind": "purchase", "entry": 1, "amount": "-5.00"}]
    assert item["quantity_on_hand"] == "0" and item["inventory_value"] == "0.00"
    assert item["physical_quantity"] == "0" and item["physical_value"] == "0.00"


def test_csv_ledgers():
    """Ledgers from CSV: entries numbered per item, charge and revaluation rows, bad rows located."""
    text = (
        "item,date,type,quantity,cost,location,variant,applies_to\n"
        "A,2020-01-01,purchase,3,30.00,,,\n"
        "A,2020-02-01,sale,-1,,,,\n"
        "A,2020-02-05,charge,,3.00,,,1\n"
        "B,2020-01-01,purchase,1,5,,,\n"
        "A,2020-03-01,revaluation,,12.00,,,\n"
        "A,2020-13-01,sale,-1,,,,\n"
    )
    ledgers, diagnostics = parse_ledgers(text, "l.csv")
    assert [d.code for d in diagnostics] == ["invalid-date"] and diagnostics[0].span.line == 7  # as in a .cost file
    a = ledgers[0]
    assert [e.number for e in a.entries] == [1, 2] and a.charges[0].entry == 1
    assert a.revaluations[0].entry is None and a.revaluations[0].unit_cost == 12


def test_cli_value(tmp_path):
    """`costsheet value RULESET --format json` prints the JSON of docs/json.md; a table by default."""
    from costsheet.cli import main

    path = tmp_path / "demo.cost"
    path.write_text(DEMO, encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["value", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["items"]["ITEM-A"]["inventory_value"] == "54.00"
    table = runner.invoke(main, ["value", str(path), "--adjustments", "--as-of", "2020-04-30"])
    assert table.exit_code == 0 and "ITEM-A" in table.output
    bad = runner.invoke(main, ["value", str(path), "--as-of", "yesterday"])
    assert bad.exit_code == 2
    csv_file = tmp_path / "l.csv"
    csv_file.write_text("item,date,type,quantity,cost\nITEM-A,2020-01-01,purchase,2,8.00\n", encoding="utf-8")
    out = runner.invoke(main, ["value", str(path), "--ledger-csv", str(csv_file), "--format", "json"])
    assert out.exit_code == 1  # ITEM-A has a ledger in the ruleset already: keep each ledger in one place
    assert [d["code"] for d in json.loads(out.stdout)["diagnostics"]] == ["duplicate-code"]


def test_every_costing_method_has_a_function():
    """The enum -> function table (docs/valuation.md, "How the engine is built") covers every
    costing method, and each one values a ledger: a method added to the enum without its
    function fails here, not at a user's ledger."""
    from costsheet.valuation.methods import METHODS, CostingMethod

    assert set(METHODS) == set(CostingMethod)
    for method in CostingMethod:
        result, diagnostics = value(
            model(
                method.value,
                """
            2020-01-01 purchase +2 cost 10.00
            2020-01-02 sale -1 applies-to 1
        """,
                standard_cost="4",
            )
        )
        assert not diagnostics, (method, diagnostics)
        assert str(result["ITEM-A"].inventory_value) == ("4.00" if method is CostingMethod.STANDARD else "5.00")
