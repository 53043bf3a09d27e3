"""Items, work centers and machine centers (docs/language.md,
"Items, work centers and machine centers"): the fields each
takes, each once, with a value of the right kind and range (the rules of
:mod:`costsheet.check.values`, which CSV master data obeys too); conditions they can find."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal
from functools import partial

from ..diagnostics import Diagnostic, Span
from ..model import Item
from ..syntax import nodes as n
from . import values
from .context import Context, describe_value
from .options import repeated
from .vocabulary import REPLENISHMENTS, suggest

__all__ = ["fields", "condition_refs", "bom_and_routing", "price_lines_present", "conditions_found"]


_EXPECTS = {
    "word": "a word",
    "code": "a code",
    "number": "a number",
    "percent": "a percentage such as 5%",
    "rate": "a rate such as 42.00/h",
}
_ACCEPTS = {
    "word": (n.Word,),
    "code": (n.Code,),
    "number": (Decimal,),
    "percent": (n.Percent, Decimal),
    "rate": (n.RateValue, Decimal),
}


#: the declarations of master data
_MASTER = (n.ItemDecl, n.WorkCenterDecl, n.MachineCenterDecl)


def _described(decl: n.ItemDecl | n.WorkCenterDecl | n.MachineCenterDecl) -> tuple[str, Mapping, str]:
    """(who it is, the rules of its fields, what it is)"""
    if isinstance(decl, n.ItemDecl):
        return f"item {decl.code.text}", values.ITEM, "an item"
    if isinstance(decl, n.WorkCenterDecl):
        return f"work center {decl.code.text}", values.WORK_CENTER, "a work center"
    return f"machine center {decl.code.text}", values.CENTER, "a machine center"


def _belongs(name: str) -> str:
    places = [
        what
        for what, table in (
            ("items", values.ITEM),
            ("work centers", values.WORK_CENTER),
            ("machine centers", values.CENTER),
        )
        if name in table
    ]
    return " and ".join(places) or "no declaration"


def _number(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (n.Percent, n.RateValue)):
        return value.value
    return None


def _field(field: n.Field, rule: values.Rule, who: str) -> Iterator[Diagnostic]:
    value = field.value
    if not isinstance(value, _ACCEPTS[rule.kind]):
        yield Diagnostic.error(
            "wrong-value-kind",
            f"{field.name} expects {_EXPECTS[rule.kind]}, found {describe_value(value)}",
            field.span,
            suggest("", rule.words) if rule.words else f"write {field.name} {_example(rule.kind)}",
        )
        return
    if isinstance(value, n.Word):  # the kind "word" accepts
        problem = values.value_problem(field.name, rule, value.text, who)
        if problem:
            yield problem.at(value.span)
        return
    number = _number(value)
    problem = values.value_problem(field.name, rule, number, who) if number is not None else None
    if problem:
        yield problem.at(field.span)


def _example(kind: str) -> str:
    return {"number": "12.50", "percent": "5%", "rate": "42.00/h", "code": "CODE", "word": "WORD"}[kind]


def fields(ctx: Context) -> Iterator[Diagnostic]:
    """Each field belongs to the declaration, is given once, and has a value of its kind and range."""
    return iter(ctx.each("fields", _MASTER, _fields))


def _fields(decl: n.ItemDecl | n.WorkCenterDecl | n.MachineCenterDecl) -> Iterator[Diagnostic]:
    who, table, a_what = _described(decl)
    seen: dict[str, n.Field] = {}
    for stmt in decl.body:
        if not isinstance(stmt, n.Field):
            continue
        spec = table.get(stmt.name)
        if spec is None:
            yield Diagnostic.error(
                "misplaced-field",
                f"`{stmt.name}` is not a field of {a_what}; it belongs to {_belongs(stmt.name)}",
                stmt.span,
                f"remove `{stmt.name}` from {who}",
            )
        elif stmt.name in seen:
            yield Diagnostic.error(
                "duplicate-field",
                f"{who} gives `{stmt.name}` twice",
                stmt.span,
                f"keep one `{stmt.name}`: only the first one would count",
            )
        else:
            seen[stmt.name] = stmt
            yield from _field(stmt, spec, who)


def condition_refs(ctx: Context) -> Iterator[Diagnostic]:
    """Items name material, production and charge conditions with their kind; centers one capacity condition."""
    return iter(ctx.each("condition-refs", _MASTER, _condition_refs))


def _condition_refs(decl: n.ItemDecl | n.WorkCenterDecl | n.MachineCenterDecl) -> Iterator[Diagnostic]:
    who, _, _ = _described(decl)
    is_item = isinstance(decl, n.ItemDecl)
    seen: set[str | None] = set()
    for stmt in decl.body:
        if not isinstance(stmt, n.ConditionRef):
            continue
        if is_item and stmt.kind not in ("material", "production", "charge"):
            message = (
                f"{who} names condition {stmt.code.text} without its kind"
                if stmt.kind is None
                else "items do not take a capacity condition; work and machine centers do"
            )
            yield Diagnostic.error(
                "misplaced-statement",
                message,
                stmt.span,
                "write `condition material|production|charge CODE`"
                if stmt.kind is None
                else "give the capacity condition to the work or machine center of the routing",
            )
            continue
        if not is_item and stmt.kind not in (None, "capacity"):
            yield Diagnostic.error(
                "misplaced-statement",
                f"work and machine centers take a capacity condition, not a {stmt.kind} condition",
                stmt.span,
                "write `condition CODE` naming a capacity condition",
            )
            continue
        kind = stmt.kind or "capacity"
        if kind in seen:
            yield Diagnostic.error(
                "duplicate-field",
                f"{who} names a {kind} condition twice",
                stmt.span,
                f"keep one `condition {stmt.kind + ' ' if stmt.kind else ''}CODE`",
            )
        seen.add(kind)


def _items(ctx: Context, codes: Collection[str] | None = None) -> Iterator[tuple[Item, Span | None]]:
    """Each item of the model (of ``codes``; None: all) with the place of its code: the ruleset's
    declarations, then the rows of CSV master data (an item declared in both is reported as a duplicate)."""
    items = ctx.model.items
    for decl in ctx.of(n.ItemDecl) if codes is None else ctx.item_declarations(codes):
        item = items.get(decl.code.text)
        if item is not None and item.span == decl.span:
            yield item, decl.code.span
    for item in _csv_items(ctx):
        if codes is None or item.code in codes:
            yield item, item.span


def _csv_items(ctx: Context) -> Iterator[Item]:
    """The items of CSV master data that the model holds (not those the ruleset declares too)."""
    return (item for code, item in ctx.master_data.items.items() if ctx.model.items.get(code) is item)


def _unused(item: Item, what: str, span: Span | None) -> Diagnostic:
    return Diagnostic.warning(
        "unused-bom",
        f"item {item.code} is purchased, so its {what} is not used in costing",
        span,
        f"give the item `replenishment prod-order` or `assembly`, or remove the {what}",
    )


def _duplicate_versions(decl: n.ItemDecl) -> Iterator[Diagnostic]:
    """At most one BOM (routing) per date, and at most one without a date."""
    for block, keyword in ((n.BomBlock, "bom"), (n.RoutingBlock, "routing")):
        seen: dict[object, n.BomBlock | n.RoutingBlock] = {}
        for stmt in decl.body:
            if not isinstance(stmt, block):
                continue
            starting = stmt.starting
            first = seen.setdefault(starting, stmt)
            if first is stmt:
                continue
            when = "without a date" if starting is None else f"from {starting.isoformat()}"
            line = first.span.line if first.span else "?"
            yield Diagnostic.error(
                "duplicate-version",
                f"item {decl.code.text} has a second `{keyword}` {when} (the first is on line {line})",
                stmt.version.span if stmt.version is not None else stmt.span,
                f"give each `{keyword}` version its own date (`{keyword} from YYYY-MM-DD {{ ... }}`), "
                "or merge the two blocks",
            )


def bom_and_routing(ctx: Context) -> Iterator[Diagnostic]:
    """BOM and routing lines give each option once, BOM quantities and scrap make sense, and
    purchased items do not carry an unused BOM or routing."""
    for item in _csv_items(ctx):  # the quantities of CSV BOM lines are checked as their cells are read
        for what, lines in (("BOM", item.all_bom_lines), ("routing", item.all_routing_lines)):
            if lines and item.replenishment == "purchase":
                yield _unused(item, what, lines[0].span)
    # an item's findings read the model's item of its code (purchased?): found again when that changed
    yield from ctx.each(
        "bom-and-routing",
        n.ItemDecl,
        partial(_bom_and_routing, ctx),
        dirty=lambda: ctx.item_declarations(ctx.changes.items if ctx.changes else ()),
    )


def _bom_and_routing(ctx: Context, decl: n.ItemDecl) -> Iterator[Diagnostic]:
    held = ctx.model.items.get(decl.code.text)
    purchased = held if held is not None and held.replenishment == "purchase" and held.span == decl.span else None
    yield from _duplicate_versions(decl)
    for stmt in decl.body:
        if isinstance(stmt, (n.BomBlock, n.RoutingBlock)) and purchased is not None and stmt.entries:
            yield _unused(purchased, "BOM" if isinstance(stmt, n.BomBlock) else "routing", stmt.span)
        if isinstance(stmt, n.RoutingBlock):
            for operation in stmt.entries:
                yield from repeated(operation.options, f"operation {operation.operation.text} of item {decl.code.text}")
        if isinstance(stmt, n.BomBlock):
            for entry in stmt.entries:
                who = f"the BOM line of {entry.component.text} in item {decl.code.text}"
                yield from repeated(entry.options, who)
                written = (("quantity", entry.quantity), ("scrap", entry.scrap.value if entry.scrap else None))
                for name, value in written:
                    problem = None if value is None else values.value_problem(name, values.BOM_LINE[name], value, who)
                    if problem:
                        yield problem.at(entry.span)


def price_lines_present(ctx: Context) -> Iterator[Diagnostic]:
    """A purchased item costed at ``direct-unit-cost`` needs price lines (of its vendor, when it has one).
    Found again for the items that changed and those whose price lines did."""
    return iter(
        ctx.keyed(
            "price-lines-present",
            partial(_price_lines_present, ctx),
            env=ctx.model.setup.cost_base,
            dirty=lambda changes: changes.items | {d.item.text for d in changes.touched(n.PriceDecl)},
        )
    )


def _price_lines_present(ctx: Context, codes: Collection[str] | None) -> dict[str, tuple[Diagnostic, ...]]:
    model = ctx.model
    by_item: dict[str, set[str]] = {}
    for price in model.prices:
        if codes is None or price.item in codes:
            by_item.setdefault(price.item, set()).add(price.vendor)
    found: dict[str, tuple[Diagnostic, ...]] = {}
    for item, where in _items(ctx, codes):
        if item.replenishment != "purchase":
            continue
        if (item.cost_base or model.setup.cost_base) != "direct-unit-cost":
            continue
        vendors = by_item.get(item.code, set())
        if not vendors or (item.vendor is not None and item.vendor not in vendors):
            of = f" of its vendor {item.vendor}" if item.vendor else ""
            found[item.code] = (
                Diagnostic.warning(
                    "no-price-line",
                    f"item {item.code} is costed at its direct unit cost but has no price line{of}",
                    where,
                    f"add `price {item.code} vendor {item.vendor or 'VENDOR'} unit-cost N`, or use "
                    "another cost-base (unit/direct/last falls back to the last direct cost)",
                ),
            )
    return found


def conditions_found(ctx: Context) -> Iterator[Diagnostic]:
    """Every item and center finds the conditions its costing needs (its own or the setup default).
    An item's findings are found again when it changed or the setup's defaults did."""
    setup = ctx.model.setup
    yield from ctx.keyed(
        "conditions-found",
        partial(_item_conditions, ctx),
        env=(setup.default_material, setup.default_production),
        dirty=lambda changes: changes.items,
    )
    yield from _center_conditions(ctx)


def _item_conditions(ctx: Context, codes: Collection[str] | None) -> dict[str, tuple[Diagnostic, ...]]:
    setup = ctx.model.setup
    found: dict[str, tuple[Diagnostic, ...]] = {}
    for item, where in _items(ctx, codes):
        if item.replenishment not in REPLENISHMENTS:
            continue  # reported as an unknown value
        kind = "material" if item.replenishment == "purchase" else "production"
        own = item.material_condition if kind == "material" else item.production_condition
        if (own or getattr(setup, f"default_{kind}")) is None:
            found[item.code] = (_no_condition(f"item {item.code}", kind, where),)
    return found


def _center_conditions(ctx: Context) -> Iterator[Diagnostic]:
    model = ctx.model
    setup = model.setup
    for what, code, names_one, work_center, where in _centers(ctx):
        center = model.work_centers.get(work_center or code)
        if work_center is not None:  # a machine center: its work center's condition is its own too
            if center is None:
                continue  # reported as an unknown work center
            names_one = names_one or center.condition is not None
        subcontracted = center is not None and center.subcontractor is not None
        default = setup.default_subcontract if subcontracted else setup.default_capacity
        if not names_one and default is None:
            yield _no_condition(f"{what} {code}", "subcontract" if subcontracted else "capacity", where)


def _centers(ctx: Context) -> Iterator[tuple[str, str, bool, str | None, Span | None]]:
    """Each work and machine center: what it is, its code, whether it names a condition, its work
    center (a machine center's) and the place of its code; the ruleset's, then those of CSV master
    data that the model holds."""
    centers: list[n.WorkCenterDecl | n.MachineCenterDecl] = [*ctx.of(n.WorkCenterDecl), *ctx.of(n.MachineCenterDecl)]
    for decl in centers:
        own = any(isinstance(s, n.ConditionRef) and s.kind in (None, "capacity") for s in decl.body)
        machine = decl.work_center.text if isinstance(decl, n.MachineCenterDecl) else None
        yield (
            "machine center" if machine is not None else "work center",
            decl.code.text,
            own,
            machine,
            decl.code.span,
        )
    model, csv = ctx.model, ctx.master_data
    for code, center in csv.work_centers.items():
        if model.work_centers.get(code) is center:
            yield "work center", code, center.condition is not None, None, center.span
    for code, machine_center in csv.machine_centers.items():
        if model.machine_centers.get(code) is machine_center:
            yield (
                "machine center",
                code,
                machine_center.condition is not None,
                machine_center.work_center,
                machine_center.span,
            )


def _no_condition(who: str, kind: str, where: Span | None) -> Diagnostic:
    own = "`condition CODE`" if kind in ("capacity", "subcontract") else f"`condition {kind} CODE`"
    # a warning: a ruleset used only to value ledgers needs no conditions; costing the item fails
    return Diagnostic.warning(
        "no-condition",
        f"{who} has no {kind} condition and setup has no `default {kind}`, so it cannot be costed",
        where,
        f"give it {own}, or set `default {kind} CODE` in setup",
    )
