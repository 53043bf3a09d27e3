"""Syntax trees → the semantic model (:mod:`costsheet.model`).

:func:`build_model` reads the parsed files of one ruleset and fills in every
default the language defines.  It is tolerant: a value of the wrong kind or a
duplicate is skipped here, because the checker (:mod:`costsheet.check`)
reports it with a diagnostic; the model is only used once the checker found
no errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any, Protocol, TypeVar

import attrs

from . import model as m
from .diagnostics import Diagnostic
from .nodememo import NodeMemo, memoized
from .numbers import CONTEXT, ZERO
from .syntax import nodes as n
from .vocabulary import YesNo, words

__all__ = ["build_model", "merge_master_data", "chart_lines", "SETTING_FIELDS"]

#: setup setting key -> model.Setup field
SETTING_FIELDS = {
    "cost-base": "cost_base",
    "copy-standard-cost": "copy_standard_cost",
    "explode-bom": "explode_bom",
    "decimals amounts": "amount_decimals",
    "decimals quantities": "quantity_decimals",
    "default material": "default_material",
    "default production": "default_production",
    "default capacity": "default_capacity",
    "default subcontract": "default_subcontract",
    "average-cost-period": "average_cost_period",
    "average-cost-calc": "average_cost_calc",
    "amount-precision": "amount_precision",
    "include-physical-value": "include_physical_value",
    "currency": "currency",
}

#: setup settings whose value is yes or no -> the model.Setup field holds a bool
_YES_NO = frozenset({"include_physical_value"})


def build_model(rulesets: Iterable[n.SourceFile], *, memo: NodeMemo | None = None) -> m.Model:
    """The model of the declarations of all files of a ruleset (first declaration of a code wins).

    With ``memo``, an item, condition or center built from the same declaration object in the
    previous load is taken over (:mod:`costsheet.nodememo`)."""
    declarations = [d for ruleset in rulesets for d in ruleset.declarations]
    of = _ByType(declarations)
    return m.Model(
        setup=m.Setup(**_setup_values(of(n.SetupBlock))),
        chart=m.Chart(chart_lines([e for d in of(n.ChartBlock) for e in d.entries])),
        roundings=m.frozen_map(_first_of_each_code(of(n.RoundingDecl), n.RoundingDecl, _rounding)),
        conditions=m.frozen_map(
            _first_of_each_code(of(n.ConditionDecl), n.ConditionDecl, _remembered(memo, _condition))
        ),
        items=m.frozen_map(_first_of_each_code(of(n.ItemDecl), n.ItemDecl, _remembered(memo, _item))),
        work_centers=m.frozen_map(
            _first_of_each_code(of(n.WorkCenterDecl), n.WorkCenterDecl, _remembered(memo, _work_center))
        ),
        machine_centers=m.frozen_map(
            _first_of_each_code(of(n.MachineCenterDecl), n.MachineCenterDecl, _remembered(memo, _machine_center))
        ),
        vendors=m.frozen_map(_first_of_each_code(of(n.VendorDecl), n.VendorDecl, _vendor)),
        prices=tuple(_lines(of(n.PriceDecl), n.PriceDecl, _remembered(memo, _price))),
        discounts=tuple(_lines(of(n.DiscountDecl), n.DiscountDecl, _remembered(memo, _discount))),
        exchange_rates=tuple(_exchange_rates(of(n.ExchangeRateDecl))),
        ledgers=m.frozen_map(_ledgers(of(n.LedgerDecl))),
        accounting_periods=tuple(sorted(set(_accounting_periods(of(n.AccountingPeriods))))),
        standard_costs=tuple(_standard_costs(of(n.StandardCostDecl))),
        price_records=tuple(_price_records(of(n.PriceRecordDecl))),
    )


class _ByType:
    """``of(kind)``: the declarations of one type, in file order (sorted into types once)."""

    def __init__(self, declarations: Iterable[n.Declaration]):
        self._grouped: dict[type, list[Any]] = {}
        for decl in declarations:
            self._grouped.setdefault(type(decl), []).append(decl)

    def __call__(self, kind: type[_Node]) -> list[_Node]:
        return self._grouped.get(kind, [])


_Node = TypeVar("_Node")
_Record = TypeVar("_Record")


def _remembered(memo: NodeMemo | None, build: Callable[[_Node], _Record]) -> Callable[[_Node], _Record]:
    """``build`` through ``memo``: a record built from the same declaration object in the
    previous load is taken over."""
    return lambda decl: memoized(memo, "model", decl, partial(build, decl))


class _Coded(Protocol):
    """A declaration of a code: a rounding method, a condition, an item, a center or a vendor."""

    @property
    def code(self) -> n.Code: ...


_Decl = TypeVar("_Decl", bound=_Coded)
_Built = TypeVar("_Built")


def _first_of_each_code(
    declarations: Iterable[n.Declaration], kind: type[_Decl], build: Callable[[_Decl], _Built]
) -> dict[str, _Built]:
    """The model record of the first declaration of each code of one kind (the checker reports
    the others)."""
    built: dict[str, _Built] = {}
    for decl in declarations:
        if isinstance(decl, kind) and decl.code.text not in built:
            built[decl.code.text] = build(decl)
    return built


def _setup_values(declarations: Iterable[n.Declaration]) -> dict[str, Any]:
    """The keyword arguments of the model's Setup: the first value of each setting."""
    values: dict[str, Any] = {}
    for decl in declarations:
        if isinstance(decl, n.SetupBlock):
            for setting in decl.settings:
                for field, value in _setting(setting):
                    values.setdefault(field, value)
    return values


