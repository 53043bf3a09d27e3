"""Amounts leave the engine with at most 12 decimal places (docs/costing.md, "Amounts that leave the engine").

A property over generated rulesets (repeating decimals from setups spread over lots of 3 and 7, rates per
minute and second, percent lines, charge formulas; ledgers valued at an amount precision finer than 12
places): every amount in the API's result objects, in their JSON (``to_dict``, ``to_json``, the command
line's ``--format json``), in the history's records (``history list`` and ``history show``) and in the
service's answers has at most 12 decimal places, and the breakdowns still add up to the unit cost.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence, Set
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

import costsheet
from costsheet.cli import main
from costsheet.costing import BomNode
from costsheet.history import record_calculation
from costsheet.numbers import CONTEXT, OUTGOING_PLACES, D, outgoing, outgoing_parts, to_text

from .support import CHART, DATE, total
from .test_properties import _text, dags

DEMO = str(Path(__file__).resolve().parents[2] / "rulesets" / "demo.cost")
#: A JSON string that is a number as costsheet writes amounts: plain notation, optional sign and fraction.
NUMBER = re.compile(r"-?[0-9]+(?:\.([0-9]+))?")


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), value
    return max(0, -exponent)


def decimals_in(value: object, seen: set[int] | None = None) -> Iterator[Decimal]:
    """Every Decimal inside a result object: attrs fields, tuples, mappings, the costing BOM graph."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    if isinstance(value, BomNode):
        seen.add(id(value))
    if isinstance(value, Decimal):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from decimals_in(getattr(value, field.name), seen)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from decimals_in(item, seen)
    elif isinstance(value, (Sequence, Set)) and not isinstance(value, str):  # tuples, EntryValue rows, EntryRows
        for item in value:
            yield from decimals_in(item, seen)


def numbers_in(data: object) -> Iterator[str]:
    """Every string in JSON data that is written as a number (amounts, quantities, lot sizes)."""
    if isinstance(data, str):
        if NUMBER.fullmatch(data):
            yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from numbers_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from numbers_in(value)


def assert_at_most_12_places(values: Iterator[str | Decimal], where: str) -> int:
    count = 0
    for value in values:
        count += 1
        if isinstance(value, Decimal):
            assert places(value) <= OUTGOING_PLACES, f"{where}: {value}"
        else:
            fraction = NUMBER.fullmatch(value).group(1) or ""
            assert len(fraction) <= OUTGOING_PLACES, f"{where}: {value}"
    return count


@st.composite
def ledgers(draw):
    """A valued item with purchases whose costs do not divide evenly and sales between them; the amount
    precision is often finer than 12 places, so the valuation's own rounding leaves more than 12."""
    method = draw(st.sampled_from(("average", "fifo", "lifo", "standard")))
    precision = draw(st.sampled_from(("0.01", "0.00001", "0.000000000000001", "0.00000000000000000001")))
    lines = []
    day = dt.date(2026, 1, 1)
    for _ in range(draw(st.integers(1, 6))):
        day += dt.timedelta(days=draw(st.integers(0, 20)))
        quantity = draw(st.sampled_from((1, 3, 7, 12)))
        cost = Decimal(draw(st.integers(1, 100000))) / 100
        lines.append(f"  {day} purchase +{quantity} cost {cost}")
        if draw(st.booleans()):
            lines.append(f"  {day} sale -{draw(st.integers(1, quantity))}")
    standard = " standard-cost 10.00" if method == "standard" else ""
    return (
        f"setup {{ amount-precision {precision} }}\n"
        f'item L "Ledger item" {{ costing-method {method}{standard} }}\n'
        "ledger L {\n" + "\n".join(lines) + "\n}\n"
    )


def _history_json(store: str, *args: str) -> object:
    answer = CliRunner().invoke(main, ["history", *args, "--format", "json", "--store", store])
    assert answer.exit_code == 0, answer.output
    return json.loads(answer.stdout)


@pytest.mark.thorough
@given(dags(), ledgers())
def test_property_every_amount_that_leaves_has_at_most_12_decimal_places(tmp_path_factory, dag, ledger):
    items, rates, _ = dag
    text = CHART + _text(items, rates) + "\n" + ledger
    ruleset = costsheet.load(text, file="test.cost")
    store = str(tmp_path_factory.mktemp("history") / "history.sqlite3")
    codes = [code for code, _, _, _ in items]
    checked = 0
    for code in codes:
        result, diagnostics = ruleset.calculate_with_diagnostics(code, date=DATE, explain=True)
        assert result is not None, diagnostics
        checked += assert_at_most_12_places(decimals_in(result), f"the API's result of {code}")
        data = result.to_dict(explain=True)
        checked += assert_at_most_12_places(numbers_in(data), f"the JSON of {code}")
        assert json.loads(result.to_json(explain=True)) == data
        assert total(result.rolled_up) == total(result.single_level) == result.unit_cost  # still exact
        for node in result.bom.walk():
            assert total({e.code: e.rolled_up for e in node.elements}) == node.unit_cost
        record_calculation(result, diagnostics, "test.cost", ruleset.content_hash, store, source="api")
    run = ruleset.calculate_all(date=DATE)
    checked += assert_at_most_12_places(numbers_in(run.to_dict()), "calc --all")
    valuation, diagnostics = ruleset.value_with_diagnostics()
    assert valuation is not None, diagnostics
    checked += assert_at_most_12_places(decimals_in(valuation), "the API's valuation")
    checked += assert_at_most_12_places(numbers_in(valuation.to_dict(adjustments=True)), "the valuation JSON")
    listed = _history_json(store, "list")
    assert len(listed) == len(codes)
    checked += assert_at_most_12_places(numbers_in(listed), "history list")
    for row in listed:
        checked += assert_at_most_12_places(numbers_in(_history_json(store, "show", str(row["id"]))), "history show")
    assert checked > 0


