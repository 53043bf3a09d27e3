"""Scenarios and simulations (docs/scenarios.md): every line names something that exists, a
field a scenario may change, and a value of the kind that field takes; a simulation's runs,
seed and distributions are usable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..diagnostics import Diagnostic
from ..model import ValueKind
from ..syntax import nodes as n
from ..vocabulary import SCENARIO_FIELDS, DistributionKind, scenario_value_role
from . import values
from .context import Context, describe_value
from .nearest import nearest
from .references import unknown_reference

__all__ = ["scenario_targets", "simulation_settings", "distributions"]

#: the parameters of each distribution, as the messages name them
_PARAMETERS = {
    DistributionKind.UNIFORM: ("MIN", "MAX"),
    DistributionKind.TRIANGULAR: ("MIN", "MODE", "MAX"),
    DistributionKind.NORMAL: ("MEAN", "SD"),
}
#: runs and seed are whole numbers in these ranges
_RUNS = (1, 10_000_000)
_SEEDS = (0, 2**63 - 1)


def _lines(ctx: Context) -> Iterator[tuple[str, n.Target, object, n.Change | n.Variation]]:
    """``(who, target, value or distribution, statement)`` of every scenario and simulation line."""
    for scenario in ctx.of(n.ScenarioDecl):
        for change in scenario.changes:
            yield f"scenario {scenario.code.text}", change.target, change.value, change
    for simulation in ctx.of(n.SimulationDecl):
        for variation in simulation.variations:
            yield f"simulation {simulation.code.text}", variation.target, variation.distribution, variation


_WHAT_FIELD = {
    "item": "a field of an item",
    "workcenter": "a field of a work center",
    "machinecenter": "a field of a machine center",
    "condition": "a condition line's value kind",
}


def _field(target: n.Target) -> n.Word:
    assert target.field is not None, "the grammar gives this target its field"
    return target.field


def _vendor(target: n.Target) -> n.Code:
    assert target.vendor is not None, "the grammar gives a price or discount target its vendor"
    return target.vendor


def _field_problem(target: n.Target) -> Diagnostic | None:
    known = SCENARIO_FIELDS[target.kind]
    if _field(target).text in known:
        return None
    close = nearest(_field(target).text, known)
    what = _WHAT_FIELD[target.kind]
    return Diagnostic.error(
        "unknown-field",
        f"{_field(target).text} is not {what} that a scenario or simulation can change",
        _field(target).span,
        (f"did you mean {close}? " if close else "") + f"write one of: {', '.join(known)}",
    )


def _condition_line(ctx: Context, target: n.Target) -> Iterator[Diagnostic]:
    condition = ctx.model.conditions[target.code.text]
    lines = condition.lines
    if not isinstance(target.line, int) or not 1 <= target.line <= len(lines):
        yield Diagnostic.error(
            "no-such-line",
            f"condition {condition.code} has no line {target.line}: it has {len(lines)} line(s)",
            target.span,
            f"count every line of the condition, text lines too: write a number from 1 to {len(lines)}",
        )
        return
    line = lines[target.line - 1]
    kind = line.value_kind
    if kind is None or kind is ValueKind.ELEMENT:
        what = "a text line" if kind is None else "an element line"
        yield Diagnostic.error(
            "wrong-value-kind",
            f"line {target.line} of condition {condition.code} is {what}: it has no number to change",
            target.span,
            "name a line with an amount, a percent or (charge conditions) a formula",
        )
    elif kind.value != _field(target).text:
        yield Diagnostic.error(
            "wrong-value-kind",
            f"line {target.line} of condition {condition.code} has {kind.value} value, not {_field(target).text}",
            _field(target).span,
            f"write `condition {condition.code} line {target.line} {kind.value} ...`",
        )


def _currency(ctx: Context, target: n.Target) -> Iterator[Diagnostic]:
    """``exchange-rate CUR`` changes every exchange-rate line of CUR: there must be one."""
    currencies = sorted({rate.currency for rate in ctx.model.exchange_rates})
    if target.code.text in currencies:
        return
    close = nearest(target.code.text, currencies)
    known = f"currencies with rates: {', '.join(currencies)}; " if currencies else ""
    add = f"or add `exchange-rate {target.code.text} from DATE RATE`"
    yield Diagnostic.error(
        "no-such-line",
        f"there is no exchange-rate line of {target.code.text} to change",
        target.code.span,
        (f"did you mean {close}? " if close else "") + known + add,
    )


def _target(ctx: Context, who: str, target: n.Target) -> Iterator[Diagnostic]:
    model = ctx.model
    code = target.code
    if target.kind in ("item", "price", "discount") and code.text not in model.items:
        yield unknown_reference("item", code, model.items, who)
        return
    if target.kind == "workcenter" and code.text not in model.work_centers:
        yield unknown_reference("work center", code, model.work_centers, who)
        return
    if target.kind == "machinecenter" and code.text not in model.machine_centers:
        yield unknown_reference("work or machine center", code, model.machine_centers, who)
        return
    if target.kind == "condition" and code.text not in model.conditions:
        yield unknown_reference("condition", code, model.conditions, who)
        return
    if target.kind == "exchange-rate":
        yield from _currency(ctx, target)
        return
    if target.kind in ("price", "discount"):
        records = model.prices if target.kind == "price" else model.discounts
        if not any(r.item == code.text and r.vendor == _vendor(target).text for r in records):
            yield Diagnostic.error(
                "no-such-line",
                f"item {code.text} has no {target.kind} line of vendor {_vendor(target).text} to change",
                target.span,
                f"name a vendor with `{target.kind} {code.text} vendor V ...` lines, or add such a line",
            )
        return
    problem = _field_problem(target)
    if problem is not None:
        yield problem
    elif target.kind == "condition":
        yield from _condition_line(ctx, target)


_EXPECTED = {
    "percentage": ("a percentage", "5%"),
    "amount": ("a number or a percentage change", "26.50 or +8%"),
    "rate": ("a rate, a number (per hour) or a percentage change", "45.00/h or +3%"),
    "formula": ("a formula in quotes", '"10 % A"'),
}


def _accepts(role: str, value) -> bool:
    if role == "formula":
        return isinstance(value, str)
    if role == "rate":
        return isinstance(value, (Decimal, n.Percent, n.RateValue))
    return isinstance(value, (Decimal, n.Percent))


def _value(ctx: Context, target: n.Target, value, where) -> Iterator[Diagnostic]:
    role = scenario_value_role(target.kind, None if target.field is None else _field(target).text)
    if not _accepts(role, value):
        expected, example = _EXPECTED[role]
        found = "a formula" if isinstance(value, str) else describe_value(value)
        yield Diagnostic.error(
            "wrong-value-kind",
            f"this line changes {_label(target)}, which takes {expected}; found {found}",
            getattr(value, "span", None) or where.span,
            f"write e.g. {_label(target)} {example}",
        )
    elif not isinstance(value, (str, n.Percent)) or role == "percentage":
        problem = _range_problem(target, value)
        if problem is not None:
            yield problem.at(where.span)
    if isinstance(value, str) and role == "formula":
        from ..syntax import parse_formula

        formula, unparsed = parse_formula(value, "<scenario>")
        for problem in unparsed:
            yield Diagnostic.error(
                problem.code, f"the new formula does not parse: {problem.message}", where.span, problem.hint
            )
        rows = {line.row for line in ctx.model.conditions[target.code.text].lines if line.row}
        for row in () if formula is None else n.row_nodes(formula):
            if row.name not in rows:
                yield Diagnostic.error(
                    "empty-row",
                    f"the new formula names row {row.name}, which no line of condition {target.code.text} has",
                    where.span,
                    f"known rows: {', '.join(sorted(rows)) or 'none'}",
                )


def _range_problem(target: n.Target, value):
    """A new value outside the range the field takes in a ruleset (a lot size of 0, a discount of 120%)."""
    by_kind: dict[str, Mapping[Any, values.Rule]] = {
        "item": values.ITEM,
        "workcenter": values.CENTER,
        "machinecenter": values.CENTER,
        "price": {None: values.PRICE_LINE["unit-cost"]},
        "discount": {None: values.DISCOUNT_LINE["percent"]},
        "exchange-rate": {None: values.EXCHANGE_RATE},
    }
    rules = by_kind.get(target.kind, {})
    field = None if target.field is None else _field(target).text
    rule = rules.get(field)
    number = value.value if isinstance(value, (n.Percent, n.RateValue)) else value
    if rule is None or not isinstance(number, Decimal):
        return None
    if target.kind == "exchange-rate":
        name, who = "exchange-rate", "currency"
    elif field is None:  # a price or discount target: its lines' unit cost or percentage
        name, who = ("unit-cost" if target.kind == "price" else "percent"), f"the {target.kind} lines of item"
    else:
        name, who = field, {"item": "item", "workcenter": "work center", "machinecenter": "machine center"}[target.kind]
    return values.value_problem(name, rule, number, f"{who} {target.code.text}")


def _label(target: n.Target) -> str:
    if target.kind == "condition":
        return f"condition {target.code.text} line {target.line} {_field(target).text}"
    if target.kind == "exchange-rate":
        return f"exchange-rate {target.code.text}"
    if target.field is None:
        return f"{target.kind} {target.code.text} vendor {_vendor(target).text}"
    return f"{target.kind} {target.code.text} {_field(target).text}"


def scenario_targets(ctx: Context) -> Iterator[Diagnostic]:
    """Every scenario and simulation line names something declared and a field it may change,
    and a scenario line's value is of the kind that field takes."""
    for who, target, value, statement in _lines(ctx):
        problems = list(_target(ctx, who, target))
        yield from problems
        if not problems and not isinstance(value, n.Distribution):
            yield from _value(ctx, target, value, statement)


