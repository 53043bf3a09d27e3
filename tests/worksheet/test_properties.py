"""Implementing a worksheet and running it again shows no difference, on generated rulesets (hypothesis):
with and without ``--from``, single-level and all-levels, over items with and without standard costs."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from costing.support import CHART, DATE
from costing.test_properties import _text, dags
from costsheet.ruleset import analyze, load
from costsheet.worksheet import standard_cost_worksheet
from costsheet.writeback import plan_write_back, write_files


@st.composite
def rulesets(draw):
    items, rates, _ = draw(dags())
    codes = [code for code, *_ in items]
    text = CHART + _text(items, rates)
    text += f"\nsetup {{ copy-standard-cost {draw(st.sampled_from(('single-level', 'all-levels')))} }}\n"
    starting = draw(st.sampled_from((None, DATE, DATE - dt.timedelta(days=30))))
    # standards already there: before, on and after the date (none between --from and the date,
    # which would stay the standard on the date: docs/cli.md, "costsheet worksheet")
    days = ("2026-01-01", "2027-01-01") if starting not in (None, DATE) else ("2026-01-01", str(DATE), "2027-01-01")
    for code in draw(st.lists(st.sampled_from(codes), unique=True, max_size=3)):
        day = draw(st.sampled_from(days))
        text += f"standard-cost {code} from {day} {Decimal(draw(st.integers(0, 99999))) / 100}\n"
    asked = draw(st.lists(st.sampled_from(codes), unique=True, min_size=1, max_size=3))
    return text, asked, starting


@given(rulesets())
def test_implement_then_worksheet_shows_no_difference(case):
    text, asked, starting = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.cost"
        path.write_text(text, encoding="utf-8")
        before = standard_cost_worksheet(load(path), asked, DATE)
        assert not before.failed, before.diagnostics
        write_files(plan_write_back(load(path), before, starting=starting))
        assert analyze(path)[1] == ()
        after = standard_cost_worksheet(load(path), asked, DATE)
        assert [line.item for line in after.lines] == [line.item for line in before.lines]
        assert not after.changed, [line.to_dict() for line in after.lines if line.changed]
        assert [line.new_amount for line in after.lines] == [line.new_amount for line in before.lines]
