"""Every code a ruleset's files declare or name, with its place: what hover, go to definition,
find references, rename and completion read.

The syntax trees are walked once; each :class:`~costsheet.syntax.nodes.Code` is classified by
the node and field it stands in (:data:`_PLACES`): a declaration or a reference of a kind.
Rows are codes too, local to their condition: ``row A`` declares the row at its first line
and names it at every other, and a formula names it (``"10 % A"``).
"""

from __future__ import annotations

import enum
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

import attrs

from ..diagnostics import Span
from ..syntax import nodes as n

__all__ = ["Kind", "Occurrence", "SymbolIndex", "build_index"]


class Kind(str, enum.Enum):
    ELEMENT = "element"
    CONDITION = "condition"
    ITEM = "item"
    RESOURCE = "work or machine center"
    VENDOR = "vendor"
    ROUNDING = "rounding method"
    ROW = "row"


@attrs.frozen
class Occurrence:
    """A code at ``span``: declared there (``declaration``) or named; ``scope`` is the condition
    of a row (rows of different conditions are different rows), ``node`` the declaration or
    line it stands in."""

    kind: Kind
    code: str
    span: Span
    declaration: bool
    scope: str | None = None
    node: object = attrs.field(default=None, eq=False, repr=False)

    @property
    def key(self) -> tuple[Kind, str | None, str]:
        return (self.kind, self.scope, self.code)


#: (node class, field) -> (kind, declares): where a code stands and what it is
_PLACES: Mapping[tuple[type, str], tuple[Kind, bool]] = {
    (n.ChartEntry, "code"): (Kind.ELEMENT, True),
    (n.FilterPart, "low"): (Kind.ELEMENT, False),
    (n.FilterPart, "high"): (Kind.ELEMENT, False),
    (n.Header, "element"): (Kind.ELEMENT, False),
    (n.Line, "element"): (Kind.ELEMENT, False),
    (n.AssemblyElements, "direct"): (Kind.ELEMENT, False),
    (n.AssemblyElements, "overhead"): (Kind.ELEMENT, False),
    (n.RoundingDecl, "code"): (Kind.ROUNDING, True),
    (n.ConditionDecl, "code"): (Kind.CONDITION, True),
    (n.ConditionRef, "code"): (Kind.CONDITION, False),
    (n.ItemDecl, "code"): (Kind.ITEM, True),
    (n.BomEntry, "component"): (Kind.ITEM, False),
    (n.ByProductLine, "item"): (Kind.ITEM, False),
    (n.CoProductLine, "item"): (Kind.ITEM, False),
    (n.PriceDecl, "item"): (Kind.ITEM, False),
    (n.DiscountDecl, "item"): (Kind.ITEM, False),
    (n.LedgerDecl, "item"): (Kind.ITEM, False),
    (n.StandardCostDecl, "item"): (Kind.ITEM, False),
    (n.PriceDecl, "vendor"): (Kind.VENDOR, False),
    (n.DiscountDecl, "vendor"): (Kind.VENDOR, False),
    (n.VendorDecl, "code"): (Kind.VENDOR, True),
    (n.WorkCenterDecl, "code"): (Kind.RESOURCE, True),
    (n.MachineCenterDecl, "code"): (Kind.RESOURCE, True),
    (n.MachineCenterDecl, "work_center"): (Kind.RESOURCE, False),
    (n.RoutingEntry, "resource"): (Kind.RESOURCE, False),
    (n.CapacityLine, "resource"): (Kind.RESOURCE, False),
}
#: a field's name -> the kind of code it names (``vendor V-1000``, ``row A`` ...)
_FIELDS: Mapping[str, Kind] = {
    "vendor": Kind.VENDOR,
    "subcontractor": Kind.VENDOR,
    "rounding": Kind.ROUNDING,
    "row": Kind.ROW,
}


