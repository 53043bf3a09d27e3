"""The JSON text costsheet writes: the one serializer of ``--format json`` and of the results' ``to_json()``.

Two-space indentation, keys in the order the data has them (the order
docs/costing.md and docs/valuation.md show), non-ASCII characters escaped
(``\\u00e9``: the text is plain ASCII whatever the terminal's encoding), and a
final newline, so that ``result.to_json()`` is byte for byte what the command
prints and a file written from it ends like a text file should; ``json.loads``
reads it either way.

Why not the C encoder: the standard library's fast encoder runs only without
``indent``; with it, :func:`json.dumps` falls back to the pure-Python encoder,
about four times slower (20,000 items of ``calc --all``: 0.70 s against
0.17 s compact, docs/costing.md "Performance").  The command line's JSON is
meant to be read, so it keeps the indentation; compact JSON (the service, the
history) is written with the C encoder where it is made.
"""

from __future__ import annotations

import json

__all__ = ["json_text"]


def json_text(data: object) -> str:
    """``data`` (JSON-ready: str, int, bool, None, lists and dicts) as costsheet's JSON text."""
    return json.dumps(data, indent=2) + "\n"