def _rounding(decl: n.RoundingDecl) -> m.RoundingMethod:
    return m.RoundingMethod(decl.code.text, decl.direction, decl.precision, decl.min_amount, span=decl.span)


def _vendor(decl: n.VendorDecl) -> m.Vendor:
    currency = decl.currency
    return m.Vendor(decl.code.text, decl.name or "", span=decl.span, currency=currency.text if currency else None)


def _lines(
    declarations: Iterable[n.Declaration], kind: type[_Node], build: Callable[[_Node], _Record | None]
) -> Iterator[_Record]:
    """The model line of each declaration of ``kind`` that makes one."""
    for decl in declarations:
        if isinstance(decl, kind):
            line = build(decl)
            if line is not None:
                yield line


def _price(decl: n.PriceDecl) -> m.PriceLine | None:
    if not isinstance(decl.unit_cost, Decimal):  # none: a missing-field error
        return None
    return m.PriceLine(
        decl.item.text,
        decl.vendor.text,
        decl.unit_cost,
        _date(decl.starting),
        _date(decl.ending),
        decl.min_qty or ZERO,
        span=decl.span,
        per=decl.per.text if decl.per else None,
    )


def _discount(decl: n.DiscountDecl) -> m.DiscountLine | None:
    percent = decl.percent
    if not isinstance(percent, n.Percent):
        return None
    return m.DiscountLine(
        decl.item.text,
        decl.vendor.text,
        percent.value,
        _date(decl.starting),
        _date(decl.ending),
        decl.min_qty or ZERO,
        span=decl.span,
        per=decl.per.text if decl.per else None,
    )


def _exchange_rates(declarations: Iterable[n.Declaration]) -> Iterator[m.ExchangeRate]:
    for decl in declarations:
        match decl:
            case n.ExchangeRateDecl(starting=dt.date() as starting):  # else invalid-date, reported by the checker
                yield m.ExchangeRate(decl.currency.text, starting, decl.rate, span=decl.span)


def _ledgers(declarations: Iterable[n.Declaration]) -> dict[str, m.Ledger]:
    ledgers: dict[str, m.Ledger] = {}
    for decl in declarations:
        if isinstance(decl, n.LedgerDecl):
            ledger = _ledger(decl)
            if decl.item.text in ledgers:  # two ledger blocks of one item: one ledger, in order
                ledger = _concat_ledgers(ledgers[decl.item.text], ledger)
            ledgers[decl.item.text] = ledger
    return ledgers


def _accounting_periods(declarations: Iterable[n.Declaration]) -> Iterator[dt.date]:
    for decl in declarations:
        if isinstance(decl, n.AccountingPeriods):
            yield from (d for d in decl.dates if isinstance(d, dt.date))


def _standard_costs(declarations: Iterable[n.Declaration]) -> Iterator[m.StandardCostLine]:
    for decl in declarations:
        match decl:
            case n.StandardCostDecl(starting=dt.date() as starting):  # else invalid-date, reported by the checker
                yield m.StandardCostLine(decl.item.text, starting, decl.amount, _shares(decl.shares), span=decl.span)


