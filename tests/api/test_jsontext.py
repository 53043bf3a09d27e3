"""costsheet's JSON text is ``json.dumps(data, indent=2)``, character for character."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from costsheet.jsontext import json_text

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(),  # any character: non-ASCII ones escaped, surrogates too
    st.floats(allow_nan=False),  # never in costsheet's data: written by json.dumps itself
)
keys = st.one_of(st.text(), st.text(), st.integers())  # a key that is no str: json.dumps writes it
data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=25,
)


@given(data, st.sampled_from(["", "  ", "    "]))
def test_json_text_is_json_dumps_with_an_indent(value: object, indent: str) -> None:
    assert json_text(value, indent) == json.dumps(value, indent=2).replace("\n", "\n" + indent)


def test_a_result_like_value() -> None:
    value = {"item": "ICO-0001", "lot_size": "10", "elements": {"110": "1.5", "é": []}, "ok": True, "n": None}
    assert json_text(value) == json.dumps(value, indent=2)
    assert json_text(value).splitlines()[5] == '    "\\u00e9": []'
