"""Production orders and dated standard costs from CSV (docs/valuation.md, "Ledgers from CSV"):
ledgers.csv's ``order`` column and ``capacity`` rows, standard-costs.csv's dated standards, valued
as the same ledger blocks and ``standard-cost ITEM from DATE`` declarations of a ruleset."""

from __future__ import annotations

import attrs

from costsheet.ruleset import analyze, load

from .test_production_orders import BASE, BIKE_CHAIN

MASTER = BIKE_CHAIN[: BIKE_CHAIN.index("ledger LINK")]

#: the bike chain's ledgers (Business Central's worked example, tests/valuation/test_production_orders.py)
LEDGERS = """item,date,type,quantity,cost,order,resource,setup,run
LINK,2020-01-01,purchase,150,168.00,,,,
LINK,2020-01-05,consumption,-150,,MO1,,,
CHAIN,2020-01-03,sale,-1,,,,,
CHAIN,2020-01-05,capacity,,,MO1,WC,,60min
CHAIN,2020-01-06,output,1,,MO1,,,
"""


def _valued(ruleset):
    result, diagnostics = ruleset.value_with_diagnostics(None, None)
    assert not [d for d in diagnostics if d.is_error], diagnostics
    return result.to_dict()


def test_the_bike_chains_orders_from_csv_value_as_the_ruleset_ledgers(tmp_path):
    """The order MO1 (consumption 150.00, capacity 120.00, overhead 37.00, output at the standard
    150.00, variance 157.00) from ledgers.csv, as from the ruleset's ledger blocks."""
    (tmp_path / "ledgers.csv").write_text(LEDGERS, encoding="utf-8")
    from_csv = load(BASE + MASTER, file="t.cost", master_data=str(tmp_path))
    from_dsl = load(BASE + BIKE_CHAIN, file="t.cost")
    assert from_csv.model.ledgers == from_dsl.model.ledgers
    valued = _valued(from_csv)
    assert valued == _valued(from_dsl)
    order = valued["orders"]["MO1"]
    assert (order["consumption"], order["capacity"], order["overhead"], order["output"]) == (
        "150.00",
        "120.00",
        "37.00",
        "150.00",
    )


def test_a_dated_standard_from_standard_costs_csv_values_an_output_as_the_ruleset_one(tmp_path):
    """The chain's standard is 160.00 from 2020-01-06 (the day of the output) in standard-costs.csv,
    as `standard-cost CHAIN from 2020-01-06 160.00` in a ruleset: the output is valued at 160.00."""
    (tmp_path / "ledgers.csv").write_text(LEDGERS, encoding="utf-8")
    (tmp_path / "standard-costs.csv").write_text("item,from,standard_cost\nCHAIN,2020-01-06,160.00\n")
    from_csv = load(BASE + MASTER, file="t.cost", master_data=str(tmp_path))
    from_dsl = load(BASE + BIKE_CHAIN + "standard-cost CHAIN from 2020-01-06 160.00\n", file="t.cost")
    assert [attrs.evolve(s, span=None) for s in from_csv.model.standard_costs] == list(from_dsl.model.standard_costs)
    valued = _valued(from_csv)
    assert valued == _valued(from_dsl)
    assert valued["orders"]["MO1"]["output"] == "160.00"