def _price_records(declarations: Iterable[n.Declaration]) -> Iterator[m.PriceRecordLine]:
    for decl in declarations:
        match decl:
            case n.PriceRecordDecl(starting=dt.date() as starting):  # else invalid-date, reported by the checker
                sales = decl.sales_type
                yield m.PriceRecordLine(
                    decl.kind,
                    decl.item.text,
                    starting,
                    decl.amount,
                    sales.kind if sales is not None else "all-customers",
                    sales.code.text if sales is not None and sales.code is not None else None,
                    span=decl.span,
                )


_Declared = m.Item | m.WorkCenter | m.MachineCenter | m.Vendor | m.Ledger


def merge_master_data(model: m.Model, extra: m.Model) -> tuple[m.Model, tuple[Diagnostic, ...]]:
    """``model`` with the master data of ``extra`` (e.g. read from CSV files) added.

    A code declared in both is an error at the CSV row; the ruleset's declaration wins."""
    diagnostics = []
    # one set of codes for work and machine centers
    centers: dict[str, m.WorkCenter | m.MachineCenter] = {**model.work_centers, **model.machine_centers}
    declared: tuple[tuple[str, Mapping[str, _Declared], Mapping[str, _Declared]], ...] = (
        ("item", model.items, extra.items),
        ("work center", centers, extra.work_centers),
        ("machine center", centers, extra.machine_centers),
        ("vendor", model.vendors, extra.vendors),
        ("ledger", model.ledgers, extra.ledgers),
    )
    for kind, mine, theirs in declared:
        for code in theirs.keys() & mine.keys():
            where = mine[code].span
            at = f" (declared at {where.file}:{where.line})" if where else ""
            diagnostics.append(
                Diagnostic.error(
                    "duplicate-code",
                    f"{kind} {code} is in the master data files and in the ruleset{at}",
                    theirs[code].span,
                    f"keep {kind} {code} in one place: remove it from the CSV file or from the ruleset",
                )
            )

    def merged(mine, theirs):
        return m.frozen_map({**theirs, **mine})

    return attrs.evolve(
        model,
        items=merged(model.items, extra.items),
        work_centers=merged(model.work_centers, extra.work_centers),
        machine_centers=merged(model.machine_centers, extra.machine_centers),
        vendors=merged(model.vendors, extra.vendors),
        prices=model.prices + extra.prices,
        discounts=model.discounts + extra.discounts,
        ledgers=merged(model.ledgers, extra.ledgers),
        standard_costs=model.standard_costs + extra.standard_costs,
        price_records=model.price_records + extra.price_records,
        exchange_rates=model.exchange_rates + extra.exchange_rates,
    ), tuple(diagnostics)


# ---------------------------------------------------------------- setup


def _setting(setting: n.Setting) -> list[tuple[str, object]]:
    """The model.Setup fields a setting fills (none when its value is of the wrong kind)."""
    value = setting.value
    if setting.key == "assembly" and isinstance(value, n.AssemblyElements):
        return [("assembly_direct", value.direct.text), ("assembly_overhead", value.overhead.text)]
    field = SETTING_FIELDS.get(setting.key)
    if field is None:
        return []
    if field.endswith("_decimals"):
        if not isinstance(value, n.DecimalsRange) or _whole(value.low) is None or _whole(value.high) is None:
            return []
        return [(field, (value.low, value.high))]
    if field == "amount_precision":
        return [(field, value)] if isinstance(value, Decimal) and value > 0 else []
    if field in _YES_NO:
        known = isinstance(value, n.Word) and value.text in words(YesNo)
        return [(field, value.text == YesNo.YES)] if isinstance(value, n.Word) and known else []
    return [(field, value.text)] if isinstance(value, (n.Code, n.Word)) else []


# ---------------------------------------------------------------- chart


def chart_lines(entries: Iterable[n.ChartEntry]) -> tuple[m.ChartLine, ...]:
    """Chart lines with indentation, and end-totals' totaling filled in as BEGIN..END
    (the seed's "Indent Element Chart"); an unbalanced end-total totals nothing."""
    lines: list[m.ChartLine] = []
    open_totals: list[str] = []
    for entry in entries:
        kind = m.ChartLineKind(entry.kind)
        indent = len(open_totals)
        totaling: tuple[m.CodeRange, ...] = ()
        if kind is m.ChartLineKind.END_TOTAL:
            if open_totals:
                totaling = (m.CodeRange(open_totals.pop(), entry.code.text),)
            indent = len(open_totals)
        elif kind is m.ChartLineKind.TOTAL and entry.totaling:
            totaling = tuple(m.CodeRange(p.low.text, (p.high or p.low).text) for p in entry.totaling)
        written = entry.cost_group.text if entry.cost_group is not None else None
        group = _enum(m.CostGroup, written) if kind is m.ChartLineKind.ELEMENT else None
        lines.append(m.ChartLine(entry.code.text, kind, entry.description, group, totaling, indent, span=entry.span))
        if kind is m.ChartLineKind.BEGIN_TOTAL:
            open_totals.append(entry.code.text)
    return tuple(lines)


