"""The costing methods: an enum and the table of functions that value a group.

FIFO, LIFO, specific and standard share one function (they differ in which
open increase a decrease takes and in what an increase is worth); the two
periodic averages share another.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from decimal import Decimal

from ..model import frozen_map
from .application import value_by_application
from .moving import value_moving_average
from .periodic import value_periodic
from .prepare import Book, Group

__all__ = ["CostingMethod", "METHODS"]


class CostingMethod(str, enum.Enum):
    FIFO = "fifo"
    LIFO = "lifo"
    AVERAGE = "average"
    MOVING_AVERAGE = "moving-average"
    WEIGHTED_AVERAGE = "weighted-average"
    SPECIFIC = "specific"
    STANDARD = "standard"


#: method -> function(group, book) returning the value on hand
METHODS: Mapping[CostingMethod, Callable[[Group, Book], Decimal]] = frozen_map({
    CostingMethod.FIFO: lambda group, book: value_by_application(group, book, newest_first=False),
    CostingMethod.LIFO: lambda group, book: value_by_application(group, book, newest_first=True),
    CostingMethod.SPECIFIC: lambda group, book: value_by_application(group, book, newest_first=False),
    CostingMethod.STANDARD: lambda group, book: value_by_application(group, book, newest_first=False),
    CostingMethod.AVERAGE: lambda group, book: value_periodic(group, book, settle=False),
    CostingMethod.WEIGHTED_AVERAGE: lambda group, book: value_periodic(group, book, settle=True),
    CostingMethod.MOVING_AVERAGE: value_moving_average,
})
