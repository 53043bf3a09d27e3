"""The terminal tables of ``costsheet whatif`` and ``costsheet simulate``: presenters of the
frozen results (:class:`~costsheet.scenarios.WhatIf`, :class:`~costsheet.scenarios.SimulationResult`),
which know nothing of them."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group, RenderableType
from rich.text import Text

from ..model import Model
from ..numbers import to_text
from ..scenarios import SimulationResult, WhatIf
from .tables import Column, NumberFormat, _table

__all__ = ["whatif_table", "simulation_tables", "TORNADO_WIDTH"]

#: the widest bar of the tornado table, in characters
TORNADO_WIDTH = 20


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01'))}%"


def whatif_table(model: Model, result: WhatIf):
    """Per item: base, scenario, difference and % of the unit cost, then of the list price."""
    numbers = NumberFormat.of(model.setup)
    rows = []
    for entry in result.items:
        difference, percent = entry.difference, entry.percent
        rows.append(
            (
                entry.item,
                numbers.amount(entry.base.unit_cost),
                numbers.amount(entry.scenario.unit_cost),
                numbers.amount(difference[0]),
                _percent(percent[0]),
                numbers.amount(entry.base.list_price),
                numbers.amount(entry.scenario.list_price),
                numbers.amount(difference[1]),
                _percent(percent[1]),
            )
        )
    title = f"Scenario {result.scenario}" + (f": {result.description}" if result.description else "")
    columns: tuple[Column, ...] = (
        ("Item", "left"),
        ("Unit cost", "number"),
        ("Scenario", "number"),
        ("Difference", "number"),
        ("%", "number"),
        ("List price", "number"),
        ("Scenario", "number"),
        ("Difference", "number"),
        ("%", "number"),
    )
    return _table(columns, rows, title=f"{title}  (on {result.date})")


def _bar(rho: Decimal, both_sides: bool) -> str:
    """A bar |rho| × :data:`TORNADO_WIDTH` long, right of the axis, or left of it when negative
    (the left side is drawn only when some correlation is negative)."""
    bar = "█" * int((abs(rho) * TORNADO_WIDTH).to_integral_value())
    left = f"{bar if rho < 0 else '':>{TORNADO_WIDTH}}" if both_sides else ""
    return f"{left}|{bar if rho >= 0 else ''}"


def simulation_tables(model: Model, result: SimulationResult) -> Group:
    """The statistics per item, then per item a tornado table of the inputs' influence."""
    numbers = NumberFormat.of(model.setup)
    rows = []
    for entry in result.items:
        for label, summary in (("unit cost", entry.unit_cost), ("list price", entry.list_price)):
            if summary is None:
                continue
            rows.append(
                (
                    entry.item,
                    label,
                    *(numbers.amount(getattr(summary, k)) for k in ("mean", "p5", "p50", "p95", "min", "max")),
                )
            )
    title = f"Simulation {result.simulation}" + (f": {result.description}" if result.description else "")
    title += f"  ({result.runs} runs, seed {result.seed}, on {result.date})"
    columns: tuple[Column, ...] = (
        ("Item", "left"),
        ("", "left"),
        ("Mean", "number"),
        ("P5", "number"),
        ("P50", "number"),
        ("P95", "number"),
        ("Min", "number"),
        ("Max", "number"),
    )
    parts: list[RenderableType] = [_table(columns, rows, title=title)]
    for entry in result.items:
        influence = [i for i in result.influence if i.item == entry.item]
        both_sides = any(i.rank_correlation < 0 for i in influence)
        tornado = [(i.input, to_text(i.rank_correlation), _bar(i.rank_correlation, both_sides)) for i in influence]
        parts.append(Text(""))
        parts.append(
            _table(
                (("Input", "left"), ("Rank correlation", "number"), ("", "left")),
                tornado,
                title=f"Influence on the unit cost of {entry.item}",
            )
        )
    return Group(*parts)
