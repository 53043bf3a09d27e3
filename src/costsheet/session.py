"""A long-lived session: a loaded ruleset and its costing results, kept up to date as its files change
(docs/session.md).

    >>> session = costsheet.Session("rulesets/demo.cost", date=datetime.date(2026, 6, 15))
    >>> session.results["ICO-0001"].unit_cost
    >>> update = session.update()          # the files were saved: read them again
    >>> for move in update.moves: print(move.item, move.old_unit_cost, "->", move.new_unit_cost)

An update re-parses only the top-level declarations a change touches
(:func:`costsheet.syntax.reparse`), then builds and checks the model as a
load does, taking over what the last good load built and found for what did
not change (:mod:`costsheet.nodememo`, :mod:`costsheet.check.incremental`),
keeps the where-used index up to date (``build_index(model, previous=...)``),
finds what changed (items, price and discount lines, conditions, work and
machine centers, vendors, ledgers; the setup, the chart, roundings
and standard costs re-cost everything) and re-costs only the items it
reaches through the where-used graph (:mod:`costsheet.whereused`), reusing
the costs of every other item.  The results are those of a fresh load and
``calculate_all`` on the same date, to the last digit.

:meth:`Costing.recost_model` is the same re-cost for a model edited in code
(a what-if scenario): it leaves the session as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from .costing import Calculator, CostResult, CostResults, calculator_reusing, cost_each, replan_program
from .diagnostics import Diagnostic, Span, has_errors
from .gcpause import paused_gc
from .identity import not_same
from .model import Model, frozen_map
from .nodememo import NodeMemo
from .ruleset import Ruleset, analyze
from .syntax import changed_lines, reparse
from .syntax import nodes as n
from .whereused import Kind, WhereUsedIndex, build_index

__all__ = ["Costing", "Move", "Session", "Update"]

#: file name -> the lines (first, last; 1-based, inclusive) of its new text that changed
Regions = Mapping[str, tuple[int, int]]


@attrs.frozen
class Move:
    """An item whose unit cost or list price moved (None: it was not costed, or has no list price)."""

    item: str
    old_unit_cost: Decimal | None
    new_unit_cost: Decimal | None
    old_list_price: Decimal | None
    new_list_price: Decimal | None


@attrs.frozen
class Costing:
    """One ruleset costed on one date: every item's result, and how it was reached (for re-costing).

    Treat it as immutable: a re-cost returns a new one and leaves this one as it was."""

    ruleset: Ruleset
    date: dt.date
    index: WhereUsedIndex
    calculator: Calculator = attrs.field(eq=False, repr=False)
    #: item -> its result, in the model's order (an item that could not be costed is missing)
    results: Mapping[str, CostResult] = attrs.field(repr=False)
    #: item -> what costing it reported (reported once: a component's warnings are its own)
    reported: Mapping[str, tuple[Diagnostic, ...]] = attrs.field(repr=False)

    @property
    def model(self) -> Model:
        return self.ruleset.model

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The ruleset's warnings, then what costing the items reported, each once."""
        found = dict.fromkeys(self.ruleset.diagnostics)
        for code in self.model.items:
            found.update(dict.fromkeys(self.reported.get(code, ())))
        return tuple(found)

    def as_results(self) -> CostResults:
        """The results as ``calculate_all`` returns them (``to_json()``: ``costsheet calc --all``'s JSON)."""
        return CostResults(frozen_map(self.results), self.diagnostics)

    def recost_model(self, model: Model) -> tuple[Costing, frozenset[str]]:
        """``(this costing with ``model`` in place of the ruleset's, the items re-costed)``: a what-if.

        ``model`` is an edited copy of :attr:`model` (``attrs.evolve``); items are compared by value,
        and only those the edits reach are costed again.  ``model`` is not checked: edit values the
        checker would accept."""
        ruleset = attrs.evolve(self.ruleset, model=model, program=replan_program(self.ruleset.program, model))
        return self.recost(ruleset, {})

    def recost(self, ruleset: Ruleset, regions: Regions) -> tuple[Costing, frozenset[str]]:
        """``(``ruleset`` costed on this costing's date, the items re-costed)``; ``regions`` are the lines
        of each file that changed since this costing's ruleset was read (an item written there, or moved,
        counts as changed even when it reads the same: its diagnostics point at new places)."""
        index = build_index(ruleset.model, previous=self.index)
        stale = _stale(self.model, ruleset.model, self.index, index, regions)
        calculator = calculator_reusing(self.calculator, ruleset.program, stale)
        results, reported = _costed(calculator, ruleset.model, index.costing_order(stale), self)
        return Costing(ruleset, self.date, index, calculator, results, reported), stale

    @classmethod
    def of(cls, ruleset: Ruleset, date: dt.date) -> Costing:
        """Every item of ``ruleset`` costed on ``date`` (a full run)."""
        index = build_index(ruleset.model)
        calculator = Calculator(ruleset.program, date)
        results, reported = _costed(calculator, ruleset.model, index.costing_order(ruleset.model.items), None)
        return cls(ruleset, date, index, calculator, results, reported)


