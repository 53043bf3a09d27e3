"""The roll-up: cost every item of a BOM/routing DAG once, bottom-up (docs/costing.md,
"Purchased items" and "Produced and assembly items").

A :class:`Calculator` belongs to one program and one date.  It costs each
(item, lot size) once, however often the item appears in the BOMs, walking
the graph iteratively (deep BOMs do not hit the recursion limit) and
reporting a BOM cycle by naming it.  Components are costed for their own lot
size.  Per item it keeps two element vectors: *rolled-up* (the components'
vectors times their quantities) and *single-level* (the components' costs on
the production condition's direct element); both sum to the unit cost.

A produced item is costed in named steps (:meth:`Calculator._produced`):
material from the BOM lines, the routing operations, the production
condition's direct lines, then the overhead on material plus capacity.

Every amount is rounded to the internal scale (:mod:`.scale`, 20 decimal
places) when it is made, and the single-level material amount is the sum of
the very amounts the rolled-up vector adds (each BOM line's quantity times
each element amount of its component), so both breakdowns are exact sums of
the same finite decimals and their totals are equal, not merely close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, localcontext
from operator import itemgetter
from typing import NamedTuple

from ..diagnostics import Diagnostic, Span
from ..gcpause import paused_gc
from ..model import BomLine, ByProduct, ConditionLine, CoProduct, ExchangeRate, Item, PriceLine, Rate
from ..numbers import CONTEXT, HUNDRED, ONE, ZERO, outgoing_parts, readable
from ..phantoms import PHANTOM, PhantomCycleError, explode, has_phantoms
from ..resolve import base_quantity, line_quantity, scrap_factor, unknown_unit
from ..versions import on_date
from .costbase import MissingRateError, UnknownUnitError, direct_cost
from .failures import Failure
from .joint import Split, split
from .plans import ConditionPlan, OperationTime, PlanLine, overhead_values, per_time
from .program import Program, ResourcePlan
from .results import (
    NO_JOINT_PRODUCTS,
    BomComponent,
    BomNode,
    ByProductCredit,
    CoProductShare,
    ElementAmount,
    ExplainStep,
    JointProducts,
    OperationCost,
)
from .rounding import apply_rounding
from .scale import HIGHEST, LOWEST, PLACES, ROUNDERS, internal

__all__ = ["Calculator", "ItemCost", "CostedOperation", "CostingError"]

_add = CONTEXT.add
_mul = CONTEXT.multiply
_div = CONTEXT.divide

#: A memo key: the bare item code at the item's own lot size, else (code, lot) (see :meth:`Calculator.key`).
Key = str | tuple[str, Decimal]
#: A BOM line prepared for costing: (component key, quantity per unit with both scraps, the line).
PreparedLine = tuple[str, Decimal, BomLine]
#: What an item is costed after besides its BOM components: (item code, the line that says so).
JointInput = tuple[str, ByProduct | CoProduct]


class CostingError(Exception):
    """Aborts the costing of one item; carries the diagnostic that says why.

    ``failure`` is set instead when the item fails because a component did:
    the component's error was reported where it was met, so the parent's
    ``component-failed`` is built only if the parent itself is asked for.
    """

    def __init__(self, diagnostic: Diagnostic | None, failure: Failure | None = None):
        super().__init__(diagnostic.message if diagnostic else "a component could not be costed")
        self.diagnostic = diagnostic
        self.failure = failure


class CostedOperation(NamedTuple):
    """One routing operation of a costed item, per unit of the item (internal; see :meth:`result`).

    The time stays a numerator over the lot (run x lot + setup, in seconds):
    seconds per unit cost a division that only the costing BOM needs.
    """

    operation: str
    resource: str
    time_numerator: Decimal
    lot: Decimal
    direct: Decimal
    overhead: Decimal

    def result(self) -> OperationCost:
        return OperationCost(
            self.operation, self.resource, _div(self.time_numerator, self.lot), self.direct, self.overhead
        )


class ItemCost:
    """The cost of one item for one lot size (internal; results copy what they need)."""

    __slots__ = ("item", "joint", "lot", "operations", "rolled", "single", "splits", "steps", "unit_cost")

    def __init__(
        self,
        item: Item,
        lot: Decimal,
        single: dict[str, Decimal],
        rolled: dict[str, Decimal],
        operations: tuple[CostedOperation, ...],
        steps: tuple[ExplainStep, ...],
        joint: JointProducts = NO_JOINT_PRODUCTS,
        splits: tuple[Split, ...] = (),
    ):
        self.item = item
        self.joint = joint  # by-product credits and co-product shares, as results show them
        self.splits = splits  # what each co-product takes (its vectors: the co-product's costing reads them)
        self.lot = lot
        self.single = single
        self.rolled = rolled
        total = ZERO
        for amount in rolled.values():
            total = _add(total, amount)
        self.unit_cost = total
        self.operations = operations
        self.steps = steps


#: The component key of a :data:`PreparedLine` (``map`` over it keeps the all-known test of ``cost`` in C).
_component_key = itemgetter(0)


def _put(vector: dict[str, Decimal], element: str, amount: Decimal) -> None:
    vector[element] = _add(vector[element], amount) if element in vector else amount


class Calculator:
    """Costs items of ``program`` on ``date``; one memo shared by all items it is asked for."""

    def __init__(self, program: Program, date: dt.date, *, explain: bool = False):
        self.program = program
        self.model = program.model
        self.date = date
        self.explain = explain
        self.memo: dict[Key, ItemCost | None] = {}
        self.failures: dict[Key, Failure] = {}  # why each None in the memo failed
        self.diagnostics: list[Diagnostic] = []
        self._nodes: dict[Key, BomNode] = {}
        self._items = dict(self.model.items)  # a plain dict: mappingproxy lookups cost twice as much
        self._item_errors: dict[str, Diagnostic] = {}  # items that fail before costing (no version, a bad unit)
        for code in program.versioned:  # the BOM and routing valid on the date take effect
            self._items[code], missing = on_date(self._items[code], date)
            if missing:
                self._item_errors[code] = _no_valid_version(self._items[code], missing, date)
        if program.phantoms:  # their BOM lines and operations join each parent's
            self._explode_phantoms()
        self._bom: dict[str, tuple[PreparedLine, ...]] = {}
        self._scrap_factors: dict[Decimal, Decimal] = {}  # scrap % -> 1 + scrap/100

    def _explode_phantoms(self) -> None:
        items = self._items
        for code, item in list(items.items()):
            if item.replenishment == "purchase" or not has_phantoms(item, items):
                continue
            try:
                items[code] = explode(item, items)
            except PhantomCycleError as error:
                self._item_errors[code] = Diagnostic.error(
                    "bom-cycle",
                    f"the bills of materials form a cycle through phantoms: {' -> '.join(error.cycle)}",
                    error.line.span,
                    "a phantom cannot contain itself, directly or through other phantoms; remove one BOM line",
                )

    # ------------------------------------------------------------ the walk

    def lot_of(self, code: str) -> Decimal:
        item = self._items.get(code)
        return item.lot_size if item is not None else ONE

    def key(self, code: str, lot: Decimal | None = None) -> Key:
        """The memo key of ``code`` at ``lot``: the bare code for the item's own lot size (the common case:
        every component; a str hashes once and caches it, a Decimal hashes on every lookup), else (code, lot)."""
        if lot is None:
            return code
        item = self._items.get(code)
        return code if item is not None and item.lot_size == lot else (code, lot)

    def split(self, key: Key) -> tuple[str, Decimal]:
        """``(code, lot)`` of a memo key."""
        return (key, self.lot_of(key)) if isinstance(key, str) else key

    def bom_of(self, item: Item) -> tuple[PreparedLine, ...]:
        """``((component key, quantity per unit, line), ...)``: independent of lot and date.

        Components are costed at their own lot size, so a component's key is its code.

        The quantity is q x (1 + line scrap/100) x (1 + item scrap/100).
        """
        prepared = self._bom.get(item.code)
        if prepared is None:
            factors = self._scrap_factors

            def factor(percent: Decimal) -> Decimal:
                return factors.get(percent) or factors.setdefault(percent, scrap_factor(percent))

            items = self._items
            lines = []
            for line in item.bom:
                quantity = line.quantity if line.unit is None else base_quantity(line, items)
                if quantity is None:  # a unit the component does not have: the item fails when costed
                    self._item_errors.setdefault(item.code, _unknown_unit(item, line, items[line.component]))
                    quantity = line.quantity
                lines.append((line.component, line_quantity(quantity, line.scrap, item.scrap, factor), line))
            prepared = self._bom[item.code] = tuple(lines)
        return prepared

    def cost(self, code: str, lot: Decimal | None = None, span: Span | None = None) -> ItemCost | None:
        """The cost of ``code`` for ``lot`` (its own lot size when None), components first.

        When it is None, :attr:`diagnostics` has gained a reason: the errors
        met while costing it and, unless one of them is the item's own, the
        diagnostic of its :class:`Failure` (however often it is asked for).
        """
        top = self.key(code, lot)
        memo = self.memo
        start = len(self.diagnostics)
        if top in memo:
            cost = memo[top]
        else:
            # paused for one item too (costing bottom-up, item by item): it buys little, but not less than
            # without (benchmarks/bench_gcpause.py; docs/costing.md, "Threads and the garbage collector")
            with paused_gc():
                item = self._items.get(code)
                if item is not None and (
                    item.replenishment == "purchase"
                    or (
                        all(map(memo.__contains__, map(_component_key, self.bom_of(item))))
                        and (code not in self.program.joint or all(c in memo for c, _ in self.joint_inputs(item)))
                    )
                ):
                    # the common case when costing bottom-up: every component is known already (the walk's
                    # result would be the same: tests/costing/test_properties.py holds them equal)
                    cost = memo[top] = self._compute_safely(item, item.lot_size if lot is None else lot)
                else:
                    cost = self._walk(top, span)
        if cost is None:
            self._say_why(top, start)
        return cost

    def _say_why(self, key: Key, start: int) -> None:
        """Report why ``key`` failed unless its own error was reported since ``start``."""
        failure = self.failures[key]
        if failure.error is not None and any(d is failure.error for d in self.diagnostics[start:]):
            return
        self.diagnostics.append(failure.diagnostic())

    def _walk(self, top: Key, span: Span | None) -> ItemCost | None:
        items = self._items
        memo = self.memo
        on_path: set[Key] = set()
        path: list[Key] = []
        cycles: dict[Key, Diagnostic] = {}  # key -> the bom-cycle closed by one of its BOM lines: it fails with that
        stack: list[tuple[Key, bool, Span | None]] = [(top, False, span)]
        while stack:
            key, done, where = stack.pop()
            code, lot = self.split(key)
            if done:
                on_path.discard(key)
                path.pop()
                if key in cycles:
                    memo[key] = None
                    self.failures[key] = Failure(code, cycles[key])
                else:
                    memo[key] = self._compute_safely(items[code], lot)
                continue
            if key in memo:
                continue
            item = items.get(code)
            if item is None:
                memo[key] = None
                self._fail(
                    key,
                    code,
                    Diagnostic.error(
                        "unknown-item",
                        f"item {code} is not defined",
                        where,
                        "declare the item, or load the CSV master data that holds it",
                    ),
                )
                continue
            on_path.add(key)
            path.append(key)
            stack.append((key, True, where))
            if item.replenishment == "purchase":
                continue
            for child, _, line in reversed(self.bom_of(item)):
                if child in on_path:
                    cycles[key] = self._report_cycle(path, child, line.span)
                elif child not in memo:
                    stack.append((child, False, line.span))
            if code in self.program.joint:
                for child, joint_line in self.joint_inputs(item):
                    if child in on_path:
                        cycles[key] = self._report_cycle(path, child, joint_line.span)
                    elif child not in memo:
                        stack.append((child, False, joint_line.span))
        return memo[top]

    def joint_inputs(self, item: Item) -> tuple[JointInput, ...]:
        """The items ``item`` is costed after besides its components: its by-products valued at their
        own cost, and its producer when it is a co-product (costing-order edges)."""
        inputs: list[JointInput] = [(b.item, b) for b in item.byproducts if b.value is None]
        producer = self.program.producers.get(item.code)
        if producer is not None and producer in self._items:
            line = next(c for c in self._items[producer].coproducts if c.item == item.code)
            inputs.append((producer, line))
        return tuple(inputs)

    def _report_cycle(self, path: list[Key], child: Key, span: Span | None) -> Diagnostic:
        codes = [self.split(key)[0] for key in path]
        child_code = self.split(child)[0]
        start = codes.index(child_code)
        names = " -> ".join(codes[start:]) + f" -> {child_code}"
        diagnostic = Diagnostic.error(
            "bom-cycle",
            f"the bills of materials form a cycle: {names}",
            span,
            "an item cannot contain itself, directly or through its components; remove one BOM line of the cycle",
        )
        self.diagnostics.append(diagnostic)
        return diagnostic

    def _fail(self, key: Key, code: str, diagnostic: Diagnostic) -> None:
        """``code`` failed with its own error: report it where it is met and keep it for later requests."""
        self.failures[key] = Failure(code, diagnostic)
        self.diagnostics.append(diagnostic)

    def _compute_safely(self, item: Item, lot: Decimal) -> ItemCost | None:
        try:
            if self._item_errors and item.code in self._item_errors:
                raise CostingError(self._item_errors[item.code])
            if item.replenishment == PHANTOM:
                raise CostingError(
                    Diagnostic.error(
                        "phantom-item",
                        f"item {item.code} is a phantom: it is never costed alone, its BOM and routing are "
                        "exploded into each parent",
                        item.span,
                        f"cost an item that uses {item.code}, or give it `replenishment prod-order`",
                    )
                )
            if item.replenishment == "purchase":
                return self._purchased(item, lot)
            return self._produced(item, lot)
        except CostingError as error:
            key = self.key(item.code, lot)
            if error.failure is not None:
                self.failures[key] = error.failure  # reported only if this item is asked for (see cost())
            else:
                assert error.diagnostic is not None, "a costing error has a diagnostic or a failure"
                self._fail(key, item.code, error.diagnostic)
            return None

    # ------------------------------------------------------------ helpers

    def _rounder(self, item: Item) -> Callable[[PlanLine | ConditionLine, Decimal], Decimal]:
        roundings = self.model.roundings

        def rounder(line: PlanLine | ConditionLine, value: Decimal) -> Decimal:
            code = line.round_method or item.rounding
            method = roundings.get(code) if code else None
            if method is None:
                where = f'line {line.position} "{line.description}"'
                if code is None:
                    raise CostingError(
                        Diagnostic.error(
                            "no-rounding-method",
                            f"{where} says `round` but item {item.code} has no rounding method",
                            line.span,
                            f"give item {item.code} a `rounding METHOD`, or write `round METHOD` on the line",
                        )
                    )
                raise CostingError(
                    Diagnostic.error(
                        "unknown-rounding",
                        f"{where} rounds with {code}, which is not a rounding method",
                        line.span,
                        "declare it with `rounding CODE nearest|up|down PRECISION`",
                    )
                )
            return apply_rounding(value, method)

        return rounder

    def _condition(self, item: Item, code: str | None, kind: str) -> ConditionPlan:
        plan = self.program.conditions.get(code) if code else None
        if plan is None:
            what = f"{kind} condition {code} is not defined" if code else f"item {item.code} has no {kind} condition"
            raise CostingError(
                Diagnostic.error(
                    "no-condition",
                    f"{what} (costing {item.code})",
                    item.span,
                    f"give the item `condition {kind} CODE`, or set `default {kind}` in setup",
                )
            )
        return plan

    def _element(self, element: str | None, plan: ConditionPlan, role: str, item: Item) -> str:
        if element is None:
            raise CostingError(
                Diagnostic.error(
                    "missing-element",
                    f"condition {plan.code} has no `{role}` element, needed to cost {item.code}",
                    plan.span,
                    f"add `{role} ELEMENT` to condition {plan.code}",
                )
            )
        return element

    def _step(
        self,
        steps: list[ExplainStep] | None,
        item: Item,
        element: str | None,
        amount: Decimal,
        source: str,
        detail: str,
        span: Span | None = None,
    ) -> None:
        if steps is not None:
            steps.append(ExplainStep(item.code, element, amount, source, detail, span or item.span))

    def _overheads(
        self,
        item: Item,
        plan: ConditionPlan,
        overhead: str | None,
        base: Decimal,
        vector: dict[str, Decimal],
        steps: list[ExplainStep] | None,
        *,
        base_setup: Decimal = ZERO,
        time: OperationTime | None = None,
        direct_rows: Mapping[str, Decimal] | None = None,
        base_text: str = "base",
    ) -> Decimal:
        """Add the condition's overhead lines to ``vector``; returns their sum."""
        total = ZERO
        for line, value in overhead_values(
            plan,
            base,
            base_setup=base_setup,
            time=time,
            rounder=self._rounder(item) if plan.rounds else None,
            row_base_extra=direct_rows,
        ):
            element = line.element or self._element(overhead, plan, "overhead", item)
            vector[element] = _add(vector[element], value) if element in vector else value  # _put, inlined
            total = _add(total, value)
            if steps is not None:
                self._step(
                    steps,
                    item,
                    element,
                    value,
                    f'{plan.code} line {line.position} "{line.description}"',
                    _line_detail(line, base, base_text, time),
                    line.span,
                )
        return total

    # ------------------------------------------------------------ purchased items

    def _purchased(self, item: Item, lot: Decimal) -> ItemCost:
        program = self.program
        steps: list[ExplainStep] | None = [] if self.explain else None
        cost_base = item.cost_base or self.model.setup.cost_base
        try:
            base, how = direct_cost(
                item,
                cost_base,
                program.prices.get(item.code, ()),
                program.discounts.get(item.code, ()),
                self.date,
                lot,
                self._rate_of,
            )
        except MissingRateError as error:
            raise CostingError(
                Diagnostic.error(
                    "no-exchange-rate",
                    f"the price line of {item.code} for vendor {error.line.vendor} is in {error.currency}, "
                    f"which has no exchange rate valid on {self.date.isoformat()}",
                    error.line.span,
                    f"add `exchange-rate {error.currency} from DATE RATE` with a date on or before "
                    f"{self.date.isoformat()}",
                )
            ) from None
        except UnknownUnitError as error:
            kind = "price" if isinstance(error.line, PriceLine) else "discount"
            what = f"the {kind} line of {item.code} for vendor {error.line.vendor}"
            raise CostingError(unknown_unit(what, error.line.per or "", item, error.line.span)) from None
        if base is None:
            raise CostingError(
                Diagnostic.error(
                    "no-valid-price",
                    f"item {item.code} has no price line valid on {self.date.isoformat()} "
                    f"for a quantity of {readable(lot)}",
                    item.span,
                    "add a `price` line for the item's vendor, or use another cost-base",
                )
            )
        plan = self._condition(item, item.material_condition or self.model.setup.default_material, "material")
        if plan.direct_sum is not None:
            base = plan.direct_sum
            how = f"{plan.code} direct lines " + ", ".join(f"{d.position} ({d.value})" for d in plan.direct_lines)
        base = internal(base)
        direct = self._element(plan.direct, plan, "direct", item)
        vector: dict[str, Decimal] = {direct: base}
        if steps is not None:
            self._step(
                steps,
                item,
                direct,
                base,
                f"{plan.code} direct",
                f"B = {base}: {how} (cost-base {cost_base})",
                plan.direct_lines[0].span if plan.direct_sum is not None else item.span,
            )
        if plan.overhead_lines:
            self._overheads(item, plan, plan.overhead, base, vector, steps, direct_rows=plan.direct_rows, base_text="B")
        else:
            self._master_overhead(item, plan, base, vector, steps, "B")
        return ItemCost(item, lot, vector, vector, (), tuple(steps or ()))

    def _rate_of(self, price: PriceLine) -> ExchangeRate | None:
        """The rate a price of ``price.vendor`` is converted at: None in the local currency."""
        vendor = self.model.vendors.get(price.vendor)
        currency = vendor.currency if vendor is not None else None
        if currency is None or currency == self.model.setup.currency:
            return None
        rate = self.program.rate_on(currency, self.date)
        if rate is None:
            raise MissingRateError(currency, price)
        return rate

    def _master_overhead(
        self,
        item: Item,
        plan: ConditionPlan,
        base: Decimal,
        vector: dict[str, Decimal],
        steps: list[ExplainStep] | None,
        base_text: str,
        overhead: str | None = None,
    ) -> Decimal:
        amount = internal(_add(_mul(base, _div(item.indirect_cost, HUNDRED)), item.overhead_rate))
        if amount:
            element = self._element(overhead or plan.overhead, plan, "overhead", item)
            _put(vector, element, amount)
            if steps is not None:
                self._step(
                    steps,
                    item,
                    element,
                    amount,
                    f"item {item.code} master data",
                    f"{base_text} {base} x indirect-cost {item.indirect_cost}% + overhead-rate {item.overhead_rate}",
                )
        return amount

    # ------------------------------------------------------------ produced and assembly items

    def _produced(self, item: Item, lot: Decimal) -> ItemCost:
        """Material from the BOM lines, the routing operations, the direct lines, then the overhead on both."""
        plan = self._condition(item, item.production_condition or self.model.setup.default_production, "production")
        direct_element, overhead_element = self._production_elements(item, plan)
        steps: list[ExplainStep] | None = [] if self.explain else None
        rolled: dict[str, Decimal] = {}
        single: dict[str, Decimal] = {}
        material = self._add_material(item, direct_element, rolled, steps)
        if item.bom:
            single[self._element(direct_element, plan, "direct", item)] = material
        operations = self._add_operations(item, lot, single, rolled, steps)
        capacity = ZERO
        for operation in operations:
            capacity = _add(capacity, _add(operation.direct, operation.overhead))
        own = self._production_own(item, plan, direct_element, overhead_element, _add(material, capacity), steps)
        for element, amount in own.items():
            _put(single, element, amount)
            _put(rolled, element, amount)
        if not (item.byproducts or item.coproducts or self.program.producers):
            return ItemCost(item, lot, single, rolled, operations, tuple(steps or ()))
        credits = self._credit_byproducts(item, plan, direct_element, single, rolled, steps)
        received = self._receive_share(item, plan, direct_element, single, rolled, steps)
        splits = split(item.code, item.coproducts, single, rolled) if item.coproducts else ()
        if steps is not None:
            for taken in splits:
                self._explain_split(steps, item, taken, taken.taken_single, -1, taken.line.span)
        joint = JointProducts(credits, tuple(_share(taken) for taken in splits), received)
        return ItemCost(item, lot, single, rolled, operations, tuple(steps or ()), joint, splits)

    def _credit_byproducts(
        self,
        item: Item,
        plan: ConditionPlan,
        direct_element: str | None,
        single: dict[str, Decimal],
        rolled: dict[str, Decimal],
        steps: list[ExplainStep] | None,
    ) -> tuple[ByProductCredit, ...]:
        """Each by-product's quantity x value (its ``value``, else its own unit cost), taken off the
        production condition's direct element of both breakdowns, after the overhead."""
        credits = []
        for line in item.byproducts:
            if line.value is None:
                cost = self.memo.get(line.item)
                if cost is None:
                    raise CostingError(None, Failure(item.code, component=self.failures[line.item], line=line))
                value, valued_at = cost.unit_cost, "cost"
            else:
                value, valued_at = line.value, "value"
            credit = internal(_mul(line.quantity, value))
            element = self._element(direct_element, plan, "direct", item)
            for vector in (single, rolled):
                vector[element] = CONTEXT.subtract(vector.get(element, ZERO), credit)
            credits.append(ByProductCredit(line.item, line.quantity, value, valued_at, credit, element))
            if steps is not None:
                self._step(
                    steps,
                    item,
                    element,
                    -credit,
                    f"by-product {line.item}",
                    f"credit: quantity {line.quantity} x {'value' if line.value is not None else 'unit cost'} "
                    f"{value} (after the overhead: its base stays gross)",
                    line.span,
                )
        return tuple(credits)

    def _receive_share(
        self,
        item: Item,
        plan: ConditionPlan,
        direct_element: str | None,
        single: dict[str, Decimal],
        rolled: dict[str, Decimal],
        steps: list[ExplainStep] | None,
    ) -> CoProductShare | None:
        """For a co-product: its share of its producer, element by element, added to both breakdowns."""
        producer = self.program.producers.get(item.code)
        if producer is None:
            return None
        cost = self.memo.get(producer)
        if cost is None:
            line = next(c for c in self._items[producer].coproducts if c.item == item.code)
            raise CostingError(None, Failure(item.code, component=self.failures[producer], line=line))
        taken = next(s for s in cost.splits if s.line.item == item.code)
        for vector, part in ((single, taken.unit_single), (rolled, taken.unit_rolled)):
            for element, amount in part.items():
                _put(vector, element, amount)
        if steps is not None:
            self._explain_split(steps, item, taken, taken.unit_single, 1, taken.line.span)
        return _share(taken)

    def _explain_split(
        self,
        steps: list[ExplainStep],
        item: Item,
        taken: Split,
        part: Mapping[str, Decimal],
        sign: int,
        span: Span | None,
    ) -> None:
        line = taken.line
        for element, amount in part.items():
            if not amount:
                continue
            if sign < 0:
                source, detail = f"co-product {line.item}", f"share {line.share}% of {element} goes to {line.item}"
            else:
                source = f"co-product of {taken.producer}"
                detail = f"share {line.share}% of {taken.producer}'s {element} / quantity {line.quantity}"
            self._step(steps, item, element, -amount if sign < 0 else amount, source, detail, span)

    def _production_elements(self, item: Item, plan: ConditionPlan) -> tuple[str | None, str | None]:
        """The direct and overhead elements of a produced item: the setup's `assembly` ones replace the plan's."""
        if item.replenishment == "assembly":
            setup = self.model.setup
            return setup.assembly_direct or plan.direct, setup.assembly_overhead or plan.overhead
        return plan.direct, plan.overhead

    def _add_material(
        self, item: Item, direct_element: str | None, rolled: dict[str, Decimal], steps: list[ExplainStep] | None
    ) -> Decimal:
        """Add each BOM line's component vector times its quantity to ``rolled``; returns the material amount.

        The material amount (single-level) is the sum of exactly the amounts
        added here, all at the internal scale, so it is exact and the two
        breakdowns' totals are equal.
        """
        memo = self.memo
        components = self.bom_of(item)
        self._bom.pop(item.code, None)  # not kept (memory): node() rebuilds it when a costing BOM is asked for
        rounders, lowest, highest = ROUNDERS, LOWEST, HIGHEST
        # The operators (``amount * quantity``) in CONTEXT, made the thread's context for the loop, rather
        # than CONTEXT.multiply(amount, quantity): the same operation without parsing a tuple of arguments
        # per call, the roll-up's most frequent one (docs/costing.md, "Operators in the material loop").
        with localcontext(CONTEXT):
            for key, quantity, line in components:
                component = memo.get(key)
                if component is None:
                    raise CostingError(None, Failure(item.code, component=self.failures[key], line=line))
                for element, amount in component.rolled.items():
                    value = amount * quantity
                    # scale.internal inlined: the roll-up's hot spot (tests/costing/test_scale.py holds the two equal)
                    adjusted = value.adjusted()
                    if lowest <= adjusted <= highest:
                        value = rounders[adjusted - lowest](value)
                    elif adjusted < lowest:
                        value = internal(value)
                    rolled[element] = rolled[element] + value if element in rolled else value
                if steps is not None:
                    self._explain_bom_line(steps, item, direct_element, line, quantity, component)
            material = ZERO
            for amount in rolled.values():
                material = material + amount
        return material

    def _explain_bom_line(
        self,
        steps: list[ExplainStep],
        item: Item,
        element: str | None,
        line: BomLine,
        quantity: Decimal,
        component: ItemCost,
    ) -> None:
        share = ZERO
        for amount in component.rolled.values():
            share = _add(share, internal(_mul(amount, quantity)))
        self._step(
            steps,
            item,
            element,
            share,
            f"BOM line {line.component}",
            f"quantity {line.quantity}{_in_unit(line, self._items)} x (1 + scrap {line.scrap}%)"
            f" x (1 + item scrap {item.scrap}%)"
            f" = {quantity} x unit cost {component.unit_cost}"
            f" (each element amount x {quantity}, to {PLACES} places)"
            f"{_version_note('BOM', item.bom_version) if line.phantom is None else ', from phantom ' + line.phantom}",
            line.span,
        )

    def _add_operations(
        self,
        item: Item,
        lot: Decimal,
        single: dict[str, Decimal],
        rolled: dict[str, Decimal],
        steps: list[ExplainStep] | None,
    ) -> tuple[CostedOperation, ...]:
        """Cost each routing operation for ``lot`` and add its amounts to both breakdowns."""
        run_factor = scrap_factor(item.scrap) if item.scrap else None
        operations = []
        for routing in item.routing:
            resource = self.program.resources.get(routing.resource)
            if resource is None:
                raise CostingError(
                    Diagnostic.error(
                        "unknown-resource",
                        f"routing operation {routing.operation} of {item.code} uses "
                        f"{routing.resource}, which is neither a work center nor a machine center",
                        routing.span,
                        "declare the work center or machine center",
                    )
                )
            run = routing.run_seconds if run_factor is None else _mul(routing.run_seconds, run_factor)
            if routing.phantom is None:
                operation, note = routing.operation, _version_note("routing", item.routing_version)
            else:  # the phantom's routing: the version valid for the phantom, not the parent's
                operation, note = f"{routing.phantom} {routing.operation}", ""
            operations.append(
                self._operation(item, lot, operation, resource, run, routing.setup_seconds, single, rolled, steps, note)
            )
        return tuple(operations)

    def _add_direct_lines(
        self,
        item: Item,
        plan: ConditionPlan,
        direct_element: str | None,
        own: dict[str, Decimal],
        steps: list[ExplainStep] | None,
    ) -> None:
        """The production condition's direct lines: direct manufacturing cost, not part of the overhead base."""
        if not plan.direct_lines:
            return
        element = self._element(direct_element, plan, "direct", item)
        for line in plan.direct_lines:
            value = internal(line.value)
            _put(own, element, value)
            if steps is not None:
                self._step(
                    steps,
                    item,
                    element,
                    value,
                    f'{plan.code} line {line.position} "{line.description}"',
                    f"amount {line.value} (direct manufacturing cost, not part of the overhead base)",
                    line.span,
                )

    def _add_production_overhead(
        self,
        item: Item,
        plan: ConditionPlan,
        overhead_element: str | None,
        base: Decimal,
        own: dict[str, Decimal],
        steps: list[ExplainStep] | None,
    ) -> None:
        """Manufacturing overhead on ``base`` (material + capacity): the condition's lines, else the master data."""
        if plan.overhead_lines:
            self._overheads(
                item,
                plan,
                overhead_element,
                base,
                own,
                steps,
                direct_rows=plan.direct_rows,
                base_text="material + capacity",
            )
        else:
            self._master_overhead(item, plan, base, own, steps, "material + capacity", overhead_element)

    def production_amounts(
        self, item: Item, base: Decimal, steps: list[ExplainStep] | None = None
    ) -> dict[str, Decimal]:
        """What the item's production condition adds per unit on top of material and capacity:
        its direct lines (not part of the base), then its overhead on ``base`` (material +
        capacity per unit), or the item master's overhead; element -> amount.  Production
        orders reuse it for their manufacturing overhead (:mod:`costsheet.valuation.orders`)."""
        plan = self._condition(item, item.production_condition or self.model.setup.default_production, "production")
        direct_element, overhead_element = self._production_elements(item, plan)
        return self._production_own(item, plan, direct_element, overhead_element, base, steps)

    def _production_own(
        self,
        item: Item,
        plan: ConditionPlan,
        direct_element: str | None,
        overhead_element: str | None,
        base: Decimal,
        steps: list[ExplainStep] | None,
    ) -> dict[str, Decimal]:
        """:meth:`production_amounts` once the plan and its elements are known (``_produced`` knows them)."""
        own: dict[str, Decimal] = {}
        self._add_direct_lines(item, plan, direct_element, own, steps)
        self._add_production_overhead(item, plan, overhead_element, base, own, steps)
        return own

    # ------------------------------------------------------------ routing operations

    def _operation(
        self,
        item: Item,
        lot: Decimal,
        operation: str,
        resource: ResourcePlan,
        run: Decimal,
        setup_seconds: Decimal,
        single: dict[str, Decimal],
        rolled: dict[str, Decimal],
        steps: list[ExplainStep] | None,
        note: str = "",
    ) -> CostedOperation:
        """One operation on ``resource`` for ``lot``: the direct cost at the resource's rate, then its overhead
        (``note``: what the explain step of the direct cost adds, e.g. the routing version)."""
        own, direct, overhead, numerator = self.operation_amounts(
            item, lot, operation, resource, run, setup_seconds, steps, note
        )
        for code, amount in own.items():
            single[code] = _add(single[code], amount) if code in single else amount
            rolled[code] = _add(rolled[code], amount) if code in rolled else amount
        return CostedOperation(operation, resource.code, numerator, lot, direct, overhead)

    def operation_amounts(
        self,
        item: Item,
        lot: Decimal,
        operation: str,
        resource: ResourcePlan,
        run: Decimal,
        setup_seconds: Decimal,
        steps: list[ExplainStep] | None = None,
        note: str = "",
    ) -> tuple[dict[str, Decimal], Decimal, Decimal, Decimal]:
        """The cost per unit of ``item`` of ``run`` seconds per unit and ``setup_seconds`` per lot of
        ``lot`` on ``resource``: ``(element -> amount, direct, overhead, time numerator)``.  With a
        lot of 1 it is the cost of that much time; production orders reuse it for their capacity
        lines (:mod:`costsheet.valuation.orders`)."""
        plan = resource.condition
        if plan is None:
            kind = "subcontract" if resource.subcontracted else "capacity"
            raise CostingError(
                Diagnostic.error(
                    "no-condition",
                    f"{resource.code} has no capacity condition (costing {item.code})",
                    resource.span,
                    f"give {resource.code} a `condition CODE`, or set `default {kind}` in setup",
                )
            )
        time = OperationTime(_add(_mul(run, lot), setup_seconds), setup_seconds, lot)  # one division at the end
        rate = resource.rate
        direct = internal(per_time(rate.amount, rate.per_seconds, time.numerator, lot))
        element = plan.direct or self._element(None, plan, "direct", item)
        own: dict[str, Decimal] = {element: direct}
        if steps is not None:
            self._step(
                steps,
                item,
                element,
                direct,
                f"operation {operation} on {resource.code}",
                f"rate {rate.amount}/{_unit(rate)}"
                f"{' (condition ' + plan.code + ')' if resource.rate_from_condition else ''}"
                f" x time {_div(time.numerator, lot)}s (run {run}s + setup {setup_seconds}s / lot {lot}){note}",
                resource.span,
            )
        if plan.overhead_lines:
            overhead = self._capacity_overhead(item, plan, resource, time, direct, own, steps)
        else:
            overhead = self._resource_overhead(item, plan, resource, time, direct, own, steps)
        return own, direct, overhead, time.numerator

    def _capacity_overhead(
        self,
        item: Item,
        plan: ConditionPlan,
        resource: ResourcePlan,
        time: OperationTime,
        direct: Decimal,
        own: dict[str, Decimal],
        steps: list[ExplainStep] | None,
    ) -> Decimal:
        """The capacity condition's overhead lines for one operation; returns their sum."""
        direct_setup = ZERO  # the setup part's direct cost: the base of `setup-only` percent lines
        if time.setup and plan.setup_percent:
            rate = resource.rate
            direct_setup = internal(per_time(rate.amount, rate.per_seconds, time.setup, time.lot))
        direct_rows = None
        if plan.direct_rows:
            direct_rows = {
                row: internal(per_time(amount, 3600, time.numerator, time.lot))
                for row, amount in plan.direct_rows.items()
            }
        return self._overheads(
            item,
            plan,
            plan.overhead,
            direct,
            own,
            steps,
            base_setup=direct_setup,
            time=time,
            direct_rows=direct_rows,
            base_text="direct capacity",
        )

    def _resource_overhead(
        self,
        item: Item,
        plan: ConditionPlan,
        resource: ResourcePlan,
        time: OperationTime,
        direct: Decimal,
        own: dict[str, Decimal],
        steps: list[ExplainStep] | None,
    ) -> Decimal:
        """Without overhead lines: direct x the resource's indirect-cost % + its overhead rate for the time."""
        overhead_rate = resource.overhead_rate
        overhead = internal(
            _add(
                _mul(direct, _div(resource.indirect_cost, HUNDRED)),
                per_time(overhead_rate.amount, overhead_rate.per_seconds, time.numerator, time.lot),
            )
        )
        if overhead:
            element = self._element(plan.overhead, plan, "overhead", item)
            _put(own, element, overhead)
            if steps is not None:
                self._step(
                    steps,
                    item,
                    element,
                    overhead,
                    f"{resource.code} master data",
                    f"direct {direct} x indirect-cost {resource.indirect_cost}% + overhead-rate "
                    f"{overhead_rate.amount}/{_unit(overhead_rate)} x time {_div(time.numerator, time.lot)}s",
                    resource.span,
                )
        return overhead

    # ------------------------------------------------------------ costing BOM

    def _components(self, key: Key) -> tuple[PreparedLine, ...]:
        cost = self.memo[key]
        assert cost is not None, "only costed items have a costing BOM"
        item = cost.item
        return () if item.replenishment == "purchase" else self.bom_of(item)

    def visited(self, key: Key) -> tuple[Key, ...]:
        """The memo keys of every item the calculation of ``key`` visited (``key`` first), each once."""
        seen: dict[Key, None] = {}
        stack = [key]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen[current] = None
            stack.extend(child for child, _, _ in reversed(self._components(current)))
            item = self._items.get(self.split(current)[0])
            if item is not None and item.code in self.program.joint:
                stack.extend(child for child, _ in reversed(self.joint_inputs(item)))
        return tuple(seen)

    def node(self, key: Key) -> BomNode:
        """The costing-BOM node of a costed item; nodes are shared: each item once, a DAG in memory."""
        cached = self._nodes.get(key)
        if cached is not None:
            return cached
        order: list[Key] = []
        stack = [key]
        seen: set[Key] = set()
        while stack:  # post-order without recursion
            current = stack.pop()
            if current in self._nodes:
                continue
            if current in seen:
                order.append(current)
                continue
            seen.add(current)
            stack.append(current)
            stack.extend(child for child, _, _ in self._components(current) if child not in self._nodes)
        for current in order:
            if current in self._nodes:
                continue
            cost = self.memo[current]
            assert cost is not None, "only costed items have a costing BOM"
            single, rolled = cost.single, cost.rolled
            self._nodes[current] = BomNode(
                item=cost.item.code,
                description=cost.item.description,
                replenishment=cost.item.replenishment,
                lot_size=cost.lot,
                bom_version=cost.item.bom_version,
                routing_version=cost.item.routing_version,
                joint=cost.joint,
                unit_cost=cost.unit_cost,
                components=tuple(
                    BomComponent(q, self._nodes[child], line.phantom) for child, q, line in self._components(current)
                ),
                operations=tuple(operation.result() for operation in cost.operations),
                elements=tuple(
                    ElementAmount(code, single.get(code, ZERO), rolled.get(code, ZERO))
                    for code in self.program.chart_order(single, rolled)
                    if single.get(code) or rolled.get(code)
                ),
            )
            self._bom.pop(cost.item.code, None)
        return self._nodes[key]


