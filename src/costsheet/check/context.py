"""What every check reads: the parsed files, the model built from them, and
tables derived once (declarations by type, chart lines by code).

The checks locate diagnostics with the syntax nodes (they carry spans) and
resolve references against the model, which also holds master data loaded
from CSV files; ``master_data`` is that CSV part alone (its records located at
CSV cells) and ``master_references`` the codes its cells name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ..diagnostics import Diagnostic, Span
from ..model import ChartLine, Model
from ..nodememo import NodeMemo
from ..syntax import nodes as n
from . import incremental
from .incremental import Changes, Run

if TYPE_CHECKING:
    from .references import Reference

__all__ = ["Context", "child_fields", "at", "describe_value"]

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
    #: what changed since the previous run of the checks (None: there is none; check everything)
    changes: Changes | None = None
    #: what this run leaves for the next (:mod:`.incremental`)
    run: Run | None = None
    _item_declarations: dict[str, tuple[n.ItemDecl, ...]] = attrs.field(factory=dict, eq=False, repr=False)
    #: declaration type -> its declarations, in file order (filled on the first ``of``)
    _by_type: dict[type, list] = attrs.field(factory=dict, eq=False, repr=False)

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
        changes = run = None
        if memo is not None and master_data == Model() and not master_references:  # CSV rows: all again
            run = Run(files, model)
            previous = memo.kept("checks")
            if isinstance(previous, Run):
                changes = Changes.since(previous, run)
            memo.keep("checks", run)
        return cls(
            files, model, declarations, entries, chart, master_data, tuple(master_references), memo, changes, run
        )

    def each(
        self,
        what: str,
        kinds: type | tuple[type, ...],
        find: Callable[[Any], Iterable[Diagnostic]],
        *,
        env: object = None,
        dirty: Callable[[], Iterable[n.Declaration]] = tuple,
        unchanged: Callable[[Changes], bool] = lambda changes: True,
    ) -> list[Diagnostic]:
        """``find(decl)`` for each declaration of ``kinds``: what it finds must depend on the declaration
        and on ``env`` alone (a value summing up what else it reads), and on the ``dirty`` declarations
        (found again: those whose findings may have changed without them).  In a session, while ``env``
        compares equal to the previous run's and ``unchanged(changes)``, only the new and the dirty
        declarations are checked."""
        if self.run is None:
            return [d for decl in self.declarations if isinstance(decl, kinds) for d in find(decl)]
        return incremental.each(self.changes, self.run, what, self.declarations, kinds, find, env, dirty, unchanged)

    def keyed(
        self,
        what: str,
        find: Callable[[Collection[str] | None], Mapping[str, tuple[Diagnostic, ...]]],
        *,
        env: object = None,
        dirty: Callable[[Changes], Collection[str]],
    ) -> list[Diagnostic]:
        """The findings per code of ``find(codes)`` (``find(None)``: of every code): in a session, while
        ``env`` compares equal, only ``dirty(changes)``'s codes are found again."""
        if self.run is None:
            return [d for found in find(None).values() for d in found]
        return incremental.keyed(self.changes, self.run, what, find, env, dirty)

    def whole(
        self, what: str, find: Callable[[], Iterable[Diagnostic]], *, unchanged: Callable[[Changes], bool]
    ) -> tuple[Diagnostic, ...]:
        """``find()`` over the whole model; in a session, the previous run's when ``unchanged(changes)``."""
        if self.run is None:
            return tuple(find())
        return incremental.whole(self.changes, self.run, what, find, unchanged)

    def item_declarations(self, codes: Iterable[str]) -> list[n.ItemDecl]:
        """The item declarations of ``codes`` (every one of each code)."""
        codes = tuple(codes)
        if not codes:
            return []
        if self.run is not None:
            index = incremental.item_declarations(self.changes, self.run, self.declarations)
        else:
            index = self._item_declarations
            if not index:
                index.update(incremental.item_index(self.declarations))
        return [decl for code in codes for decl in index.get(code, ())]

    def of(self, kind: type[T]) -> Iterator[T]:
        """The declarations of one type, in file order."""
        by_type = self._by_type
        if not by_type:
            by_type[type(None)] = []  # made: not again
            for decl in self.declarations:
                by_type.setdefault(type(decl), []).append(decl)
        if kind.__subclasses__():
            return (d for d in self.declarations if isinstance(d, kind))
        return iter(by_type.get(kind, ()))


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