@attrs.frozen
class Update:
    """What one :meth:`Session.update` found.

    ``ok`` is False when the files no longer check clean: ``diagnostics`` says why and the session
    keeps its last good results (``moves`` and ``recosted`` are empty).  ``sources`` are the texts
    the diagnostics point into."""

    ok: bool
    diagnostics: tuple[Diagnostic, ...]
    sources: Mapping[str, str] = attrs.field(repr=False)
    #: the items costed again (the changed ones and every item above them)
    recosted: frozenset[str] = frozenset()
    moves: tuple[Move, ...] = ()


class Session:
    """A ruleset (a path, or a text with ``file`` naming it) loaded once and kept up to date.

    Options as :func:`costsheet.load`; ``date`` is the costing date of every result (today when
    None, fixed when the session starts).  The first load raises
    :class:`~costsheet.RulesetError` when the ruleset has errors; later updates never raise.
    ``texts`` are taken as submitted over the wire (a setup's ``master-data`` folder is not read)
    unless ``local_texts``: they are an editor's unsaved texts of local files.
    Not safe to update from several threads at once; :attr:`costing` may be read from any thread."""

    def __init__(
        self,
        source,
        *,
        file: str | None = None,
        master_data=None,
        ledger_csv=(),
        texts: Mapping[str, str] | None = None,
        date: dt.date | None = None,
        local_texts: bool = False,
    ):
        from .diagnostics import RulesetError

        self._source, self._file, self._texts = source, file, texts
        self._options = {
            "master_data": master_data,
            "ledger_csv": ledger_csv,
            "submitted": False if local_texts else None,
        }
        self._parsed: dict[str, tuple[str, n.SourceFile]] = {}  # file -> (text, tree) of the last good load
        self._memo: NodeMemo | None = None  # what the last good load built and found per declaration
        self._trees: dict[str, n.SourceFile] = {}  # file -> syntax tree of the last update, good or not
        ruleset, diagnostics, sources = self._analyze(source, texts)
        if ruleset is None:
            raise RulesetError(diagnostics, sources)
        self._sources = sources
        self.costing = Costing.of(ruleset, date or dt.date.today())

    @property
    def ruleset(self) -> Ruleset:
        return self.costing.ruleset

    @property
    def results(self) -> Mapping[str, CostResult]:
        return self.costing.results

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.costing.diagnostics

    @property
    def trees(self) -> Mapping[str, n.SourceFile]:
        """File name -> syntax tree (:class:`costsheet.syntax.nodes.SourceFile`) of each ruleset file the
        last update (or the first load) parsed, whether it checked clean or not; a file with syntax
        errors is missing."""
        return self._trees

    def update(self, text: str | None = None, *, texts: Mapping[str, str] | None = None) -> Update:
        """Read the ruleset again (its files and CSV files from disk; or ``text``, the entry file's new
        text, and ``texts``, included files by name) and re-cost what changed."""
        source = self._source if text is None else text
        texts = self._texts if texts is None else texts
        # the collector paused: an update builds no reference cycles, and a full collection walks every
        # object of the ruleset held (docs/costing.md, "Threads and the garbage collector")
        with paused_gc():
            ruleset, diagnostics, sources = self._analyze(source, texts)
            if ruleset is None or has_errors(diagnostics):
                return Update(False, diagnostics, sources)
            regions = _regions(self._sources, sources)
            before = self.costing
            self.costing, recosted = before.recost(ruleset, regions)
        self._source, self._texts, self._sources = source, texts, sources
        return Update(True, diagnostics, sources, recosted, _moves(before.results, self.costing.results, recosted))

    def _analyze(self, source, texts):
        parsed: dict[str, tuple[str, n.SourceFile]] = {}

        def parse_file(text: str, name: str):
            tree, diagnostics = reparse(self._parsed.get(name), text, name)
            if tree is not None:
                parsed[name] = (text, tree)
            return tree, diagnostics

        memo = NodeMemo(self._memo)
        found = analyze(source, file=self._file, texts=texts, parse_file=parse_file, memo=memo, **self._options)
        self._trees = {name: tree for name, (_, tree) in parsed.items()}
        if found[0] is not None:  # a broken save does not lose the trees and values of the last good load
            self._parsed, self._memo = parsed, memo
        return found


