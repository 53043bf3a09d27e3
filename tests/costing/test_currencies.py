"""Vendor currencies and dated exchange rates (docs/costing.md, "Currencies")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costsheet.costing import calculate
from costsheet.numbers import D
from costsheet.syntax.parser import parse
from costsheet.syntax.printer import print_ruleset

from .support import cost, diagnose

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "realism" / "currencies.cost"


def _spoke(date: str):
    model = costsheet.load(EXAMPLE.read_text(), file=str(EXAMPLE)).model
    result, diagnostics = calculate(model, "SPOKE", date=dt.date.fromisoformat(date), explain=True)
    assert not diagnostics and result is not None
    return result


def test_the_newest_rate_valid_on_the_date_converts_the_price_exactly():
    assert _spoke("2026-03-01").unit_cost == D("0.119350")  # 11.00 USD / 100 x 1.0850
    assert _spoke("2026-06-30").unit_cost == D("0.119350")
    assert _spoke("2026-07-01").unit_cost == D("0.121000")  # from 2026-07-01, inclusive


def test_explain_shows_the_rate():
    details = " ".join(step.detail for step in _spoke("2026-07-01").explain)
    assert "in USD at exchange-rate 1.1000 (from 2026-07-01)" in details


RATED = """
setup { currency EUR }
exchange-rate USD from 2026-01-01 1.0850
vendor V-3 "US" { currency USD }
item P "Part" { vendor V-3  cost-base direct-unit-cost }
"""


def test_a_missing_rate_names_the_currency_and_the_date():
    text = RATED + "price P vendor V-3 unit-cost 2.00\n"
    result, diagnostics = diagnose(text, "P", date=dt.date(2025, 12, 31))
    assert result is None
    (error,) = diagnostics
    assert error.code == "no-exchange-rate" and "USD" in error.message and "2025-12-31" in error.message
    assert error.span is not None


def test_a_vendor_in_the_local_currency_is_not_converted():
    text = RATED.replace("{ currency USD }", "{ currency EUR }") + "price P vendor V-3 unit-cost 2.00\n"
    assert cost(text, "P", date=dt.date(2025, 1, 1)).unit_cost == D("2.00")


def test_the_best_price_is_compared_in_the_local_currency():
    text = (
        RATED.replace('item P "Part" { vendor V-3  cost-base', 'item P "Part" { cost-base')
        + 'vendor V-E "Local"\n'
        + "price P vendor V-3 unit-cost 2.00\nprice P vendor V-E unit-cost 2.10\n"
    )
    assert cost(text, "P").unit_cost == D("2.10")  # 2.00 USD = 2.17 EUR is dearer


def test_currency_errors_of_the_checker():
    _, diagnostics = diagnose(RATED.replace("setup { currency EUR }", ""), "P")
    assert "no-local-currency" in [d.code for d in diagnostics]
    _, diagnostics = diagnose(RATED + "exchange-rate USD from 2026-01-01 1.09\n", "P")
    assert "duplicate-exchange-rate" in [d.code for d in diagnostics]


def test_currencies_survive_fmt():
    once = print_ruleset(parse(EXAMPLE.read_text())[0])
    assert "currency         EUR" in once and "exchange-rate USD from 2026-07-01 1.1000" in once
    assert 'vendor V-3000 "US Fasteners" { currency USD }' in once
    assert print_ruleset(parse(once)[0]) == once


@given(
    price=st.integers(1, 10**6).map(lambda n: Decimal(n) / 100),
    rate=st.integers(1, 10**6).map(lambda n: Decimal(n) / 10**4),
    discount=st.integers(0, 50),
)
def test_a_price_in_usd_at_rate_r_equals_the_same_price_in_eur_times_r(price, rate, discount):
    in_usd = RATED.replace("1.0850", str(rate)) + f"price P vendor V-3 unit-cost {price}\n"
    in_usd += f"discount P vendor V-3 {discount}%\n"
    in_eur = RATED.replace("{ currency USD }", "") + f"price P vendor V-3 unit-cost {price}\n"
    in_eur += f"discount P vendor V-3 {discount}%\n"
    usd, eur = cost(in_usd, "P").unit_cost, cost(in_eur, "P").unit_cost
    assert usd == eur * rate