def _share(taken: Split) -> CoProductShare:
    line = taken.line
    parts = {code: amount for code, amount in taken.taken_rolled.items() if amount}
    amount, outgoing = outgoing_parts(taken.taken, list(parts.values()))  # the elements add up to the amount
    elements = dict(zip(parts, outgoing, strict=True))
    return CoProductShare(taken.producer, line.item, line.quantity, line.share, amount, taken.unit_cost, elements)


def _unknown_unit(item: Item, line: BomLine, component: Item) -> Diagnostic:
    return unknown_unit(f"the BOM line of {line.component} in item {item.code}", line.unit or "", component, line.span)


def _no_valid_version(item: Item, kinds: tuple[str, ...], date: dt.date) -> Diagnostic:
    versions = item.bom_versions if kinds[0] == "bom" else item.routing_versions
    first = min(v.starting for v in versions if v.starting is not None)
    what = " and ".join(kinds)
    return Diagnostic.error(
        "no-valid-version",
        f"item {item.code} has no {what} version valid on {date.isoformat()} (the first is from {first.isoformat()})",
        item.span,
        f"cost on or after {first.isoformat()}, or add an undated `{kinds[0]} {{ ... }}` valid from the beginning",
    )


def _in_unit(line: BomLine, items: Mapping[str, Item]) -> str:
    """`` BOX (x 100 = 36 PCS)`` for a line in a unit of measure, else nothing."""
    if line.unit is None:
        return ""
    component = items[line.component]
    factor = component.unit_factor(line.unit)
    return f" {line.unit} (x {factor} = {base_quantity(line, items)} {component.unit or 'base units'})"


