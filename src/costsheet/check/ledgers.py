"""Ledgers (docs/language.md, "Ledgers"; docs/valuation.md): the entries as written, then the
ledger rules over the model's ledgers (CSV ledgers included: the checker checks the merged model).

Each ledger rule looks at one ledger and yields diagnostics that name the entry
(its span) with a stable code and a hint.  The valuation engine trusts a model
these rules passed.  A ledger for an unknown item, an unknown costing method, an
unknown average-cost period and a capacity line's unknown resource are reported
where they are written, by :mod:`.references`, :mod:`.values` and :mod:`.setup`.

The ``applies-to`` rule first asks a quick question answered by one C-level
pass over a column of the ledger: "no ``applies-to`` at all?".  Only when the
answer is no does it walk the entries one by one (:func:`application_problems`),
so a bad ledger gets exactly the diagnostics, in the same order, that the walk
alone would give (tests/valuation/test_fast_paths.py).
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Iterator
from decimal import Decimal

from ..diagnostics import Diagnostic
from ..model import CapacityUse, Charge, Invoice, Ledger, LedgerEntry, Model, Revaluation
from ..orders import CONSUMPTION, OUTPUT, collect_orders, cycles, naming_orders, production_graph
from ..standards import standard_table
from ..syntax import nodes as n
from ..vocabulary import PER_ITEM_METHODS, PERIODIC_METHODS, AverageCostPeriod, CostingMethod, Replenishment
from . import values
from .context import Context
from .options import repeated
from .vocabulary import ENTRY_TYPES

__all__ = [
    "ledger_entries",
    "ledger_rules",
    "LEDGER_RULES",
    "ledger_problems",
    "order_problems",
    "application_problems",
]

LedgerRule = Callable[[Model, Ledger], Iterator[Diagnostic]]
_NUMBER = operator.attrgetter("number")
_APPLIES_TO = operator.attrgetter("applies_to")
_APPLIES_FROM = operator.attrgetter("applies_from")
_ORDER = operator.attrgetter("order")


def ledger_entries(ctx: Context) -> Iterator[Diagnostic]:
    for decl in ctx.of(n.LedgerDecl):
        for line in decl.lines:
            if isinstance(line, n.CapacityLine):
                yield from _capacity_line(decl.item.text, line)
            if not isinstance(line, n.EntryLine):
                continue
            problem = values.unknown_word(line.type, ENTRY_TYPES, "an entry type")
            if problem:
                yield problem.at(line.span)
            yield from repeated(line.options, f"a ledger entry of {decl.item.text}")
            for cost in (o for o in line.options if o.name in ("cost", "expected-cost")):
                if line.quantity < 0:
                    yield values.cost_on_decrease(cost.name).at(cost.span)
                    break


def standard_cost_given(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    """A standard item needs a standard cost on the date of every increase: its `standard-cost`
    field, or a dated `standard-cost` declaration from that date or earlier."""
    item = model.items.get(ledger.item)
    if item is None or item.costing_method != CostingMethod.STANDARD or item.standard_cost is not None:
        return
    table = standard_table(model, item.code)
    if not table.lines:
        yield Diagnostic.error(
            "standard-cost-missing",
            f"item {item.code} uses the standard costing method but has no standard cost",
            item.span,
            hint="add `standard-cost AMOUNT` to the item",
        )
        return
    first = table.starts[0]
    for entry in ledger.entries:
        if entry.quantity > 0 and entry.date is not None and entry.date < first:
            yield Diagnostic.error(
                "standard-cost-missing",
                f"entry {entry.number} of {item.code} is dated {entry.date}, before the item's first standard cost "
                f"(from {first}), and the item has no `standard-cost` field",
                entry.span,
                hint="add `standard-cost AMOUNT` to the item, or date a `standard-cost` declaration on or before "
                "the entry",
            )


def entry_numbers(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    """Duplicate numbers, zero quantities, negative costs: one walk over the entries (column
    scans that first asked "certainly clean?" saved nothing measurable, benchmarks/bench_valuation.py)."""
    seen: set[int] = set()
    for entry in ledger.entries:
        if entry.number in seen:
            yield Diagnostic.error(
                "duplicate-entry-number",
                f"{ledger.item} has two entries numbered {entry.number}",
                entry.span,
                hint="entries are numbered 1, 2, 3 ... in the order they are written",
            )
        seen.add(entry.number)
        if entry.quantity == 0:
            yield Diagnostic.error(
                "zero-quantity",
                f"entry {entry.number} of {ledger.item} has quantity 0",
                entry.span,
                hint="write +N for an increase or -N for a decrease",
            )
        if entry.quantity > 0 and entry.cost is not None and entry.cost < 0:
            yield Diagnostic.error(
                "negative-cost",
                f"entry {entry.number} of {ledger.item} has a negative cost",
                entry.span,
                hint="the cost of an increase is its total cost amount, >= 0",
            )
        if entry.expected_cost is not None:
            yield from _expected_cost(ledger, entry)


def _expected_cost(ledger: Ledger, entry: LedgerEntry) -> Iterator[Diagnostic]:
    """``expected-cost`` stands alone: no ``cost`` beside it, not on a physical entry, not negative."""
    if entry.cost is not None:
        yield Diagnostic.error(
            "expected-and-actual-cost",
            f"entry {entry.number} of {ledger.item} has both cost and expected-cost",
            entry.span,
            hint="write `expected-cost N` on the receipt and its actual cost on an "
            f"`invoice {entry.number} cost N` line, or only `cost N` when it is invoiced",
        )
    if entry.physical:
        yield Diagnostic.error(
            "physical-expected-cost",
            f"entry {entry.number} of {ledger.item} is physical and has an expected cost",
            entry.span,
            hint="a receipt with an expected cost is physically updated until its invoice: remove `physical`",
        )
    if entry.expected_cost is not None and entry.expected_cost < 0:  # the caller's is never None
        yield Diagnostic.error(
            "negative-cost",
            f"entry {entry.number} of {ledger.item} has a negative expected cost",
            entry.span,
            hint="the expected cost of an increase is its total amount, >= 0",
        )


def _no_applications(ledger: Ledger, specific: bool) -> bool:
    """No ``applies-to`` at all, on an item that is not specific: nothing for the walk to check.

    One column scan.  A ledger with ``applies-to`` goes straight to the walk:
    checking its references by columns costs more than the walk itself
    (benchmarks/bench_valuation.py).
    """
    if specific:
        return False
    targets = list(map(_APPLIES_TO, ledger.entries))
    return targets.count(None) == len(targets)


def applications(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    item = model.items.get(ledger.item)
    specific = item is not None and item.costing_method == CostingMethod.SPECIFIC
    if not _no_applications(ledger, specific):
        yield from application_problems(ledger, specific)


def application_problems(ledger: Ledger, specific: bool) -> Iterator[Diagnostic]:
    """The walk behind :func:`applications`: every ``applies-to`` checked, entry by entry."""
    by_number = {e.number: e for e in ledger.entries}
    fixed: dict[int, Decimal] = {}  # increase -> quantity fixed-applied to it so far
    for entry in ledger.entries:
        target_number = entry.applies_to
        if target_number is None:
            if specific and entry.quantity < 0:
                yield Diagnostic.error(
                    "specific-without-applies-to",
                    f"entry {entry.number} of {ledger.item} is a decrease of a specific item without applies-to",
                    entry.span,
                    hint="add `applies-to N` naming the increase this decrease takes its cost from",
                )
            continue
        if entry.quantity > 0:
            yield Diagnostic.error(
                "applies-to-on-increase",
                f"entry {entry.number} of {ledger.item} is an increase with applies-to",
                entry.span,
                hint="only decreases apply to an increase; remove `applies-to`",
            )
            continue
        target = by_number.get(target_number)
        if target is None:
            yield Diagnostic.error(
                "applies-to-unknown-entry",
                f"entry {entry.number} of {ledger.item} applies to entry {target_number}, which does not exist",
                entry.span,
                hint=f"name an increase of {ledger.item} (entries are numbered in written order)",
            )
        elif target.quantity <= 0:
            yield Diagnostic.error(
                "applies-to-not-increase",
                f"entry {entry.number} of {ledger.item} applies to entry {target_number}, which is a decrease",
                entry.span,
                hint="applies-to must name an increase (a positive quantity)",
            )
        elif target.number >= entry.number:
            yield Diagnostic.error(
                "applies-to-later-entry",
                f"entry {entry.number} of {ledger.item} applies to entry {target_number}, written after it",
                entry.span,
                hint="a decrease can only apply to an increase written before it",
            )
        elif target.physical and not entry.physical:
            yield Diagnostic.error(
                "applies-to-physical",
                f"entry {entry.number} of {ledger.item} applies to entry {target_number}, which is physically "
                "updated only",
                entry.span,
                hint="a financially updated decrease takes its cost from a financially updated increase: "
                "name another one, or mark the decrease `physical` too",
            )
        else:
            fixed[target.number] = fixed.get(target.number, 0) - entry.quantity
            if fixed[target.number] > target.quantity:
                yield Diagnostic.error(
                    "applies-to-quantity",
                    f"entry {entry.number} of {ledger.item} applies {-entry.quantity} units to entry "
                    f"{target_number}, which received {target.quantity}, and decreases applied to it "
                    f"now take {fixed[target.number]}",
                    entry.span,
                    hint="apply the decrease to another increase, or split it",
                )


def returns(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    """``applies-from``: an increase names an earlier decrease, dated on or before it, whose
    cost it takes; together the increases take at most what the decrease issued."""
    if not any(map(_APPLIES_FROM, ledger.entries)):
        return
    by_number = {e.number: e for e in ledger.entries}
    taken: dict[int, Decimal] = {}  # decrease -> quantity returned so far
    for entry in ledger.entries:
        number = entry.applies_from
        if number is None:
            continue
        where = f"entry {entry.number} of {ledger.item}"
        if entry.quantity < 0:
            yield Diagnostic.error(
                "applies-from-on-decrease",
                f"{where} is a decrease with applies-from",
                entry.span,
                hint="applies-from belongs on an increase (a return, a transfer-in); "
                "a decrease names its increase with `applies-to N`",
            )
            continue
        if entry.cost is not None or entry.expected_cost is not None:
            yield Diagnostic.error(
                "applies-from-with-cost",
                f"{where} has applies-from and a cost of its own",
                entry.span,
                hint=f"an applies-from increase takes the cost of entry {number}: remove `cost`/`expected-cost`",
            )
        target = by_number.get(number)
        if target is None:
            yield Diagnostic.error(
                "applies-from-unknown-entry",
                f"{where} applies from entry {number}, which does not exist",
                entry.span,
                hint=f"name a decrease of {ledger.item} (entries are numbered in written order)",
            )
        elif target.quantity > 0:
            yield Diagnostic.error(
                "applies-from-not-decrease",
                f"{where} applies from entry {number}, which is an increase",
                entry.span,
                hint="applies-from names the decrease whose cost the increase takes (the sale it "
                "returns, the transfer it receives)",
            )
        elif target.number >= entry.number:
            yield Diagnostic.error(
                "applies-from-later-entry",
                f"{where} applies from entry {number}, written after it",
                entry.span,
                hint="a return or transfer-in can only take the cost of a decrease written before it",
            )
        elif target.date > entry.date:
            yield Diagnostic.error(
                "applies-from-before-decrease",
                f"{where} is dated {entry.date}, before entry {number} ({target.date}) it applies from",
                entry.span,
                hint="date the return or transfer-in on or after the decrease it reverses",
            )
        elif target.physical or entry.physical:
            yield Diagnostic.error(
                "applies-from-physical",
                f"{where} applies from entry {number}, and one of them is physical",
                entry.span,
                hint="applies-from takes a financially updated decrease's cost into a financially "
                "updated increase: remove `physical`",
            )
        else:
            taken[number] = taken.get(number, 0) + entry.quantity
            if taken[number] > -target.quantity:
                yield Diagnostic.error(
                    "applies-from-quantity",
                    f"{where} takes {entry.quantity} units from entry {number}, which issued {-target.quantity}, "
                    f"and increases applied from it now take {taken[number]}",
                    entry.span,
                    hint="return at most what the decrease issued, or apply from another decrease",
                )


def invoices(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    """``invoice N cost C``: N is an increase with an expected cost, written and dated before
    its one invoice."""
    if not ledger.invoices:
        return
    by_number = {e.number: e for e in ledger.entries}
    dated: tuple[Charge | Revaluation | Invoice, ...] = (*ledger.charges, *ledger.revaluations, *ledger.invoices)
    entries_before = sorted(line.sequence for line in dated)
    seen: dict[int, object] = {}
    for invoice in ledger.invoices:
        target = by_number.get(invoice.entry)
        where = f"invoice of entry {invoice.entry} of {ledger.item}"
        written_before = invoice.sequence - 1 - bisect.bisect_left(entries_before, invoice.sequence)
        if target is None:
            yield Diagnostic.error(
                "invoice-unknown-entry",
                f"{where}, which does not exist",
                invoice.span,
                hint=f"name an increase of {ledger.item} received with `expected-cost`",
            )
        elif target.quantity <= 0:
            yield Diagnostic.error(
                "invoice-of-decrease",
                f"{where}, which is a decrease",
                invoice.span,
                hint="an invoice gives the actual cost of an increase received with `expected-cost`",
            )
        elif target.expected_cost is None:
            yield Diagnostic.error(
                "invoice-without-expected-cost",
                f"{where}, which has no expected cost",
                invoice.span,
                hint=f"write `expected-cost N` on entry {invoice.entry} instead of `cost`, or add the "
                "difference as a `charge`",
            )
        elif target.date > invoice.date or target.number > written_before:
            when = (
                f"is dated {invoice.date}, before the entry ({target.date})"
                if target.date > invoice.date
                else "is written before the entry"
            )
            yield Diagnostic.error(
                "invoice-before-entry",
                f"{where} {when}",
                invoice.span,
                hint="write the invoice after its receipt and date it on or after the receipt",
            )
        elif invoice.entry in seen:
            yield Diagnostic.error(
                "duplicate-invoice",
                f"{where}: the entry is invoiced twice",
                invoice.span,
                hint="write one invoice per receipt with its whole actual cost",
            )
        if invoice.cost < 0:
            yield Diagnostic.error(
                "negative-cost",
                f"{where} has a negative cost",
                invoice.span,
                hint="the invoiced cost of an increase is its total cost amount, >= 0",
            )
        seen[invoice.entry] = invoice


def value_changes(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    if not ledger.charges and not ledger.revaluations:
        return
    by_number = dict(zip(map(_NUMBER, ledger.entries), ledger.entries, strict=True))
    item = model.items.get(ledger.item)
    method = item.costing_method if item is not None else None
    per_item_only = method in PER_ITEM_METHODS
    for charge in ledger.charges:
        target = by_number.get(charge.entry)
        if target is None:
            yield Diagnostic.error(
                "charge-unknown-entry",
                f"charge on entry {charge.entry} of {ledger.item}, which does not exist",
                charge.span,
                hint=f"name an increase of {ledger.item} by its entry number",
            )
        elif target.quantity <= 0:
            yield Diagnostic.error(
                "charge-on-decrease",
                f"charge on entry {charge.entry} of {ledger.item}, which is a decrease",
                charge.span,
                hint="an item charge adds to the cost of an increase",
            )
    for revaluation in ledger.revaluations:
        if revaluation.entry is None:
            continue
        target = by_number.get(revaluation.entry)
        if target is None:
            yield Diagnostic.error(
                "revaluation-unknown-entry",
                f"revaluation of entry {revaluation.entry} of {ledger.item}, which does not exist",
                revaluation.span,
                hint="name an increase, or leave the entry out to revalue the item",
            )
        elif target.quantity <= 0:
            yield Diagnostic.error(
                "revaluation-of-decrease",
                f"revaluation of entry {revaluation.entry} of {ledger.item}, which is a decrease",
                revaluation.span,
                hint="revalue an increase, or leave the entry out",
            )
        elif per_item_only:
            yield Diagnostic.warning(
                "revaluation-per-item-only",
                f"{method} items are revalued as a whole; entry {revaluation.entry} is ignored",
                revaluation.span,
                hint="write `revaluation unit-cost N` without an entry number",
            )
        if revaluation.unit_cost < 0:
            yield Diagnostic.error(
                "negative-unit-cost",
                "a revaluation's unit cost cannot be negative",
                revaluation.span,
                hint="write the new unit cost, >= 0",
            )


def periods(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    """An average over accounting periods needs them listed (an unknown period word is reported
    at the setup setting, :func:`.setup.setting_values`)."""
    item = model.items.get(ledger.item)
    if item is None or item.costing_method not in PERIODIC_METHODS:
        return
    if model.setup.average_cost_period == AverageCostPeriod.ACCOUNTING_PERIOD and not model.accounting_periods:
        yield Diagnostic.error(
            "no-accounting-periods",
            "average-cost-period accounting-period needs `accounting-periods { ... }`",
            ledger.span,
            hint="list the first day of each accounting period",
        )


def order_entries(model: Model, ledger: Ledger) -> Iterator[Diagnostic]:
    """Production orders in one ledger (docs/valuation.md, "Production orders"): `order` on
    consumption (a decrease) and output (an increase) only, an output's cost is its order's,
    a purchased item is not produced.  (A capacity line's resource is resolved where it is
    written, by :mod:`.references`.)"""
    if not ledger.capacities and not any(map(_ORDER, ledger.entries)):
        return  # the usual ledger: one pass in C
    item = model.items.get(ledger.item)
    purchased = item is not None and item.replenishment == Replenishment.PURCHASE
    for entry in ledger.entries:
        if entry.order is None:
            continue
        what = f"entry {entry.number} of {ledger.item}"
        if entry.type not in (CONSUMPTION, OUTPUT):
            yield Diagnostic.error(
                "order-entry-type",
                f"{what} is a {entry.type} entry with `order {entry.order}`",
                entry.span,
                hint="only consumption and output entries belong to a production order; remove `order`",
            )
        elif (entry.type == CONSUMPTION) != (entry.quantity < 0):
            sign = "a decrease (-Q)" if entry.type == CONSUMPTION else "an increase (+Q)"
            yield Diagnostic.error(
                "order-entry-sign",
                f"{what}, {entry.type} of order {entry.order}, must be {sign}",
                entry.span,
                hint="an order consumes components (-Q on the component's ledger) and outputs the item it "
                "produces (+Q on its ledger); reversals are not supported",
            )
        elif entry.type == OUTPUT:
            if entry.cost is not None:
                yield Diagnostic.error(
                    "misplaced-field",
                    f"{what} is an output of order {entry.order}: its cost is the order's",
                    entry.span,
                    hint="remove `cost`: the order's consumption, capacity and overhead value its output",
                )
            if purchased:
                yield _purchased_output(ledger.item, entry.order, entry.span)
    if purchased:
        for use in ledger.capacities:
            yield _purchased_output(ledger.item, use.order, use.span)


def _purchased_output(item: str, order: str, span) -> Diagnostic:
    return Diagnostic.error(
        "output-of-purchased-item",
        f"order {order} produces {item}, a purchased item",
        span,
        hint=f"give {item} `replenishment prod-order` (or assembly), or post the order's output and capacity in "
        "the ledger of the item it produces",
    )


LEDGER_RULES: tuple[LedgerRule, ...] = (
    standard_cost_given,
    entry_numbers,
    applications,
    returns,
    invoices,
    value_changes,
    periods,
    order_entries,
)


def order_problems(model: Model) -> Iterator[Diagnostic]:
    """The rules of production orders that span ledgers: an order produces one item, orders do
    not consume what they produce (in a cycle), and an order only consumption names is warned
    about."""
    named = naming_orders(model.ledgers.values())
    if not named:
        return
    orders = collect_orders(model, named)
    for order in orders.values():
        placed: tuple[tuple[str, LedgerEntry | CapacityUse], ...] = (*order.outputs, *order.capacities)
        for item, line in placed:
            if item != order.item:
                yield Diagnostic.error(
                    "order-two-items",
                    f"order {order.code} produces {order.item}, but this line of it is in the ledger of {item}",
                    line.span,
                    hint=f"an order produces one item: post its output and capacity in the ledger of {order.item}, "
                    "or give this one an order of its own",
                )
        if order.item is None:
            _, first = order.consumption[0]
            yield Diagnostic.warning(
                "order-without-item",
                f"order {order.code} is named only by consumption entries: the item it "
                "produces is not known, so its cost stays work in process",
                first.span,
                hint=f"post the order's output (`output +Q order {order.code}`) or capacity in the ledger of the item "
                "it produces",
            )
    for cycle in cycles(production_graph(orders)):
        made, component = cycle[-2], cycle[-1]
        order = next(o for o in orders.values() if o.item == made and component in o.components)
        entry = next(e for i, e in order.consumption if i == component)
        path = " -> ".join(cycle)
        yield Diagnostic.error(
            "order-cycle",
            f"production orders make items from each other in a cycle: {path} (order {order.code} "
            f"of {made} consumes {component})",
            entry.span,
            hint="an item cannot be made from itself, directly or through other orders' output; check the orders "
            "of the consumption entries",
        )


def ledger_problems(model: Model) -> tuple[Diagnostic, ...]:
    """Every ledger rule over every ledger of ``model``, then the rules of production orders
    (for a model built in code, not from text)."""
    found = [d for ledger in model.ledgers.values() for rule in LEDGER_RULES for d in rule(model, ledger)]
    found.extend(order_problems(model))
    return tuple(found)


def ledger_rules(ctx: Context) -> Iterator[Diagnostic]:
    """The ledger rules (applications, charges, revaluations, standard cost, production orders ...)
    over the whole model."""
    return iter(ledger_problems(ctx.model))


def _capacity_line(item: str, line: n.CapacityLine) -> Iterator[Diagnostic]:
    """A capacity line names its order and gives a time: one plain time (the run time), or
    `setup` and/or `run`, each once."""
    who = f"the capacity line of {item}"
    yield from repeated(line.options, who)
    if line.order is None:
        yield Diagnostic.error(
            "missing-field",
            f"{who} names no production order",
            line.span,
            "add `order CODE`: the production order that used the capacity",
        )
    if line.time is None and line.setup is None and line.run is None:
        yield Diagnostic.error(
            "missing-field",
            f"{who} gives no time",
            line.span,
            "write the time used (`40min`), or its parts (`setup 15min run 10min`)",
        )
    elif line.time is not None and line.run is not None:
        run = next(o for o in line.options if o.name == "run")
        yield Diagnostic.error(
            "duplicate-field",
            f"{who} gives a run time twice (a plain time is the run time)",
            run.span,
            "keep one of them: write `setup T run T`, or the plain time alone",
        )
