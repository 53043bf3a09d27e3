"""Scenarios and simulations as data: what each line of a ``scenario`` or ``simulation`` block
means once the checker has passed it (docs/scenarios.md).

:func:`read_definitions` reads the declarations of a checked ruleset's files into frozen
:class:`Scenario` and :class:`Simulation` objects.  What a value means follows one rule,
which the checker shares (:func:`costsheet.vocabulary.scenario_value_role`): a percentage on
a field that holds one is the new value; on any other field it is a relative change; a plain
number or a rate replaces the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..diagnostics import Span
from ..model import UNIT_SECONDS, frozen_map
from ..syntax import nodes as n
from ..vocabulary import scenario_value_role

__all__ = [
    "Target",
    "Edit",
    "Variation",
    "Scenario",
    "Simulation",
    "Definitions",
    "read_definitions",
    "target_of",
    "value_role",
]


@attrs.frozen
class Target:
    """What a line changes: ``kind`` item | workcenter | machinecenter (with ``field``),
    price | discount (with ``vendor``), condition (with ``line`` and ``field`` the value kind),
    exchange-rate (``code`` the currency: every exchange-rate line of it)."""

    kind: str
    code: str
    field: str | None = None
    vendor: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """How the JSON and the tables name it: ``item ICO-0005 unit-cost``."""
        if self.kind == "condition":
            return f"condition {self.code} line {self.line} {self.field}"
        if self.kind == "exchange-rate":
            return f"exchange-rate {self.code}"
        if self.kind in ("price", "discount"):
            return f"{self.kind} {self.code} vendor {self.vendor}"
        return f"{self.kind} {self.code} {self.field}"


def value_role(target: Target) -> str:
    """See :func:`costsheet.vocabulary.scenario_value_role`."""
    return scenario_value_role(target.kind, target.field)


@attrs.frozen
class Edit:
    """One scenario line: set the target to ``value`` or, ``relative``, multiply it by
    1 + value/100.  ``per_seconds`` is the time unit of a rate written as one (a plain number
    on a rate field is per hour); ``formula`` is the text of a formula line's new formula;
    ``floor`` the least value the field takes (simulations clamp their draws to it)."""

    target: Target
    value: Decimal | None
    relative: bool = False
    per_seconds: int = 3600
    formula: str | None = None
    floor: Decimal | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Variation:
    """One simulation line: the target drawn from ``distribution`` (uniform, triangular,
    normal) with ``parameters``; ``relative`` draws are percentage changes of the base value."""

    target: Target
    distribution: str
    parameters: tuple[Decimal, ...]
    relative: bool = False
    per_seconds: int = 3600
    span: Span | None = attrs.field(default=None, eq=False, repr=False)

    def edit(self, draw: Decimal) -> Edit:
        """The scenario line a draw amounts to."""
        return Edit(self.target, draw, self.relative, self.per_seconds)


@attrs.frozen
class Scenario:
    code: str
    description: str
    edits: tuple[Edit, ...]
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Simulation:
    code: str
    description: str
    runs: int
    seed: int
    variations: tuple[Variation, ...]
    span: Span | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Definitions:
    scenarios: Mapping[str, Scenario] = frozen_map()
    simulations: Mapping[str, Simulation] = frozen_map()


def target_of(node: n.Target) -> Target:
    field = None if node.field is None else node.field.text
    vendor = None if node.vendor is None else node.vendor.text
    return Target(node.kind, node.code.text, field, vendor, node.line if isinstance(node.line, int) else None)


def _number(value) -> tuple[Decimal, bool, int]:
    """``(number, is a percentage, seconds of its time unit)`` of a value as written."""
    if isinstance(value, n.Percent):
        return value.value, True, 3600
    if isinstance(value, n.RateValue):
        return value.value, False, UNIT_SECONDS[value.unit]
    return value, False, 3600


def _edit(change: n.Change) -> Edit:
    target = target_of(change.target)
    if isinstance(change.value, str):
        return Edit(target, None, formula=change.value, span=change.span)
    number, percent, seconds = _number(change.value)
    relative = percent and value_role(target) != "percentage"
    return Edit(target, number, relative, seconds, span=change.span)


def _variation(node: n.Variation) -> Variation:
    target = target_of(node.target)
    numbers = [_number(v) for v in node.distribution.parameters]
    relative = bool(numbers) and numbers[0][1] and value_role(target) != "percentage"
    seconds = numbers[0][2] if numbers else 3600
    parameters = tuple(number for number, _, _ in numbers)
    return Variation(target, node.distribution.kind, parameters, relative, seconds, span=node.span)


def read_definitions(files: tuple[n.SourceFile, ...]) -> Definitions:
    """The scenarios and simulations of a checked ruleset's files, by code."""
    scenarios: dict[str, Scenario] = {}
    simulations: dict[str, Simulation] = {}
    for file in files:
        for decl in file.declarations:
            if isinstance(decl, n.ScenarioDecl):
                edits = tuple(_edit(change) for change in decl.changes)
                scenarios.setdefault(
                    decl.code.text, Scenario(decl.code.text, decl.description or "", edits, span=decl.span)
                )
            elif isinstance(decl, n.SimulationDecl):
                runs, seed = decl.setting("runs"), decl.setting("seed")
                variations = tuple(_variation(v) for v in decl.variations)
                simulation = Simulation(
                    decl.code.text,
                    decl.description or "",
                    1 if runs is None else int(runs),
                    0 if seed is None else int(seed),
                    variations,
                    span=decl.span,
                )
                simulations.setdefault(decl.code.text, simulation)
    return Definitions(frozen_map(scenarios), frozen_map(simulations))
