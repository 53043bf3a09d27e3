"""Comparing two calculations (seed: "comparing calculation results").

:func:`diff` works on the result JSON (docs/json.md), so it compares anything the
calculators ever returned: two records from the history, or two result dicts.
It says what changed, element by element and charge line by charge line, by
how much (``after - before``, exact), and which inputs changed (ruleset hash,
ruleset path, item, lot size, date, and every input file: ruleset files, CSV
master data, ledger CSVs, changed, added or removed), which is usually the
answer to "why".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..inputs import KINDS, Input
from ..jsontext import json_text
from ..model import code_sort_key
from ..numbers import CONTEXT, HUNDRED, D, round_to, to_text
from . import codec
from .store import Calculation

__all__ = ["Change", "CalculationDiff", "diff"]

_PERCENT_PLACES = D("0.01")


def _number(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        try:
            return D(value)
        except (ValueError, TypeError):
            return None
    return None


def _shown(value: object) -> str | None:
    """How a value appears in the diff: text as is, numbers as decimal text, structures as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return to_text(value)
    if isinstance(value, (Mapping, list, tuple)):
        return codec.dumps(value)
    return str(value)


@attrs.frozen
class Change:
    """One value that differs: ``section``/``key``/``field`` locate it, ``delta`` is after - before."""

    section: str  # input | file | unit_cost | element | total | charge | list_price | price | standard_cost | <new key>
    key: str  # element or total code, charge line number, price key, item, file path …; "" for a scalar
    field: str  # single_level | rolled_up | value | description | row | element | price | starting_date …
    #            (for a file: its kind, and before/after are its SHA-256, None where it was not read)
    before: str | None
    after: str | None
    numeric: bool = True  # an amount or quantity (False: a code, a text, a date, a hash)

    @property
    def delta(self) -> Decimal | None:
        """``after - before`` for amounts (a line that appears or vanishes counts as 0)."""
        if not self.numeric or (self.before is None and self.after is None):
            return None
        before, after = _number(self.before), _number(self.after)
        if (before is None and self.before is not None) or (after is None and self.after is not None):
            return None
        return CONTEXT.subtract(after if after is not None else D(0), before if before is not None else D(0))

    @property
    def percent(self) -> Decimal | None:
        """The change relative to ``before``, in percent, rounded to 0.01 for display; ``None`` from 0."""
        delta, before = self.delta, _number(self.before)
        if delta is None or before is None or before == 0:
            return None
        return round_to(CONTEXT.multiply(CONTEXT.divide(delta, abs(before)), HUNDRED), _PERCENT_PLACES)

    def to_dict(self) -> dict[str, object]:
        delta, percent = self.delta, self.percent
        return {
            "section": self.section,
            "key": self.key,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "delta": to_text(delta) if delta is not None else None,
            "percent": to_text(percent) if percent is not None else None,
        }


