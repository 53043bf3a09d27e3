"""The service's limits and options, in one frozen object passed to :func:`create_app`.

Hostile input is expected (other systems post whatever their users typed), so
every dimension of a request is bounded: body size, formula length, nesting
depth, number of files, time, memory, answer size and concurrent work, and
every connection: how long its headers and body may take to arrive, how long
it may idle, how many may be open.  The defaults suit a validation service on
a small machine; ``costsheet serve`` exposes them (docs/service.md, "Limits").
"""

from __future__ import annotations

import os
from typing import Any

import attrs

from ..syntax import MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH

__all__ = ["ServiceSettings"]


def _positive(instance: object, attribute: attrs.Attribute, value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be positive, not {value!r}")


@attrs.frozen
class ServiceSettings:
    """Limits and options of one service instance."""

    #: largest request body accepted, in bytes (413 above)
    max_body_bytes: int = attrs.field(default=1_000_000, validator=_positive)
    #: longest formula accepted by the formula endpoint, in characters (422 above); at most the language's
    #: own limit on formulas (docs/language.md), which a ruleset's formulas are held to whatever the service says
    max_formula_chars: int = attrs.field(
        default=MAX_FORMULA_LENGTH, validator=[_positive, attrs.validators.le(MAX_FORMULA_LENGTH)]
    )
    #: deepest nesting of parentheses / unary minus in a formula, or of parentheses in a ruleset (422 above);
    #: at most the language's own limit
    max_nesting_depth: int = attrs.field(default=64, validator=[_positive, attrs.validators.le(MAX_FORMULA_DEPTH)])
    #: most files in one ruleset request (422 above)
    max_files: int = attrs.field(default=64, validator=_positive)
    #: seconds a ruleset, calculation or valuation request may take in its worker (408 after; the worker is killed)
    request_timeout: float = attrs.field(default=10.0, validator=_positive)
    #: worker processes, each working on one ruleset, calculation or valuation at a time (503 when all are busy)
    max_concurrent_jobs: int = attrs.field(default=4, validator=_positive)
    #: address space of each worker process, in MiB (422 ``memory-limit-exceeded`` beyond it)
    worker_memory_mb: int = attrs.field(default=256, validator=_positive)
    #: largest answer of a ruleset, calculation or valuation request, in bytes (422 ``result-too-large`` above)
    max_response_bytes: int = attrs.field(default=10_000_000, validator=_positive)
    #: seconds from a connection's first byte (or its previous answer) until the request headers are complete
    header_timeout: float = attrs.field(default=10.0, validator=_positive)
    #: seconds from the end of the headers until the body is complete (408 ``body-timeout`` after)
    body_timeout: float = attrs.field(default=30.0, validator=_positive)
    #: seconds an idle keep-alive connection stays open
    keep_alive_timeout: float = attrs.field(default=5.0, validator=_positive)
    #: open connections at most; a request beyond them is 503 ``too-many-connections``
    max_connections: int = attrs.field(default=256, validator=_positive)
    #: record every calculation in the history store (off unless asked for)
    record_history: bool = False
    #: the history store (None: $COSTSHEET_HISTORY, else the per-user default)
    history_path: str | os.PathLike[str] | None = None
    #: service records kept in the history: the oldest beyond this many are deleted at each new one
    history_keep: int = attrs.field(default=1000, validator=_positive)

    def to_json(self) -> dict[str, Any]:
        """The settings as JSON (what a worker process is started with)."""
        fields = attrs.asdict(self)
        fields["history_path"] = os.fspath(self.history_path) if self.history_path is not None else None
        return fields