# ---------------------------------------------------------------- what changed


def _regions(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, tuple[int, int]]:
    """The changed lines of every file read both times, in its new text (empty, last < first, where lines
    were only removed or inserted: what follows moved, and a moved span counts as changed); a file read
    only now is changed throughout."""
    regions = {}
    for name, text in new.items():
        before = old.get(name)
        if before == text:
            continue
        if before is None:
            regions[name] = (1, text.count("\n") + 1)
            continue
        old_lines, new_lines = before.split("\n"), text.split("\n")
        first, last = changed_lines(old_lines, new_lines)
        regions[name] = (first, last + len(new_lines) - len(old_lines))
    return regions


def _same(old, new, regions: Regions) -> bool:
    """Equal, at the same place, and not written where the text changed."""
    if old is new:  # built from the same declaration object, which re-parsing kept: not touched, not moved
        return True
    if old != new:
        return False
    span = getattr(new, "span", None)
    if span != getattr(old, "span", None):
        return False
    return span is None or not _touched(span, regions)


def _touched(span: Span, regions: Regions) -> bool:
    region = regions.get(span.file)
    return region is not None and span.line <= region[1] and span.end_line >= region[0]


def _all_same(old: Iterable, new: Iterable, regions: Regions) -> bool:
    old, new = tuple(old), tuple(new)
    return len(old) == len(new) and all(_same(a, b, regions) for a, b in zip(old, new, strict=True))


def _by_item(lines) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for line in lines:
        grouped.setdefault(line.item, []).append(line)
    return grouped


def _changed_keys(old: Mapping, new: Mapping, regions: Regions) -> set[str]:
    return {  # the same object: the same (not_same)
        key for key in not_same(old, new) if key not in old or key not in new or not _same(old[key], new[key], regions)
    }


def _changed_lines(old: tuple, new: tuple, regions: Regions) -> set[str]:
    """The items whose lines (price or discount lines) differ: only those with a line that is not
    the same object in both are compared (re-parsing keeps the lines of untouched declarations,
    in their order)."""
    kept = set(map(id, old)) & set(map(id, new))
    items = {line.item for line in (*old, *new) if id(line) not in kept}
    if not items:
        return set()
    return _changed_groups(
        _by_item(line for line in old if line.item in items),
        _by_item(line for line in new if line.item in items),
        regions,
    )


