"""reparse: re-parsing only the declarations an edit touches gives what a full parse gives, spans included."""

from __future__ import annotations

from pathlib import Path

import attrs
from hypothesis import given
from hypothesis import strategies as st

from costsheet.diagnostics import Span
from costsheet.syntax import parse, reparse

DEMO = (Path(__file__).resolve().parents[2] / "rulesets" / "demo.cost").read_text(encoding="utf-8")
LINES = DEMO.split("\n")
OLD, _ = parse(DEMO, "demo.cost")


def spans(node, found: list) -> list:
    """Every span in ``node``, in order (equality of nodes leaves spans out)."""
    if isinstance(node, Span):
        found.append(node)
    elif isinstance(node, tuple):
        for child in node:
            spans(child, found)
    elif attrs.has(type(node)):
        for field in attrs.fields(type(node)):
            spans(getattr(node, field.name), found)
    return found


edits = st.lists(
    st.tuples(
        st.sampled_from(("delete", "insert", "change", "break")),
        st.integers(0, len(LINES) - 1),
        st.sampled_from(["", "# note", "item X1 { unit-cost 1.00 }", *LINES]),
    ),
    min_size=1,
    max_size=3,
)


@given(edits)
def test_reparse_equals_a_full_parse(changes):
    lines = list(LINES)
    for kind, at, text in changes:
        at %= len(lines)
        if kind == "delete":
            del lines[at]
        elif kind == "insert":
            lines.insert(at, text)
        elif kind == "change":
            lines[at] = lines[at].replace("1", "7").replace("0", "5")
        else:
            lines[at] = lines[at] + " {"
    text = "\n".join(lines)
    mine, my_diagnostics = reparse((DEMO, OLD), text, "demo.cost")
    fresh, diagnostics = parse(text, "demo.cost")
    assert my_diagnostics == diagnostics
    assert mine == fresh
    if fresh is not None:
        assert spans(mine, []) == spans(fresh, [])
        assert mine.comments == fresh.comments


def test_an_unchanged_text_reuses_the_tree():
    assert reparse((DEMO, OLD), DEMO, "demo.cost")[0] is OLD


def test_declarations_outside_the_edit_are_reused():
    text = DEMO.replace("unit-cost", "unit-cost ", 1)
    mine, _ = reparse((DEMO, OLD), text, "demo.cost")
    kept = sum(1 for a, b in zip(mine.declarations, OLD.declarations, strict=True) if a is b)
    assert kept == len(OLD.declarations) - 1
