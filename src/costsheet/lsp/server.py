"""The language server over stdio (pygls): the protocol's side of :mod:`costsheet.lsp`.

Everything costsheet knows comes from one :class:`~costsheet.lsp.analysis.Analysis` per
ruleset, made by the loader in a worker thread ``debounce`` seconds after the last change
(immediately when a file is opened); a request waits for the analysis in progress, so it never
answers from a text older than the one it was asked about.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..diagnostics import Diagnostic, Severity, Span
from ..files import read_text
from ..syntax import format_ruleset
from ..syntax import nodes as n
from . import amounts, realism
from .analysis import Analysis, Loader, SessionLoad
from .completion import complete
from .entries import entry_of
from .hover import amount_at, amount_hover, code_hover, note_hover
from .outline import Symbol, folds, outline
from .symbols import Kind, Occurrence, SymbolIndex, build_index

__all__ = ["DEBOUNCE_SECONDS", "EXPLAIN_COMMAND", "CostsheetServer", "make_server"]

#: The pause after the last keystroke before a ruleset is checked again.
DEBOUNCE_SECONDS = 0.2
EXPLAIN_COMMAND = "costsheet.explain"
_CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_\-/]|\.(?!\.))*")
_REQUEST_FAILED = -32803


def path_of(uri: str) -> str:
    parsed = urlparse(uri)
    return os.path.normpath(unquote(parsed.path)) if parsed.scheme == "file" else uri


def uri_of(path: str) -> str:
    return Path(path).as_uri() if os.path.isabs(path) else path  # a document without a file: its URI


# ---------------------------------------------------------------- positions


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Lines:
    """A text's lines, for turning spans (1-based, in characters) into protocol positions
    (0-based, in UTF-16 code units) and back."""

    def __init__(self, text: str):
        self.lines = text.split("\n")

    def position(self, line: int, column: int) -> t.Position:
        if not 1 <= line <= len(self.lines):
            return t.Position(max(0, min(line, len(self.lines)) - 1), 0)
        return t.Position(line - 1, _utf16(self.lines[line - 1][: column - 1]))

    def range(self, span: Span) -> t.Range:
        return t.Range(self.position(span.line, span.column), self.position(span.end_line, span.end_column))

    def offset(self, position: t.Position) -> tuple[int, int, int]:
        """``(line, column, character offset)`` of a protocol position (1-based line and column)."""
        line = min(position.line, len(self.lines) - 1)
        text = self.lines[line]
        units = column = 0
        while column < len(text) and units < position.character:
            units += _utf16(text[column])
            column += 1
        offset = sum(len(x) + 1 for x in self.lines[:line]) + column
        return line + 1, column + 1, offset

    def end(self) -> t.Position:
        return t.Position(len(self.lines) - 1, _utf16(self.lines[-1]))


# ---------------------------------------------------------------- the server


class CostsheetServer(LanguageServer):
    def __init__(
        self, loader: Loader | None = None, debounce: float = DEBOUNCE_SECONDS, master_data: Iterable[str] = ()
    ):
        super().__init__("costsheet", __version__)
        self.loader = loader or SessionLoad()
        self.debounce = debounce
        self.master_data = tuple(master_data)
        self.item_in_context: str | None = None
        self.analyses: dict[str, Analysis] = {}  # entry -> its last analysis
        self.indexes: dict[str, SymbolIndex] = {}
        self.entries: dict[str, str] = {}  # open file -> its entry
        self.pending: dict[str, asyncio.Task] = {}
        self.published: dict[str, set[str]] = {}
        # one load at a time: a load whose task was cancelled (a newer edit came) still runs to its
        # end in its thread, and the loader's sessions and parse cache are not safe to share
        self.loads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="costsheet-check")

    # ------------------------------------------------------------ settings

    def configure(self, settings) -> None:
        if not isinstance(settings, dict):
            return
        settings = settings.get("costsheet", settings)
        if not isinstance(settings, dict):
            return
        item = settings.get("item")
        self.item_in_context = item if isinstance(item, str) and item else None
        master = settings.get("masterData")
        if isinstance(master, list) and all(isinstance(m, str) for m in master):
            self.master_data = tuple(master)

    # ------------------------------------------------------------ analysis

    def documents(self) -> dict[str, str]:
        return {path_of(uri): doc.source for uri, doc in self.workspace.text_documents.items()}

    def text_of(self, uri: str) -> str:
        """The editor's text of a document, or the file's, or nothing (a document never opened)."""
        document = self.workspace.text_documents.get(uri)
        if document is not None:
            return document.source
        try:
            return read_text(path_of(uri))
        except (OSError, UnicodeDecodeError):
            return ""

    def roots(self) -> list[str]:
        folders = [path_of(f.uri) for f in self.workspace.folders.values()]
        root = self.workspace.root_path
        return folders or ([root] if root else [])

    def schedule(self, path: str, delay: float, *, find_entry: bool = True) -> None:
        """Analyze the ruleset of ``path`` after ``delay`` seconds (a later call for the same
        ruleset replaces it).  Which ruleset a file belongs to is looked up when it is opened,
        saved or closed (``find_entry``), not at every keystroke."""
        if find_entry or path not in self.entries:
            self.entries[path] = entry_of(path, self.documents(), self.roots())
        entry = self.entries[path]
        previous = self.pending.get(entry)
        if previous is not None and not previous.done():
            previous.cancel()
        self.pending[entry] = asyncio.ensure_future(self._analyze(entry, delay))

    def _load(self, entry: str, documents: dict[str, str]) -> tuple[Analysis, SymbolIndex]:
        """The analysis and its symbol index (in a worker thread)."""
        roots = self.roots()
        base = roots[0] if roots else os.path.dirname(entry)
        master = tuple(os.path.join(base, os.path.expanduser(m)) for m in self.master_data)
        analysis = self.loader(entry, documents, master)
        return analysis, build_index(analysis.trees.values())

    async def _analyze(self, entry: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        documents = self.documents()
        try:
            analysis, index = await asyncio.get_running_loop().run_in_executor(self.loads, self._load, entry, documents)
        except Exception as error:  # a bug of costsheet's: said in the log, the server goes on
            self.window_log_message(
                t.LogMessageParams(t.MessageType.Error, f"costsheet could not check {entry}: {error!r}")
            )
            return
        self.analyses[entry] = analysis
        self.indexes[entry] = index
        for path in analysis.sources:
            self.entries.setdefault(path, entry)
        self.publish(analysis)

    def publish(self, analysis: Analysis) -> None:
        files = set(analysis.sources) | {analysis.entry}
        for path in sorted(files | self.published.get(analysis.entry, set())):
            lines = Lines(analysis.sources.get(path, ""))
            found = analysis.diagnostics_of(path) if path in files else ()
            self.text_document_publish_diagnostics(
                t.PublishDiagnosticsParams(uri=uri_of(path), diagnostics=[_diagnostic(d, lines) for d in found])
            )
        self.published[analysis.entry] = files

    async def analysis(self, uri: str) -> tuple[Analysis, SymbolIndex] | None:
        """The analysis of the ruleset ``uri`` belongs to, once the one in progress is done."""
        path = path_of(uri)
        if path not in self.entries:
            self.schedule(path, 0)
        entry = self.entries[path]
        task = self.pending.get(entry)
        while task is not None and not task.done():
            await asyncio.wait({task})  # a check replaced by a newer one ends cancelled: wait for that one
            task = self.pending.get(entry)
        if entry not in self.analyses:
            return None
        return self.analyses[entry], self.indexes[entry]


def _diagnostic(d: Diagnostic, lines: Lines) -> t.Diagnostic:
    span = d.span or Span.point("", 1, 1)
    message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    return t.Diagnostic(
        range=lines.range(span),
        message=message,
        severity=t.DiagnosticSeverity.Error if d.severity is Severity.ERROR else t.DiagnosticSeverity.Warning,
        code=d.code,
        source="costsheet",
        data={"hint": d.hint} if d.hint else None,
    )


# ---------------------------------------------------------------- features


_SYMBOL_KINDS = {
    "chart": t.SymbolKind.Namespace,
    "element": t.SymbolKind.Constant,
    "setup": t.SymbolKind.Module,
    "condition": t.SymbolKind.Function,
    "line": t.SymbolKind.Field,
    "item": t.SymbolKind.Class,
    "workcenter": t.SymbolKind.Struct,
    "machinecenter": t.SymbolKind.Struct,
    "vendor": t.SymbolKind.Object,
    "rounding": t.SymbolKind.Operator,
    "ledger": t.SymbolKind.Array,
}


def _symbol(symbol: Symbol, lines: Lines) -> t.DocumentSymbol:
    return t.DocumentSymbol(
        name=symbol.name,
        detail=symbol.detail,
        kind=_SYMBOL_KINDS.get(symbol.kind, t.SymbolKind.Event),
        range=lines.range(symbol.span),
        selection_range=lines.range(symbol.selection),
        children=[_symbol(child, lines) for child in symbol.children],
    )


def _location(analysis: Analysis, occurrence: Occurrence) -> t.Location:
    lines = Lines(analysis.sources.get(occurrence.span.file, ""))
    return t.Location(uri=uri_of(occurrence.span.file), range=lines.range(occurrence.span))


def _rename_edits(analysis: Analysis, index: SymbolIndex, occurrence: Occurrence, new: str) -> t.WorkspaceEdit:
    if not _CODE.fullmatch(new):
        raise JsonRpcException(
            f"{new!r} is not a code: a code starts with a letter or digit and holds letters, digits, _ - . /",
            _REQUEST_FAILED,
        )
    target = (occurrence.kind, occurrence.scope, new)
    clash = index.declaration(target)
    if clash is not None and new != occurrence.code:
        where = f"{os.path.basename(clash.span.file)}:{clash.span.line}"
        raise JsonRpcException(
            f"cannot rename {occurrence.kind.value} {occurrence.code} to {new}: "
            f"{occurrence.kind.value} {new} is already declared at {where}",
            _REQUEST_FAILED,
        )
    changes: dict[str, list[t.TextEdit]] = {}
    for found in index.occurrences(occurrence.key):
        text = analysis.sources.get(found.span.file, "")
        lines = Lines(text)
        written = lines.lines[found.span.line - 1][found.span.column - 1 : found.span.end_column - 1]
        replacement = f'"{new}"' if written.startswith('"') else new
        changes.setdefault(uri_of(found.span.file), []).append(t.TextEdit(lines.range(found.span), replacement))
    return t.WorkspaceEdit(changes=changes)


_COMPLETION_KINDS = {
    "keyword": t.CompletionItemKind.Keyword,
    "code": t.CompletionItemKind.Reference,
    "value": t.CompletionItemKind.EnumMember,
}


def make_server(  # noqa: C901 - the handlers are registered here, one function each
    loader: Loader | None = None, debounce: float = DEBOUNCE_SECONDS, master_data: Iterable[str] = ()
) -> CostsheetServer:
    server = CostsheetServer(loader, debounce, master_data)

    @server.feature(t.INITIALIZE)
    def initialize(ls: CostsheetServer, params: t.InitializeParams) -> None:
        ls.configure(params.initialization_options)

    @server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configuration(ls: CostsheetServer, params: t.DidChangeConfigurationParams) -> None:
        ls.configure(params.settings)
        for entry in list(ls.analyses):
            ls.schedule(entry, 0)

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched_files(ls: CostsheetServer, params: t.DidChangeWatchedFilesParams) -> None:
        """A ruleset or CSV file changed on disk (not through the editor): every open file's
        ruleset is checked again, after the debounce (a checkout changes many files at once)."""
        for path in {path_of(uri) for uri in ls.workspace.text_documents}:
            ls.schedule(path, ls.debounce)

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: CostsheetServer, params: t.DidOpenTextDocumentParams) -> None:
        ls.schedule(path_of(params.text_document.uri), 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: CostsheetServer, params: t.DidChangeTextDocumentParams) -> None:
        ls.schedule(path_of(params.text_document.uri), ls.debounce, find_entry=False)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: CostsheetServer, params: t.DidSaveTextDocumentParams) -> None:
        ls.schedule(path_of(params.text_document.uri), 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: CostsheetServer, params: t.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if os.path.isfile(path):
            ls.schedule(path, 0)  # the file on disk now stands for it

    async def located(ls: CostsheetServer, uri: str, position: t.Position):
        found = await ls.analysis(uri)
        if found is None:
            return None
        analysis, index = found
        path = path_of(uri)
        text = analysis.sources.get(path)
        if text is None:
            return None
        line, column, _ = Lines(text).offset(position)
        return analysis, index, path, line, column, index.at(path, line, column)

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    async def hover(ls: CostsheetServer, params: t.HoverParams) -> t.Hover | None:
        found = await located(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        analysis, index, path, line, column, occurrence = found
        if occurrence is not None:
            text = code_hover(analysis, index, occurrence)
            where = Lines(analysis.sources[path]).range(occurrence.span)
        else:
            amount = amount_at(analysis, path, line, ls.item_in_context, column)
            if amount is not None:
                text = amount_hover(analysis, amount)
                where = Lines(analysis.sources[path]).range(amount.span)
            else:
                note = realism.note_at(analysis, path, line, column)
                if note is None:
                    return None
                text, where = note_hover(note), Lines(analysis.sources[path]).range(note.span)
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text), range=where)

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: CostsheetServer, params: t.DefinitionParams) -> t.Location | None:
        found = await located(ls, params.text_document.uri, params.position)
        if found is None or found[-1] is None:
            return None
        analysis, index, *_, occurrence = found
        declaration = index.declaration(occurrence.key)
        return _location(analysis, declaration) if declaration else None

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: CostsheetServer, params: t.ReferenceParams) -> list[t.Location] | None:
        found = await located(ls, params.text_document.uri, params.position)
        if found is None or found[-1] is None:
            return None
        analysis, index, *_, occurrence = found
        include = params.context.include_declaration
        return [_location(analysis, o) for o in index.occurrences(occurrence.key) if include or not o.declaration]

    @server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: CostsheetServer, params: t.PrepareRenameParams):
        found = await located(ls, params.text_document.uri, params.position)
        if found is None or found[-1] is None:
            return None
        analysis, _, path, *_, occurrence = found
        return Lines(analysis.sources[path]).range(occurrence.span)

    @server.feature(t.TEXT_DOCUMENT_RENAME, t.RenameOptions(prepare_provider=True))
    async def rename(ls: CostsheetServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
        found = await located(ls, params.text_document.uri, params.position)
        if found is None or found[-1] is None:
            return None
        analysis, index, *_, occurrence = found
        return _rename_edits(analysis, index, occurrence, params.new_name)

    @server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[" "], resolve_provider=False))
    async def completion(ls: CostsheetServer, params: t.CompletionParams) -> t.CompletionList:
        uri = params.text_document.uri
        text = ls.text_of(uri)
        found = await ls.analysis(uri)
        index = found[1] if found else build_index(())
        model = found[0].ruleset.model if found and found[0].ruleset else None
        _, _, offset = Lines(text).offset(params.position)
        items = [
            t.CompletionItem(label=c.label, kind=_COMPLETION_KINDS[c.kind], detail=c.detail or None)
            for c in complete(text, offset, index, model)
        ]
        return t.CompletionList(is_incomplete=False, items=items)

    @server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbols(ls: CostsheetServer, params: t.DocumentSymbolParams) -> list[t.DocumentSymbol]:
        found = await ls.analysis(params.text_document.uri)
        path = path_of(params.text_document.uri)
        if found is None or path not in found[0].trees:
            return []
        analysis = found[0]
        lines = Lines(analysis.sources[path])
        return [_symbol(symbol, lines) for symbol in outline(analysis.trees[path])]

    @server.feature(t.TEXT_DOCUMENT_FOLDING_RANGE)
    async def folding(ls: CostsheetServer, params: t.FoldingRangeParams) -> list[t.FoldingRange]:
        found = await ls.analysis(params.text_document.uri)
        path = path_of(params.text_document.uri)
        if found is None or path not in found[0].trees:
            return []
        return [t.FoldingRange(start_line=a - 1, end_line=b - 1) for a, b in folds(found[0].trees[path])]

    @server.feature(t.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: CostsheetServer, params: t.DocumentFormattingParams) -> list[t.TextEdit]:
        text = ls.text_of(params.text_document.uri)
        formatted, _ = format_ruleset(text, path_of(params.text_document.uri))
        if formatted is None or formatted == text:
            return []  # a file with syntax errors is left as it is (its diagnostics say why)
        lines = Lines(text)
        return [t.TextEdit(t.Range(t.Position(0, 0), lines.end()), formatted)]

    @server.feature(t.TEXT_DOCUMENT_INLAY_HINT)
    async def inlay_hints(ls: CostsheetServer, params: t.InlayHintParams) -> list[t.InlayHint]:
        found = await ls.analysis(params.text_document.uri)
        path = path_of(params.text_document.uri)
        if found is None or path not in found[0].trees:
            return []
        analysis = found[0]
        lines = Lines(analysis.sources[path])
        first, last = params.range.start.line + 1, params.range.end.line + 1
        hints = []
        for amount in amounts.line_amounts(analysis, analysis.trees[path], ls.item_in_context, (first, last)):
            span = amount.span
            if not first <= span.line <= last:
                continue
            label = f"= {amounts.shown(analysis, amount.amount)}"
            if not isinstance(amount.node, n.BomEntry):
                label += f" ({amount.item})"
            elif converted := realism.conversion(analysis, amount.node):
                label += f" · {converted}"
            hints.append(
                t.InlayHint(
                    position=lines.position(span.end_line, span.end_column),
                    label=label,
                    padding_left=True,
                    tooltip=amounts.explain_text(analysis, amount.item, amount.steps) if amount.steps else None,
                )
            )
        hints.extend(
            t.InlayHint(
                position=lines.position(note.span.end_line, note.span.end_column),
                label=note.label,
                padding_left=True,
                tooltip="\n\n".join(note.notes) or None,
            )
            for note in realism.line_notes(analysis, analysis.trees[path], (first, last))
            if note.label and first <= note.span.line <= last
        )
        return hints

    @server.feature(t.TEXT_DOCUMENT_CODE_LENS)
    async def code_lenses(ls: CostsheetServer, params: t.CodeLensParams) -> list[t.CodeLens]:
        found = await ls.analysis(params.text_document.uri)
        path = path_of(params.text_document.uri)
        if found is None or path not in found[0].trees or found[0].ruleset is None:
            return []
        analysis = found[0]
        lines = Lines(analysis.sources[path])
        lenses = []
        for decl in analysis.trees[path].declarations:
            if not isinstance(decl, n.ItemDecl) or decl.span is None:
                continue
            summary = amounts.item_summary(analysis, decl.code.text)
            if summary is None:
                continue
            where = lines.range(Span(path, decl.span.line, 1, decl.span.line, 1))
            arguments = [params.text_document.uri, decl.code.text]
            lenses.append(t.CodeLens(where, t.Command(title=summary, command=EXPLAIN_COMMAND, arguments=arguments)))
            lenses.append(t.CodeLens(where, t.Command(title="explain", command=EXPLAIN_COMMAND, arguments=arguments)))
        return lenses

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION)
    async def code_actions(ls: CostsheetServer, params: t.CodeActionParams) -> list[t.CodeAction]:
        found = await ls.analysis(params.text_document.uri)
        path = path_of(params.text_document.uri)
        if found is None or path not in found[0].trees:
            return []
        analysis, index = found
        line = params.range.start.line + 1
        amount = amount_at(analysis, path, line, ls.item_in_context)
        items = [amount.item] if amount else []
        items += [o.code for o in index.by_file.get(path, ()) if o.kind is Kind.ITEM and o.span.line == line]
        return [
            t.CodeAction(
                title=f"Explain the costing of {item}",
                kind=t.CodeActionKind.Empty,
                command=t.Command(
                    title=f"Explain {item}", command=EXPLAIN_COMMAND, arguments=[params.text_document.uri, item, line]
                ),
            )
            for item in dict.fromkeys(items)
        ]

    @server.command(EXPLAIN_COMMAND)
    async def explain(ls: CostsheetServer, *arguments) -> dict | None:
        """``[uri, item, line?]``: where the amounts of ``item`` come from (with a line: that
        line's amount only), as Markdown; also shown to the user."""
        if len(arguments) < 2 or not all(isinstance(a, str) for a in arguments[:2]):
            raise JsonRpcException("costsheet.explain takes [document uri, item code, line?]", _REQUEST_FAILED)
        uri, item = arguments[0], arguments[1]
        found = await ls.analysis(uri)
        if found is None or found[0].ruleset is None:
            raise JsonRpcException("the ruleset has errors: fix them to see its numbers", _REQUEST_FAILED)
        analysis = found[0]
        steps = None
        if len(arguments) > 2 and isinstance(arguments[2], int):
            amount = amount_at(analysis, path_of(uri), arguments[2], item)
            if amount is not None and amount.item == item and amount.steps:
                steps = amount.steps
        text = amounts.explain_text(analysis, item, steps)
        if text is None:
            _, diagnostics = analysis.costing(item)
            message = next((d.message for d in diagnostics if d.is_error), f"{item} cannot be costed")
            raise JsonRpcException(message, _REQUEST_FAILED)
        ls.window_show_message(t.ShowMessageParams(type=t.MessageType.Info, message=text))
        return {"item": item, "markdown": text}

    return server
