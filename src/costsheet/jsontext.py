"""The JSON text costsheet writes: the one serializer of ``--format json`` and of the results' ``to_json()``.

Two-space indentation, keys in the order the data has them (the order
docs/json.md shows), non-ASCII characters escaped (``\\u00e9``: the text is
plain ASCII whatever the terminal's encoding), no final newline: a command
prints the text and ends the line (``click.echo``), so
``print(result.to_json())`` writes byte for byte what ``--format json``
writes.

The indentation makes :func:`json.dumps` use its pure-Python encoder (the C
one runs only for compact JSON): the command line's JSON is meant to be read.
The service and the history write compact JSON with the C encoder.
"""

from __future__ import annotations

import json

__all__ = ["json_text"]


def json_text(data: object) -> str:
    """``data`` (JSON-ready: str, int, bool, None, lists and dicts) as costsheet's JSON text."""
    return json.dumps(data, indent=2)
