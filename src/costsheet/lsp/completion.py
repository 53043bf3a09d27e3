"""Completion at a cursor: the keywords the grammar accepts there (from the parse table, through
Lark's interactive parser: :func:`costsheet.syntax.expected_after`), and, where it accepts a
code, the codes of the kind the place takes (only elements of the cost groups a condition kind
accepts after ``direct`` and ``overhead``) or the words a setting allows
(:mod:`costsheet.vocabulary`)."""

from __future__ import annotations

import enum
import re

import attrs

from .. import vocabulary as v
from ..syntax import expected_after
from ..syntax import nodes as n
from .symbols import Kind, SymbolIndex

__all__ = ["Candidate", "complete"]


@attrs.frozen
class Candidate:
    label: str
    kind: str  # keyword | code | value
    detail: str = ""


#: the word before the cursor -> the words that may follow it
_WORDS: dict[str, type[enum.StrEnum]] = {
    "cost-base": v.CostBase,
    "copy-standard-cost": v.CopyStandardCost,
    "explode-bom": v.ExplodeBom,
    "average-cost-period": v.AverageCostPeriod,
    "average-cost-calc": v.AverageCostCalc,
    "replenishment": v.Replenishment,
    "costing-method": v.CostingMethod,
    "copy-price": v.CopyPrice,
    "sales-type": v.SalesTypeKind,
}
#: the word before the cursor -> the kind of code that follows it
_CODES: dict[str, Kind] = {
    "line": Kind.ELEMENT,
    "element": Kind.ELEMENT,
    "direct": Kind.ELEMENT,
    "overhead": Kind.ELEMENT,
    "condition": Kind.CONDITION,
    "material": Kind.CONDITION,
    "production": Kind.CONDITION,
    "capacity": Kind.CONDITION,
    "subcontract": Kind.CONDITION,
    "charge": Kind.CONDITION,
    "vendor": Kind.VENDOR,
    "subcontractor": Kind.VENDOR,
    "rounding": Kind.ROUNDING,
    "round": Kind.ROUNDING,
    "in": Kind.RESOURCE,
    "price": Kind.ITEM,
    "discount": Kind.ITEM,
    "ledger": Kind.ITEM,
    "standard-cost": Kind.ITEM,
    "row": Kind.ROW,
}
_WORD = re.compile(r"[A-Za-z0-9_\-./]*$")
_CONDITION = re.compile(r"^condition[ \t]+(material|production|capacity|charge)[ \t]+(\S+)", re.MULTILINE)
_BLOCK = re.compile(r"^[ \t]*(bom|routing)[ \t]*\{[ \t]*(?:#.*)?$|^[ \t]*\}|^\S", re.MULTILINE)


def _enclosing_condition(before: str) -> tuple[str, str] | None:
    """The kind and code of the condition the cursor is in, when it is in one."""
    matches = list(_CONDITION.finditer(before))
    declarations = list(re.finditer(r"^(?!condition)[a-z]", before, re.MULTILINE))
    if not matches or (declarations and declarations[-1].start() > matches[-1].start()):
        return None
    return matches[-1].group(1), matches[-1].group(2).strip('"')


def _block(before: str) -> str | None:
    """``bom`` or ``routing`` when the cursor is inside such a block."""
    last = None
    for match in _BLOCK.finditer(before[: before.rfind("\n") + 1]):
        last = match.group(1)
    return last


def _accepted_elements(index: SymbolIndex, kind: str, role: str) -> list:
    accepted = v.ACCEPTED_GROUPS.get(v.ConditionKind(kind), {}).get(role)
    elements = [o for o in index.codes(Kind.ELEMENT) if isinstance(o.node, n.ChartEntry) and o.node.kind == "element"]
    if accepted is None:
        return elements
    return [o for o in elements if o.node.cost_group is not None and o.node.cost_group.text in accepted]


def _code_kind(before_word: str, line_before: str, block: str | None) -> tuple[Kind | None, str | None]:
    """The kind of code the place takes, and the word before it."""
    words = line_before.split()
    previous = words[-1] if words else None
    if block == "bom" and not words:
        return Kind.ITEM, None
    if block == "routing" and len(words) == 1:
        return Kind.RESOURCE, previous
    if previous == "element" and len(words) >= 3 and words[0] != "line":
        return None, previous  # a chart line's description follows
    if previous in ("material", "production", "capacity", "charge") and words[0] != "condition":
        if words[0] == "default" or (len(words) >= 2 and words[-2] == "condition"):
            return Kind.CONDITION, previous
        return None, previous
    return _CODES.get(previous or ""), previous


def _codes(index: SymbolIndex, kind: Kind, previous: str | None, condition, model) -> list[Candidate]:
    if kind is Kind.ELEMENT and condition is not None and previous in ("direct", "overhead"):
        found = _accepted_elements(index, condition[0], previous)
    elif kind is Kind.ELEMENT and previous == "line" and condition is not None:
        found = _accepted_elements(index, condition[0], "line")
    elif kind is Kind.ROW:
        found = index.codes(Kind.ROW, condition[1] if condition else None)
    else:
        found = index.codes(kind)
    candidates = {o.code: Candidate(o.code, "code", _detail(o.node)) for o in found}
    if model is not None and kind is Kind.ITEM:  # items of the CSV master data too
        for code, item in model.items.items():
            candidates.setdefault(code, Candidate(code, "code", item.description))
    return list(candidates.values())


def _detail(node) -> str:
    for name in ("description", "name"):
        value = getattr(node, name, None)
        if isinstance(value, str):
            return value
    return ""


def complete(text: str, offset: int, index: SymbolIndex, model=None) -> list[Candidate]:
    """The candidates at character ``offset`` of ``text`` (the word being typed is left out of
    what the grammar reads: the editor filters by it)."""
    before = text[:offset]
    word = _WORD.search(before)
    start = word.start() if word else offset
    head = before[:start]
    expected = expected_after(head)
    if expected is None:
        return []
    keywords, others = expected
    candidates = [Candidate(k, "keyword") for k in sorted(keywords) if k[0].isalpha()]
    if "CODE" not in others:
        return candidates
    line_before = head[head.rfind("\n") + 1 :]
    previous_words = line_before.split()
    previous = previous_words[-1] if previous_words else None
    if previous in _WORDS:
        return candidates + [Candidate(w, "value", f"{previous} value") for w in v.words(_WORDS[previous])]
    if previous == "rounding" and len(previous_words) == 2:  # rounding CODE DIRECTION
        return candidates + [Candidate(w, "value", "direction") for w in v.words(v.RoundingDirection)]
    condition = _enclosing_condition(head)
    kind, previous = _code_kind(head, line_before, _block(head))
    if kind is None:
        return candidates
    return candidates + _codes(index, kind, previous, condition, model)