# ---------------------------------------------------------------- conditions


def _condition(decl: n.ConditionDecl) -> m.Condition:
    values: dict[str, Any] = {}  # keyword arguments of the model class, each of its field's type
    lines: list[m.ConditionLine] = []
    for stmt in decl.body:
        match stmt:
            case n.Header():
                values.setdefault(stmt.role, stmt.element.text)
            case n.CopyPrice():
                values.setdefault("copy_price", stmt.value)
            case n.SalesTypeStmt():
                values.setdefault("sales_type", m.SalesType(stmt.kind, stmt.code.text if stmt.code else None))
            case n.Line():
                lines.append(_condition_line(stmt, len(lines) + 1))
    return m.Condition(
        m.ConditionKind(decl.kind), decl.code.text, decl.description or "", lines=tuple(lines), span=decl.span, **values
    )


def _condition_line(line: n.Line, position: int) -> m.ConditionLine:
    values: dict[str, Any] = {}  # keyword arguments of the model class, each of its field's type
    if line.value is not None:
        values["value_kind"] = m.ValueKind(line.value.kind)
        raw = line.value.value
        values["value"] = raw.text if isinstance(raw, n.Code) else raw
        if line.value.kind == "formula" and line.value.span is not None:
            span = line.value.span  # the string literal; the formula starts after the quote
            values["formula_span"] = attrs.evolve(span, column=span.column + 1, end_column=span.end_column - 1)
            values["formula"] = line.value.formula
    for flag in line.flags:
        match flag.name:
            case "setup-only":
                values["setup_only"] = True
            case "allocation" if isinstance(flag.argument, n.Percent):
                values.setdefault("allocation", flag.argument.value)
            case "round":
                values["round"] = True
                if isinstance(flag.argument, n.Code):
                    values.setdefault("round_method", flag.argument.text)
            case "list-price":
                values["list_price"] = True
            case "bold":
                values["bold"] = True
    return m.ConditionLine(
        position,
        line.description,
        line.element.text if line.element else None,
        line.row.text if line.row else None,
        span=line.span,
        **values,
    )


# ---------------------------------------------------------------- master data


def _fields(body) -> dict[str, object]:
    """First value of each field name (the checker reports repeats)."""
    fields: dict[str, object] = {}
    for stmt in body:
        if isinstance(stmt, n.Field):
            fields.setdefault(stmt.name, stmt.value)
    return fields


