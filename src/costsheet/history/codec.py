"""JSON text for the history store: Decimals as strings, floats refused.

``Numeric`` columns (and JSON numbers read as float) round-trip through binary
floating point; amounts in the store are therefore always text, both in the
columns and inside the stored result JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..numbers import D, to_text

__all__ = ["dumps", "loads", "plain"]


def plain(value: object) -> object:
    """``value`` as JSON-ready data: Decimals become text, tuples lists; a float is an error."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Decimal):
        return to_text(value)
    if isinstance(value, float):
        raise TypeError(f"a float ({value!r}) cannot be stored: amounts must be Decimal or text")
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    raise TypeError(f"cannot store a {type(value).__name__} in the history")


def dumps(value: object) -> str:
    """Compact, key-sorted JSON text of ``value`` (see :func:`plain`)."""
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads(text: str) -> object:
    """Parse stored JSON; any JSON number with a fraction comes back as a Decimal, never a float."""
    return json.loads(text, parse_float=D)


def loads_object(text: str) -> dict[str, Any]:
    """Stored JSON that must be an object (see :func:`loads`); ``ValueError`` if it is not."""
    value = loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"the history holds a {type(value).__name__} where a JSON object belongs")
    return value


def loads_list(text: str) -> list[Any]:
    """Stored JSON that must be a list (see :func:`loads`); ``ValueError`` if it is not."""
    value = loads(text)
    if not isinstance(value, list):
        raise ValueError(f"the history holds a {type(value).__name__} where a JSON list belongs")
    return value
