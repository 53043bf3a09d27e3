"""Every code that names something must name something declared (LANGUAGE.md section 2:
references resolve across the whole ruleset, includes and CSV master data too)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

import attrs

from ..diagnostics import Diagnostic
from ..model import ChartLineKind, ConditionKind
from ..syntax import nodes as n
from .context import Context

__all__ = ["Reference", "references", "master_data_references", "condition_reference", "element_reference"]

#: what one is called -> (diagnostic code, how to declare one)
_KINDS = {
    "item": ("unknown-item", "declare it with `item CODE \"...\" { ... }` or load the CSV master data that holds it"),
    "vendor": ("unknown-vendor", "declare it with `vendor CODE \"Name\"`"),
    "rounding method": ("unknown-rounding", "declare it with `rounding CODE nearest|up|down PRECISION`"),
    "work center": ("unknown-work-center", "declare it with `workcenter CODE \"...\" { ... }`"),
    "work or machine center": ("unknown-resource",
                               "declare it with `workcenter CODE ...` or `machinecenter CODE ... in WC ...`"),
    "condition": ("unknown-condition", "declare it with `condition KIND CODE \"...\" { ... }`"),
    "cost element": ("unknown-element", "add it to the chart: `CODE element \"Description\" COST-GROUP`"),
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


def _unknown(what: str, code: n.Code, known: Iterable[str], role: str) -> Diagnostic:
    diagnostic_code, declare = _KINDS[what]
    close = difflib.get_close_matches(code.text, list(known), n=1, cutoff=0.7)
    hint = f"did you mean {close[0]}? otherwise {declare}" if close else declare
    return Diagnostic.error(diagnostic_code, f"{role} names {what} {code.text}, which is not declared", code.span,
                            hint)


def _resolve(what: str, code: n.Code, known, role: str) -> Iterator[Diagnostic]:
    if code.text not in known:
        yield _unknown(what, code, known, role)


def condition_reference(ctx: Context, code: n.Code, kind: str, role: str) -> Iterator[Diagnostic]:
    """``code`` must name a condition of ``kind``."""
    condition = ctx.model.conditions.get(code.text)
    if condition is None:
        yield _unknown("condition", code, [c for c, v in ctx.model.conditions.items() if v.kind.value == kind], role)
    elif condition.kind is not ConditionKind(kind):
        yield Diagnostic.error(
            "condition-kind-mismatch",
            f"{role} needs a {kind} condition, but {code.text} is a {condition.kind.value} condition", code.span,
            f"name a condition declared as `condition {kind} CODE`")


def element_reference(ctx: Context, code: n.Code, role: str, *, totals: bool = False) -> Iterator[Diagnostic]:
    """``code`` must name a chart line of kind ``element`` (or, with ``totals``, any line with a value)."""
    line = ctx.chart.get(code.text)
    if line is None:
        yield _unknown("cost element", code, ctx.chart, role)
        return
    allowed = {ChartLineKind.ELEMENT}
    if totals:
        allowed |= {ChartLineKind.TOTAL, ChartLineKind.END_TOTAL}
    if line.kind not in allowed:
        what = "an element, a total or an end-total" if totals else "an `element` line"
        yield Diagnostic.error(
            "not-an-element", f"{role} names {code.text}, a {line.kind.value} line of the chart, which carries no "
            f"amount here", code.span, f"name {what} of the chart")


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
            for entry in stmt.entries:
                yield from _resolve("item", entry.component, model.items, f"the BOM of {who}")
        elif isinstance(stmt, n.RoutingBlock):
            resources = {**model.work_centers, **model.machine_centers}
            for entry in stmt.entries:
                yield from _resolve("work or machine center", entry.resource, resources,
                                    f"operation {entry.operation.text} of {who}")


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
            yield from condition_reference(ctx, setting.value, "capacity" if kind == "subcontract" else kind,
                                           f"setup `{setting.key}`")
        elif setting.key == "assembly" and isinstance(setting.value, n.AssemblyElements):
            yield from element_reference(ctx, setting.value.direct, "setup `assembly direct`")
            yield from element_reference(ctx, setting.value.overhead, "setup `assembly overhead`")


def _condition(ctx: Context, decl: n.ConditionDecl) -> Iterator[Diagnostic]:
    who = f"condition {decl.code.text}"
    for stmt in decl.body:
        if isinstance(stmt, n.Header):
            yield from element_reference(ctx, stmt.element, f"the `{stmt.role}` of {who}")
        elif isinstance(stmt, n.Line):
            line = f"line \"{stmt.description}\" of {who}"
            if stmt.element is not None:
                yield from element_reference(ctx, stmt.element, line)
            value = stmt.value
            if value is not None and value.kind == "element" and isinstance(value.value, n.Code):
                yield from element_reference(ctx, value.value, f"the value of {line}", totals=True)
            for flag in stmt.flags:
                if flag.name == "round" and isinstance(flag.argument, n.Code):
                    yield from _resolve("rounding method", flag.argument, ctx.model.roundings, line)


def _price(ctx: Context, decl: n.PriceDecl | n.DiscountDecl) -> Iterator[Diagnostic]:
    what = "price" if isinstance(decl, n.PriceDecl) else "discount"
    yield from _resolve("item", decl.item, ctx.model.items, f"a {what} line")
    yield from _resolve("vendor", decl.vendor, ctx.model.vendors, f"a {what} line")


def references(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.declarations:
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


def master_data_references(ctx: Context) -> Iterator[Diagnostic]:
    """The codes CSV master data names resolve like the ruleset's own, at the cell that names them."""
    model = ctx.model
    known = {"item": model.items, "vendor": model.vendors, "rounding method": model.roundings,
             "work or machine center": {**model.work_centers, **model.machine_centers}}
    for ref in ctx.master_references:
        if ref.what == "condition":
            yield from condition_reference(ctx, ref.code, ref.kind or "", ref.role)
        else:
            yield from _resolve(ref.what, ref.code, known[ref.what], ref.role)
