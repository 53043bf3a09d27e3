"""Reports of the planning commands: ``worksheet`` (the standard cost worksheet), ``whatif`` (a
scenario beside the ruleset) and ``simulate`` (a simulation's statistics and influence);
docs/reports.md lists each part and its columns.

Each function takes a frozen result (:class:`costsheet.worksheet.Worksheet`,
:class:`costsheet.scenarios.WhatIf`, :class:`costsheet.scenarios.SimulationResult`; typed ``Any``
here, as reports sit below the scenarios) and returns a
:class:`~.model.Report`; nothing here computes a cost.  The cells are the results' own Decimals, so
CSV reads back equal to the JSON's strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..numbers import CONTEXT
from ..vocabulary import CostKind
from .build import decimals_of
from .model import Column, Decimals, Kind, Part, Report, Row, Style

if TYPE_CHECKING:
    from ..model import Model

__all__ = ["worksheet_report", "whatif_report", "simulation_report", "STATISTICS"]

A, P, Q, N, T = Kind.AMOUNT, Kind.PERCENT, Kind.QUANTITY, Kind.INTEGER, Kind.TEXT

#: the statistics of a simulation, in the order of their columns (the JSON's keys)
STATISTICS = ("mean", "p5", "p50", "p95", "min", "max")


def _columns(*specs: tuple[str, str, Kind]) -> tuple[Column, ...]:
    return tuple(Column(key, header, kind) for key, header, kind in specs)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


# ---------------------------------------------------------------- worksheet


def _key(kind: CostKind) -> str:
    return kind.value.replace("-", "_")


def worksheet_report(model: Model, worksheet: Any) -> Report:
    """``worksheet``: the parts ``items`` (per item the current and the new standard cost, the
    difference, its percentage and whether it changes, then per cost kind the current share, the new
    one and their difference) and ``prices`` (each price record proposed beside the current one)."""
    shares = tuple(
        column
        for kind in CostKind
        for column in (
            Column(f"current_{_key(kind)}", f"Current {kind.value}", A, optional=True),
            Column(f"new_{_key(kind)}", f"New {kind.value}", A, optional=True),
            Column(f"difference_{_key(kind)}", f"Difference {kind.value}", A, optional=True),
        )
    )
    items = tuple(
        Row(
            (
                line.item,
                line.description,
                None if line.current is None else line.current.amount,
                None if line.current is None or line.current.starting is None else str(line.current.starting),
                line.new_amount,
                line.difference,
                line.percent,
                _yes(line.changed),
                *(
                    value
                    for kind in CostKind
                    for value in (
                        line.current_share(kind),
                        line.new_shares[kind],
                        CONTEXT.subtract(line.new_shares[kind], line.current_share(kind)),
                    )
                ),
            ),
            style=Style.BOLD if line.changed else Style.PLAIN,
        )
        for line in worksheet.lines
    )
    prices = tuple(
        Row(
            (
                price.item,
                price.kind,
                price.sales_type,
                price.sales_code,
                None if price.current is None else price.current.amount,
                None if price.current is None else str(price.current.starting),
                price.new_amount,
                price.difference,
                _yes(price.changed),
            ),
            style=Style.BOLD if price.changed else Style.PLAIN,
        )
        for price in worksheet.prices
    )
    changed = sum(line.changed for line in worksheet.lines) + sum(price.changed for price in worksheet.prices)
    return Report(
        f"Standard cost worksheet · {worksheet.date}",
        (
            Part(
                "items",
                "Standard costs",
                (
                    *_columns(
                        ("item", "Item", T),
                        ("description", "Description", T),
                        ("current_standard_cost", "Current", A),
                        ("current_from", "Current from", T),
                        ("new_standard_cost", "New", A),
                        ("difference", "Difference", A),
                        ("percent", "%", P),
                        ("changed", "Changed", T),
                    ),
                    *shares,
                ),
                items,
            ),
            Part(
                "prices",
                "Prices",
                _columns(
                    ("item", "Item", T),
                    ("price", "Price", T),
                    ("sales_type", "Sales type", T),
                    ("sales_code", "Sales code", T),
                    ("current", "Current", A),
                    ("current_from", "Current from", T),
                    ("new", "New", A),
                    ("difference", "Difference", A),
                    ("changed", "Changed", T),
                ),
                prices,
            ),
        ),
        (f"copy-standard-cost {worksheet.copy_standard_cost} · {changed} to change",),
        decimals_of(model),
    )


# ---------------------------------------------------------------- whatif


def whatif_report(model: Model, result: Any) -> Report:
    """``whatif``: one part ``items``, per item the base, scenario, difference and percentage of the
    unit cost, then of the list price (empty where the item has no charge condition)."""
    items = model.items

    def description(code: str) -> str:
        item = items.get(code)
        return item.description if item is not None else ""

    rows = []
    for entry in result.items:
        difference, percent = entry.difference, entry.percent
        rows.append(
            Row(
                (
                    entry.item,
                    description(entry.item),
                    entry.base.unit_cost,
                    entry.scenario.unit_cost,
                    difference[0],
                    percent[0],
                    entry.base.list_price,
                    entry.scenario.list_price,
                    difference[1],
                    percent[1],
                )
            )
        )
    columns = _columns(
        ("item", "Item", T),
        ("description", "Description", T),
        ("base_unit_cost", "Unit cost", A),
        ("scenario_unit_cost", "Scenario unit cost", A),
        ("unit_cost_difference", "Difference", A),
        ("unit_cost_percent", "%", P),
        ("base_list_price", "List price", A),
        ("scenario_list_price", "Scenario list price", A),
        ("list_price_difference", "List price difference", A),
        ("list_price_percent", "List price %", P),
    )
    title = f"Scenario {result.scenario}" + (f": {result.description}" if result.description else "")
    return Report(
        title, (Part("items", "Base and scenario", columns, tuple(rows)),), (f"on {result.date}",), decimals_of(model)
    )


# ---------------------------------------------------------------- simulate


def simulation_report(model: Model, result: Any) -> Report:
    """``simulate``: the parts ``statistics`` (a row per item and figure, unit cost and list price:
    mean, P5, P50, P95, min, max over the runs) and ``influence`` (the tornado data: per item each
    input's Spearman rank correlation with the unit cost, strongest first, ranked from 1)."""
    statistics = []
    for entry in result.items:
        for figure, summary in (("unit_cost", entry.unit_cost), ("list_price", entry.list_price)):
            if summary is not None:
                statistics.append(Row((entry.item, figure, *(getattr(summary, key) for key in STATISTICS))))
    influence = []
    rank, previous = 0, None
    for entry in result.influence:
        rank = rank + 1 if entry.item == previous else 1
        previous = entry.item
        influence.append(Row((entry.item, rank, entry.input, entry.rank_correlation)))
    title = f"Simulation {result.simulation}" + (f": {result.description}" if result.description else "")
    subtitle = (f"{result.runs} runs, seed {result.seed}, on {result.date}",)
    decimals = decimals_of(model)
    return Report(
        title,
        (
            Part(
                "statistics",
                "Statistics over the runs",
                (
                    *_columns(("item", "Item", T), ("figure", "Figure", T)),
                    *(Column(key, key.upper() if key[0] == "p" else key.capitalize(), A) for key in STATISTICS),
                ),
                tuple(statistics),
            ),
            Part(
                "influence",
                "Influence on the unit cost",
                _columns(
                    ("item", "Item", T),
                    ("rank", "Rank", N),
                    ("input", "Input", T),
                    ("rank_correlation", "Rank correlation", Q),
                ),
                tuple(influence),
            ),
        ),
        subtitle,
        Decimals(decimals.amounts, (2, 12)),
    )
