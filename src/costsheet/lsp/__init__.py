"""The language server (``costsheet lsp``, docs/editors.md, "The language server").

Its parts run without the protocol: :mod:`.analysis` (the one interface to the loader: open
documents in, model + diagnostics + costings out), :mod:`.symbols` (declarations and
references of every code), :mod:`.amounts` (the numbers shown beside the text),
:mod:`.hover` (its texts), :mod:`.completion`, :mod:`.outline` and :mod:`.entries` (which
ruleset a file belongs to);
:mod:`.server` wires them to the protocol with pygls, the optional extra ``lsp``, imported
only by :func:`serve`.
"""

from __future__ import annotations

__all__ = ["serve"]


def serve(debounce: float | None = None, master_data=()) -> None:
    """Serve the Language Server Protocol over standard input and output until the client exits."""
    from .server import DEBOUNCE_SECONDS, make_server

    server = make_server(debounce=DEBOUNCE_SECONDS if debounce is None else debounce, master_data=master_data)
    server.start_io()