def _codes(node: object, condition: str | None) -> Iterator[Occurrence]:
    """The codes inside ``node`` (an attrs node of the syntax tree), depth first."""
    if isinstance(node, n.ConditionDecl):
        condition = node.code.text
    node_type: type = type(node)
    for name in _walked_fields(node_type):
        value = getattr(node, name)
        if isinstance(value, n.Code):
            found = _place(node, name, value)
            if found is not None and value.span is not None:
                kind, declares = found
                scope = condition if kind is Kind.ROW else None
                yield Occurrence(kind, value.text, value.span, declares, scope, node)
        elif type(value) is tuple:
            for child in value:
                if _may_hold_codes(child.__class__):
                    yield from _codes(child, condition)
        elif _may_hold_codes(value.__class__):
            yield from _codes(value, condition)
    if isinstance(node, n.LineValue) and node.formula is not None:
        for row in n.row_nodes(node.formula):
            if row.span is not None:
                yield Occurrence(Kind.ROW, row.name, row.span, False, condition, node)


#: nodes that never hold a code
_LEAVES = (n.Word, n.Percent, n.Duration, n.RateValue, n.DecimalsRange, n.Num, n.Row, n.Comment)


@functools.cache
def _may_hold_codes(node_class: type) -> bool:
    return attrs.has(node_class) and node_class not in _LEAVES and node_class is not n.Code


@functools.cache
def _walked_fields(node_class: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(node_class) if f.name != "span" and f.eq)


def _place(node: object, field: str, code: n.Code) -> tuple[Kind, bool] | None:
    if isinstance(node, n.Field):
        kind = _FIELDS.get(node.name)
        return (kind, False) if kind is not None else None
    if isinstance(node, n.Setting):
        return (Kind.CONDITION, False) if node.key.startswith("default ") else None
    if isinstance(node, n.LineValue):
        return (Kind.ELEMENT, False) if node.kind == "element" else None
    if isinstance(node, n.Flag):
        return (Kind.ROUNDING, False) if node.name == "round" else None
    return _PLACES.get((type(node), field))


@attrs.frozen
class SymbolIndex:
    """The occurrences of every file, by file (in order) and by code."""

    by_file: Mapping[str, tuple[Occurrence, ...]]
    by_key: Mapping[tuple, tuple[Occurrence, ...]]

    def at(self, file: str, line: int, column: int) -> Occurrence | None:
        """The occurrence under a 1-based position (its end column included, as editors place a
        cursor just after a word)."""
        for occurrence in self.by_file.get(file, ()):
            span = occurrence.span
            if (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column):
                return occurrence
        return None

    def occurrences(self, key: tuple) -> tuple[Occurrence, ...]:
        return self.by_key.get(key, ())

    def declaration(self, key: tuple) -> Occurrence | None:
        found = self.occurrences(key)
        return next((o for o in found if o.declaration), None)

    def codes(self, kind: Kind, scope: str | None = None) -> list[Occurrence]:
        """The declarations of ``kind`` (rows: of condition ``scope``), in the files' order."""
        return [
            o
            for occurrences in self.by_file.values()
            for o in occurrences
            if o.declaration and o.kind is kind and o.scope == scope
        ]


def build_index(trees: Iterable[n.SourceFile]) -> SymbolIndex:
    by_file: dict[str, tuple[Occurrence, ...]] = {}
    by_key: defaultdict[tuple, list[Occurrence]] = defaultdict(list)
    for tree in trees:
        found = [o for decl in tree.declarations for o in _codes(decl, None)]
        rows_seen: set[tuple] = set()
        for index, occurrence in enumerate(found):
            if occurrence.kind is Kind.ROW and isinstance(occurrence.node, n.Field) and occurrence.key not in rows_seen:
                rows_seen.add(occurrence.key)  # a row is declared by its first `row R`
                found[index] = attrs.evolve(occurrence, declaration=True)
        by_file[tree.file] = tuple(found)
        for occurrence in found:
            by_key[occurrence.key].append(occurrence)
    return SymbolIndex(by_file, {key: tuple(found) for key, found in by_key.items()})
