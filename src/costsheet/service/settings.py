"""The service's limits and options, in one frozen object passed to :func:`create_app`.

Hostile input is expected (other systems post whatever their users typed), so
every dimension of a request is bounded: body size, formula length, nesting
depth, number of files, time and concurrent work.  The defaults suit a
validation service on a small machine; ``costsheet serve`` exposes them.
"""

from __future__ import annotations

import os

import attrs

__all__ = ["ServiceSettings"]


def _positive(instance: object, attribute: attrs.Attribute, value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be positive, not {value!r}")


@attrs.frozen
class ServiceSettings:
    """Limits and options of one service instance."""

    #: largest request body accepted, in bytes (413 above)
    max_body_bytes: int = attrs.field(default=1_000_000, validator=_positive)
    #: longest formula accepted by the formula endpoint, in characters (422 above)
    max_formula_chars: int = attrs.field(default=2_000, validator=_positive)
    #: deepest nesting of parentheses / unary minus in a formula, or of parentheses in a ruleset (422 above)
    max_nesting_depth: int = attrs.field(default=64, validator=_positive)
    #: most files in one ruleset request (422 above)
    max_files: int = attrs.field(default=64, validator=_positive)
    #: seconds a ruleset, calculation or valuation request may take (408 after)
    request_timeout: float = attrs.field(default=10.0, validator=_positive)
    #: ruleset, calculation and valuation requests worked on at once (503 when all are busy)
    max_concurrent_jobs: int = attrs.field(default=4, validator=_positive)
    #: record every calculation in the history store
    record_history: bool = True
    #: the history store (None: $COSTSHEET_HISTORY, else the per-user default)
    history_path: str | os.PathLike[str] | None = None