def test_order_and_capacity_cells_are_checked_as_the_ledger_block_is(tmp_path):
    (tmp_path / "ledgers.csv").write_text(
        "item,date,type,quantity,cost,order,resource,setup,run\n"
        "LINK,2020-01-01,purchase,150,168.00,MO1,,,\n"  # order on a purchase
        "CHAIN,2020-01-05,capacity,2,,MO1,WC,,60min\n"  # a quantity on a capacity row
        "CHAIN,2020-01-05,capacity,,,,WC,,60min\n"  # no order
        "CHAIN,2020-01-05,capacity,,,MO1,WX,,60min\n"  # no such resource
        "CHAIN,2020-01-05,capacity,,,MO1,WC,,\n"  # no time
        "CHAIN,2020-01-05,output,1,,MO1,WC,,\n"  # a resource on an entry
        "CHAIN,2020-01-05,capacity,,,MO1,WC,,3 parsecs\n",
        encoding="utf-8",
    )
    _, diagnostics, _ = analyze(BASE + MASTER, file="t.cost", master_data=str(tmp_path))
    found = {(d.code, d.span.line, d.span.column) for d in diagnostics if d.span and d.span.file.endswith(".csv")}
    assert found == {
        ("order-entry-type", 2, 1),
        ("misplaced-field", 3, 27),
        ("csv-missing-value", 4, 29),
        ("unknown-resource", 5, 33),
        ("csv-missing-value", 6, 37),
        ("misplaced-field", 7, 32),
        ("csv-bad-time", 8, 37),
    }


#: expected cost and its invoice, a sales return from a decrease, an F&O physical entry
#: (Business Central's Expected Cost Posting and Item Application examples, tests/valuation/
#: test_expected_and_returns.py)
LEDGER_BLOCK = """
item A "A" { costing-method fifo }
ledger A {
  2020-01-01 purchase +2 expected-cost 190.00
  2020-01-05 sale     -1
  2020-01-15 invoice  1  cost 200.00
  2020-02-01 sale     -1 physical
  2020-03-01 sale     +1 applies-from 2
}
"""
LEDGER_ROWS = """item,date,type,quantity,cost,expected_cost,physical,applies_from,applies_to
A,2020-01-01,purchase,2,,190.00,,,
A,2020-01-05,sale,-1,,,,,
A,2020-01-15,invoice,,200.00,,,,1
A,2020-02-01,sale,-1,,,yes,,
A,2020-03-01,sale,1,,,no,2,
"""


def test_expected_cost_invoices_physical_entries_and_returns_from_csv_value_as_the_ruleset_ones(tmp_path):
    """The receipt expected at 190.00 and invoiced at 200.00: the sale of 2020-01-05 ends at
    -100.00, and the return of 2020-03-01 takes that exact cost, both ways."""
    (tmp_path / "ledgers.csv").write_text(LEDGER_ROWS, encoding="utf-8")
    head, item = BASE, LEDGER_BLOCK[: LEDGER_BLOCK.index("ledger A")]
    from_csv = load(head + item, file="t.cost", master_data=str(tmp_path))
    from_dsl = load(head + LEDGER_BLOCK, file="t.cost")
    assert from_csv.model.ledgers == from_dsl.model.ledgers
    valued = _valued(from_csv)
    assert valued == _valued(from_dsl)
    entries = {entry["entry"]: entry for entry in valued["items"]["A"]["entries"]}
    assert entries[2]["cost_amount"] == "-100.00" and entries[4]["cost_amount"] == "100.00"


def test_expected_cost_and_invoice_cells_are_checked(tmp_path):
    (tmp_path / "ledgers.csv").write_text(
        "item,date,type,quantity,cost,expected_cost,physical,applies_from,applies_to\n"
        "A,2020-01-01,purchase,2,,190.00,maybe,,\n"  # physical is yes or no
        "A,2020-01-05,sale,-1,,5.00,,,\n"  # an expected cost on a decrease
        "A,2020-01-15,invoice,,200.00,,,,\n"  # an invoice of no entry
        "A,2020-01-15,invoice,1,200.00,,,,1\n",  # a quantity on an invoice
        encoding="utf-8",
    )
    _, diagnostics, _ = analyze(BASE + 'item A "A" { }\n', file="t.cost", master_data=str(tmp_path))
    found = {(d.code, d.span.line, d.span.column) for d in diagnostics if d.span and d.span.file.endswith(".csv")}
    assert found == {
        ("unknown-value", 2, 33),
        ("misplaced-field", 3, 23),
        ("csv-missing-value", 4, 33),
        ("misplaced-field", 5, 22),
    }
