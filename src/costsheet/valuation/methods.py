"""The costing methods: an enum and the table of functions that value a group.

FIFO, LIFO, specific and standard share one function (they differ in which
open increase a decrease takes and in what an increase is worth); the two
periodic averages share another.  The rules of each are in docs/valuation.md
("The methods").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial

from ..model import frozen_map
from ..vocabulary import CostingMethod
from .application import value_by_application
from .moving import value_moving_average
from .periodic import value_periodic
from .prepare import Book, Group

__all__ = ["CostingMethod", "METHODS"]


#: method -> function(group, book) returning the value on hand; a new method is one entry here
METHODS: Mapping[CostingMethod, Callable[[Group, Book], Decimal]] = frozen_map(
    {
        CostingMethod.FIFO: partial(value_by_application, newest_first=False),
        CostingMethod.LIFO: partial(value_by_application, newest_first=True),
        # decreases name their increase (applies-to): the order only matters when one is used up
        CostingMethod.SPECIFIC: partial(value_by_application, newest_first=False),
        # like FIFO, increases at the standard cost (application.increase_value)
        CostingMethod.STANDARD: partial(value_by_application, newest_first=False),
        CostingMethod.AVERAGE: partial(value_periodic, settle=False),
        CostingMethod.WEIGHTED_AVERAGE: partial(value_periodic, settle=True),
        CostingMethod.MOVING_AVERAGE: value_moving_average,
    }
)
