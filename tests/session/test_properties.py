"""The session's re-cost after an edit equals a fresh load and full run, to the last digit."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

import costsheet

from .rulesets import descriptions, edited, render

DATE = dt.date(2026, 6, 15)


def full_run(text: str) -> costsheet.costing.CostResults:
    return costsheet.load(text, file="r.cost").calculate_all(date=DATE)


def assert_same_as_fresh(session: costsheet.Session, text: str) -> None:
    fresh = full_run(text)
    mine = session.costing.as_results()
    assert mine.to_json() == fresh.to_json() if not fresh.diagnostics else dict(mine.items) == dict(fresh.items)
    assert [r.to_json() for r in mine.items.values()] == [r.to_json() for r in fresh.items.values()]
    assert set(mine.diagnostics) == set(fresh.diagnostics)


@given(st.data())
def test_a_session_after_random_edits_equals_a_fresh_load(data):
    ruleset = data.draw(descriptions())
    text = render(ruleset)
    session = costsheet.Session(text, file="r.cost", date=DATE)
    for _ in range(data.draw(st.integers(1, 4))):
        ruleset = data.draw(edited(ruleset))
        comment = data.draw(st.none() | st.integers(0, 200))  # lines inserted: everything below moves
        text = render(ruleset, comment)
        update = session.update(text)
        assert update.ok, update.diagnostics
        assert_same_as_fresh(session, text)


@given(st.data())
def test_a_broken_save_keeps_the_last_good_results(data):
    ruleset = data.draw(descriptions())
    text = render(ruleset)
    session = costsheet.Session(text, file="r.cost", date=DATE)
    before = session.costing
    broken = text.replace("item ", "item {", 1)
    update = session.update(broken)
    assert not update.ok and any(d.is_error for d in update.diagnostics)
    assert session.costing is before
    ruleset = data.draw(edited(ruleset))
    text = render(ruleset)
    assert session.update(text).ok
    assert_same_as_fresh(session, text)
