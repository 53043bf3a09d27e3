"""What ``costsheet whatif`` and ``costsheet simulate`` share: loading, naming a scenario or
simulation, the items asked for, and the output."""

from __future__ import annotations

import sys

import click

from ..diagnostics import Diagnostic
from .common import report

__all__ = ["named", "items_or_exit"]


def named(known, code: str, what: str, fmt: str):
    """The scenario or simulation ``code`` of ``known``, or exit 1 with a diagnostic."""
    if code in known:
        return known[code]
    from ..check import nearest

    close = nearest(code, known)
    listed = ", ".join(known) or "none"
    hint = f"did you mean {close}?" if close else f"the ruleset's {what}s: {listed}"
    report((Diagnostic.error(f"unknown-{what}", f"{what} {code} is not declared in the ruleset", None, hint),), fmt)
    sys.exit(1)


def items_or_exit(model, items: tuple[str, ...], all_items: bool, fmt: str) -> tuple[str, ...]:
    if all_items == bool(items):
        raise click.UsageError("name one or more ITEMs, or give --all (not both)")
    if all_items:
        from ..phantoms import costed_alone

        return costed_alone(model.items)
    from ..check import nearest

    unknown = []
    for code in items:
        if code not in model.items:
            close = nearest(code, model.items)
            hint = f"did you mean {close}?" if close else "`costsheet calc RULESET --all` lists every item"
            unknown.append(Diagnostic.error("unknown-item", f"item {code} is not defined in the ruleset", None, hint))
    if unknown:
        report(unknown, fmt)
        sys.exit(1)
    return tuple(dict.fromkeys(items))
