"""What every check reads: the parsed files, the model built from them, and
tables derived once (declarations by type, chart lines by code).

The checks locate diagnostics with the syntax nodes (they carry spans) and
resolve references against the model, which also holds master data loaded
from CSV files; ``master_data`` is that CSV part alone (its records located at
CSV cells) and ``master_references`` the codes its cells name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ..diagnostics import Span
from ..model import ChartLine, Model
from ..nodememo import NodeMemo, memoized
from ..syntax import nodes as n

if TYPE_CHECKING:
    from .references import Reference

__all__ = ["Context", "codes_in", "child_fields", "at", "describe_value"]

T = TypeVar("T")


@attrs.frozen
class Context:
    """The input of every check; built once per run by :meth:`build`."""

    files: tuple[n.SourceFile, ...]
    model: Model
    declarations: tuple[n.Declaration, ...]
    chart_entries: tuple[n.ChartEntry, ...]
    chart: dict[str, ChartLine]  # first chart line of each code
    master_data: Model = Model()
    master_references: tuple[Reference, ...] = ()
    #: what checks found per declaration in the previous load (a session's; None: compute everything)
    memo: NodeMemo | None = None

    @classmethod
    def build(
        cls,
        files: tuple[n.SourceFile, ...],
        model: Model,
        master_data: Model = Model(),
        master_references: tuple[Reference, ...] = (),
        memo: NodeMemo | None = None,
    ) -> Context:
        declarations = tuple(d for ruleset in files for d in ruleset.declarations)
        entries = tuple(e for d in declarations if isinstance(d, n.ChartBlock) for e in d.entries)
        chart: dict[str, ChartLine] = {}
        for line in model.chart.lines:
            chart.setdefault(line.code, line)
        return cls(files, model, declarations, entries, chart, master_data, tuple(master_references), memo)

    def per_declaration(self, what: str, decl: n.Declaration, find: Callable[[], Iterable[T]]) -> tuple[T, ...]:
        """``tuple(find())`` for one declaration, taken from the previous load when the declaration is the
        same object (:mod:`costsheet.nodememo`): for checks whose findings depend on the declaration alone."""
        return memoized(self.memo, what, decl, lambda: tuple(find()))

    def of(self, kind: type[T]) -> Iterator[T]:
        """The declarations of one type, in file order."""
        return (d for d in self.declarations if isinstance(d, kind))


def at(node: object) -> Span | None:
    """The span of a node, or None for values that carry none (numbers)."""
    return getattr(node, "span", None)


@functools.cache
def child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a syntax node type that may hold other nodes or numbers (spans and text excluded);
    none for a type that is no syntax node (text, numbers, None)."""
    if not attrs.has(node_type):
        return ()
    return tuple(f.name for f in attrs.fields(node_type) if f.name not in ("span", "description", "name", "kind"))


def codes_in(node: object) -> Iterator[n.Code]:
    """Every :class:`~costsheet.syntax.nodes.Code` inside a syntax node, without recursion limits."""
    stack: list[Any] = [node]  # nodes, tuples, text, numbers: told apart by their exact type
    while stack:
        current = stack.pop()
        node_type = type(current)
        if node_type is n.Code:
            yield current
        elif node_type is tuple:
            stack.extend(reversed(current))
        elif names := child_fields(node_type):  # type: ignore[arg-type]  # mypy: type[Any] is not Hashable
            stack.extend([getattr(current, name) for name in reversed(names)])


def describe_value(value: object) -> str:
    """How a user would name a value they wrote: ``the code abc``, ``the number 12`` …"""
    if isinstance(value, n.Code):
        return f"the code {value.text}"
    if isinstance(value, n.Word):
        return f"the word {value.text}"
    if isinstance(value, n.Percent):
        return f"the percentage {value.value}%"
    if isinstance(value, n.RateValue):
        return f"the rate {value.value}/{value.unit}"
    if isinstance(value, n.DecimalsRange):
        return f"the range {value.low}:{value.high}"
    return f"the number {value}"