def _changed_groups(old: Mapping, new: Mapping, regions: Regions) -> set[str]:
    return {key for key in old.keys() | new.keys() if not _all_same(old.get(key, ()), new.get(key, ()), regions)}


def _stale(
    old: Model, new: Model, old_index: WhereUsedIndex, index: WhereUsedIndex, regions: Regions
) -> frozenset[str]:
    """The items of ``new`` whose cost may differ from their cost in ``old``: the items changed, those
    whose prices, discounts, ledgers, conditions, resources or vendors changed, and every item above
    (a change of the setup, chart, roundings, periods, standard costs or exchange rates: every item)."""
    if not (
        old.setup == new.setup
        and _all_same(old.chart.lines, new.chart.lines, regions)
        and _all_same(old.roundings.items(), new.roundings.items(), {})
        and _all_same(old.roundings.values(), new.roundings.values(), regions)
        and old.accounting_periods == new.accounting_periods
        and _all_same(old.standard_costs, new.standard_costs, regions)
        and _all_same(old.exchange_rates, new.exchange_rates, regions)
    ):
        return frozenset(new.items)  # read by every item
    items = _changed_keys(old.items, new.items, regions)
    items |= _changed_lines(old.prices, new.prices, regions)
    items |= _changed_lines(old.discounts, new.discounts, regions)
    items |= _changed_keys(old.ledgers, new.ledgers, regions)
    reached = set(index.affected(code for code in items if code in new.items))
    if old_index.joint:  # a co-product line removed: the item it named was above its producer before only
        reached |= old_index.affected(code for code in items if code in old.items)
    for kind, codes in (
        (Kind.CONDITION, _changed_keys(old.conditions, new.conditions, regions)),
        (Kind.RESOURCE, _changed_keys(old.work_centers, new.work_centers, regions)),
        (Kind.RESOURCE, _changed_keys(old.machine_centers, new.machine_centers, regions)),
        (Kind.VENDOR, _changed_keys(old.vendors, new.vendors, regions)),
    ):
        for code in codes:
            reached |= index.affected_by(code, kind) | old_index.affected_by(code, kind)
    return frozenset(code for code in reached if code in new.items)


# ---------------------------------------------------------------- costing


def _costed(calculator: Calculator, model: Model, order: Iterable[str], previous: Costing | None):
    """``(results, reported)`` of ``model``'s items: ``order``'s costed now (components first), the
    others' taken from ``previous``."""
    phantoms = calculator.program.phantoms  # never costed alone
    costed = cost_each(calculator, (code for code in order if code not in phantoms))
    same_items = previous is not None and tuple(previous.model.items) == tuple(model.items)
    results = dict(previous.results) if previous is not None and same_items else {}
    reported = dict(previous.reported) if previous is not None and same_items else {}
    inserted = False  # a code not in ``results`` yet goes last: put in the model's order below
    for code, result, found in costed:
        reported[code] = found
        if result is not None:
            inserted = inserted or code not in results
            results[code] = result
        else:
            results.pop(code, None)
    if previous is not None and not same_items:
        for code in model.items:
            if code not in reported:
                reported[code] = previous.reported.get(code, ())
                if code in previous.results:
                    results[code] = previous.results[code]
    if inserted or not same_items:
        results = {code: results[code] for code in model.items if code in results}
    return frozen_map(results), frozen_map({code: found for code, found in reported.items() if found})


def _moves(old: Mapping[str, CostResult], new: Mapping[str, CostResult], recosted: Iterable[str]) -> tuple[Move, ...]:
    moves = []
    for code in sorted(set(recosted) | (old.keys() - new.keys())):
        before, after = old.get(code), new.get(code)
        values = (
            None if before is None else before.unit_cost,
            None if after is None else after.unit_cost,
            None if before is None else before.list_price,
            None if after is None else after.list_price,
        )
        if values[0] != values[1] or values[2] != values[3] or (before is None) != (after is None):
            moves.append(Move(code, *values))
    return tuple(moves)
