"""Production orders with actual cost (docs/valuation.md, "Production orders").

As Business Central posts them ("Design details: production order posting" and
"variance"): an order's actual cost is what it consumed (the consumed entries' final,
adjusted costs), the capacity it used (each capacity line's time at the resource's direct
unit cost, with the resource's capacity condition) and the manufacturing overhead of the
produced item's production condition, applied when output is posted.  The actual cost flows
to the order's outputs by quantity; while there is no output it is work in process.  A
``standard`` item's outputs are valued at its standard cost on their dates
(:func:`costsheet.standards.standard_cost_on`), and each kind's difference between the actual
cost and the standard shares the outputs carry is a production variance of that kind.

The amounts come from the costing engine's own condition evaluation
(:meth:`costsheet.costing.Calculator.operation_amounts` for a capacity line,
:meth:`costsheet.costing.Calculator.production_amounts` for the manufacturing
overhead), so an order's actual cost and the item's calculated cost follow one set of rules.

The steps, one function or record each:

1. :func:`costsheet.orders.collect_orders` reads every ledger once into an
   :class:`~costsheet.orders.OrderLines` per order.
2. :func:`costsheet.orders.production_graph` says which items each item is made from (its
   orders' consumption), and :func:`valuation_sequence` puts components before the items
   made from them.
3. :class:`OrderCosting` costs one order once its components are valued
   (:class:`OrderCost`: the actual cost by source and kind, and each output's value).
4. :class:`Production` runs them inside one :func:`costsheet.valuation.value` call: it keeps
   the consumption entries' costs as the components are valued, costs the orders of an item
   before its ledger is valued, and gives the outputs their cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from ..diagnostics import Diagnostic
from ..model import KIND_OF_GROUP, CapacityUse, CostKind, Ledger, LedgerEntry, Model
from ..numbers import ONE, ZERO
from ..orders import OrderLines, collect_orders, naming_orders, on_cycles, production_graph
from ..standards import StandardTable, standard_cost_on, standard_table
from .prepare import Book, Rounder, make_rounder
from .result import OrderValuation, ProductionVariance

if TYPE_CHECKING:
    from ..costing import Calculator
    from ..model import Item

__all__ = ["OrderCost", "OrderCosting", "Production", "valuation_sequence"]


def valuation_sequence(
    codes: Iterable[str], graph: Mapping[str, tuple[str, ...]], ledgers: Mapping[str, Ledger]
) -> list[str]:
    """The items of ``codes`` and every item they are made from (with a ledger), components
    first, otherwise in the order given; a cycle is cut where it closes (the checker reports it)."""
    order: dict[str, None] = {}
    visiting: set[str] = set()
    for root in codes:
        if root in order:
            continue
        stack = [(root, iter(graph.get(root, ())))]
        visiting.add(root)
        while stack:
            code, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                visiting.discard(code)
                if code in ledgers:
                    order[code] = None
            elif child not in order and child not in visiting:
                visiting.add(child)
                stack.append((child, iter(graph.get(child, ()))))
    return list(order)


# ---------------------------------------------------------------- one order's cost


@attrs.frozen
class OrderCost:
    """One order costed: its valuation (None when nothing of it is dated on or before the
    valuation date) and the value of each output (entry number -> amount; for a standard item
    the standard cost its ledger books as well)."""

    valuation: OrderValuation | None
    outputs: Mapping[int, Decimal]


#: the kinds of cost by name, in CostKind order (names: enum members are slow to read in a hot loop)
_KINDS = tuple(kind.value for kind in CostKind)
_MATERIAL, _CAPACITY_OVERHEAD, _MFG_OVERHEAD = (
    CostKind.MATERIAL.value,
    CostKind.CAPACITY_OVERHEAD.value,
    CostKind.MFG_OVERHEAD.value,
)


class _Amounts:
    """The actual cost of an order as it is added up: by source (consumption, capacity,
    overhead) and by kind.  Every amount added is already rounded, and they start at ``zero``
    (0 at the amount precision), so the sums need no rounding of their own."""

    __slots__ = ("capacity", "consumption", "kinds", "overhead")

    def __init__(self, zero: Decimal) -> None:
        self.consumption = self.capacity = self.overhead = zero
        self.kinds = dict.fromkeys(_KINDS, zero)

    @property
    def total(self) -> Decimal:
        return self.consumption + self.capacity + self.overhead


class OrderCosting:
    """Costs orders with the costing engine's condition evaluation; one per valuation.

    The costing program is compiled on first use (only rulesets with orders pay for it)."""

    def __init__(self, model: Model, tables: Mapping[str, StandardTable] | None = None):
        self.model = model
        self.round: Rounder = make_rounder(model.setup.amount_precision)
        self.zero = self.round(ZERO)
        self.tables = tables or {}
        self._calculator: Calculator | None = None
        self._kind_of: dict[str, str] = {}  # element -> the name of its kind of cost
        # imported here: a valuation without orders never loads the costing engine
        from ..costing import CostingError, internal

        self._error = CostingError
        self._internal = internal
        self._shares: dict[tuple[str, dt.date | None, dt.date | None], Mapping[CostKind, Decimal]] = {}

    @property
    def calculator(self) -> Calculator:
        if self._calculator is None:
            from ..costing import Calculator, plan_program

            program = plan_program(self.model)
            # conditions do not depend on the date: a calculator of any date evaluates them alike
            self._calculator = Calculator(program, dt.date.today())
            self._kind_of = {
                element: KIND_OF_GROUP[group].value
                for element, group in program.groups.items()
                if group is not None and group in KIND_OF_GROUP
            }
        return self._calculator

    def cost(
        self, order: OrderLines, consumed: Mapping[tuple[str, int], Decimal], as_of: dt.date | None
    ) -> tuple[OrderCost | None, tuple[Diagnostic, ...]]:
        """Cost ``order`` from the costs of its consumption entries (``consumed``: (item, entry
        number) -> cost amount, for every entry valued); lines dated after ``as_of`` are left out.
        None, with the diagnostics, when a condition cannot be evaluated."""
        rnd = self.round
        amounts = _Amounts(self.zero)
        started = False  # some line of the order is dated on or before as_of
        for item, entry in order.consumption:
            cost = consumed.get((item, entry.number))
            if cost is not None:  # not valued: dated after as_of
                amounts.consumption -= cost
                started = True
        amounts.kinds[_MATERIAL] = amounts.consumption
        outputs = [entry for _, entry in order.outputs if as_of is None or entry.date <= as_of]
        capacities = [use for _, use in order.capacities if as_of is None or use.date <= as_of]
        if not (started or outputs or capacities):
            return OrderCost(None, {}), ()
        quantity = sum((entry.quantity for entry in outputs), ZERO)
        produced = self.model.items.get(order.item) if order.item is not None else None
        try:
            for use in capacities:
                assert produced is not None, "capacity lines are in the produced item's ledger: produced is known"
                self._capacity(produced, use, amounts)
            if quantity > 0 and produced is not None:
                self._manufacturing_overhead(produced, quantity, amounts)
        except self._error as error:
            return None, (error.diagnostic,) if error.diagnostic is not None else ()
        actual = amounts.total
        values: dict[int, Decimal] = {}
        variances: tuple[ProductionVariance, ...] = ()
        diagnostics: tuple[Diagnostic, ...] = ()
        kinds = amounts.kinds
        if quantity > 0 and produced is not None and produced.costing_method == "standard":
            standard, diagnostics = self._standard_outputs(produced.code, outputs, values)
            if standard is None:
                return None, diagnostics
            variances = tuple(
                ProductionVariance(kind, kinds[kind] - standard[kind])
                for kind in _KINDS
                if kinds[kind] != standard[kind]
            )
        elif quantity > 0:
            _by_quantity(actual, outputs, quantity, rnd, values)
        output = sum(values.values(), self.zero)
        valuation = OrderValuation(
            order.code,
            order.item,
            amounts.consumption,
            amounts.capacity,
            amounts.overhead,
            output,
            actual - output - sum((v.amount for v in variances), ZERO),
            quantity,
            kinds,
            variances,
        )
        return OrderCost(valuation, values), diagnostics

    def _capacity(self, produced: Item, use: CapacityUse, amounts: _Amounts) -> None:
        """One capacity line: its direct cost (``capacity``) and what the resource's capacity
        condition adds (``overhead``), each element's amount rounded and counted in its kind."""
        calculator = self.calculator
        resource = calculator.program.resources.get(use.resource)
        if resource is None:
            raise self._error(
                Diagnostic.error(
                    "unknown-resource",
                    f"a capacity line of order {use.order} names {use.resource}, which is neither "
                    "a work center nor a machine center",
                    use.span,
                    "declare the work center or machine center",
                )
            )
        own, direct, _, _ = calculator.operation_amounts(
            produced, ONE, "", resource, use.run_seconds, use.setup_seconds
        )
        rnd, kinds, kind_of = self.round, amounts.kinds, self._kind_of
        assert resource.condition is not None, "operation_amounts refuses a resource without a condition"
        direct_element = resource.condition.direct
        for element, amount in own.items():
            kind = kind_of.get(element, _CAPACITY_OVERHEAD)
            if element == direct_element:
                part = rnd(direct)
                amounts.capacity += part
                kinds[kind] += part
                amount -= direct
                if not amount:
                    continue
            part = rnd(amount)
            amounts.overhead += part
            kinds[kind] += part

    def _manufacturing_overhead(self, produced: Item, quantity: Decimal, amounts: _Amounts) -> None:
        """The production condition on the order's material and capacity (7.2.3), applied to the
        output quantity: evaluated per unit (base / quantity) and multiplied by the quantity, so
        percent lines apply to the whole base and amount lines count once per unit."""
        per_unit = self._internal(amounts.total / quantity)
        rnd, kinds, kind_of = self.round, amounts.kinds, self._kind_of
        for element, amount in self.calculator.production_amounts(produced, per_unit).items():
            part = rnd(amount * quantity)
            amounts.overhead += part
            kinds[kind_of.get(element, _MFG_OVERHEAD)] += part

    def _standard_outputs(
        self,
        item: str,
        outputs: list[LedgerEntry],
        values: dict[int, Decimal],
    ) -> tuple[dict[str, Decimal] | None, tuple[Diagnostic, ...]]:
        """Each output at the standard cost of its date (what the item's ledger books, rounded
        alike); returns the standard the outputs carry by kind: each output's value split by
        the shares, the rounding carried from kind to kind so the parts add up to the value."""
        rnd = self.round
        table = self.tables.get(item) or standard_table(self.model, item)
        carried = dict.fromkeys(_KINDS, ZERO)
        for entry in outputs:
            line = table.line_on(entry.date)
            key = (item, line.starting if line is not None else None, None if line is not None else entry.date)
            if key not in self._shares:
                standard, found = standard_cost_on(
                    self.model, item, entry.date, program=self.calculator.program, table=table
                )
                if standard is None:
                    return None, (
                        *found,
                        Diagnostic.error(
                            "standard-shares-not-costed",
                            f"the standard cost of {item} on {entry.date} has no shares, and {item} cannot be costed "
                            f"to find them, so order {entry.order}'s output is not valued",
                            entry.span,
                            f"give the standard its shares: `standard-cost {item} from DATE AMOUNT shares {{ ... }}`, "
                            f"or correct the costing errors of {item}",
                        ),
                    )
                self._shares[key] = standard.shares
            shares = self._shares[key]
            exact = sum(shares.values(), ZERO) * entry.quantity
            values[entry.number] = value = rnd(exact)
            running = ZERO
            placed = ZERO
            for kind, share in shares.items():
                running += share * entry.quantity
                part = (value if running == exact else rnd(running)) - placed
                carried[kind.value] += part
                placed += part
        return carried, ()


