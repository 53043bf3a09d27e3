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