def simulation_settings(ctx: Context) -> Iterator[Diagnostic]:
    """``runs`` (required, at least 1) and ``seed`` (default 0) are whole numbers, each given once."""
    for decl in ctx.of(n.SimulationDecl):
        seen: set[str] = set()
        for stmt in decl.body:
            if not isinstance(stmt, n.Field):
                continue
            if stmt.name in seen:
                yield Diagnostic.error(
                    "duplicate-field", f"simulation {decl.code.text} gives {stmt.name} twice", stmt.span, "keep one"
                )
                continue
            seen.add(stmt.name)
            low, high = _RUNS if stmt.name == "runs" else _SEEDS
            value = stmt.value
            assert isinstance(value, Decimal), "a simulation setting is a number (the grammar's)"
            if value != value.to_integral_value() or not low <= value <= high:
                yield Diagnostic.error(
                    "out-of-range",
                    f"{stmt.name} {value} is not a whole number from {low:,} to {high:,}",
                    stmt.span,
                    f"write e.g. {stmt.name} {'10000' if stmt.name == 'runs' else '42'}",
                )
        if "runs" not in seen:
            yield Diagnostic.error(
                "missing-field",
                f"simulation {decl.code.text} does not say how many runs to make",
                decl.code.span,
                "add a line `runs 10000`",
            )


