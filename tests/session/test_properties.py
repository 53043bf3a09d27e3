"""The session's re-cost after an edit equals a fresh load and full run, to the last digit; its
diagnostics (the checks re-run only for what changed) and its where-used index (kept up to date)
equal a fresh load's, broken saves included."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costsheet.ruleset import analyze
from costsheet.whereused import build_index

from .rulesets import broken, descriptions, edited, render

DATE = dt.date(2026, 6, 15)


def full_run(text: str) -> costsheet.costing.CostResults:
    return costsheet.load(text, file="r.cost").calculate_all(date=DATE)


def assert_same_as_fresh(session: costsheet.Session, text: str) -> None:
    fresh = full_run(text)
    mine = session.costing.as_results()
    assert mine.to_json() == fresh.to_json() if not fresh.diagnostics else dict(mine.items) == dict(fresh.items)
    assert [r.to_json() for r in mine.items.values()] == [r.to_json() for r in fresh.items.values()]
    assert set(mine.diagnostics) == set(fresh.diagnostics)
    assert session.costing.index == build_index(session.costing.model)


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


def fresh_diagnostics(text: str) -> set:
    return set(analyze(text, file="r.cost")[1])


@given(st.data())
def test_the_diagnostics_of_a_broken_save_are_a_fresh_loads(data):
    ruleset = data.draw(descriptions())
    text = render(ruleset)
    session = costsheet.Session(text, file="r.cost", date=DATE)
    for _ in range(data.draw(st.integers(0, 2))):
        ruleset = data.draw(edited(ruleset))
        text = render(ruleset, data.draw(st.none() | st.integers(0, 200)))
        assert session.update(text).ok
    for _ in range(data.draw(st.integers(1, 2))):  # broken twice: both against the last good load
        bad = data.draw(broken(render(ruleset, data.draw(st.none() | st.integers(0, 200)))))
        update = session.update(bad)
        assert set(update.diagnostics) == fresh_diagnostics(bad)
        assert update.ok == (not any(d.is_error for d in update.diagnostics))
    ruleset = data.draw(edited(ruleset))
    text = render(ruleset)
    assert session.update(text).ok
    assert_same_as_fresh(session, text)
