"""Properties of the roll-up on generated BOM DAGs (hypothesis)."""

from __future__ import annotations

import decimal
import random
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from costsheet.costing import calculate, calculate_many
from costsheet.numbers import CONTEXT

from .support import DATE, load, total

TOLERANCE = Decimal("1e-16")
OUTGOING_STEP = Decimal("1e-12")

#: Lot sizes that spread a setup into repeating decimals (1/3, 1/7, 1/12 ...) come up often.
LOTS = st.sampled_from((1, 3, 7, 12)) | st.integers(1, 12)
TIME_UNITS = st.sampled_from(("s", "min"))


@st.composite
def dags(draw):
    """Ruleset text declarations for a random DAG: purchased leaves, produced items with BOMs and routings.

    Setup and run times come in seconds and minutes, lot sizes like 3 and 7, rates per hour, minute and
    second, quantities like 0.3; some items use conditions with percent lines, rows, allocation and
    direct lines, and a charge condition with `%` and `§` formulas.
    """
    count = draw(st.integers(2, 9))
    cents = st.integers(1, 100000)
    items = []
    for index in range(count):
        if index < 2 or draw(st.booleans()):
            material = " condition material M-ROWS" if draw(st.booleans()) else ""
            items.append(
                (
                    f"I{index}",
                    "purchase",
                    f"unit-cost {Decimal(draw(cents)) / 100} "
                    f"indirect-cost {draw(st.integers(0, 30))}% "
                    f"overhead-rate {Decimal(draw(cents)) / 1000}{material}",
                    "",
                )
            )
            continue
        components = draw(st.lists(st.integers(0, index - 1), min_size=1, max_size=4, unique=True))
        quantities = st.sampled_from((Decimal("0.3"), Decimal("0.7"))) | st.integers(1, 400).map(
            lambda n: Decimal(n) / 100
        )
        bom = " ".join(f"I{c} {draw(quantities)} scrap {draw(st.integers(0, 9))}%" for c in components)
        routing = " ".join(
            f"{10 * (n + 1)} WC{draw(st.integers(1, 3))} "
            f"setup {draw(st.integers(0, 90))}{draw(TIME_UNITS)} "
            f"run {draw(st.integers(0, 40))}{draw(TIME_UNITS)}"
            for n in range(draw(st.integers(0, 2)))
        )
        production = " condition production P-PCT" if draw(st.booleans()) else ""
        extra = (
            f"lot-size {draw(LOTS)} scrap {draw(st.integers(0, 5))}% "
            f"indirect-cost {draw(st.integers(0, 20))}% overhead-rate {Decimal(draw(cents)) / 1000}"
            f"{production} condition charge CH"
        )
        items.append((f"I{index}", "prod-order", extra, f"bom {{ {bom} }} routing {{ {routing} }}"))
    rates = (Decimal(draw(cents)) / 100, Decimal(draw(cents)) / 100, Decimal(draw(st.integers(1, 9999))) / 10000)
    return items, rates, draw(st.randoms(use_true_random=False))


def _text(items, rates, factor: Decimal = Decimal(1), order: random.Random | None = None) -> str:
    declarations = [
        f'workcenter WC1 "One" {{ direct-unit-cost {rates[0] * factor}/h '
        f"indirect-cost 10% overhead-rate {3 * factor}/h }}",
        f'workcenter WC2 "Two" {{ direct-unit-cost {rates[1] * factor}/min condition C-ROWS }}',
        f'workcenter WC3 "Three" {{ direct-unit-cost {rates[2] * factor}/s '
        f"indirect-cost 7% overhead-rate {factor}/min }}",
        'condition capacity C-ROWS "Rows" { direct 2110 overhead 2120 '
        f'line 2120 "Energy" row E amount {2 * factor} line 2120 "On energy" row E percent 7 '
        'line 2120 "Setup" percent 12 setup-only line 2120 "Shared" percent 20 allocation 50% }',
        'condition material M-ROWS "Rows" { direct 1110 overhead 1120 '
        f'line 1120 "Purchasing" percent 8 line 1120 "Freight" row F amount {Decimal("0.40") * factor} '
        'line 1120 "Insurance" row F percent 2.5 line 1120 "Third" percent 3.3 }',
        'condition production P-PCT "Percent" { direct 1110 overhead 3100 '
        f'line 3100 "Tooling" percent 4 line 3100 "Checks" amount {Decimal("0.75") * factor} '
        f'line 1110 "Packaging" amount {Decimal("1.20") * factor} line 3100 "Seventh" percent 1.7 }}',
        'condition charge CH "List price" { line "Cost" row A element 5000 '
        'line 6100 "Sales" row B formula "10 % A" line 6300 "Profit" row C formula "3 § (A + B)" '
        'line "List price" formula "A + B + C" list-price }',
    ]
    for code, replenishment, fields, structure in items:
        fields = _scale_money(fields, factor)
        declarations.append(f'item {code} "{code}" {{ replenishment {replenishment} {fields} {structure} }}')
    if order is not None:
        order.shuffle(declarations)
    return "\n".join(declarations)


