"""Finance & Operations' running average cost price: what an issue is posted at.

Until an inventory close settles it, every F&O issue is posted at the
running average (docs/valuation.md, "Posted at the running average"): (financial value +
physical value) / (financial quantity + physical quantity) on hand, the
physical parts counted only with setup ``include-physical-value yes``.  When
a physically updated receipt is invoiced, its invoiced value replaces its
physical value.  The average is the one after the last line that left the
counted quantity above zero; before there was one, the item's ``unit-cost``
(F&O's default cost price).  The last units on hand take all that is left,
so nothing on hand is worth nothing.

:class:`RunningAverage` holds that state; :func:`running_pass` feeds it the
lines of a group in written order and books each decrease's running cost.
The inventory close models restart it after each close from what the close
left on hand (:mod:`costsheet.valuation.closing`); the perpetual methods use
it for the issues that are physically updated only (:mod:`.physical`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from ..model import LedgerEntry
from ..numbers import ZERO
from ..vocabulary import CostingMethod
from .prepare import ChargeEvent, Group, InvoiceEvent, RevaluationEvent, Rounder
from .written import Line

__all__ = ["RunningAverage", "running_pass", "receipt_value"]


class RunningAverage:
    """The on-hand quantities and values behind the running average, financial and physical.

    Mutable; lives inside one call.
    """

    def __init__(self, rnd: Rounder, include_physical: bool, fallback: Decimal | None):
        self.rnd = rnd
        self.include_physical = include_physical
        self.fallback = fallback if fallback is not None else ZERO  # unit cost when no average is known
        self.quantity = self.value = ZERO  # financially updated
        self.physical_quantity = self.physical_value = ZERO  # physically updated only
        self.held: tuple[Decimal, Decimal] | None = None  # (value, quantity) of the last positive count
        # receipts physically received, their invoice still to come -> their charges so far
        self.awaiting: dict[int, Decimal] = {}

    def counted(self) -> tuple[Decimal, Decimal]:
        """(quantity, value) the average is taken over."""
        if self.include_physical:
            return self.quantity + self.physical_quantity, self.value + self.physical_value
        return self.quantity, self.value

    def _hold(self) -> None:
        quantity, value = self.counted()
        if quantity > 0:
            self.held = (value, quantity)

    def receive(self, quantity: Decimal, value: Decimal, physical: bool) -> None:
        if physical:
            self.physical_quantity += quantity
            self.physical_value += value
        else:
            self.quantity += quantity
            self.value += value
        self._hold()

    def estimate(self, issued: Decimal) -> Decimal:
        """What issuing ``issued`` units costs now (positive), without issuing them."""
        quantity, value = self.counted()
        if issued == quantity:
            return value
        if self.held is not None:
            held_value, held_quantity = self.held
            return self.rnd(held_value * issued / held_quantity)  # multiplied first: exact amounts stay exact
        return self.rnd(self.fallback * issued)

    def issue(self, issued: Decimal, physical: bool) -> Decimal:
        """Issue ``issued`` units at the running average; returns their value (positive)."""
        booked = self.estimate(issued)
        self.take(issued, booked, physical)
        return booked

    def take(self, quantity: Decimal, value: Decimal, physical: bool) -> None:
        """Remove ``quantity`` worth ``value`` (an issue valued elsewhere: a marked one)."""
        if physical:
            self.physical_quantity -= quantity
            self.physical_value -= value
        else:
            self.quantity -= quantity
            self.value -= value
        self._hold()

    def change(self, amount: Decimal, physical: bool) -> None:
        """A charge (or an invoice's difference) on a receipt that is on hand."""
        if physical:
            self.physical_value += amount
        else:
            self.value += amount
        self._hold()

    def invoice(self, quantity: Decimal, physical_value: Decimal, value: Decimal) -> None:
        """A physically updated receipt is invoiced: its invoiced value replaces its physical value."""
        self.physical_quantity -= quantity
        self.physical_value -= physical_value
        self.quantity += quantity
        self.value += value
        self._hold()

    def revalue(self, unit_cost: Decimal) -> Decimal:
        """Set the unit cost of the financial quantity on hand; returns the amount it adds."""
        if self.quantity <= 0:
            return ZERO
        target = self.rnd(unit_cost * self.quantity)
        amount = target - self.value
        self.value = target
        self._hold()
        return amount

    def reset(self, quantity: Decimal, value: Decimal, physical_quantity: Decimal, physical_value: Decimal) -> None:
        """Start again from what an inventory close left on hand."""
        self.quantity, self.value = quantity, value
        self.physical_quantity, self.physical_value = physical_quantity, physical_value
        self._hold()

    def on_hand(self) -> Decimal:
        """The value of everything on hand, physical included."""
        return self.value + self.physical_value


def receipt_value(group: Group, entry: LedgerEntry) -> Decimal:
    """What an increase is worth when received, as the running average sees it: an
    ``applies-from`` increase its decrease's value, a standard item its standard cost,
    an uninvoiced receipt its expected cost, any other its cost (0 without one)."""
    if entry.applies_from is not None:
        return group.returned.get(entry.number, ZERO)
    if group.method == CostingMethod.STANDARD:
        return group.round(group.standard_on(entry.date) * entry.quantity)
    cost = entry.cost if entry.cost is not None else entry.expected_cost
    return group.round(cost) if cost is not None else ZERO


def running_pass(
    group: Group,
    lines: Iterable[Line],
    state: RunningAverage,
    running: dict[int, Decimal],
    by_number: Mapping[int, LedgerEntry],
    *,
    valued: Callable[[LedgerEntry], Decimal | None] = lambda entry: None,
    revalued: Callable[[RevaluationEvent, Decimal], None] = lambda line, amount: None,
    revaluing: Callable[[RevaluationEvent], Decimal | None] = lambda line: None,
) -> None:
    """Feed ``lines`` (written order) to ``state``; each decrease's running cost (positive) goes to ``running``.

    ``valued`` gives the value of a decrease valued otherwise (a marked issue
    takes its receipt's cost), or None to post it at the running average;
    ``revalued`` is told what each revaluation added; ``revaluing`` gives what one adds to the
    value on hand (a revaluation of one receipt), or None to set the unit cost of everything
    on hand.
    """
    rnd = group.round
    awaiting = state.awaiting
    closing = group.closing
    marked = group.physical

    def physical(entry: LedgerEntry) -> bool:
        return entry.number in marked or entry.number in awaiting

    for line in lines:
        if isinstance(line, LedgerEntry):
            if line.quantity > 0:
                if closing and line.expected_cost is not None:
                    awaiting[line.number] = ZERO  # physically updated until its invoice
                state.receive(line.quantity, receipt_value(group, line), physical(line))
            else:
                issued = -line.quantity
                fixed = valued(line)
                if fixed is None:
                    running[line.number] = state.issue(issued, physical(line))
                else:
                    running[line.number] = fixed
                    state.take(issued, fixed, physical(line))
        elif isinstance(line, ChargeEvent):
            target = by_number.get(line.entry)
            if target is not None:
                amount = rnd(line.amount)
                if target.number in awaiting:
                    awaiting[target.number] += amount
                state.change(amount, physical(target))
        elif isinstance(line, InvoiceEvent):
            target = by_number[line.entry]
            if line.entry in awaiting:  # the receipt and its charges move to the financial side
                charged = awaiting.pop(line.entry)
                assert target.expected_cost is not None, "an entry awaiting its invoice has an expected cost"
                state.invoice(target.quantity, rnd(target.expected_cost) + charged, rnd(line.cost) + charged)
        else:
            added = revaluing(line)
            if added is None:
                added = state.revalue(line.unit_cost)
            else:
                state.change(added, False)
            revalued(line, added)
