"""Which cost groups a condition kind accepts where (the table in docs/language.md, "Cost conditions")."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import ConditionKind
from ..syntax import nodes as n
from .context import Context
from .vocabulary import ACCEPTED_GROUPS, one_of

__all__ = ["group_mismatch"]


def group_mismatch(ctx: Context, code: n.Code, kind: ConditionKind, role: str, who: str) -> Iterator[Diagnostic]:
    """A diagnostic when element ``code``'s cost group is not accepted for ``role`` in a ``kind`` condition.

    Unknown codes and non-elements are reported by the reference checks, not here.
    A charge line's other group is a warning: the seed only recommends the groups."""
    line = ctx.chart.get(code.text)
    accepted = ACCEPTED_GROUPS[kind].get(role)
    if line is None or line.cost_group is None or accepted is None or line.cost_group in accepted:
        return
    names = one_of(sorted(g.value for g in accepted))
    make = Diagnostic.warning if kind is ConditionKind.CHARGE else Diagnostic.error
    where = "lines" if role == "line" else f"the `{role}` element"
    yield make(
        "cost-group-mismatch",
        f"{who} uses element {code.text} of cost group {line.cost_group.value}; {kind.value} conditions take "
        f"{names} for {where}",
        code.span,
        f"name an element of cost group {names}",
    )