@attrs.frozen
class CalculationDiff:
    """What differs between calculation ``a`` (before) and ``b`` (after)."""

    a: int | None  # history ids when the calculations came from the store
    b: int | None
    inputs: tuple[Change, ...]
    changes: tuple[Change, ...]
    diagnostics_added: tuple[Mapping[str, Any], ...]
    diagnostics_removed: tuple[Mapping[str, Any], ...]
    #: both calculations recorded their input files (records written before costsheet
    #: recorded them have none), so the ``file`` changes among ``inputs`` are complete
    files_compared: bool = False

    @property
    def same(self) -> bool:
        """No difference in the results (inputs may still differ without effect)."""
        return not self.changes

    def to_dict(self) -> dict[str, object]:
        """The comparison as JSON-ready data."""
        return {
            "a": self.a,
            "b": self.b,
            "same": self.same,
            "files_compared": self.files_compared,
            "inputs": [c.to_dict() for c in self.inputs],
            "changes": [c.to_dict() for c in self.changes],
            "diagnostics_added": codec.plain(list(self.diagnostics_added)),
            "diagnostics_removed": codec.plain(list(self.diagnostics_removed)),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as text: what ``costsheet history diff A B --format json`` prints (and a line end)."""
        return json_text(self.to_dict())


def _scalar(
    section: str, before: object, after: object, key: str = "", field: str = "value", numeric: bool = True
) -> list[Change]:
    b, a = _shown(before), _shown(after)
    if b == a:
        return []
    nb, na = _number(b), _number(a)
    if numeric and nb is not None and na is not None and nb == na:  # "1.50" and "1.5" are the same amount
        return []
    return [Change(section, key, field, b, a, numeric)]


def _keyed(
    section: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    fields: Iterable[str] | None,
    order: Callable[[str], Any] = code_sort_key,
    numeric_fields: frozenset[str] = frozenset(),
) -> list[Change]:
    """Compare two ``{key: record}`` maps field by field (``fields`` None: the records are amounts)."""
    changes: list[Change] = []
    for key in sorted(set(before) | set(after), key=order):
        b, a = before.get(key), after.get(key)
        if fields is None:
            changes += _scalar(section, b, a, key)
            continue
        b_rec = b if isinstance(b, Mapping) else {}
        a_rec = a if isinstance(a, Mapping) else {}
        for field in fields:
            changes += _scalar(section, b_rec.get(field), a_rec.get(field), key, field, field in numeric_fields)
    return changes


def _charges(result: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    lines = result.get("charges") or ()
    return {str(line.get("line", i + 1)): line for i, line in enumerate(lines) if isinstance(line, Mapping)}


def _prices(result: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for price in result.get("prices") or ():
        if isinstance(price, Mapping):
            key = "/".join(str(price.get(k) or "") for k in ("kind", "sales_type", "sales_code")).rstrip("/")
            out[key] = price
    return out


_KNOWN = {
    "item",
    "lot_size",
    "date",
    "unit_cost",
    "elements",
    "totals",
    "charges",
    "list_price",
    "prices",
    "standard_costs",
}
#: views derived from the compared amounts (the costing BOM tree, the explain trace): not compared again
_DERIVED = {"bom", "explain"}


def _result_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    changes = _scalar("unit_cost", before.get("unit_cost"), after.get("unit_cost"))
    breakdowns = ("single_level", "rolled_up")
    changes += _keyed(
        "element",
        before.get("elements") or {},
        after.get("elements") or {},
        breakdowns,
        numeric_fields=frozenset(breakdowns),
    )
    changes += _keyed("total", before.get("totals") or {}, after.get("totals") or {}, None)
    changes += _keyed(
        "charge",
        _charges(before),
        _charges(after),
        ("value", "row", "element", "description"),
        numeric_fields=frozenset({"value"}),
    )
    changes += _scalar("list_price", before.get("list_price"), after.get("list_price"))
    changes += _keyed(
        "price", _prices(before), _prices(after), ("price", "starting_date"), str, numeric_fields=frozenset({"price"})
    )
    changes += _keyed("standard_cost", before.get("standard_costs") or {}, after.get("standard_costs") or {}, None, str)
    for key in sorted((set(before) | set(after)) - _KNOWN - _DERIVED):  # keys added to the JSON later
        b, a = before.get(key), after.get(key)
        changes += _scalar(key, b, a, numeric=_number(b) is not None and _number(a) is not None)
    return changes


def _inputs(calc: Calculation | Mapping[str, Any]) -> dict[str, object]:
    if isinstance(calc, Calculation):
        return {
            "ruleset_hash": calc.ruleset_hash,
            "ruleset_path": calc.ruleset_path,
            "item": calc.item,
            "lot_size": calc.lot_size,
            "date": calc.date,
        }
    return {"item": calc.get("item"), "lot_size": calc.get("lot_size"), "date": calc.get("date")}


def _files(calc: Calculation | Mapping[str, Any]) -> dict[str, Input] | None:
    if not isinstance(calc, Calculation) or calc.inputs is None:
        return None
    return {i.path: i for i in calc.inputs}


def _file_changes(before: Mapping[str, Input], after: Mapping[str, Input]) -> list[Change]:
    """Each input file whose text differs, or that only one calculation read; ruleset files first."""

    def order(path: str) -> tuple[int, str]:
        kind = (before.get(path) or after[path]).kind
        return (KINDS.index(kind) if kind in KINDS else len(KINDS), path)

    changes = []
    for path in sorted(set(before) | set(after), key=order):
        b, a = before.get(path), after.get(path)
        if b is not None and a is not None and b.sha256 == a.sha256:
            continue
        kind = (a or before[path]).kind
        changes.append(Change("file", path, kind, b.sha256 if b else None, a.sha256 if a else None, numeric=False))
    return changes


def _diag_key(d: Mapping[str, Any]) -> str:
    return codec.dumps({k: d.get(k) for k in ("severity", "code", "message", "file", "line", "column")})


def diff(a: Calculation | Mapping[str, Any], b: Calculation | Mapping[str, Any]) -> CalculationDiff:
    """Compare calculation ``a`` (before) with ``b`` (after).

    Each is a history :class:`Calculation` or a result's JSON dict (docs/json.md).
    Elements are compared on both breakdowns, totals by code, charges by line
    number (value, row, element, description), prices by kind and sales
    type/code, standard costs by item; amounts that are equal as decimals
    ("1.5" and "1.50") are not a change.  Input files are compared by path
    (as they were named) and content hash, when both records hold them.
    """
    before_in, after_in = _inputs(a), _inputs(b)
    inputs = [
        change
        for name in before_in
        if name in after_in
        for change in _scalar("input", before_in[name], after_in[name], name, numeric=name == "lot_size")
    ]
    files_a, files_b = _files(a), _files(b)
    files_compared = files_a is not None and files_b is not None
    if files_a is not None and files_b is not None:
        inputs += _file_changes(files_a, files_b)
    result_a = (a.result if isinstance(a, Calculation) else a) or {}
    result_b = (b.result if isinstance(b, Calculation) else b) or {}
    diags_a = a.diagnostics if isinstance(a, Calculation) else ()
    diags_b = b.diagnostics if isinstance(b, Calculation) else ()
    keys_a = {_diag_key(d): d for d in diags_a}
    keys_b = {_diag_key(d): d for d in diags_b}
    return CalculationDiff(
        a=a.id if isinstance(a, Calculation) else None,
        b=b.id if isinstance(b, Calculation) else None,
        inputs=tuple(inputs),
        changes=tuple(_result_changes(result_a, result_b)),
        diagnostics_added=tuple(d for k, d in keys_b.items() if k not in keys_a),
        diagnostics_removed=tuple(d for k, d in keys_a.items() if k not in keys_b),
        files_compared=files_compared,
    )
