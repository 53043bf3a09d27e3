"""Queues kept in date order: what the application loops and the integer loop share."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from typing import TypeVar

__all__ = ["insert_by_date"]

T = TypeVar("T")


def insert_by_date(queue: deque[T], item: T, date_of: Callable[[T], dt.date]) -> None:
    """Append ``item`` to ``queue`` (kept in (date, entry number) order), or insert it in place
    when it is back-dated.  ``date_of`` reads an item's date."""
    date = date_of(item)
    if not queue or date_of(queue[-1]) <= date:
        queue.append(item)
        return
    index = len(queue)
    while index and date_of(queue[index - 1]) > date:
        index -= 1
    queue.insert(index, item)