def _scale_money(fields: str, factor: Decimal) -> str:
    words = fields.split()
    for index, word in enumerate(words[:-1]):
        if word in ("unit-cost", "overhead-rate"):
            words[index + 1] = str(Decimal(words[index + 1]) * factor)
    return " ".join(words)


def _costs(text: str):
    model = load(text).model
    results = {}
    for code in model.items:
        result, diagnostics = calculate(model, code, date=DATE)
        assert not diagnostics, diagnostics
        results[code] = result
    return results


def _close(a: Decimal, b: Decimal, scale: Decimal) -> bool:
    """Equal up to the rounding of amounts to 20 places inside the engine and to 12 as they leave it.

    Doubling an amount rounded to 20 places need not give the rounding of the doubled amount, and such
    differences of 1e-20 grow with the quantities above them, never beyond 1e-16 of the unit cost in these
    graphs.  An amount leaving the engine is within 1e-12 of the engine's (docs/costing.md, "Amounts that
    leave the engine"), so ``a`` and twice the other's differ by up to 3e-12 more."""
    return abs(CONTEXT.subtract(a, b)) <= 3 * OUTGOING_STEP + TOLERANCE * max(Decimal(1), abs(scale))


@given(dags())
def test_single_level_total_equals_rolled_up_total(dag):
    """docs/costing.md, "Breakdown totals are exactly equal": both breakdowns have the same total,
    exactly (every amount is at the engine's internal scale of 20 places, so both totals are
    exact sums of the same decimals), and it is the unit cost and the chart's cost-of-goods total."""
    items, rates, _ = dag
    for result in _costs(_text(items, rates)).values():
        assert total(result.single_level) == total(result.rolled_up) == result.unit_cost
        assert result.totals["5000"] == result.unit_cost


@given(dags())
def test_doubling_every_price_doubles_every_amount(dag):
    items, rates, _ = dag
    once = _costs(_text(items, rates))
    twice = _costs(_text(items, rates, Decimal(2)))
    for code, result in once.items():
        doubled = twice[code]
        two, scale = Decimal(2), doubled.unit_cost
        assert _close(doubled.unit_cost, CONTEXT.multiply(two, result.unit_cost), scale)
        for element, amount in result.rolled_up.items():
            assert _close(doubled.rolled_up[element], CONTEXT.multiply(two, amount), scale)
            assert _close(doubled.single_level[element], CONTEXT.multiply(two, result.single_level[element]), scale)


@given(dags())
def test_the_result_does_not_depend_on_declaration_order(dag):
    items, rates, rng = dag
    written = _costs(_text(items, rates))
    shuffled = _costs(_text(items, rates, order=rng))
    for code, result in written.items():
        assert shuffled[code].to_dict() == result.to_dict()


@given(dags())
def test_costing_bottom_up_in_one_memo_agrees_with_costing_each_item_alone(dag):
    """Equivalence of Calculator.cost's fast path: calculate_many asks for the items as written (components
    first), so each is costed directly (every component in the memo, no walk); calculate costs
    each item with a fresh memo, through the walk."""
    items, rates, _ = dag
    text = _text(items, rates)
    alone = _costs(text)
    model = load(text).model
    for code, result, diagnostics in calculate_many(model, date=DATE, costing_bom=True):
        assert not diagnostics, diagnostics
        assert result is not None and result.to_dict() == alone[code].to_dict()


@given(dags(), st.integers(3, 12), st.sampled_from((decimal.ROUND_DOWN, decimal.ROUND_UP, decimal.ROUND_HALF_UP)))
def test_the_result_does_not_depend_on_the_threads_decimal_context(dag, precision, rounding):
    """The material loop computes with operators (``amount * quantity``) in a local copy of the
    engine's context (docs/costing.md, "Operators in the material loop"): whatever context the
    caller's thread has (here a few digits, another rounding), every amount, digits and exponent,
    is the one computed under Python's default context."""
    items, rates, _ = dag
    text = _text(items, rates)
    expected = {code: result.to_dict() for code, result in _costs(text).items()}
    with decimal.localcontext() as ambient:
        ambient.prec, ambient.rounding = precision, rounding
        got = {code: result.to_dict() for code, result in _costs(text).items()}
    assert got == expected
