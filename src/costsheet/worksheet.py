"""The standard cost worksheet (docs/cli.md, "costsheet worksheet"): each item's current
standard cost and its shares by kind beside the newly calculated ones, and the prices its
charge condition proposes beside the current ones.

Business Central's Standard Cost Worksheet and Finance and Operations' costing versions do
this: the current standard is :func:`costsheet.standards.standard_cost_on` on the date, the
new one the item's unit cost calculated on that date (docs/costing.md), its shares the
single-level breakdown counted by kind.  ``copy-standard-cost all-levels`` adds every item the
calculation of an item visited.  :func:`standard_cost_worksheet` builds a :class:`Worksheet`,
plain frozen data with :meth:`Worksheet.to_dict` (the JSON of docs/json.md, "costsheet
worksheet"); :mod:`costsheet.writeback` writes it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from .diagnostics import Diagnostic, render_json
from .model import CostKind, Model, PriceRecordLine, frozen_map
from .numbers import CONTEXT, HUNDRED, ZERO, to_text
from .standards import StandardCost, shares_from_breakdown, standard_cost_on, standard_tables

__all__ = ["Worksheet", "WorksheetLine", "PriceChange", "standard_cost_worksheet", "current_price"]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else to_text(value)


def _percent(difference: Decimal, current: Decimal | None) -> Decimal | None:
    """The difference in percent of the current amount (None when there is none to compare with)."""
    if not current:
        return None
    return CONTEXT.divide(CONTEXT.multiply(difference, HUNDRED), current).quantize(Decimal("0.01"), context=CONTEXT)


@attrs.frozen
class WorksheetLine:
    """One item: its current standard cost (None: it has none) and the new one, each with shares by kind."""

    item: str
    description: str
    current: StandardCost | None
    new_amount: Decimal
    new_shares: Mapping[CostKind, Decimal]

    @property
    def current_amount(self) -> Decimal:
        return self.current.amount if self.current is not None else ZERO

    @property
    def difference(self) -> Decimal:
        return CONTEXT.subtract(self.new_amount, self.current_amount)

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.difference, None if self.current is None else self.current.amount)

    def current_share(self, kind: CostKind) -> Decimal:
        return self.current.shares.get(kind, ZERO) if self.current is not None else ZERO

    @property
    def changed(self) -> bool:
        """Whether the new standard differs from the current one, in amount or in a share."""
        if self.current is None or self.difference != ZERO:
            return True
        return any(self.new_shares[kind] != self.current_share(kind) for kind in CostKind)

    def to_dict(self) -> dict[str, object]:
        return {
            "item": self.item,
            "description": self.description,
            "current": {
                "standard_cost": _text(None if self.current is None else self.current.amount),
                "from": None if self.current is None or self.current.starting is None else str(self.current.starting),
                "shares": {kind.value: to_text(self.current_share(kind)) for kind in CostKind},
            },
            "new": {
                "standard_cost": to_text(self.new_amount),
                "shares": {kind.value: to_text(self.new_shares[kind]) for kind in CostKind},
            },
            "difference": to_text(self.difference),
            "percent": _text(self.percent),
            "shares_difference": {
                kind.value: to_text(CONTEXT.subtract(self.new_shares[kind], self.current_share(kind)))
                for kind in CostKind
            },
            "changed": self.changed,
        }


@attrs.frozen
class PriceChange:
    """A price record the calculation proposes (``copy-price``) beside the current one of its kind."""

    item: str
    kind: str  # list-price | unit-price | sales-price
    sales_type: str
    sales_code: str | None
    current: PriceRecordLine | None
    new_amount: Decimal

    @property
    def difference(self) -> Decimal:
        return CONTEXT.subtract(self.new_amount, self.current.amount if self.current is not None else ZERO)

    @property
    def changed(self) -> bool:
        return self.current is None or self.current.amount != self.new_amount

    def to_dict(self) -> dict[str, object]:
        current = self.current
        return {
            "item": self.item,
            "price": self.kind,
            "sales_type": self.sales_type,
            "sales_code": self.sales_code,
            "current": None
            if current is None
            else {"unit_price": to_text(current.amount), "from": str(current.starting)},
            "new": to_text(self.new_amount),
            "difference": to_text(self.difference),
            "percent": _text(_percent(self.difference, None if current is None else current.amount)),
            "changed": self.changed,
        }


@attrs.frozen
class Worksheet:
    """The worksheet of some items on a date: a line per item (asked for, or visited with
    ``copy-standard-cost all-levels``), the price records proposed, and what the run reported
    (an item that could not be costed has no line; the diagnostics say why)."""

    date: dt.date
    copy_standard_cost: str
    lines: tuple[WorksheetLine, ...]
    prices: tuple[PriceChange, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    @property
    def changed(self) -> bool:
        return any(line.changed for line in self.lines) or any(price.changed for price in self.prices)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "date": str(self.date),
            "copy_standard_cost": self.copy_standard_cost,
            "items": [line.to_dict() for line in self.lines],
            "prices": [price.to_dict() for price in self.prices],
        }
        if self.diagnostics:
            data["diagnostics"] = render_json(self.diagnostics)
        return data


def current_price(model: Model, key: tuple, date: dt.date) -> PriceRecordLine | None:
    """The newest price record of ``key`` (item, kind, sales type, code) valid on ``date``."""
    valid = [r for r in model.price_records if r.key == key and r.starting <= date]
    return max(valid, key=lambda r: r.starting, default=None)


def standard_cost_worksheet(ruleset, items: Iterable[str] | None, date: dt.date) -> Worksheet:
    """The worksheet of ``items`` (every item but the phantoms when None) of a loaded ruleset on ``date``."""
    from .costing import calculate_many
    from .phantoms import PHANTOM

    model, program = ruleset.model, ruleset.program
    if items is None:  # every item but the phantoms, which are never costed alone (as calc --all)
        asked = [code for code, item in model.items.items() if item.replenishment != PHANTOM]
    else:
        asked = list(dict.fromkeys(items))
    diagnostics: list[Diagnostic] = list(ruleset.diagnostics)
    results: dict = {}
    shown: dict[str, None] = {}
    for code, result, found in calculate_many(model, asked, date=date, program=program):
        diagnostics.extend(found)
        if result is None:
            continue
        results[code] = result
        shown[code] = None
        shown.update(dict.fromkeys(result.standard_costs))  # all-levels: every item visited
    missing = [code for code in shown if code not in results]
    for code, result, found in calculate_many(model, missing, date=date, program=program):
        diagnostics.extend(found)
        if result is not None:
            results[code] = result
    tables = standard_tables(model)
    lines: list[WorksheetLine] = []
    prices: list[PriceChange] = []
    for code in shown:
        result = results.get(code)
        if result is None:
            continue
        current, found = standard_cost_on(model, code, date, program=program, table=tables.get(code))
        diagnostics.extend(found)
        shares = shares_from_breakdown(result.single_level, program.groups, result.unit_cost)
        item = model.items[code]
        lines.append(WorksheetLine(code, item.description, current, result.unit_cost, frozen_map(dict(shares))))
        for record in result.prices:
            key = (code, record.kind, record.sales_type or "all-customers", record.sales_code)
            prices.append(PriceChange(*key, current_price(model, key, date), record.price))
    return Worksheet(
        date, model.setup.copy_standard_cost, tuple(lines), tuple(prices), tuple(dict.fromkeys(diagnostics))
    )