def _item(decl: n.ItemDecl) -> m.Item:
    f = _fields(decl.body)
    conditions: dict[str, Any] = {}  # keyword arguments of the model class, each of its field's type
    units: dict[str, Decimal] = {}
    boms: list[m.BomVersion] = []
    routings: list[m.RoutingVersion] = []
    byproducts: list[m.ByProduct] = []
    coproducts: list[m.CoProduct] = []
    for stmt in decl.body:
        match stmt:
            case n.ByProductLine():
                byproducts.append(m.ByProduct(stmt.item.text, stmt.quantity, stmt.value, span=stmt.span))
            case n.CoProductLine():
                share = stmt.share.value if stmt.share is not None else ZERO  # missing-field, from the checker
                coproducts.append(m.CoProduct(stmt.item.text, stmt.quantity, share, span=stmt.span))
            case n.ConditionRef(kind=kind) if kind in ("material", "production", "charge"):
                conditions.setdefault(f"{kind}_condition", stmt.code.text)
            case n.UnitOfMeasure():
                units.setdefault(stmt.code.text, stmt.factor)
            case n.BomBlock():
                lines = tuple(
                    m.BomLine(
                        e.component.text,
                        e.quantity,
                        e.scrap.value if e.scrap else ZERO,
                        span=e.span,
                        unit=e.unit.text if e.unit else None,
                    )
                    for e in stmt.entries
                )
                boms.append(m.BomVersion(_version_date(stmt), lines, span=stmt.span))
            case n.RoutingBlock():
                operations = tuple(
                    m.RoutingLine(e.operation.text, e.resource.text, _seconds(e.setup), _seconds(e.run), span=e.span)
                    for e in stmt.entries
                )
                routings.append(m.RoutingVersion(_version_date(stmt), operations, span=stmt.span))
    values: dict[str, Any] = dict(  # keyword arguments of the model class, each of its field's type
        replenishment=_text(f.get("replenishment")) or "purchase",
        unit=_text(f.get("unit")),
        vendor=_text(f.get("vendor")),
        unit_cost=_number(f.get("unit-cost")),
        last_direct_cost=_number(f.get("last-direct-cost")),
        standard_cost=_number(f.get("standard-cost"), None),
        indirect_cost=_percent(f.get("indirect-cost")),
        overhead_rate=_number(f.get("overhead-rate")),
        scrap=_percent(f.get("scrap")),
        rounding=_text(f.get("rounding")),
        cost_base=_text(f.get("cost-base")),
        costing_method=_text(f.get("costing-method")) or "fifo",
    )
    lot_size = _number(f.get("lot-size"), None)
    if lot_size is not None and lot_size > 0:
        values["lot_size"] = lot_size
    return m.Item(
        decl.code.text,
        decl.description or "",
        units_of_measure=m.frozen_map(units),
        bom=_undated(boms),
        routing=_undated(routings),
        bom_versions=_dated(boms),
        routing_versions=_dated(routings),
        byproducts=tuple(byproducts),
        coproducts=tuple(coproducts),
        span=decl.span,
        **conditions,
        **values,
    )


V = TypeVar("V", m.BomVersion, m.RoutingVersion)


def _version_date(block: n.BomBlock | n.RoutingBlock) -> dt.date | None:
    """A version's date; an impossible one (invalid-date, reported by the checker) counts as undated."""
    starting = block.starting
    return starting if isinstance(starting, dt.date) else None


def _undated(versions: Sequence[V]) -> tuple[Any, ...]:
    """The lines of the first undated version (the checker reports a second one), else ()."""
    return next((v.lines for v in versions if v.starting is None), ())


def _dated(versions: Sequence[V]) -> tuple[V, ...]:
    """Every version as written when one is dated (costing picks one per date), else ()."""
    return tuple(versions) if any(v.starting is not None for v in versions) else ()


def _center_values(body: Iterable[object]) -> dict[str, Any]:
    """Keyword arguments of the model's WorkCenter and MachineCenter, each of its field's type."""
    f = _fields(body)
    values: dict[str, Any] = dict(
        direct_unit_cost=_rate(f.get("direct-unit-cost")),
        indirect_cost=_percent(f.get("indirect-cost")),
        overhead_rate=_rate(f.get("overhead-rate")),
    )
    for stmt in body:
        if isinstance(stmt, n.ConditionRef) and stmt.kind in (None, "capacity"):
            values["condition"] = stmt.code.text
            break
    return values


def _work_center(decl: n.WorkCenterDecl) -> m.WorkCenter:
    subcontractor = _text(_fields(decl.body).get("subcontractor"))
    return m.WorkCenter(
        decl.code.text, decl.description or "", subcontractor=subcontractor, span=decl.span, **_center_values(decl.body)
    )


def _machine_center(decl: n.MachineCenterDecl) -> m.MachineCenter:
    return m.MachineCenter(
        decl.code.text, decl.work_center.text, decl.description or "", span=decl.span, **_center_values(decl.body)
    )


def _shares(block: n.SharesBlock | None):
    """A standard cost's shares by kind (the first of each kind; the checker reports repeats and
    words that are no kind), or None when the declaration gives none."""
    if block is None:
        return None
    shares: dict[m.CostKind, Decimal] = {}
    for share in block.shares:
        kind = _enum(m.CostKind, share.kind.text)
        if kind is not None:
            shares.setdefault(kind, share.amount)
    return m.frozen_map(shares)


# ---------------------------------------------------------------- ledgers


