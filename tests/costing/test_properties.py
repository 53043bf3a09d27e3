"""Properties of the roll-up on generated BOM DAGs (hypothesis)."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from costsheet.costing import calculate
from costsheet.numbers import CONTEXT, D

from .support import DATE, load, total

TINY = Decimal("1e-20")


@st.composite
def dags(draw):
    """Ruleset text declarations for a random DAG: purchased leaves, produced items with BOMs and routings."""
    count = draw(st.integers(2, 9))
    cents = st.integers(1, 100000)
    items = []
    for index in range(count):
        if index < 2 or draw(st.booleans()):
            items.append((f"I{index}", "purchase", f"unit-cost {Decimal(draw(cents)) / 100} "
                                                   f"indirect-cost {draw(st.integers(0, 30))}% "
                                                   f"overhead-rate {Decimal(draw(cents)) / 1000}", ""))
            continue
        components = draw(st.lists(st.integers(0, index - 1), min_size=1, max_size=4, unique=True))
        bom = " ".join(f"I{c} {Decimal(draw(st.integers(1, 400))) / 100} scrap {draw(st.integers(0, 9))}%"
                       for c in components)
        routing = " ".join(f"{10 * (n + 1)} WC{draw(st.integers(1, 2))} setup {draw(st.integers(0, 90))}min "
                           f"run {draw(st.integers(0, 40))}min" for n in range(draw(st.integers(0, 2))))
        extra = (f"lot-size {draw(st.integers(1, 12))} scrap {draw(st.integers(0, 5))}% "
                 f"indirect-cost {draw(st.integers(0, 20))}% overhead-rate {Decimal(draw(cents)) / 1000}")
        items.append((f"I{index}", "prod-order", extra, f"bom {{ {bom} }} routing {{ {routing} }}"))
    rates = (Decimal(draw(cents)) / 100, Decimal(draw(cents)) / 100)
    return items, rates, draw(st.randoms(use_true_random=False))


def _text(items, rates, factor: Decimal = Decimal(1), order: random.Random | None = None) -> str:
    declarations = [
        f'workcenter WC1 "One" {{ direct-unit-cost {rates[0] * factor}/h indirect-cost 10% overhead-rate {3 * factor}/h }}',
        f'workcenter WC2 "Two" {{ direct-unit-cost {rates[1] * factor}/min condition C-ROWS }}',
        'condition capacity C-ROWS "Rows" { direct 2110 overhead 2120 '
        f'line 2120 "Energy" row E amount {2 * factor} line 2120 "On energy" row E percent 7 '
        'line 2120 "Setup" percent 12 setup-only line 2120 "Shared" percent 20 allocation 50% }',
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


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(CONTEXT.subtract(a, b)) <= TINY * max(Decimal(1), abs(a))


@settings(max_examples=40, deadline=None)
@given(dags())
def test_single_level_total_equals_rolled_up_total(dag):
    """Both breakdowns sum to the unit cost (to 20 decimals: the 34-digit context may round the 30th digit)."""
    items, rates, _ = dag
    for result in _costs(_text(items, rates)).values():
        assert _close(total(result.single_level), total(result.rolled_up))
        assert _close(total(result.rolled_up), result.unit_cost)


@settings(max_examples=30, deadline=None)
@given(dags())
def test_doubling_every_price_doubles_every_amount(dag):
    items, rates, _ = dag
    once = _costs(_text(items, rates))
    twice = _costs(_text(items, rates, Decimal(2)))
    for code, result in once.items():
        doubled = twice[code]
        assert _close(doubled.unit_cost, 2 * result.unit_cost)
        for element, amount in result.rolled_up.items():
            assert _close(doubled.rolled_up[element], 2 * amount)
            assert _close(doubled.single_level[element], 2 * result.single_level[element])


@settings(max_examples=30, deadline=None)
@given(dags())
def test_the_result_does_not_depend_on_declaration_order(dag):
    items, rates, rng = dag
    written = _costs(_text(items, rates))
    shuffled = _costs(_text(items, rates, order=rng))
    for code, result in written.items():
        assert shuffled[code].to_json() == result.to_json()
