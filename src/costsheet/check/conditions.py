"""Cost conditions (docs/language.md, "Cost conditions"): statements, values and flags in the kind of
condition they belong to, cost groups per kind, headers present, one list-price line."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from functools import partial

from ..diagnostics import Diagnostic
from ..model import ConditionKind
from ..syntax import nodes as n
from .context import Context
from .groups import group_mismatch
from .options import repeated
from .vocabulary import COPY_PRICES, SALES_TYPES, suggest

__all__ = [
    "condition_statements",
    "condition_groups",
    "line_values",
    "line_flags",
    "list_price_lines",
    "condition_headers",
    "rounding_available",
]

_CHARGE_ONLY = "charge conditions"
_COSTING = "material, production and capacity conditions"
#: value kind -> the condition kinds it belongs in, and how to say so
_VALUE_PLACES = {
    "percent": ({ConditionKind.MATERIAL, ConditionKind.PRODUCTION, ConditionKind.CAPACITY}, _COSTING),
    "amount": (set(ConditionKind), "every kind of condition"),
    "element": ({ConditionKind.CHARGE}, _CHARGE_ONLY),
    "formula": ({ConditionKind.CHARGE}, _CHARGE_ONLY),
}
_FLAG_PLACES = {
    "setup-only": ({ConditionKind.CAPACITY}, "capacity conditions"),
    "allocation": ({ConditionKind.CAPACITY}, "capacity conditions"),
    # `round` is a flag of every kind of condition (docs/language.md, "Cost conditions"): any
    # line may say `round` and the engine rounds overhead lines too.
    "round": (set(ConditionKind), "every kind of condition"),
    "list-price": ({ConditionKind.CHARGE}, _CHARGE_ONLY),
    "bold": ({ConditionKind.CHARGE}, _CHARGE_ONLY),
}


def _conditions(ctx: Context) -> Iterator[tuple[n.ConditionDecl, ConditionKind]]:
    for decl in ctx.of(n.ConditionDecl):
        yield decl, ConditionKind(decl.kind)


def _lines(decl: n.ConditionDecl) -> Iterator[n.Line]:
    return (s for s in decl.body if isinstance(s, n.Line))


def _line_name(line: n.Line, decl: n.ConditionDecl) -> str:
    return f'line "{line.description}" of condition {decl.code.text}'


def condition_statements(ctx: Context) -> Iterator[Diagnostic]:
    """Headers in costing conditions, copy-price and sales-type in charge conditions, each once."""
    for decl, kind in _conditions(ctx):
        seen: dict[str, object] = {}
        for stmt in decl.body:
            if isinstance(stmt, n.Line):
                continue
            word = (
                stmt.role
                if isinstance(stmt, n.Header)
                else ("copy-price" if isinstance(stmt, n.CopyPrice) else "sales-type")
            )
            belongs = _COSTING if isinstance(stmt, n.Header) else _CHARGE_ONLY
            if (kind is ConditionKind.CHARGE) != (belongs == _CHARGE_ONLY):
                yield Diagnostic.error(
                    "misplaced-statement",
                    f"`{word}` does not belong in a {kind.value} condition; it belongs in {belongs}",
                    stmt.span,
                    f"remove `{word}` from condition {decl.code.text}",
                )
                continue
            if word in seen:
                yield Diagnostic.error(
                    "duplicate-field",
                    f"condition {decl.code.text} gives `{word}` twice",
                    stmt.span,
                    f"keep one `{word}` statement",
                )
                continue
            seen[word] = stmt
            if isinstance(stmt, n.CopyPrice) and stmt.value not in COPY_PRICES:
                yield Diagnostic.error(
                    "unknown-value",
                    f"{stmt.value} is not a value of copy-price",
                    stmt.span,
                    suggest(stmt.value, COPY_PRICES),
                )
            elif isinstance(stmt, n.SalesTypeStmt):
                yield from sales_type_problems(stmt)


def sales_type_problems(stmt: n.SalesTypeStmt, keyword: str = "sales-type") -> Iterator[Diagnostic]:
    """A sales type that is not one, or that lacks the code it needs (or has one it takes not)."""
    takes_code = SALES_TYPES.get(stmt.kind)
    if takes_code is None:
        yield Diagnostic.error(
            "unknown-value", f"{stmt.kind} is not a sales type", stmt.span, suggest(stmt.kind, list(SALES_TYPES))
        )
    elif takes_code and stmt.code is None:
        yield Diagnostic.error(
            "invalid-sales-type",
            f"sales-type {stmt.kind} needs a code",
            stmt.span,
            f"write `{keyword} {stmt.kind} CODE`",
        )
    elif not takes_code and stmt.code is not None:
        yield Diagnostic.error(
            "invalid-sales-type",
            f"sales-type {stmt.kind} takes no code",
            stmt.code.span,
            f"write `{keyword} {stmt.kind}` alone",
        )


def condition_groups(ctx: Context) -> Iterator[Diagnostic]:
    """Header and line elements of cost groups the condition kind accepts (docs/language.md,
    "Which cost groups each kind accepts")."""
    for decl, kind in _conditions(ctx):
        for stmt in decl.body:
            if isinstance(stmt, n.Header) and kind is not ConditionKind.CHARGE:
                yield from group_mismatch(
                    ctx, stmt.element, kind, stmt.role, f"the `{stmt.role}` of condition {decl.code.text}"
                )
            elif isinstance(stmt, n.Line) and stmt.element is not None:
                yield from group_mismatch(ctx, stmt.element, kind, "line", _line_name(stmt, decl))


def _row_or_value(option) -> str:
    return "row" if isinstance(option, n.Field) else "value"


def line_values(ctx: Context) -> Iterator[Diagnostic]:
    """A line has at most one row and one value, and a value of a kind its condition takes."""
    for decl, kind in _conditions(ctx):
        for line in _lines(decl):
            yield from repeated(
                (o for o in line.options if not isinstance(o, n.Flag)), _line_name(line, decl), _row_or_value
            )
            if line.value is None:
                if kind is not ConditionKind.CHARGE:
                    yield Diagnostic.warning(
                        "text-line",
                        f"{_line_name(line, decl)} has no value, so it has no effect: only charge "
                        "conditions show text lines",
                        line.span,
                        "give it `percent N` or `amount N`, or remove it",
                    )
                continue
            places, where = _VALUE_PLACES[line.value.kind]
            if kind not in places:
                yield Diagnostic.error(
                    "misplaced-value",
                    f"`{line.value.kind}` values do not belong in a {kind.value} condition; they belong in {where}",
                    line.value.span,
                    'use `amount N` or `formula "..."` in a charge condition'
                    if kind is ConditionKind.CHARGE
                    else "use `percent N` or `amount N`",
                )


def line_flags(ctx: Context) -> Iterator[Diagnostic]:
    for decl, kind in _conditions(ctx):
        for line in _lines(decl):
            seen: set[str] = set()
            for flag in line.flags:
                places, where = _FLAG_PLACES[flag.name]
                if kind not in places:
                    yield Diagnostic.error(
                        "misplaced-flag",
                        f"`{flag.name}` does not belong in a {kind.value} condition; it belongs in {where}",
                        flag.span,
                        f"remove `{flag.name}` from the line",
                    )
                elif flag.name in seen:
                    yield Diagnostic.error(
                        "duplicate-field",
                        f"{_line_name(line, decl)} says `{flag.name}` twice",
                        flag.span,
                        f"keep one `{flag.name}`",
                    )
                elif (
                    flag.name == "allocation"
                    and isinstance(flag.argument, n.Percent)
                    and not 0 <= flag.argument.value <= 100
                ):
                    yield Diagnostic.error(
                        "out-of-range",
                        f"allocation {flag.argument.value}% is outside 0% to 100%",
                        flag.span,
                        "write the share of the line's value to allocate, between 0% and 100%",
                    )
                seen.add(flag.name)


def list_price_lines(ctx: Context) -> Iterator[Diagnostic]:
    """At most one ``list-price`` line per charge condition (docs/costing.md, "Charges and list price")."""
    for decl, kind in _conditions(ctx):
        if kind is not ConditionKind.CHARGE:
            continue
        first = None
        for line in _lines(decl):
            for flag in line.flags:
                if flag.name != "list-price":
                    continue
                if first is None:
                    first = line
                elif line is not first:
                    yield Diagnostic.error(
                        "duplicate-list-price",
                        f'charge condition {decl.code.text} already has a list-price line ("{first.description}")',
                        flag.span,
                        "flag exactly one line `list-price`",
                    )


def condition_headers(ctx: Context) -> Iterator[Diagnostic]:
    """A costing condition needs a ``direct`` element, and an ``overhead`` one for lines naming none."""
    for decl, kind in _conditions(ctx):
        if kind is ConditionKind.CHARGE:
            continue
        roles = {s.role for s in decl.body if isinstance(s, n.Header)}
        if "direct" not in roles:
            yield Diagnostic.error(
                "missing-element",
                f"{kind.value} condition {decl.code.text} has no `direct` element",
                decl.code.span,
                "add `direct ELEMENT`: the element the direct cost is assigned to",
            )
        if "overhead" not in roles:
            for line in _lines(decl):
                if line.element is None and line.value is not None:
                    yield Diagnostic.error(
                        "missing-element",
                        f"{_line_name(line, decl)} names no element and the condition has no `overhead` element",
                        line.span,
                        "add `overhead ELEMENT` to the condition, or name the line's element",
                    )


def _conditions_of(ctx: Context, item) -> Iterator[str]:
    """The codes of the conditions costing ``item`` reads (its own or the setup's defaults)."""
    model, setup = ctx.model, ctx.model.setup
    if item.replenishment == "purchase":
        yield item.material_condition or setup.default_material or ""
        return
    yield item.production_condition or setup.default_production or ""
    for routing in item.all_routing_lines:
        center = model.work_centers.get(routing.resource)
        machine = model.machine_centers.get(routing.resource)
        if machine is not None:
            center = model.work_centers.get(machine.work_center)
        default = setup.default_subcontract if center is not None and center.subcontractor else setup.default_capacity
        yield (machine.condition if machine else None) or (center.condition if center else None) or default or ""


def rounding_available(ctx: Context) -> Iterator[Diagnostic]:
    """A line's bare ``round`` uses the item's rounding method, which each item costed with it needs.
    Found again for the items that changed, or for every item when a condition, a center or the
    setup's defaults did."""
    model = ctx.model
    setup = model.setup
    return iter(
        ctx.keyed(
            "rounding-available",
            partial(_rounding_available, ctx),
            env=(
                tuple(map(id, model.conditions.values())),  # the same objects (records compare without spans)
                tuple(model.conditions),
                tuple(model.work_centers.items()),
                tuple(model.machine_centers.items()),
                (setup.default_material, setup.default_production, setup.default_capacity, setup.default_subcontract),
            ),
            dirty=lambda changes: changes.items,
        )
    )


def _rounding_available(ctx: Context, codes: Collection[str] | None) -> dict[str, tuple[Diagnostic, ...]]:
    model = ctx.model
    items = model.items.values() if codes is None else [model.items[code] for code in codes if code in model.items]
    found: dict[str, tuple[Diagnostic, ...]] = {}
    for item in items:
        if item.rounding is not None:
            continue
        codes_read = dict.fromkeys([*_conditions_of(ctx, item), item.charge_condition or ""])
        found[item.code] = tuple(
            Diagnostic.error(
                "no-rounding-method",
                f'line {line.position} "{line.description}" of {condition.code} says `round`, but item '
                f"{item.code}, costed with {condition.code}, has no rounding method",
                line.span,
                f"give item {item.code} a `rounding METHOD`, or write `round METHOD` on the line",
            )
            for condition in (model.conditions.get(code) for code in codes_read)
            if condition is not None
            for line in condition.lines
            if line.round and line.round_method is None
        )
    return found
