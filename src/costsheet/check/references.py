"""Every code that names something must name something declared (docs/language.md, "A ruleset":
references resolve across the whole ruleset, includes and CSV master data too).

An unknown code gets a did-you-mean (:func:`.nearest.nearest`) that prefers what
the place takes: an element of a cost group the condition accepts there, a
condition of the kind needed, a purchased item on a price line, an item other
than the BOM's own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from functools import partial

import attrs

from ..diagnostics import Diagnostic
from ..model import ChartLineKind, ConditionKind, CostGroup
from ..syntax import nodes as n
from .context import Context
from .nearest import nearest
from .vocabulary import ACCEPTED_GROUPS

__all__ = [
    "Reference",
    "unknown_reference",
    "references",
    "master_data_references",
    "condition_reference",
    "element_reference",
]

#: what one is called -> (diagnostic code, how to declare one)
_KINDS = {
    "item": ("unknown-item", 'declare it with `item CODE "..." { ... }` or load the CSV master data that holds it'),
    "vendor": ("unknown-vendor", 'declare it with `vendor CODE "Name"`'),
    "rounding method": ("unknown-rounding", "declare it with `rounding CODE nearest|up|down PRECISION`"),
    "work center": ("unknown-work-center", 'declare it with `workcenter CODE "..." { ... }`'),
    "work or machine center": (
        "unknown-resource",
        "declare it with `workcenter CODE ...` or `machinecenter CODE ... in WC ...`",
    ),
    "condition": ("unknown-condition", 'declare it with `condition KIND CODE "..." { ... }`'),
    "cost element": ("unknown-element", 'add it to the chart: `CODE element "Description" COST-GROUP`'),
}


@attrs.frozen
class Reference:
    """A code that names something, read from somewhere else than a ruleset's text (a CSV cell):
    ``what`` it names (a key of the table above, or ``condition`` with its ``kind``) and the
    ``role`` it plays there (``item K's vendor``), for the message."""

    what: str
    code: n.Code
    role: str
    kind: str | None = None


Fit = Callable[[str], int]


def unknown_reference(what: str, code: n.Code, known: Iterable[str], role: str) -> Diagnostic:
    """``role`` (``scenario S``) names a ``what`` (a key of the table above) that is not declared."""
    return _unknown(what, code, known, role)


def _unknown(what: str, code: n.Code, known: Iterable[str], role: str, fit: Fit | None = None) -> Diagnostic:
    diagnostic_code, declare = _KINDS[what]
    close = nearest(code.text, known, fit)
    hint = f"did you mean {close}? otherwise {declare}" if close else declare
    return Diagnostic.error(diagnostic_code, f"{role} names {what} {code.text}, which is not declared", code.span, hint)


def _resolve(what: str, code: n.Code, known, role: str, fit: Fit | None = None) -> Iterator[Diagnostic]:
    if code.text not in known:
        yield _unknown(what, code, known, role, fit)


def condition_reference(ctx: Context, code: n.Code, kind: str, role: str) -> Iterator[Diagnostic]:
    """``code`` must name a condition of ``kind``."""
    conditions = ctx.model.conditions
    condition = conditions.get(code.text)
    if condition is None:
        yield _unknown("condition", code, conditions, role, lambda c: conditions[c].kind.value != kind)
    elif condition.kind is not ConditionKind(kind):
        yield Diagnostic.error(
            "condition-kind-mismatch",
            f"{role} needs a {kind} condition, but {code.text} is a {condition.kind.value} condition",
            code.span,
            f"name a condition declared as `condition {kind} CODE`",
        )


def element_reference(
    ctx: Context, code: n.Code, role: str, *, totals: bool = False, groups: Collection[CostGroup] | None = None
) -> Iterator[Diagnostic]:
    """``code`` must name a chart line of kind ``element`` (or, with ``totals``, any line with a value).

    ``groups`` are the cost groups the place accepts: a did-you-mean prefers their elements."""
    line = ctx.chart.get(code.text)
    allowed = {ChartLineKind.ELEMENT}
    if totals:
        allowed |= {ChartLineKind.TOTAL, ChartLineKind.END_TOTAL}
    if line is None:

        def fit(candidate: str) -> int:
            other = ctx.chart[candidate]
            if other.kind not in allowed:
                return 2
            return 1 if groups is not None and other.cost_group not in groups else 0

        yield _unknown("cost element", code, ctx.chart, role, fit)
        return
    if line.kind not in allowed:
        what = "an element, a total or an end-total" if totals else "an `element` line"
        yield Diagnostic.error(
            "not-an-element",
            f"{role} names {code.text}, a {line.kind.value} line of the chart, which carries no amount here",
            code.span,
            f"name {what} of the chart",
        )


def _item(ctx: Context, decl: n.ItemDecl) -> Iterator[Diagnostic]:
    model = ctx.model
    who = f"item {decl.code.text}"
    for stmt in decl.body:
        if isinstance(stmt, n.Field) and isinstance(stmt.value, n.Code):
            if stmt.name == "vendor":
                yield from _resolve("vendor", stmt.value, model.vendors, f"{who}'s vendor")
            elif stmt.name == "rounding":
                yield from _resolve("rounding method", stmt.value, model.roundings, f"{who}'s rounding")
        elif isinstance(stmt, n.ConditionRef) and stmt.kind in ("material", "production", "charge"):
            yield from condition_reference(ctx, stmt.code, stmt.kind, f"{who}'s {stmt.kind} condition")
        elif isinstance(stmt, n.BomBlock):
            for line in stmt.entries:  # an item cannot contain itself
                yield from _resolve(
                    "item", line.component, model.items, f"the BOM of {who}", lambda c: c == decl.code.text
                )
        elif isinstance(stmt, (n.ByProductLine, n.CoProductLine)):
            kind = "by-product" if isinstance(stmt, n.ByProductLine) else "co-product"
            yield from _resolve("item", stmt.item, model.items, f"a {kind} of {who}", lambda c: c == decl.code.text)
        elif isinstance(stmt, n.RoutingBlock):
            resources = {**model.work_centers, **model.machine_centers}
            for step in stmt.entries:
                yield from _resolve(
                    "work or machine center", step.resource, resources, f"operation {step.operation.text} of {who}"
                )


def _center(ctx: Context, decl: n.WorkCenterDecl | n.MachineCenterDecl) -> Iterator[Diagnostic]:
    who = f"{'work' if isinstance(decl, n.WorkCenterDecl) else 'machine'} center {decl.code.text}"
    if isinstance(decl, n.MachineCenterDecl):
        yield from _resolve("work center", decl.work_center, ctx.model.work_centers, who)
    for stmt in decl.body:
        if isinstance(stmt, n.Field) and stmt.name == "subcontractor" and isinstance(stmt.value, n.Code):
            yield from _resolve("vendor", stmt.value, ctx.model.vendors, f"{who}'s subcontractor")
        elif isinstance(stmt, n.ConditionRef) and stmt.kind in (None, "capacity"):
            yield from condition_reference(ctx, stmt.code, "capacity", f"{who}'s condition")


def _setup(ctx: Context, decl: n.SetupBlock) -> Iterator[Diagnostic]:
    for setting in decl.settings:
        if setting.key.startswith("default ") and isinstance(setting.value, n.Code):
            kind = setting.key.split()[1]
            yield from condition_reference(
                ctx, setting.value, "capacity" if kind == "subcontract" else kind, f"setup `{setting.key}`"
            )
        elif setting.key == "assembly" and isinstance(setting.value, n.AssemblyElements):
            groups = ACCEPTED_GROUPS[ConditionKind.PRODUCTION]  # assembly elements play its header roles
            yield from element_reference(ctx, setting.value.direct, "setup `assembly direct`", groups=groups["direct"])
            yield from element_reference(
                ctx, setting.value.overhead, "setup `assembly overhead`", groups=groups["overhead"]
            )


def _condition(ctx: Context, decl: n.ConditionDecl) -> Iterator[Diagnostic]:
    who = f"condition {decl.code.text}"
    groups = ACCEPTED_GROUPS[ConditionKind(decl.kind)]
    for stmt in decl.body:
        if isinstance(stmt, n.Header):
            yield from element_reference(ctx, stmt.element, f"the `{stmt.role}` of {who}", groups=groups.get(stmt.role))
        elif isinstance(stmt, n.Line):
            line = f'line "{stmt.description}" of {who}'
            if stmt.element is not None:
                yield from element_reference(ctx, stmt.element, line, groups=groups["line"])
            value = stmt.value
            if value is not None and value.kind == "element" and isinstance(value.value, n.Code):
                yield from element_reference(ctx, value.value, f"the value of {line}", totals=True)
            for flag in stmt.flags:
                if flag.name == "round" and isinstance(flag.argument, n.Code):
                    yield from _resolve("rounding method", flag.argument, ctx.model.roundings, line)


def _price(ctx: Context, decl: n.PriceDecl | n.DiscountDecl) -> Iterator[Diagnostic]:
    what = "price" if isinstance(decl, n.PriceDecl) else "discount"
    items = ctx.model.items  # vendors' prices are for purchased items
    yield from _resolve("item", decl.item, items, f"a {what} line", lambda c: items[c].replenishment != "purchase")
    yield from _resolve("vendor", decl.vendor, ctx.model.vendors, f"a {what} line")


#: the declarations that name codes
_NAMING = (
    n.ItemDecl,
    n.WorkCenterDecl,
    n.MachineCenterDecl,
    n.SetupBlock,
    n.ConditionDecl,
    n.PriceDecl,
    n.DiscountDecl,
    n.LedgerDecl,
    n.StandardCostDecl,
    n.PriceRecordDecl,
)


def references(ctx: Context) -> Iterator[Diagnostic]:
    """Found again for a declaration when it is new, or when what the codes name changed (:func:`names`)."""
    return iter(ctx.each("references", _NAMING, partial(_references, ctx), env=names(ctx)))


def names(ctx: Context) -> tuple[tuple[object, ...], ...]:
    """What a reference's findings read besides its declaration: the codes of each kind, in order, with
    a condition's kind, whether an item is purchased and a chart line's kind and cost group (the
    did-you-mean's preferences)."""
    model = ctx.model
    return (
        tuple(model.vendors),
        tuple(model.roundings),
        tuple((code, condition.kind) for code, condition in model.conditions.items()),
        tuple((code, item.replenishment == "purchase") for code, item in model.items.items()),
        tuple(model.work_centers),
        tuple(model.machine_centers),
        tuple((code, line.kind, line.cost_group) for code, line in ctx.chart.items()),
    )


def _references(ctx: Context, decl: n.Declaration) -> Iterator[Diagnostic]:
    match decl:
        case n.ItemDecl():
            yield from _item(ctx, decl)
        case n.WorkCenterDecl() | n.MachineCenterDecl():
            yield from _center(ctx, decl)
        case n.SetupBlock():
            yield from _setup(ctx, decl)
        case n.ConditionDecl():
            yield from _condition(ctx, decl)
        case n.PriceDecl() | n.DiscountDecl():
            yield from _price(ctx, decl)
        case n.LedgerDecl():
            yield from _resolve("item", decl.item, ctx.model.items, "a ledger")
            resources = {**ctx.model.work_centers, **ctx.model.machine_centers}
            for line in decl.lines:
                if isinstance(line, n.CapacityLine):
                    yield from _resolve(
                        "work or machine center", line.resource, resources, f"a capacity line of {decl.item.text}"
                    )
        case n.StandardCostDecl():
            yield from _resolve("item", decl.item, ctx.model.items, "a standard cost")
        case n.PriceRecordDecl():
            yield from _resolve("item", decl.item, ctx.model.items, f"a {decl.kind}")


def master_data_references(ctx: Context) -> Iterator[Diagnostic]:
    """The codes CSV master data names resolve like the ruleset's own, at the cell that names them."""
    model = ctx.model
    known = {
        "item": model.items,
        "vendor": model.vendors,
        "rounding method": model.roundings,
        "work center": model.work_centers,
        "work or machine center": {**model.work_centers, **model.machine_centers},
    }
    for ref in ctx.master_references:
        if ref.what in ("unit", "currency"):
            continue  # a unit of an item (.units), a vendor's currency (.currencies)
        if ref.what == "condition":
            yield from condition_reference(ctx, ref.code, ref.kind or "", ref.role)
        else:
            yield from _resolve(ref.what, ref.code, known[ref.what], ref.role)