def _ledger(decl: n.LedgerDecl) -> m.Ledger:
    entries: list[m.LedgerEntry] = []
    charges: list[m.Charge] = []
    revaluations: list[m.Revaluation] = []
    invoices: list[m.Invoice] = []
    capacities: list[m.CapacityUse] = []
    for sequence, line in enumerate(decl.lines, start=1):
        match line:
            case n.EntryLine():
                options: dict[str, Any] = {}  # keyword arguments of the model class, each of its field's type
                for option in line.options:
                    value = option.value.text if isinstance(option.value, n.Code) else option.value
                    if option.name in ("applies-to", "applies-from"):
                        value = _whole(value)
                    options.setdefault(option.name.replace("-", "_"), value)
                entries.append(
                    m.LedgerEntry(
                        len(entries) + 1, _line_date(line.date), line.type, line.quantity, span=line.span, **options
                    )
                )
            case n.LedgerCharge() if _whole(line.entry) is not None:  # else out-of-range, reported by the checker
                charges.append(m.Charge(_line_date(line.date), line.entry, line.amount, sequence, span=line.span))
            case n.LedgerRevaluation() if line.entry is None or _whole(line.entry) is not None:
                revaluations.append(
                    m.Revaluation(_line_date(line.date), line.unit_cost, line.entry, sequence, span=line.span)
                )
            case n.LedgerInvoice() if _whole(line.entry) is not None:
                invoices.append(m.Invoice(_line_date(line.date), line.entry, line.cost, sequence, span=line.span))
            case n.CapacityLine(order=n.Code() as order):  # no order: missing-field, reported by the checker
                run = line.run if line.run is not None else line.time
                capacities.append(
                    m.CapacityUse(
                        _line_date(line.date),
                        line.resource.text,
                        order.text,
                        _seconds(run),
                        _seconds(line.setup),
                        sequence,
                        span=line.span,
                    )
                )
    return m.Ledger(
        decl.item.text,
        tuple(entries),
        tuple(charges),
        tuple(revaluations),
        tuple(invoices),
        span=decl.span,
        capacities=tuple(capacities),
    )


def _concat_ledgers(first: m.Ledger, second: m.Ledger) -> m.Ledger:
    offset = len(first.entries)
    last_sequence = max(
        [c.sequence for c in first.charges]
        + [r.sequence for r in first.revaluations]
        + [i.sequence for i in first.invoices]
        + [c.sequence for c in first.capacities]
        + [
            len(first.entries)
            + len(first.charges)
            + len(first.revaluations)
            + len(first.invoices)
            + len(first.capacities)
        ]
    )
    return attrs.evolve(
        first,
        entries=first.entries
        + tuple(attrs.evolve(e, number=e.number + offset, applies_to=e.applies_to) for e in second.entries),
        charges=first.charges + tuple(attrs.evolve(c, sequence=c.sequence + last_sequence) for c in second.charges),
        revaluations=first.revaluations
        + tuple(attrs.evolve(r, sequence=r.sequence + last_sequence) for r in second.revaluations),
        invoices=first.invoices + tuple(attrs.evolve(i, sequence=i.sequence + last_sequence) for i in second.invoices),
        capacities=first.capacities
        + tuple(attrs.evolve(c, sequence=c.sequence + last_sequence) for c in second.capacities),
    )


# ---------------------------------------------------------------- value conversion


def _text(value) -> str | None:
    return value.text if isinstance(value, (n.Code, n.Word)) else None


def _number(value, default: Decimal | None = ZERO) -> Decimal | None:
    return value if isinstance(value, Decimal) else default


def _percent(value) -> Decimal:
    if isinstance(value, n.Percent):
        return value.value
    if isinstance(value, Decimal):
        return value
    return ZERO


def _rate(value) -> m.Rate:
    if isinstance(value, n.RateValue):
        return m.Rate(value.value, m.UNIT_SECONDS[value.unit])
    if isinstance(value, Decimal):
        return m.Rate(value, 3600)  # a work center's cost without a unit is per hour
    return m.Rate(ZERO)


def _seconds(duration: n.Duration | None) -> Decimal:
    if duration is None:
        return ZERO
    return CONTEXT.multiply(duration.value, Decimal(m.UNIT_SECONDS[duration.unit]))


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _line_date(value: object) -> dt.date:
    """The date of a ledger line.  An impossible one (reported by the checker) leaves None in
    its place: no stage runs on a ruleset with errors."""
    return _date(value)  # type: ignore[return-value]


def _whole(value) -> int | None:
    """An entry number or count as the model takes it; None for one too large to read
    (:class:`~costsheet.syntax.transformer.Oversized`, reported by the checker)."""
    return value if isinstance(value, int) else None


def _enum(enum_type, value):
    try:
        return enum_type(value) if value is not None else None
    except ValueError:
        return None