def test_the_issues_reproducer_leaves_with_12_places(tmp_path):
    """The demo's racing bike: 382.06751934272000000001 inside the engine, 382.06751934272 everywhere outside
    (JSON, API, history list and show); the table shows the setup's 2:5 decimals, 382.06752."""
    demo = costsheet.load(DEMO)
    result = demo.calculate("ICO-0001", lot_size=10, date=dt.date(2026, 11, 22), record=True)
    assert result.unit_cost == D("382.06751934272") and str(result.unit_cost) == "382.06751934272"
    assert result.to_dict()["unit_cost"] == "382.06751934272"
    store = os.environ["COSTSHEET_HISTORY"]  # each test's own (tests/conftest.py)
    (row,) = _history_json(store, "list")
    assert row["unit_cost"] == "382.06751934272"
    shown = _history_json(store, "show", str(row["id"]))
    assert shown["unit_cost"] == shown["result"]["unit_cost"] == "382.06751934272"
    table = CliRunner().invoke(
        main, ["calc", DEMO, "ICO-0001", "--lot-size", "10", "--date", "2026-11-22", "--no-history"]
    )
    assert "382.06752" in table.stdout and "382.067519" not in table.stdout


@pytest.mark.parametrize(
    "inside, leaves",
    [
        ("382.06751934272000000001", "382.06751934272"),
        ("9.761772424523545098039439215686275", "9.761772424524"),
        ("0.03888888888888888889", "0.038888888889"),
        ("2.00000000000000000000", "2"),
        ("0.0000000000004", "0"),
        ("-0.0000000000004", "0"),
        ("0.0000000000005", "0"),  # half even
        ("0.0000000000015", "0.000000000002"),
        ("1.50", "1.50"),  # a scale anyone chose is kept
        ("10.000", "10.000"),
        ("123456789012345678901234.5678901234567", "123456789012345678901234.567890123457"),
    ],
)
def test_outgoing_rounds_past_12_places_half_even_and_keeps_a_chosen_scale(inside, leaves):
    value = outgoing(D(inside))
    assert to_text(value) == leaves and places(value) <= OUTGOING_PLACES
    assert to_text(outgoing(value)) == leaves  # idempotent


@given(st.lists(st.decimals(min_value=-(10**6), max_value=10**6, places=20, allow_nan=False), min_size=1, max_size=9))
def test_property_outgoing_parts_add_up_to_the_outgoing_total(parts):
    """Parts that add up to a total exactly still do as they leave, each within 10^-12 of its own amount."""
    exact = D(0)
    for part in parts:
        exact = CONTEXT.add(exact, part)
    out_total, out_parts = outgoing_parts(exact, parts)
    assert out_total == outgoing(exact)
    added = D(0)
    for part in out_parts:
        added = CONTEXT.add(added, part)
    assert added == out_total
    for part, out in zip(parts, out_parts, strict=True):
        assert places(out) <= OUTGOING_PLACES and abs(part - out) <= D("1e-12")


@given(
    st.lists(st.decimals(min_value=-(10**6), max_value=10**6, places=20, allow_nan=False), min_size=1, max_size=9),
    st.integers(1, 12),
    st.sampled_from((decimal.ROUND_DOWN, decimal.ROUND_UP, decimal.ROUND_HALF_UP, decimal.ROUND_FLOOR)),
)
# both round down to 0 and the sum to 10^-12: the second one's remainder is the larger, but the same to 3 digits
@example([D("0.0000000000004441"), D("0.0000000000004449")], 3, decimal.ROUND_DOWN)
def test_property_outgoing_parts_do_not_depend_on_the_threads_decimal_context(parts, precision, rounding):
    """The largest-remainder step negates and compares remainders exactly (a unary minus or abs() would
    round to the thread's context: a caller with a few digits got another part the last 10^-12)."""
    exact = D(0)
    for part in parts:
        exact = CONTEXT.add(exact, part)
    expected = outgoing_parts(exact, parts)
    with decimal.localcontext() as ambient:
        ambient.prec, ambient.rounding = precision, rounding
        got = outgoing_parts(exact, parts)
    assert [str(x) for x in [got[0], *got[1]]] == [str(x) for x in [expected[0], *expected[1]]]
