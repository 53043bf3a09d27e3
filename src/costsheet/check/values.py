"""The rules one value obeys, wherever it was written: in a ``.cost`` file or in a CSV cell.

A field's rule says what kind of value it takes (a word from a list, a code,
a number, a percentage, a rate) and the range that makes sense.  The checker
applies these rules to the syntax tree (:mod:`costsheet.check.masterdata`,
:mod:`~costsheet.check.prices`, :mod:`~costsheet.check.written`,
:mod:`~costsheet.check.names`, :mod:`~costsheet.check.ledgers`) and the CSV
readers (:mod:`costsheet.csvdata`) apply the same rules to every cell they
read, so a BOM quantity of ``-4`` is the same ``out-of-range`` with the same
message in both; only the location differs (the token, or the cell).

A rule answers with :class:`Problem` values (code, message, hint); the caller
locates them with :meth:`Problem.at`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..diagnostics import Diagnostic, Span, shortened
from ..model import frozen_map
from ..numbers import HUNDRED, ZERO, readable
from .vocabulary import COST_BASES, COSTING_METHODS, REPLENISHMENTS, suggest

__all__ = [
    "Problem",
    "Rule",
    "ITEM",
    "CENTER",
    "WORK_CENTER",
    "BOM_LINE",
    "PRICE_LINE",
    "DISCOUNT_LINE",
    "UNIT_FACTOR",
    "EXCHANGE_RATE",
    "LARGEST",
    "MOST_PLACES",
    "MAX_CODE_LENGTH",
    "LOT_SIZES",
    "value_problem",
    "unknown_word",
    "number_size",
    "shortened",
    "code_problem",
    "invalid_date",
    "date_range",
    "cost_on_decrease",
]

#: the largest size (exclusive) and the most decimal places a written number may have
LARGEST = Decimal("1E14")
MOST_PLACES = 20
#: codes are at most 20 characters (docs/language.md)
MAX_CODE_LENGTH = 20


@attrs.frozen
class Problem:
    """What is wrong with a value, before it is given a place."""

    code: str
    message: str
    hint: str

    def at(self, span: Span | None) -> Diagnostic:
        return Diagnostic.error(self.code, self.message, span, self.hint)


@attrs.frozen
class Rule:
    """What a field takes: a ``kind`` (word, code, number, percent, rate), the words allowed,
    the smallest value that makes sense (``above`` excludes it), the largest, and a hint
    for a value out of range."""

    kind: str
    words: tuple[str, ...] = ()
    minimum: Decimal | None = ZERO
    above: bool = False
    maximum: Decimal | None = None
    hint: str | None = None


#: the lot sizes costsheet calculates with (an item's `lot-size`, a calculation's lot size): beyond
#: them the setup share and the price quantity stop meaning anything, and amounts leave the exact range
LOT_SIZES = (Decimal("0.000001"), Decimal("1000000000"))

#: the fields of an item, a work center and a machine center (docs/language.md, master data)
ITEM: Mapping[str, Rule] = frozen_map(
    {
        "replenishment": Rule("word", REPLENISHMENTS),
        "unit": Rule("code"),
        "vendor": Rule("code"),
        "unit-cost": Rule("number"),
        "last-direct-cost": Rule("number"),
        "standard-cost": Rule("number"),
        "indirect-cost": Rule("percent"),
        "overhead-rate": Rule("number"),
        "lot-size": Rule("number", minimum=LOT_SIZES[0], maximum=LOT_SIZES[1]),
        "scrap": Rule("percent"),
        "rounding": Rule("code"),
        "cost-base": Rule("word", COST_BASES),
        "costing-method": Rule("word", COSTING_METHODS),
    }
)
CENTER: Mapping[str, Rule] = frozen_map(
    {"direct-unit-cost": Rule("rate"), "indirect-cost": Rule("percent"), "overhead-rate": Rule("rate")}
)
WORK_CENTER: Mapping[str, Rule] = frozen_map({**CENTER, "subcontractor": Rule("code")})
#: a BOM line's quantity and scrap
BOM_LINE: Mapping[str, Rule] = frozen_map(
    {
        "quantity": Rule("number", above=True, hint="write how many units of the component one unit of the item needs"),
        "scrap": Rule("percent", hint="write a scrap percentage of 0% or more"),
    }
)
_MIN_QTY = Rule("number", hint="write the smallest quantity the line is valid for, 0 or more")
PRICE_LINE: Mapping[str, Rule] = frozen_map(
    {"unit-cost": Rule("number", hint="write the vendor's price per unit, 0 or more"), "min-qty": _MIN_QTY}
)
DISCOUNT_LINE: Mapping[str, Rule] = frozen_map(
    {"percent": Rule("percent", maximum=HUNDRED, hint="write a discount between 0% and 100%"), "min-qty": _MIN_QTY}
)
#: an item's `unit-of-measure CODE FACTOR` and an `exchange-rate CUR from DATE RATE`
UNIT_FACTOR = Rule("number", above=True, hint="write how many base units one of this unit holds, above 0")
EXCHANGE_RATE = Rule("number", above=True, hint="write how much of the local currency one unit of CUR is, above 0")


def unknown_word(text: str, words: tuple[str, ...], what: str) -> Problem | None:
    """``text`` must be one of ``words``; ``what`` names the place: ``a value of replenishment``."""
    if text in words:
        return None
    return Problem("unknown-value", f"{text} is not {what}", suggest(text, words))


def value_problem(name: str, rule: Rule, value: str | Decimal, who: str) -> Problem | None:
    """What is wrong with a value of the right kind (a word's text, a number's amount): a word
    the field does not take, or a number out of its range.  Codes and the size of numbers have
    rules of their own (:func:`code_problem`, :func:`number_size`) that apply to every code and
    number written, so a number too large to calculate with is theirs, not this rule's."""
    if rule.kind == "word":
        return unknown_word(str(value), rule.words, f"a value of {name}")
    if not isinstance(value, Decimal) or not (value.is_finite() and -LARGEST < value < LARGEST):
        return None
    low, high = rule.minimum, rule.maximum
    unit = "%" if rule.kind == "percent" else ""
    if not (
        (low is not None and (value < low or (rule.above and value == low))) or (high is not None and value > high)
    ):
        return None
    if low is not None and high is not None:
        bound = f"from {low}{unit} to {high}{unit}"
    elif low is not None:
        bound = f"greater than {low}{unit}" if rule.above else f"at least {low}{unit}"
    else:
        bound = f"at most {high}{unit}"
    article = "an" if name[:1] in "aeiou" else "a"
    return Problem(
        "out-of-range",
        f"{name} of {who} must be {bound}, not {readable(value)}{unit}",
        rule.hint or f"write {article} {name} {bound}",
    )


