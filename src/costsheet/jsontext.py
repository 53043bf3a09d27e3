"""The JSON text costsheet writes: the one serializer of ``--format json`` and of the results' ``to_json()``.

Two-space indentation, keys in the order the data has them (the order
docs/json.md shows), non-ASCII characters escaped (``\\u00e9``: the text is
plain ASCII whatever the terminal's encoding), no final newline: a command
prints the text and ends the line (``click.echo``), so
``print(result.to_json())`` writes byte for byte what ``--format json``
writes.

The text is ``json.dumps(data, indent=2)``, character for character (a
property test holds the two together), written by an encoder of its own: with
an indent, :func:`json.dumps` runs its general pure-Python encoder (the C one
runs only for compact JSON), which checks for every type, float and circular
reference on every value.  The data here are only str, int, bool, None, lists,
tuples and dicts with str keys (amounts are strings), so one small recursive
function with the C string escaper does it in about two thirds of the time; any
other value goes to :func:`json.dumps` as before.  The service and the history
write compact JSON with the C encoder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring_ascii as _quoted  # the C escaper json.dumps uses

__all__ = ["json_text"]


def json_text(data: object, indent: str = "") -> str:
    """``data`` (JSON-ready: str, int, bool, None, lists and dicts) as costsheet's JSON text; each line
    after the first starts with ``indent`` (for a value written inside another text)."""
    pieces: list[str] = []
    if not _put(data, "\n" + indent, pieces.append):
        return json.dumps(data, indent=2).replace("\n", "\n" + indent)
    return "".join(pieces)


def _put(value: object, newline: str, write: Callable[[str], None]) -> bool:
    """Write ``value``'s text, its nested lines starting with ``newline``, in the order json.dumps tests
    the types; False for a value the fast path does not write (a float, a key that is no str, ...): the
    caller then writes the whole text with :func:`json.dumps`."""
    if isinstance(value, str):
        write(_quoted(value))
    elif value is None:
        write("null")
    elif value is True:
        write("true")
    elif value is False:
        write("false")
    elif isinstance(value, int):
        write(int.__repr__(value))
    elif isinstance(value, list | tuple):
        return _put_list(value, newline, write)
    elif isinstance(value, dict):
        return _put_dict(value, newline, write)
    else:
        return False
    return True


def _put_list(values: list[object] | tuple[object, ...], newline: str, write: Callable[[str], None]) -> bool:
    if not values:
        write("[]")
        return True
    inner = newline + "  "
    opening = "[" + inner
    for value in values:
        write(opening)
        opening = "," + inner
        if not _put(value, inner, write):
            return False
    write(newline + "]")
    return True


def _put_dict(values: dict[object, object], newline: str, write: Callable[[str], None]) -> bool:
    if not values:
        write("{}")
        return True
    inner = newline + "  "
    opening = "{" + inner
    for key, value in values.items():
        if not isinstance(key, str):
            return False
        write(opening + _quoted(key) + ": ")
        opening = "," + inner
        if not _put(value, inner, write):
            return False
    write(newline + "}")
    return True