def _unit(rate: Rate) -> str:
    return {1: "s", 60: "min", 3600: "h", 86400: "d"}.get(rate.per_seconds, f"{rate.per_seconds}s")


def _line_detail(line: PlanLine, base: Decimal, base_text: str, time: OperationTime | None) -> str:
    parts = []
    if line.percent:
        if line.row:
            parts.append(f"percent {line.value} of row {line.row}")
        else:
            parts.append(
                f"percent {line.value} of {base_text}{' (setup part)' if line.setup_only else ''}"
                + ("" if line.setup_only else f" {base}")
            )
    else:
        per_hour = f"/h x time{' (setup only)' if line.setup_only else ''}" if time is not None else ""
        parts.append(f"amount {line.value}{per_hour}" + (f", adds to row {line.row}" if line.row else ""))
    if line.allocation is not None:
        parts.append(f"allocation {format(_mul(line.allocation, HUNDRED).normalize(), 'f')}%")
    if line.round:
        parts.append(f"rounded{' by ' + line.round_method if line.round_method else ''}")
    return ", ".join(parts)


def _version_note(kind: str, version: str | None) -> str:
    """What an explain step adds for a dated BOM or routing version (nothing for an undated one)."""
    return "" if version in (None, "undated") else f", {kind} version {version}"