def _by_quantity(
    actual: Decimal, outputs: list[LedgerEntry], quantity: Decimal, rnd: Rounder, values: dict[int, Decimal]
) -> None:
    """``actual`` spread over the outputs by quantity, rounded, the residual carried from output
    to output so the values add up to ``actual`` exactly."""
    so_far = ZERO
    placed = ZERO
    for index, entry in enumerate(outputs):
        so_far += entry.quantity
        share = actual - placed if index == len(outputs) - 1 else rnd(actual * so_far / quantity) - placed
        values[entry.number] = share
        placed += share


def _with_cost(entry: LedgerEntry, cost: Decimal) -> LedgerEntry:
    """``entry`` with ``cost`` (as attrs.evolve, without its look at every field)."""
    return LedgerEntry(
        entry.number,
        entry.date,
        entry.type,
        entry.quantity,
        cost,
        entry.location,
        entry.variant,
        entry.applies_to,
        entry.order,
        span=entry.span,
    )


# ---------------------------------------------------------------- one valuation's orders


class Production:
    """The production orders of one :func:`~costsheet.valuation.value` call.

    Mutable, like :class:`~costsheet.valuation.prepare.Book`; lives inside one call.  The
    engine asks it for the :meth:`sequence` to value items in, tells it what each group's
    consumption entries cost (:meth:`remember`), has it cost the outputs of an item's ledger
    before valuing it (:meth:`cost_outputs`), and returns every order valued (:meth:`valued`).
    """

    def __init__(
        self,
        model: Model,
        orders: Mapping[str, OrderLines],
        as_of: dt.date | None,
        tables: Mapping[str, StandardTable] | None = None,
        named: Iterable[str] = (),
    ):
        self.model = model
        self.orders = orders
        self.named = frozenset(named)  # the items whose ledgers name an order
        self.as_of = as_of
        self.graph = production_graph(orders)
        # items on a cycle, and items whose orders' outputs or capacity are in two items' ledgers
        self.blocked = on_cycles(self.graph)
        for order in orders.values():
            places = {item for item, _ in (*order.outputs, *order.capacities)}
            if len(places) > 1:
                self.blocked |= places
        self.failed: set[str] = set()
        self.costing = OrderCosting(model, tables)
        self.consumed: dict[tuple[str, int], Decimal] = {}
        self.results: dict[str, OrderValuation] = {}
        self._consumption: dict[str, list[int]] = {}  # item -> its consumption entries' numbers
        self._produces: dict[str, list[OrderLines]] = {}
        for order in orders.values():
            for item, entry in order.consumption:
                self._consumption.setdefault(item, []).append(entry.number)
            if order.item is not None:
                self._produces.setdefault(order.item, []).append(order)

    @classmethod
    def of(
        cls, model: Model, as_of: dt.date | None, tables: Mapping[str, StandardTable] | None = None
    ) -> Production | None:
        """The production of ``model``, or None when no ledger names an order (nothing to do)."""
        named = naming_orders(model.ledgers.values())
        if not named:
            return None
        return cls(model, collect_orders(model, named), as_of, tables, (ledger.item for ledger in named))

    def sequence(self, item: str | None) -> list[str]:
        """The items to value, components first: every ledger, or ``item`` and what it is made from."""
        return valuation_sequence(self.model.ledgers if item is None else (item,), self.graph, self.model.ledgers)

    def remember(self, item: str, book: Book) -> None:
        """Keep what the consumption entries of a valued group cost."""
        numbers = self._consumption.get(item)
        if numbers:
            cost = book.costs()
            for number in numbers:
                if number in cost:
                    self.consumed[(item, number)] = cost[number]

    def cost_outputs(self, item: str, ledger: Ledger) -> tuple[Ledger | None, tuple[Diagnostic, ...]]:
        """Cost the orders that produce ``item`` and return its ledger with the outputs' costs
        (a standard item's outputs keep none: its ledger values them at the standard cost);
        None when an order cannot be costed (the diagnostics say why)."""
        orders = self._produces.get(item, ())
        if not orders and item not in self.blocked:
            return ledger, ()
        if item in self.blocked:
            self.failed.add(item)
            return None, ()
        for order in orders:
            failed = [component for component in order.components if component in self.failed]
            if failed:
                self.failed.add(item)
                where = order.outputs[0][1].span if order.outputs else order.capacities[0][1].span
                return None, (
                    Diagnostic.error(
                        "order-component-failed",
                        f"order {order.code} consumes {', '.join(failed)}, which cannot be valued, so {item} cannot be "
                        "valued either",
                        where,
                        f"fix the errors reported for the ledger of {failed[0]}",
                    ),
                )
        costs: dict[int, Decimal] = {}
        found: list[Diagnostic] = []
        for order in orders:
            costed, diagnostics = self.costing.cost(order, self.consumed, self.as_of)
            found.extend(diagnostics)
            if costed is None:
                self.failed.add(item)
                return None, tuple(found)
            if costed.valuation is not None:
                self.results[order.code] = costed.valuation
            costs.update(costed.outputs)
        if not costs or self.model.items[item].costing_method == "standard":
            return ledger, tuple(found)
        entries = tuple(
            _with_cost(entry, costs[entry.number]) if entry.number in costs else entry for entry in ledger.entries
        )
        return attrs.evolve(ledger, entries=entries), tuple(found)

    def valued(self) -> dict[str, OrderValuation]:
        """Every order valued, in the order the ledgers first name them; the orders that only
        consumption names (no output, no capacity line) are costed now: all work in process."""
        for order in self.orders.values():
            if (
                order.item is None
                and order.code not in self.results
                and not any(item in self.failed for item in order.components)
            ):
                costed, _ = self.costing.cost(order, self.consumed, self.as_of)
                if costed is not None and costed.valuation is not None:
                    self.results[order.code] = costed.valuation
        return {code: self.results[code] for code in self.orders if code in self.results}
