"""``whatif``: a scenario's unit costs and list prices next to the ruleset's own.

:func:`run_whatif` applies the scenario to the model (:func:`~.edits.apply_edits`), re-costs
the cone of its changes (:func:`~.recost.recost`) and returns a frozen :class:`WhatIf`:
per item the base, the scenario, the difference (scenario − base) and the percentage
(difference / base × 100; None where the base is 0).  ``to_dict()`` is the JSON of
``costsheet whatif --format json`` (docs/json.md); presenters live in the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..diagnostics import Diagnostic, sort_diagnostics
from ..jsontext import json_text
from ..numbers import CONTEXT, HUNDRED, outgoing, to_text
from ..phantoms import costed_alone
from .definitions import Scenario
from .edits import apply_edits, changed_by
from .recost import Baseline, recost

__all__ = ["Figures", "WhatIfItem", "WhatIf", "run_whatif"]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else to_text(value)


@attrs.frozen
class Figures:
    """An item's unit cost and list price (None: the item has no charge condition)."""

    unit_cost: Decimal
    list_price: Decimal | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"unit_cost": to_text(self.unit_cost), "list_price": _text(self.list_price)}


def _difference(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    return None if new is None or old is None else outgoing(CONTEXT.subtract(new, old))


def _percent(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    if new is None or old is None or not old:
        return None
    return outgoing(CONTEXT.divide(CONTEXT.multiply(CONTEXT.subtract(new, old), HUNDRED), old))


@attrs.frozen
class WhatIfItem:
    item: str
    base: Figures
    scenario: Figures

    @property
    def difference(self) -> tuple[Decimal | None, Decimal | None]:
        """(unit cost, list price) of scenario − base."""
        return (
            _difference(self.scenario.unit_cost, self.base.unit_cost),
            _difference(self.scenario.list_price, self.base.list_price),
        )

    @property
    def percent(self) -> tuple[Decimal | None, Decimal | None]:
        """(unit cost, list price) of the difference in percent of the base (None where the base is 0)."""
        return (
            _percent(self.scenario.unit_cost, self.base.unit_cost),
            _percent(self.scenario.list_price, self.base.list_price),
        )

    def to_dict(self) -> dict[str, dict[str, str | None]]:
        difference, percent = self.difference, self.percent
        return {
            "base": self.base.to_dict(),
            "scenario": self.scenario.to_dict(),
            "difference": {"unit_cost": _text(difference[0]), "list_price": _text(difference[1])},
            "percent": {"unit_cost": _text(percent[0]), "list_price": _text(percent[1])},
        }


@attrs.frozen
class WhatIf:
    """The result of one scenario; ``diagnostics`` are the calculations' (an item that could
    not be costed, in the base or in the scenario, is left out of ``items``)."""

    scenario: str
    description: str
    date: dt.date
    items: tuple[WhatIfItem, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"scenario": self.scenario, "items": {entry.item: entry.to_dict() for entry in self.items}}

    def to_json(self) -> str:
        return json_text(self.to_dict())


def _figures(result) -> Figures:
    return Figures(result.unit_cost, result.list_price)


def run_whatif(base: Baseline, scenario: Scenario) -> WhatIf:
    """``scenario`` against ``base`` (which holds the items, the date and the lot size)."""
    edited = apply_edits(base.model, scenario.edits)
    after = recost(base, edited, changed_by(edit.target for edit in scenario.edits))
    entries: list[WhatIfItem] = []
    diagnostics: list[Diagnostic] = []
    for code in base.items:
        before, found_before = base.results[code]
        result, found = after[code]
        diagnostics.extend(found_before)
        diagnostics.extend(d for d in found if d not in found_before)
        if before is not None and result is not None:
            entries.append(WhatIfItem(code, _figures(before), _figures(result)))
    return WhatIf(scenario.code, scenario.description, base.date, tuple(entries), tuple(sort_diagnostics(diagnostics)))


def items_to_cost(model, items: Sequence[str] | None) -> tuple[str, ...]:
    """The items asked for, or every item of the model but its phantoms (None)."""
    return costed_alone(model.items) if items is None else tuple(items)