def _parameter_kind(value) -> tuple[str, str | None]:
    if isinstance(value, n.Percent):
        return "percentage", None
    if isinstance(value, n.RateValue):
        return "rate", value.unit
    return "number", None


def _number(parameter: object) -> Decimal:
    """A distribution's parameter as a number (the grammar's: a number, a percentage or a rate)."""
    number = parameter.value if isinstance(parameter, (n.Percent, n.RateValue)) else parameter
    assert isinstance(number, Decimal), "a distribution's parameter is a number, a percentage or a rate"
    return number


def _distribution_problem(target: n.Target, distribution: n.Distribution) -> str | None:
    """What is wrong with a distribution, for the message; None when nothing is."""
    names = _PARAMETERS[DistributionKind(distribution.kind)]
    parameters = distribution.parameters
    if len(parameters) != len(names):
        return f"{distribution.kind} takes {len(names)} values ({' '.join(names)}), not {len(parameters)}"
    kinds = {_parameter_kind(v) for v in parameters}
    if len(kinds) > 1:
        return "its values mix kinds (percentages, numbers, rates of different time units): write them alike"
    role = scenario_value_role(target.kind, None if target.field is None else _field(target).text)
    if role == "formula":
        return "a formula cannot be drawn: vary an amount or a percent line"
    ((kind, _unit),) = kinds
    if kind == "rate" and role != "rate":
        return f"{_label(target)} does not take a rate"
    numbers = [_number(v) for v in parameters]
    if distribution.kind == "normal":
        return None if numbers[1] >= 0 else "the standard deviation SD is negative"
    if distribution.kind == "uniform":
        return None if numbers[0] <= numbers[1] else "MIN is greater than MAX"
    low, mode, high = numbers
    return None if low <= mode <= high else "MODE does not lie between MIN and MAX"


def distributions(ctx: Context) -> Iterator[Diagnostic]:
    """Each distribution has its parameters, alike in kind, in order (MIN ≤ MODE ≤ MAX, SD ≥ 0)."""
    for decl in ctx.of(n.SimulationDecl):
        for variation in decl.variations:
            problem = _distribution_problem(variation.target, variation.distribution)
            if problem is not None:
                yield Diagnostic.error(
                    "bad-distribution",
                    f"the distribution of {_label(variation.target)}: {problem}",
                    variation.distribution.span,
                    "write uniform MIN MAX, triangular MIN MODE MAX or normal MEAN SD, e.g. triangular -5% 0% +15%",
                )
