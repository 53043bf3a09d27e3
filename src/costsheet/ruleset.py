"""The public API: load a ruleset, calculate items, value ledgers.

    >>> import costsheet
    >>> ruleset = costsheet.load("rulesets/demo.cost")
    >>> result = ruleset.calculate("ICO-0001", lot_size=10)
    >>> result.unit_cost          # a Decimal
    >>> result.to_dict()          # the JSON of `costsheet calc --format json`, as data
    >>> print(result.to_json())   # byte for byte what `costsheet calc --format json` prints

The stages run one way: text → parse (formulas too) → model → check → plan
(the costing program, built once inside the load) → evaluate (calculate,
value).  :func:`analyze` returns every diagnostic without raising;
:func:`load` raises one :class:`~costsheet.diagnostics.RulesetError` that
carries them all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import attrs

from .check import values as check_values
from .diagnostics import CalculationError, Diagnostic, RulesetError, has_errors, sort_diagnostics
from .inputs import Input
from .loader import Parser, SourceSet, file_reader, mapping_reader, read_sources
from .model import Model, frozen_map
from .model_builder import build_model, merge_master_data
from .nodememo import NodeMemo
from .numbers import D, readable
from .syntax import nodes as n
from .syntax import parse

if TYPE_CHECKING:  # imported where they are used: `costsheet check` needs neither
    from .costing import Program
    from .csvdata import MasterData

__all__ = [
    "Ruleset",
    "analyze",
    "analyze_sources",
    "diagnose",
    "load",
    "load_texts",
    "parse_formula",
    "CalculationError",
]


def _frozen_sources(sources: Mapping[str, str]) -> Mapping[str, str]:
    return frozen_map(sources)


@attrs.frozen(repr=False)
class Ruleset:
    """A loaded, checked ruleset: its model, the costing program planned from it (once,
    inside the load), the texts it was read from (a read-only mapping) and its warnings.

    Immutable (a frozen attrs class; every field is frozen data), so it is safe to share
    between threads.  Built by :func:`load` / :func:`analyze`, never with errors."""

    model: Model
    program: Program
    sources: Mapping[str, str] = attrs.field(converter=_frozen_sources)
    diagnostics: tuple[Diagnostic, ...] = ()  # warnings only: a Ruleset with errors is never built
    files: tuple[n.SourceFile, ...] = ()
    #: every file the ruleset was loaded from (its own files, then CSV master data and ledgers),
    #: each with its content hash: what the calculation history records
    inputs: tuple[Input, ...] = ()
    content_hash: str = attrs.field(default=attrs.Factory(lambda self: _content_hash(self.sources), takes_self=True))

    @property
    def path(self) -> str | None:
        return next(iter(self.sources), None)

    def __repr__(self) -> str:
        return f"<Ruleset {self.path!r} items={len(self.model.items)} hash={self.content_hash[:12]}>"

    # ------------------------------------------------------------ costing

    def calculate_with_diagnostics(
        self,
        item: str,
        lot_size=None,
        date: dt.date | None = None,
        *,
        explain: bool = False,
        record: bool = False,
        source: str = "api",
    ):
        """``(CostResult or None, diagnostics)``; never raises for a user's mistake.

        The diagnostics are the ruleset's warnings followed by the calculation's.
        With ``record``, the calculation (or its failure, with the log) goes into
        the calculation history (:mod:`costsheet.history`)."""
        from .costing import calculate

        lot, diagnostics = _lot(lot_size)
        result = None
        if not diagnostics:
            try:
                result, diagnostics = calculate(
                    self.model, item, lot_size=lot, date=date, program=self.program, explain=explain
                )
            except CalculationError as error:
                diagnostics = error.diagnostics
            except decimal.DecimalException as error:
                diagnostics = (_arithmetic(error, f"costing {item}"),)
        diagnostics = (*self.diagnostics, *diagnostics)
        if record:
            from .history import record_calculation

            record_calculation(
                result,
                diagnostics,
                self.path,
                self.content_hash,
                item=item,
                lot_size=lot,
                date=date,
                source=source,
                inputs=self.inputs,
            )
        return result, diagnostics

    def calculate(
        self, item: str, lot_size=None, date: dt.date | None = None, *, explain: bool = False, record: bool = False
    ):
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

        return calculate_many(self.model, items, date=date, program=self.program)

    def calculate_all(self, items=None, date: dt.date | None = None):
        """:meth:`calculate_many` collected into one ``CostResults`` (what ``costsheet calc --all``
        shows; its ``to_json()`` is that command's JSON): the results of the items that could be
        costed and every diagnostic, the ruleset's warnings first.  Never raises for a failed item."""
        from .costing import CostResults

        return CostResults.collect(self.calculate_many(items, date), self.diagnostics)

    # ------------------------------------------------------------ valuation

    def value_with_diagnostics(self, item: str | None = None, as_of: dt.date | None = None):
        """``(ValuationResult or None, diagnostics)``: the ruleset's warnings, then the
        valuation's (a ledger warning the checker already gave is not repeated); never raises
        for a user's mistake."""
        from .valuation import value

        try:
            result, diagnostics = value(self.model, item=item, as_of=as_of)
        except decimal.DecimalException as error:
            result, diagnostics = None, (_arithmetic(error, "valuing the ledgers"),)
        return result, tuple(dict.fromkeys((*self.diagnostics, *diagnostics)))

    def value(self, item: str | None = None, as_of: dt.date | None = None):
        """Value the ledgers (one item's, or all) as of a date; raises CalculationError on errors."""
        result, diagnostics = self.value_with_diagnostics(item, as_of)
        if result is None or has_errors(diagnostics):
            raise CalculationError(diagnostics, self.sources)
        return result


# ---------------------------------------------------------------- loading


def analyze(
    source,
    *,
    file: str | None = None,
    master_data=None,
    ledger_csv=(),
    texts: Mapping[str, str] | None = None,
    parse_file: Parser | None = None,
    memo: NodeMemo | None = None,
    submitted: bool | None = None,
) -> tuple[Ruleset | None, tuple[Diagnostic, ...], dict[str, str]]:
    """Load without raising: ``(Ruleset or None, sorted diagnostics, sources)``.

    ``source`` is a path, or the ruleset's text (then ``file`` names it).
    ``texts`` maps further file names to texts for includes (the service).
    ``master_data`` is a folder or list of CSV files with items, BOM lines,
    routing lines, prices and ledgers (see docs/costing.md);
    Without ``master_data``, the folder of the ruleset's ``setup { master-data "DIR" }``
    (relative to the file that gives it) is read; ``master_data`` wins over it.
    ``ledger_csv`` names further ledger CSV files (see docs/valuation.md).
    Every CSV cell obeys the rules of the same value in a ruleset, and the
    codes it names resolve like the ruleset's own; an item, vendor or ledger
    given both in CSV and in the ruleset is an error.  ``sources`` holds the
    texts of the ruleset's files and of the CSV files read.  ``parse_file``
    replaces the parser of one file (see :func:`costsheet.loader.read_sources`;
    :class:`costsheet.Session` passes one that re-parses only what changed),
    and ``memo`` what the model and the checks took from each declaration in
    the previous load (:mod:`costsheet.nodememo`).  ``submitted`` (default: whether ``texts`` are
    given) says the texts came over the wire (see :func:`analyze_sources`); an editor's unsaved texts
    of local files are not.
    """
    sources = _read(source, file, texts, parse_file or parse)
    submitted = texts is not None if submitted is None else submitted
    return analyze_sources(sources, master_data=master_data, ledger_csv=ledger_csv, submitted=submitted, memo=memo)


def analyze_sources(
    sources: SourceSet,
    *,
    master_data=None,
    ledger_csv=(),
    submitted: bool = False,
    memo: NodeMemo | None = None,
) -> tuple[Ruleset | None, tuple[Diagnostic, ...], dict[str, str]]:
    """:func:`analyze` of files already read and parsed (:func:`costsheet.loader.read_sources`):
    the model, the checks and the plan; the language server reads the files itself, so that it
    keeps their syntax trees.  ``submitted`` says the texts came over the wire (the service):
    then a ``setup { master-data }`` folder is not read (``master-data-not-read``).
    ``memo``: see :func:`analyze`."""
    checked = _checked(sources, master_data, ledger_csv, submitted, memo)
    if checked.model is None or has_errors(checked.diagnostics):
        return None, checked.diagnostics, checked.texts
    from .costing import plan_program  # here: `costsheet check` (diagnose) never imports the costing engine

    model, master = checked.model, checked.master
    inputs = _ruleset_inputs(sources.sources) + (master.inputs if master is not None else ())
    ruleset = Ruleset(model, plan_program(model), sources.sources, checked.diagnostics, sources.files, inputs)
    return ruleset, checked.diagnostics, checked.texts


def diagnose(source, *, master_data=None) -> tuple[tuple[Diagnostic, ...], dict[str, str]]:
    """The diagnostics and sources of :func:`analyze`, without the :class:`Ruleset`: the model
    is built and checked, but no costing program is planned (``costsheet check``)."""
    checked = _checked(_read(source, None, None, parse), master_data, (), False, None)
    return checked.diagnostics, checked.texts


class _Checked(NamedTuple):
    """What the checks found: the model (None when the files did not get that far), the CSV
    master data read (None when none was given), the sorted diagnostics and the texts they
    point into."""

    model: Model | None
    master: MasterData | None
    diagnostics: tuple[Diagnostic, ...]
    texts: dict[str, str]


def _checked(sources: SourceSet, master_data, ledger_csv, submitted: bool, memo: NodeMemo | None) -> _Checked:
    """The model of ``sources`` with the CSV master data merged in, and every diagnostic."""
    diagnostics = list(sources.diagnostics)
    if has_errors(diagnostics) or not sources.files:
        return _Checked(None, None, tuple(sort_diagnostics(diagnostics)), dict(sources.sources))
    if master_data is None:
        master_data, declared = _declared_master_data(sources.files, submitted=submitted)
        diagnostics.extend(declared)
        if has_errors(declared):
            return _Checked(None, None, tuple(sort_diagnostics(diagnostics)), dict(sources.sources))
    model, master, csv_diagnostics = _with_master_data(build_model(sources.files, memo=memo), master_data, ledger_csv)
    diagnostics.extend(csv_diagnostics)
    diagnostics.extend(_check(sources.files, model, master, memo))
    texts_read = {**sources.sources, **(master.sources if master is not None else {})}  # what diagnostics point into
    return _Checked(model, master, tuple(sort_diagnostics(diagnostics)), texts_read)


def load(
    source, *, file: str | None = None, master_data=None, ledger_csv=(), texts: Mapping[str, str] | None = None
) -> Ruleset:
    """Load and check a ruleset; raises RulesetError carrying every diagnostic (see :func:`analyze`)."""
    ruleset, diagnostics, sources = analyze(
        source, file=file, master_data=master_data, ledger_csv=ledger_csv, texts=texts
    )
    if ruleset is None:
        raise RulesetError(diagnostics, sources)
    return ruleset


def load_texts(
    texts: Mapping[str, str], entry: str | None = None
) -> tuple[Ruleset | None, tuple[Diagnostic, ...], dict[str, str]]:
    """Analyze a ruleset given as ``{file name: text}`` (entry: the first name unless given)."""
    if not texts:
        raise ValueError("no files given")
    entry = entry or next(iter(texts))
    return analyze(texts[entry], file=entry, texts=texts)


def parse_formula(text: str, rows=None, *, file: str = "<formula>") -> tuple[n.Formula | None, tuple[Diagnostic, ...]]:
    """Parse one formula; with ``rows``, also report rows it names that are not among them.

    A lone surrogate in ``text`` is a located ``lone-surrogate`` error (and no
    formula); one in a row name is one too, without a place in the text."""
    from .characters import with_surrogates_reported, without_surrogates
    from .syntax import parse_formula as _parse

    text, surrogates = without_surrogates(text, file)
    rows, surrogates_in_rows = _row_names(rows, file)
    formula, diagnostics = _parse(text, file)
    if surrogates or surrogates_in_rows:
        return None, tuple(sort_diagnostics([*with_surrogates_reported(surrogates, diagnostics), *surrogates_in_rows]))
    if formula is None or rows is None:
        return formula, diagnostics
    known = set(rows)
    unknown = [
        Diagnostic.error(
            "empty-row",
            f"the formula names row {row.name}, which no line has",
            row.span,
            f"known rows: {', '.join(sorted(known)) or 'none'}; give a line `row {row.name}` or fix the name",
        )
        for row in n.row_nodes(formula)
        if row.name not in known
    ]
    return formula, tuple(sort_diagnostics(unknown))


# ---------------------------------------------------------------- helpers


def _row_names(rows, file: str) -> tuple[list[str] | None, list[Diagnostic]]:
    """The row names given to :func:`parse_formula`, lone surrogates replaced (each an error)."""
    from .characters import without_surrogates

    if rows is None:
        return None, []
    names: list[str] = []
    problems: list[Diagnostic] = []
    for number, row in enumerate(rows, start=1):
        name, found = without_surrogates(row, file)
        names.append(name)
        problems.extend(
            attrs.evolve(d, span=None, message=f"row name {number} ({name!r}): {d.message}") for d in found[:1]
        )
    return names, problems


def _read(source, file: str | None, texts: Mapping[str, str] | None, parse_file: Parser) -> SourceSet:
    reader = mapping_reader(texts) if texts is not None else file_reader
    if isinstance(source, os.PathLike):
        return read_sources(os.fspath(source), reader, parse_file=parse_file)
    if not isinstance(source, str):
        raise TypeError("load() takes a path or the text of a ruleset")
    if file is None and _looks_like_path(source):
        return read_sources(source, reader, parse_file=parse_file)
    return read_sources(file or "<text>", reader, entry_text=source, parse_file=parse_file)


def _looks_like_path(source: str) -> bool:
    if "\n" in source or "{" in source:
        return False
    return source.endswith(".cost") or Path(source).is_file()


def _check(
    files: tuple[n.SourceFile, ...], model: Model, master: MasterData | None, memo: NodeMemo | None
) -> list[Diagnostic]:
    from .check import run_checks

    if master is None:
        return list(run_checks(files, model, memo=memo))
    return list(run_checks(files, model, master_data=master.model, master_references=master.references, memo=memo))


def _declared_master_data(files: tuple[n.SourceFile, ...], *, submitted: bool) -> tuple[str | None, list[Diagnostic]]:
    """The folder of ``setup { master-data "DIR" }`` (the first one given: a second is
    ``duplicate-setting``), relative to the file that gives it, or None; a folder that is not
    there is ``master-data-not-found``.  Texts submitted to the service name no folder of the
    server: there the setting is ``master-data-not-read``."""
    for file in files:
        for decl in file.declarations:
            if not isinstance(decl, n.SetupBlock):
                continue
            for setting in decl.settings:
                if setting.key != "master-data" or not isinstance(setting.value, str):
                    continue
                if submitted:
                    return None, [
                        Diagnostic.warning(
                            "master-data-not-read",
                            f'master-data "{setting.value}" names a folder, and only the files sent are read here',
                            setting.span,
                            "send the master data as .cost files with the ruleset, or cost it with the command line",
                        )
                    ]
                base = os.path.dirname(setting.span.file) if setting.span is not None else ""
                folder = os.path.normpath(os.path.join(base, setting.value)) if setting.value else ""
                if not folder or not os.path.isdir(folder):
                    what = "is not a folder" if os.path.exists(folder) else "does not exist"
                    return None, [
                        Diagnostic.error(
                            "master-data-not-found",
                            f'the master data folder "{setting.value}" {what} (looked for {folder or "an empty name"})',
                            setting.span,
                            "master-data is relative to the file that gives it: correct the folder's name, "
                            "or remove the setting",
                        )
                    ]
                return folder, []
    return None, []


def _with_master_data(model: Model, master_data, ledger_csv) -> tuple[Model, MasterData | None, list[Diagnostic]]:
    """``(merged model, MasterData, diagnostics)``: the CSV files read and merged into ``model``;
    when none are given, ``(model, None, [])`` (and the CSV reader is not imported)."""
    if master_data is None and not ledger_csv:
        return model, None, []
    from .csvdata import read_master_data

    master, diagnostics = read_master_data(master_data, ledger_csv)
    model, duplicates = merge_master_data(model, master.model)
    return model, master, [*diagnostics, *duplicates]


def _ruleset_inputs(sources: Mapping[str, str]) -> tuple[Input, ...]:
    return tuple(Input.of_text(name, "ruleset", text) for name, text in sources.items())


def _content_hash(sources: Mapping[str, str]) -> str:
    """The ruleset's identity in the history: its file texts, wherever the files lie."""
    from .history.hashing import ruleset_hash

    return ruleset_hash(sources)


def _lot(value) -> tuple[Decimal | None, tuple[Diagnostic, ...]]:
    """The lot size asked for, or a diagnostic (never an exception) when it is not a usable number."""
    if value is None:
        return None, ()
    try:
        lot = D(value)
    except (TypeError, ValueError):
        lot = None
    low, high = check_values.LOT_SIZES  # the range an item's lot-size is checked against too
    if lot is None or not lot.is_finite() or not low <= lot <= high:
        shown = readable(value) if isinstance(value, Decimal) else value if isinstance(value, int) else repr(value)
        return None, (
            Diagnostic.error(
                "out-of-range",
                f"the lot size {shown} is not a number from {readable(low)} to {high:,.0f}",
                None,
                "give a positive lot size such as 10 or 2.5, or none for the item's own lot-size",
            ),
        )
    return lot, ()


def _arithmetic(error: decimal.DecimalException, doing: str) -> Diagnostic:
    """A Decimal signal (overflow, invalid operation) met while calculating, as a diagnostic."""
    return Diagnostic.error(
        "arithmetic-overflow",
        f"the numbers grew beyond what can be calculated exactly while {doing} ({type(error).__name__})",
        None,
        "check the ruleset for amounts, quantities or rates with absurdly many digits",
    )
