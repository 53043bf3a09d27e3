"""The costing methods: an enum and the table of functions that value a group.

FIFO, LIFO, specific and standard share one function (they differ in which
open increase a decrease takes and in what an increase is worth); Business
Central's average has its own; the four Finance & Operations inventory close
models share the close (:mod:`.closing`) and differ in how a close settles:
the weighted averages by a pool (per period, or per day), the LIFO models by
receipt (:mod:`.lifo_close`).  The rules of each are in docs/valuation.md
("The methods").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial

import attrs

from ..model import frozen_map
from ..vocabulary import AverageCostPeriod, CostingMethod
from .application import value_by_application
from .closing import pool_settler, value_closing
from .closing_plain import LIFO_DATE, PERIODIC_LIFO, POOL
from .lifo_close import lifo_date_settler, periodic_lifo_settler
from .moving import value_moving_average
from .periodic import value_periodic
from .prepare import Book, Group

__all__ = ["CostingMethod", "Method", "METHODS"]


@attrs.frozen
class Method:
    """How a costing method values a group: ``value(group, book)`` returns the value on hand.

    ``closing``: an F&O inventory close model (expected costs are physical
    until their invoice, docs/valuation.md "Expected cost"); ``pool_period``:
    the period its averages are taken over, when shorter than the
    average-cost period it closes.
    """

    value: Callable[[Group, Book], Decimal]
    closing: bool = False
    pool_period: AverageCostPeriod | None = None


#: method -> how it values a group; a new method is one entry here
METHODS: Mapping[CostingMethod, Method] = frozen_map(
    {
        CostingMethod.FIFO: Method(partial(value_by_application, newest_first=False)),
        CostingMethod.LIFO: Method(partial(value_by_application, newest_first=True)),
        # decreases name their increase (applies-to): the order only matters when one is used up
        CostingMethod.SPECIFIC: Method(partial(value_by_application, newest_first=False)),
        # like FIFO, increases at the standard cost (application.increase_value)
        CostingMethod.STANDARD: Method(partial(value_by_application, newest_first=False)),
        CostingMethod.AVERAGE: Method(value_periodic),
        CostingMethod.MOVING_AVERAGE: Method(value_moving_average),
        # F&O's inventory close models: posted at the running average, settled at each close
        CostingMethod.WEIGHTED_AVERAGE: Method(partial(value_closing, settler=pool_settler, plain=POOL), closing=True),
        CostingMethod.WEIGHTED_AVERAGE_DATE: Method(
            partial(value_closing, settler=pool_settler, plain=POOL), closing=True, pool_period=AverageCostPeriod.DAY
        ),
        CostingMethod.PERIODIC_LIFO: Method(
            partial(value_closing, settler=periodic_lifo_settler, plain=PERIODIC_LIFO), closing=True
        ),
        CostingMethod.LIFO_DATE: Method(
            partial(value_closing, settler=lifo_date_settler, plain=LIFO_DATE), closing=True
        ),
    }
)
