"""Items, work centers and machine centers (LANGUAGE.md section 5): the fields each
takes, each once, with a value of the right kind and range; conditions they can find."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from ..diagnostics import Diagnostic
from ..syntax import nodes as n
from .context import Context, describe_value
from .options import repeated
from .vocabulary import COST_BASES, COSTING_METHODS, REPLENISHMENTS, suggest

__all__ = ["fields", "condition_refs", "bom_and_routing", "price_lines_present", "conditions_found"]


@attrs.frozen
class _Spec:
    """What a field takes: a ``kind`` (word, code, number, percent, rate), the words allowed,
    and the smallest value that makes sense (``above`` excludes it)."""

    kind: str
    words: tuple[str, ...] = ()
    minimum: Decimal | None = Decimal(0)
    above: bool = False


_ITEM = {
    "replenishment": _Spec("word", REPLENISHMENTS), "unit": _Spec("code"), "vendor": _Spec("code"),
    "unit-cost": _Spec("number"), "last-direct-cost": _Spec("number"), "standard-cost": _Spec("number"),
    "indirect-cost": _Spec("percent"), "overhead-rate": _Spec("number"),
    "lot-size": _Spec("number", above=True), "scrap": _Spec("percent"), "rounding": _Spec("code"),
    "cost-base": _Spec("word", COST_BASES), "costing-method": _Spec("word", COSTING_METHODS),
}
_CENTER = {"direct-unit-cost": _Spec("rate"), "indirect-cost": _Spec("percent"), "overhead-rate": _Spec("rate")}
_WORK_CENTER = {**_CENTER, "subcontractor": _Spec("code")}

_EXPECTS = {
    "word": "a word", "code": "a code", "number": "a number", "percent": "a percentage such as 5%",
    "rate": "a rate such as 42.00/h",
}
_ACCEPTS = {
    "word": (n.Word,), "code": (n.Code,), "number": (Decimal,), "percent": (n.Percent, Decimal),
    "rate": (n.RateValue, Decimal),
}


def _declarations(ctx: Context):
    for decl in ctx.declarations:
        if isinstance(decl, n.ItemDecl):
            yield decl, f"item {decl.code.text}", _ITEM, "an item"
        elif isinstance(decl, n.WorkCenterDecl):
            yield decl, f"work center {decl.code.text}", _WORK_CENTER, "a work center"
        elif isinstance(decl, n.MachineCenterDecl):
            yield decl, f"machine center {decl.code.text}", _CENTER, "a machine center"


def _belongs(name: str) -> str:
    places = [what for what, table in (("items", _ITEM), ("work centers", _WORK_CENTER),
                                       ("machine centers", _CENTER)) if name in table]
    return " and ".join(places) or "no declaration"


def _number(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (n.Percent, n.RateValue)):
        return value.value
    return None


def _field(field: n.Field, spec: _Spec, who: str) -> Iterator[Diagnostic]:
    value = field.value
    if not isinstance(value, _ACCEPTS[spec.kind]):
        yield Diagnostic.error(
            "wrong-value-kind", f"{field.name} expects {_EXPECTS[spec.kind]}, found {describe_value(value)}",
            field.span, suggest("", spec.words) if spec.words else f"write {field.name} {_example(spec.kind)}")
        return
    if spec.kind == "word" and value.text not in spec.words:
        yield Diagnostic.error("unknown-value", f"{value.text} is not a value of {field.name}", value.span,
                               suggest(value.text, spec.words))
        return
    number = _number(value)
    if number is None or spec.minimum is None:
        return
    if number < spec.minimum or (spec.above and number == spec.minimum):
        bound = f"greater than {spec.minimum}" if spec.above else f"at least {spec.minimum}"
        yield Diagnostic.error("out-of-range", f"{field.name} of {who} must be {bound}, not {number}", field.span,
                               f"write a {field.name} {bound}")


def _example(kind: str) -> str:
    return {"number": "12.50", "percent": "5%", "rate": "42.00/h", "code": "CODE", "word": "WORD"}[kind]


def fields(ctx: Context) -> Iterator[Diagnostic]:
    """Each field belongs to the declaration, is given once, and has a value of its kind and range."""
    for decl, who, table, a_what in _declarations(ctx):
        seen: dict[str, n.Field] = {}
        for stmt in decl.body:
            if not isinstance(stmt, n.Field):
                continue
            spec = table.get(stmt.name)
            if spec is None:
                yield Diagnostic.error(
                    "misplaced-field", f"`{stmt.name}` is not a field of {a_what}; it belongs to "
                    f"{_belongs(stmt.name)}", stmt.span, f"remove `{stmt.name}` from {who}")
            elif stmt.name in seen:
                yield Diagnostic.error(
                    "duplicate-field", f"{who} gives `{stmt.name}` twice", stmt.span,
                    f"keep one `{stmt.name}`: only the first one would count")
            else:
                seen[stmt.name] = stmt
                yield from _field(stmt, spec, who)


def condition_refs(ctx: Context) -> Iterator[Diagnostic]:
    """Items name material, production and charge conditions with their kind; centers one capacity condition."""
    for decl, who, _, _ in _declarations(ctx):
        is_item = isinstance(decl, n.ItemDecl)
        seen: set[str | None] = set()
        for stmt in decl.body:
            if not isinstance(stmt, n.ConditionRef):
                continue
            if is_item and stmt.kind not in ("material", "production", "charge"):
                message = (f"{who} names condition {stmt.code.text} without its kind" if stmt.kind is None else
                           "items do not take a capacity condition; work and machine centers do")
                yield Diagnostic.error(
                    "misplaced-statement", message, stmt.span,
                    "write `condition material|production|charge CODE`" if stmt.kind is None
                    else "give the capacity condition to the work or machine center of the routing")
                continue
            if not is_item and stmt.kind not in (None, "capacity"):
                yield Diagnostic.error(
                    "misplaced-statement", f"work and machine centers take a capacity condition, not a {stmt.kind} "
                    "condition", stmt.span, "write `condition CODE` naming a capacity condition")
                continue
            kind = stmt.kind or "capacity"
            if kind in seen:
                yield Diagnostic.error("duplicate-field", f"{who} names a {kind} condition twice", stmt.span,
                                       f"keep one `condition {stmt.kind + ' ' if stmt.kind else ''}CODE`")
            seen.add(kind)


def bom_and_routing(ctx: Context) -> Iterator[Diagnostic]:
    """BOM and routing lines give each option once, BOM quantities and scrap make sense, and
    purchased items do not carry an unused BOM or routing."""
    for decl in ctx.of(n.ItemDecl):
        item = ctx.model.items.get(decl.code.text)
        purchased = item is not None and item.replenishment == "purchase" and item.span == decl.span
        for stmt in decl.body:
            if isinstance(stmt, (n.BomBlock, n.RoutingBlock)) and purchased and stmt.entries:
                what = "BOM" if isinstance(stmt, n.BomBlock) else "routing"
                yield Diagnostic.warning(
                    "unused-bom", f"item {decl.code.text} is purchased, so its {what} is not used in costing",
                    stmt.span, f"give the item `replenishment prod-order` or `assembly`, or remove the {what}")
            if isinstance(stmt, n.RoutingBlock):
                for operation in stmt.entries:
                    yield from repeated(operation.options,
                                        f"operation {operation.operation.text} of item {decl.code.text}")
            if isinstance(stmt, n.BomBlock):
                for entry in stmt.entries:
                    yield from repeated(entry.options,
                                        f"the BOM line of {entry.component.text} in item {decl.code.text}")
                    if entry.quantity <= 0:
                        yield Diagnostic.error(
                            "out-of-range", f"the BOM line of {entry.component.text} in item {decl.code.text} has "
                            f"quantity {entry.quantity}; it must be greater than 0", entry.span,
                            "write how many units of the component one unit of the item needs")
                    if entry.scrap is not None and entry.scrap.value < 0:
                        yield Diagnostic.error(
                            "out-of-range", f"scrap {entry.scrap.value}% of component {entry.component.text} is "
                            "negative", entry.span, "write a scrap percentage of 0% or more")


def price_lines_present(ctx: Context) -> Iterator[Diagnostic]:
    """A purchased item costed at ``direct-unit-cost`` needs price lines (of its vendor, when it has one)."""
    model = ctx.model
    by_item: dict[str, set[str]] = {}
    for price in model.prices:
        by_item.setdefault(price.item, set()).add(price.vendor)
    for decl in ctx.of(n.ItemDecl):
        item = model.items.get(decl.code.text)
        if item is None or item.span != decl.span or item.replenishment != "purchase":
            continue
        if (item.cost_base or model.setup.cost_base) != "direct-unit-cost":
            continue
        vendors = by_item.get(item.code, set())
        if not vendors or (item.vendor is not None and item.vendor not in vendors):
            of = f" of its vendor {item.vendor}" if item.vendor else ""
            yield Diagnostic.warning(
                "no-price-line", f"item {item.code} is costed at its direct unit cost but has no price line{of}",
                decl.code.span, f"add `price {item.code} vendor {item.vendor or 'VENDOR'} unit-cost N`, or use "
                "another cost-base (unit/direct/last falls back to the last direct cost)")


def conditions_found(ctx: Context) -> Iterator[Diagnostic]:
    """Every item and center finds the conditions its costing needs (its own or the setup default)."""
    model = ctx.model
    setup = model.setup
    for decl in ctx.of(n.ItemDecl):
        item = model.items.get(decl.code.text)
        if item is None or item.span != decl.span:
            continue
        if item.replenishment not in REPLENISHMENTS:
            continue  # reported as an unknown value
        kind = "material" if item.replenishment == "purchase" else "production"
        own = item.material_condition if kind == "material" else item.production_condition
        if (own or getattr(setup, f"default_{kind}")) is None:
            yield _no_condition(f"item {item.code}", kind, decl.code)
    for decl in ctx.declarations:
        if not isinstance(decl, (n.WorkCenterDecl, n.MachineCenterDecl)):
            continue
        own = any(isinstance(s, n.ConditionRef) and s.kind in (None, "capacity") for s in decl.body)
        center = model.work_centers.get(decl.code.text) if isinstance(decl, n.WorkCenterDecl) else None
        if isinstance(decl, n.MachineCenterDecl):
            center = model.work_centers.get(decl.work_center.text)
            if center is None:
                continue  # reported as an unknown work center
            own = own or center.condition is not None
        subcontracted = center is not None and center.subcontractor is not None
        default = setup.default_subcontract if subcontracted else setup.default_capacity
        if not own and default is None:
            yield _no_condition(f"{'work' if isinstance(decl, n.WorkCenterDecl) else 'machine'} center "
                                f"{decl.code.text}", "subcontract" if subcontracted else "capacity", decl.code)


def _no_condition(who: str, kind: str, code: n.Code) -> Diagnostic:
    own = "`condition CODE`" if kind in ("capacity", "subcontract") else f"`condition {kind} CODE`"
    # a warning: a ruleset used only to value ledgers needs no conditions; costing the item fails
    return Diagnostic.warning("no-condition", f"{who} has no {kind} condition and setup has no `default {kind}`, "
                              "so it cannot be costed", code.span, f"give it {own}, or set `default {kind} CODE` in setup")