def number_size(value: Decimal) -> Problem | None:
    """A number costsheet cannot calculate with exactly: at least 1e14 in size, or more than
    20 decimal places (the costing engine's internal scale, docs/costing.md)."""
    if not (value.is_finite() and -LARGEST < value < LARGEST):
        problem = f"is too large (costsheet calculates exactly below {LARGEST:,.0f})"
    else:
        exponent = value.as_tuple().exponent
        if not (isinstance(exponent, int) and -exponent > MOST_PLACES):
            return None
        problem = f"has more than {MOST_PLACES} decimal places"
    return Problem(
        "out-of-range",
        f"the number {_short(value)} {problem}",
        f"write amounts below {LARGEST:,.0f} with at most {MOST_PLACES} decimal places",
    )


def _short(value: Decimal) -> str:
    return shortened(format(value, "f"))


def code_problem(text: str) -> Problem | None:
    """Codes are 1 to 20 characters, not blank."""
    if len(text) > MAX_CODE_LENGTH:
        return Problem(
            "code-too-long",
            f"the code {shortened(text)} is {len(text):,} characters long; codes have at most {MAX_CODE_LENGTH}",
            f"shorten it to {MAX_CODE_LENGTH} characters or fewer (everywhere it is used)",
        )
    if not text.strip():
        return Problem("empty-code", "a code cannot be empty or blank", "write a code of letters, digits and _ . - /")
    return None


def invalid_date(text: object) -> Problem:
    """A date written as YYYY-MM-DD that the calendar does not have (2026-02-30)."""
    return Problem(
        "invalid-date",
        f"{text} is not a date of the calendar",
        "write an existing date as YYYY-MM-DD (months 01-12, days as the month has)",
    )


def date_range(what: str, starting, ending) -> Problem | None:
    """A price or discount line is valid from its first day to its last: ``from`` <= ``to``."""
    if starting is None or ending is None or starting <= ending:
        return None
    return Problem(
        "date-range",
        f"the {what} ends ({ending}) before it starts ({starting})",
        "`from` is the first day and `to` the last day it is valid; swap them",
    )


def cost_on_decrease(field: str = "cost") -> Problem:
    """A ledger entry's cost (``cost``, ``expected-cost``) belongs on an increase."""
    return Problem(
        "misplaced-field",
        f"`{field}` belongs on an increase; a decrease is valued by the costing method",
        f"remove `{field}`, or use `applies-to N` to take an increase's cost",
    )
