"""The public API: load a ruleset, calculate items, value ledgers.

    >>> import costsheet
    >>> ruleset = costsheet.load("rulesets/demo.cost")
    >>> result = ruleset.calculate("ICO-0001", lot_size=10)
    >>> result.unit_cost          # a Decimal
    >>> result.to_json()          # exactly the JSON of `costsheet calc --format json`

The pipeline is text → parse → check → model (→ compiled program, built once
on first use).  :func:`analyze` returns every diagnostic without raising;
:func:`load` raises one :class:`~costsheet.diagnostics.RulesetError` that
carries them all.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from .compile import build_model, merge_master_data
from .diagnostics import Diagnostic, RulesetError, has_errors, sort_diagnostics
from .loader import SourceSet, file_reader, mapping_reader, read_sources
from .model import Model
from .numbers import D
from .syntax import nodes as n

__all__ = ["Ruleset", "analyze", "load", "load_texts", "parse_formula", "CalculationError"]


class CalculationError(RulesetError):
    """A calculation or valuation that could not be made; carries its diagnostics."""


class Ruleset:
    """A loaded, checked ruleset.  Immutable; safe to share between threads."""

    def __init__(self, model: Model, sources: Mapping[str, str], diagnostics: tuple[Diagnostic, ...],
                 files: tuple[n.Ruleset, ...] = ()):
        self.model = model
        self.sources = dict(sources)
        self.diagnostics = diagnostics  # warnings only: a Ruleset with errors is never built
        self.files = files
        self.content_hash = _content_hash(self.sources)
        self._program = None

    @property
    def path(self) -> str | None:
        return next(iter(self.sources), None)

    def __repr__(self) -> str:
        return f"<Ruleset {self.path!r} items={len(self.model.items)} hash={self.content_hash[:12]}>"

    # ------------------------------------------------------------ costing

    def program(self):
        """The compiled program (formulas compiled once), built on first use."""
        if self._program is None:
            from .costing import compile_program

            program, diagnostics = compile_program(self.model)
            if has_errors(diagnostics):
                raise CalculationError(diagnostics, self.sources)
            self._program = program
        return self._program

    def calculate_with_diagnostics(self, item: str, lot_size=None, date: dt.date | None = None, *,
                                   explain: bool = False, record: bool = False, source: str = "api"):
        """``(CostResult or None, diagnostics)``; never raises for a user's mistake.

        With ``record``, the calculation (or its failure, with the log) goes into
        the calculation history (:mod:`costsheet.history`)."""
        from .costing import calculate

        lot = _decimal(lot_size)
        try:
            program = self.program()
        except CalculationError as error:
            result, diagnostics = None, error.diagnostics
        else:
            result, diagnostics = calculate(self.model, item, lot_size=lot, date=date, program=program,
                                            explain=explain)
        if record:
            from .history import record_calculation

            record_calculation(result, diagnostics, self.path, self.content_hash, item=item, lot_size=lot,
                               date=date, source=source)
        return result, tuple(diagnostics)

    def calculate(self, item: str, lot_size=None, date: dt.date | None = None, *, explain: bool = False,
                  record: bool = False):
        """Cost ``item`` for ``lot_size`` units (the item's lot size by default) on ``date`` (today).

        Returns a frozen CostResult; raises CalculationError with the diagnostics."""
        result, diagnostics = self.calculate_with_diagnostics(item, lot_size, date, explain=explain, record=record)
        if result is None or has_errors(diagnostics):
            raise CalculationError(diagnostics, self.sources)
        return result

    def calculate_many(self, items=None, date: dt.date | None = None):
        """Cost several items (all when None), each for its own lot size, sharing one memo.

        Yields ``(item, CostResult or None, diagnostics)`` in the order asked."""
        from .costing import calculate_many

        return calculate_many(self.model, items, date=date, program=self.program())

    # ------------------------------------------------------------ valuation

    def value_with_diagnostics(self, item: str | None = None, as_of: dt.date | None = None):
        """``(ValuationResult, diagnostics)``; never raises for a user's mistake."""
        from .valuation import value

        return value(self.model, item=item, as_of=as_of)

    def value(self, item: str | None = None, as_of: dt.date | None = None):
        """Value the ledgers (one item's, or all) as of a date; raises CalculationError on errors."""
        result, diagnostics = self.value_with_diagnostics(item, as_of)
        if result is None or has_errors(diagnostics):
            raise CalculationError(diagnostics, self.sources)
        return result


# ---------------------------------------------------------------- loading

def analyze(source, *, file: str | None = None, master_data=None,
            texts: Mapping[str, str] | None = None) -> tuple[Ruleset | None, tuple[Diagnostic, ...], dict[str, str]]:
    """Load without raising: ``(Ruleset or None, sorted diagnostics, sources)``.

    ``source`` is a path, or the ruleset's text (then ``file`` names it).
    ``texts`` maps further file names to texts for includes (the service).
    ``master_data`` is a folder or list of CSV files with items, BOM lines,
    routing lines and prices (see docs/costing.md).
    """
    sources = _read(source, file, texts)
    diagnostics = list(sources.diagnostics)
    if has_errors(diagnostics) or not sources.files:
        return None, tuple(sort_diagnostics(diagnostics)), dict(sources.sources)
    model = build_model(sources.files)
    if master_data is not None:
        model, csv_diagnostics = _with_master_data(model, master_data)
        diagnostics.extend(csv_diagnostics)
    diagnostics.extend(_check(sources.files, model))
    diagnostics = sort_diagnostics(diagnostics)
    if has_errors(diagnostics):
        return None, tuple(diagnostics), dict(sources.sources)
    ruleset = Ruleset(model, sources.sources, tuple(diagnostics), sources.files)
    return ruleset, tuple(diagnostics), dict(sources.sources)


def load(source, *, file: str | None = None, master_data=None, texts: Mapping[str, str] | None = None) -> Ruleset:
    """Load and check a ruleset; raises RulesetError carrying every diagnostic."""
    ruleset, diagnostics, sources = analyze(source, file=file, master_data=master_data, texts=texts)
    if ruleset is None:
        raise RulesetError(diagnostics, sources)
    return ruleset


def load_texts(texts: Mapping[str, str], entry: str | None = None) -> tuple[Ruleset | None, tuple[Diagnostic, ...], dict[str, str]]:
    """Analyze a ruleset given as ``{file name: text}`` (entry: the first name unless given)."""
    if not texts:
        raise ValueError("no files given")
    entry = entry or next(iter(texts))
    return analyze(texts[entry], file=entry, texts=texts)


def parse_formula(text: str, rows=None, *, file: str = "<formula>") -> tuple[n.Formula | None, tuple[Diagnostic, ...]]:
    """Parse one formula; with ``rows``, also report rows it names that are not among them."""
    from .syntax.parser import parse_formula as _parse

    formula, diagnostics = _parse(text, file)
    if formula is None or rows is None:
        return formula, diagnostics
    known = set(rows)
    unknown = []
    stack = [formula]
    while stack:
        node = stack.pop()
        if isinstance(node, n.Row) and node.name not in known:
            unknown.append(Diagnostic.error(
                "empty-row", f"the formula names row {node.name}, which no line has", node.span,
                f"known rows: {', '.join(sorted(known)) or 'none'}; give a line `row {node.name}` or fix the name"))
        elif isinstance(node, n.Binary):
            stack.extend((node.right, node.left))
        elif isinstance(node, n.Unary):
            stack.append(node.operand)
    return formula, tuple(sort_diagnostics(unknown))


# ---------------------------------------------------------------- helpers

def _read(source, file: str | None, texts: Mapping[str, str] | None) -> SourceSet:
    reader = mapping_reader(texts) if texts is not None else file_reader
    if isinstance(source, os.PathLike):
        return read_sources(os.fspath(source), reader)
    if not isinstance(source, str):
        raise TypeError("load() takes a path or the text of a ruleset")
    if file is None and _looks_like_path(source):
        return read_sources(source, reader)
    return read_sources(file or "<text>", reader, entry_text=source)


def _looks_like_path(source: str) -> bool:
    if "\n" in source or "{" in source:
        return False
    return source.endswith(".cost") or Path(source).is_file()


def _check(files: tuple[n.Ruleset, ...], model: Model) -> list[Diagnostic]:
    from .check import run_checks

    return list(run_checks(files, model))


def _with_master_data(model: Model, master_data) -> tuple[Model, list[Diagnostic]]:
    from .csvdata import load_master_data

    extra, diagnostics = load_master_data(master_data)
    merged, duplicates = merge_master_data(model, extra)
    return merged, [*diagnostics, *duplicates]


def _content_hash(sources: Mapping[str, str]) -> str:
    """The ruleset's identity in the history: its file texts, wherever the files lie."""
    from .history.hashing import ruleset_hash

    return ruleset_hash(sources)


def _decimal(value) -> Decimal | None:
    return None if value is None else D(value)
