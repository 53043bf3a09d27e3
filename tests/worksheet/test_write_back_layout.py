"""``costsheet worksheet --implement`` edits a standard cost's amount where the parser read it:
comments inside and after a ``standard-cost`` field or declaration, shares over several lines,
CRLF and tab-indented files keep every byte but the amounts."""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costsheet.ruleset import analyze
from worksheet.test_worksheet_cli import DATE, _worksheet, run

HEAD = """\
setup { default material M  default production P }
chart { 1110 element "M" material 1120 element "O" material-overhead 3100 element "F" mfg-overhead }
condition material M "m" { direct 1110 overhead 1120 }
condition production P "p" { direct 1110 overhead 3100 }
condition charge LP "Retail" {
  copy-price list-price
  line "Cost" row A element 1110
  line "List price" formula "A * 2" list-price
}
"""

# {old|new}: the amount before and after implementing (each purchased item's new standard is its unit cost)
CASES = {
    "field-comment": 'item A "a" {\n  unit-cost 2.5\n  standard-cost {12.50|2.50}  # agreed with purchasing\n}\n',
    "field-over-lines": (
        'item A "a" {\n  unit-cost 2.5\n  standard-cost # agreed\n    {12.50|2.50} # with purchasing\n}\n'
    ),
    "dated-comment": 'item B "b" { unit-cost 3 }\nstandard-cost B from 2026-01-01 {7.00|3.00} # note\n',
    "dated-over-lines": (
        'item E "e" { unit-cost 5 }\nstandard-cost E # about E\n  from 2026-01-01 # since\n  {9.00|5.00} # the amount\n'
    ),
    "shares-comment": (
        'item C "c" { unit-cost 4 }\nstandard-cost C from 2026-01-01 {8.00|4.00} shares { material {8.00|4.00} # x\n}\n'
    ),
    "shares-over-lines": (
        'item D "d" { unit-cost 6 }\n'
        "standard-cost D from 2026-01-01 {9.00|6.00} # the version\n"
        "  shares {  # by kind\n"
        "    material {6.00|6.00}   # bought\n"
        "    capacity {3.00|0.00}   # no longer\n"
        "  }  # end\n"
    ),
    "price-comment": (
        'item P "p" { unit-cost 7  condition charge LP  standard-cost 7.00 }\n'
        "list-price P from 2026-12-01 {10.00|14.00} # the list\n"
    ),
}
_SLOT = re.compile(r"\{([^|{}]*)\|([^|{}]*)\}")


def _texts(case: str, newline: str, tab: bool) -> tuple[str, str]:
    text = HEAD + CASES[case]
    if tab:
        text = re.sub(r"(?m)^ +", lambda m: "\t" * (len(m.group()) // 2), text)
    text = text.replace("\n", newline)
    return _SLOT.sub(r"\1", text), _SLOT.sub(r"\2", text)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("newline,tab", [("\n", False), ("\r\n", False), ("\n", True), ("\r\n", True)])
def test_implement_changes_only_the_amounts(tmp_path, case, newline, tab):
    before, expected = _texts(case, newline, tab)
    path = tmp_path / "layout.cost"
    path.write_bytes(before.encode("utf-8"))
    assert analyze(path)[1] == ()
    result = run("worksheet", str(path), "--all", "--date", DATE, "--implement")
    assert result.exit_code == 0, result.output
    assert path.read_bytes().decode("utf-8") == expected
    assert analyze(path)[1] == ()
    again = _worksheet(path, "--all")
    assert not any(line["changed"] for line in again["items"] + again["prices"])


def test_from_a_date_adds_shares_after_the_amount_before_its_comment(tmp_path):
    path = tmp_path / "from.cost"
    path.write_text(HEAD + 'item F "f" { unit-cost 3 }\nstandard-cost F from 2026-12-01 1.00 # n\n', encoding="utf-8")
    result = run("worksheet", str(path), "--all", "--date", DATE, "--implement", "--from", DATE)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith(
        "standard-cost F from 2026-12-01 3.00 shares { material 3.00 } # n\n"
    )
    assert analyze(path)[1] == ()


def test_a_kind_the_shares_lack_goes_after_the_last_share(tmp_path):
    path = tmp_path / "kinds.cost"
    path.write_text(
        HEAD + 'item G "g" { unit-cost 3 }\nstandard-cost G from 2026-01-01 1.00 shares {\n  capacity 1.00 # c\n}\n'
        'item H "h" { unit-cost 2 }\nstandard-cost H from 2026-01-01 0 shares { }\n',
        encoding="utf-8",
    )
    assert run("worksheet", str(path), "--all", "--date", DATE, "--implement").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "standard-cost G from 2026-01-01 3.00 shares {\n  capacity 0.00 material 3.00 # c\n}\n" in text
    assert "standard-cost H from 2026-01-01 2.00 shares { material 2.00 }\n" in text
    assert analyze(path)[1] == ()


# ---------------------------------------------------------------- a property

_GAPS = st.sampled_from((" ", "  ", "\t", "\n", "\n\t", " # a note\n", "\t# x y\n  ", " #\n"))


@st.composite
def decorated(draw):
    """A ruleset whose every item has a ``standard-cost`` field, some a dated version with shares, with
    whitespace and comments drawn between the tokens; ``{old|new}`` slots mark the amounts (new unknown: *)."""
    gap = lambda: draw(_GAPS)  # noqa: E731
    parts = [HEAD]
    for index in range(draw(st.integers(1, 4))):
        cost = draw(st.integers(0, 9999))
        old = draw(st.integers(0, 9999))
        parts.append(
            f'item I{index} "i" {{ unit-cost {Decimal(cost) / 100}{gap()}standard-cost{gap()}{{{old}.00|*}}{gap()}}}\n'
        )
        if draw(st.booleans()):
            first = draw(st.integers(0, old))
            shares = f"shares{gap()}{{{gap()}material{gap()}{{{first}.00|*}}{gap()}"
            shares += f"capacity{gap()}{{{old - first}.00|*}}{gap()}}}" if old - first else "}"
            parts.append(
                f"standard-cost{gap()}I{index}{gap()}from{gap()}2026-01-01{gap()}{{{old}.00|*}}{gap()}"
                + (shares if draw(st.booleans()) or old - first else "")
                + "\n"
            )
    return "".join(parts).replace("\n", draw(st.sampled_from(("\n", "\r\n"))))


@given(decorated())
def test_comments_and_whitespace_around_standard_costs_never_change(template):
    before = _SLOT.sub(r"\1", template)
    pattern = re.escape(_SLOT.sub("\x00", template)).replace("\x00", r"\d+\.\d\d")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "decorated.cost"
        path.write_bytes(before.encode("utf-8"))
        assert analyze(path)[1] == ()
        assert run("worksheet", str(path), "--all", "--date", DATE, "--implement").exit_code == 0
        after = path.read_bytes().decode("utf-8")
        assert re.fullmatch(pattern, after), after
        assert analyze(path)[1] == ()
        assert not any(line["changed"] for line in _worksheet(path, "--all")["items"])
