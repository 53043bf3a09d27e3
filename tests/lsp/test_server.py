"""`costsheet lsp` against a real client over stdio (pytest-lsp): the demo ruleset (copied from
rulesets/), its numbers taken from the costing API, never written here."""

from __future__ import annotations

import ast
import asyncio
import os
import re
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

import costsheet
from costsheet.numbers import quantize_display

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(tempfile.mkdtemp(prefix="costsheet-lsp-")).resolve()  # a copy of the demo, per module
DEMO = WORK / "demo.cost"
LEDGER = WORK / "demo-ledger.cost"
pytestmark = pytest.mark.asyncio(loop_scope="module")


def _copy_demo() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    for name in ("demo.cost", "demo-ledger.cost"):
        shutil.copy(ROOT / "rulesets" / name, WORK / name)


_copy_demo()
SERVER = ClientServerConfig(
    server_command=[sys.executable, "-c", "from costsheet.cli import main; main()", "lsp", "--debounce", "50"],
    server_env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
)


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient):
    _copy_demo()
    lsp_client.initialize_result = await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=WORK.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=WORK.as_uri(), name="demo")],
        )
    )
    yield
    await lsp_client.shutdown_session()
    shutil.rmtree(WORK, ignore_errors=True)


def _shown(value: Decimal) -> str:
    return quantize_display(value, 2, 5)  # the demo's `decimals amounts 2:5`


_RULESET = costsheet.load(str(ROOT / "rulesets" / "demo.cost"))
TEXT = (ROOT / "rulesets" / "demo.cost").read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def _line_of(fragment: str, after: int = 0) -> int:
    """The 0-based line of the first line holding ``fragment`` (from line ``after`` on)."""
    return next(i for i, line in enumerate(LINES) if i >= after and fragment in line)


def _at(fragment: str, within: str | None = None, after: int = 0) -> t.Position:
    line = _line_of(within or fragment, after)
    return t.Position(line, LINES[line].index(fragment) + 1)


async def _open(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> None:
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            t.TextDocumentItem(path.as_uri(), "costsheet", version, text or path.read_text(encoding="utf-8"))
        )
    )
    await _diagnostics(client, path, lambda found: True)


async def _change(client: LanguageClient, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version=version, uri=path.as_uri()),
            [t.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def _diagnostics(client: LanguageClient, path: Path, wanted, timeout: float = 20.0):
    """The diagnostics published for ``path`` once ``wanted(diagnostics)`` holds.

    The wait for the next notification is registered before the diagnostics are looked at: a
    notification read in between would otherwise be missed and the wait would run to its timeout."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        published = client.protocol.wait_for_notification_async("textDocument/publishDiagnostics")
        found = client.diagnostics.get(path.as_uri())
        if found is not None and wanted(found):
            return found  # the wait left registered is replaced by the next one, or resolves unread
        remaining = end - loop.time()
        assert remaining > 0, f"no such diagnostics for {path.name}: {found}"
        try:
            await asyncio.wait_for(published, remaining)
        except TimeoutError:
            pass


def _doc(path: Path = DEMO) -> t.TextDocumentIdentifier:
    return t.TextDocumentIdentifier(path.as_uri())


async def test_the_server_says_what_it_offers(client):
    offered = client.initialize_result.capabilities
    assert offered.hover_provider and offered.definition_provider and offered.references_provider
    assert offered.rename_provider.prepare_provider
    assert offered.document_symbol_provider and offered.folding_range_provider
    assert offered.document_formatting_provider and offered.code_action_provider
    assert offered.inlay_hint_provider and offered.code_lens_provider and offered.completion_provider
    assert list(offered.execute_command_provider.commands) == ["costsheet.explain"]
    assert client.initialize_result.server_info.name == "costsheet"


async def test_prepare_rename_gives_the_code_under_the_cursor(client):
    await _open(client, DEMO)
    found = await client.text_document_prepare_rename_async(
        t.PrepareRenameParams(_doc(), _at("V-3000", 'vendor V-3000 "Frame'))
    )
    line = _line_of('vendor V-3000 "Frame')
    assert found == t.Range(t.Position(line, len("vendor ")), t.Position(line, len("vendor V-3000")))


# ---------------------------------------------------------------- diagnostics


async def test_an_error_gets_its_diagnostic_with_code_and_range_and_is_cleared_when_fixed(client):
    await _open(client, DEMO)
    assert not client.diagnostics[DEMO.as_uri()]
    broken = TEXT.replace("condition      production P-STD", "condition      production P-STDX")
    await _change(client, DEMO, broken, 2)
    found = await _diagnostics(client, DEMO, lambda d: len(d) > 0)
    line = broken.split("\n").index("  condition      production P-STDX")
    (diagnostic,) = found
    assert diagnostic.code == "unknown-condition"
    assert diagnostic.range.start == t.Position(line, broken.split("\n")[line].index("P-STDX"))
    assert diagnostic.range.end.character == diagnostic.range.start.character + len("P-STDX")
    assert "hint:" in diagnostic.message and diagnostic.severity == t.DiagnosticSeverity.Error
    await _change(client, DEMO, TEXT, 3)
    assert not await _diagnostics(client, DEMO, lambda d: not d)


async def test_an_incremental_change_is_applied_before_the_check(client):
    line = _line_of("  condition      production P-STD")
    column = LINES[line].index("P-STD") + len("P-STD")
    where = t.Range(t.Position(line, column), t.Position(line, column))
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version=5, uri=DEMO.as_uri()),
            [t.TextDocumentContentChangePartial(range=where, text="Y")],
        )
    )
    found = await _diagnostics(client, DEMO, lambda d: len(d) > 0)
    assert [(d.code, d.range.start.line) for d in found] == [("unknown-condition", line)]
    await _change(client, DEMO, TEXT, 6)
    await _diagnostics(client, DEMO, lambda d: not d)


async def test_an_error_in_an_included_file_is_reported_on_that_file(client):
    ledger_text = LEDGER.read_text(encoding="utf-8")
    await _open(client, LEDGER)
    broken = ledger_text.replace("ledger ICO-0001", "ledger ICO-9999", 1)
    assert broken != ledger_text
    await _change(client, LEDGER, broken, 2)
    found = await _diagnostics(client, LEDGER, lambda d: len(d) > 0)
    assert {d.code for d in found} >= {"unknown-item"}
    line = next(i for i, x in enumerate(broken.split("\n")) if x.startswith("ledger ICO-9999"))
    assert [(d.range.start.line, d.range.start.character) for d in found if d.code == "unknown-item"] == [(line, 7)]
    assert not client.diagnostics[DEMO.as_uri()]
    await _change(client, LEDGER, ledger_text, 3)
    await _diagnostics(client, LEDGER, lambda d: not d)


async def test_a_syntax_error_is_reported_and_the_outline_keeps_what_parses(client):
    broken = TEXT.replace("unit-cost      1210.00", "unit-cost      {{", 1)
    await _change(client, DEMO, broken, 10)
    found = await _diagnostics(client, DEMO, lambda d: any(x.code == "syntax-error" for x in d))
    assert found[0].range.start.line == _line_of("unit-cost      1210.00")
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(_doc()))
    names = [s.name for s in symbols]
    assert "ICO-0002" in names and "chart" in names and "LP-RETAIL" in names
    assert "ICO-0001" not in names  # the declaration with the error
    await _change(client, DEMO, TEXT, 11)
    await _diagnostics(client, DEMO, lambda d: not d)


async def test_bad_input_never_crashes_the_server(client):
    garbage = "\x00\ud800 item { { } } ]]] condition\n" * 50 + "".join(chr(c) for c in range(0x20, 0x3000, 7))
    await _change(client, DEMO, garbage, 20)
    await _diagnostics(client, DEMO, lambda d: len(d) > 0)
    for position in (t.Position(0, 0), t.Position(3, 5), t.Position(10_000, 10_000)):
        await client.text_document_hover_async(t.HoverParams(_doc(), position))
        await client.text_document_completion_async(t.CompletionParams(_doc(), position))
        await client.text_document_definition_async(t.DefinitionParams(_doc(), position))
    await client.text_document_formatting_async(t.DocumentFormattingParams(_doc(), t.FormattingOptions(2, True)))
    await client.text_document_inlay_hint_async(
        t.InlayHintParams(_doc(), t.Range(t.Position(0, 0), t.Position(100, 0)))
    )
    nowhere = t.TextDocumentIdentifier((WORK / "never opened.cost").as_uri())
    assert await client.text_document_hover_async(t.HoverParams(nowhere, t.Position(0, 0))) is None
    assert not await client.text_document_formatting_async(
        t.DocumentFormattingParams(nowhere, t.FormattingOptions(2, True))
    )
    assert not await client.text_document_document_symbol_async(t.DocumentSymbolParams(nowhere))
    with pytest.raises(Exception, match="takes"):
        await client.workspace_execute_command_async(t.ExecuteCommandParams("costsheet.explain", [1]))
    await _change(client, DEMO, TEXT, 21)
    await _diagnostics(client, DEMO, lambda d: not d)


# ---------------------------------------------------------------- hover


async def test_hover_over_an_item_shows_its_declaration_unit_cost_and_list_price(client):
    hover = await client.text_document_hover_async(
        t.HoverParams(_doc(), _at("ICO-0001", 'item ICO-0001 "Racing bike"'))
    )
    result = _RULESET.calculate("ICO-0001")
    text = hover.contents.value
    assert 'item ICO-0001 "Racing bike" {' in text
    assert f"unit cost {_shown(result.unit_cost)} · list price {_shown(result.list_price)}" in text


@pytest.mark.parametrize(
    "fragment, within, expected",
    [
        ("1110", "  direct   1110", "cost element 1110 “Direct material”, cost group material"),
        ("C-STD", "  condition        C-STD", "capacity condition C-STD “Machine hours” with 4 lines"),
        ("MC-110", "20 MC-110", "machine center MC-110 “Wheel truing” in work center WC-100"),
        ("V-1000", "  vendor           V-1000", "vendor V-1000 “Spoke Supplies Ltd.”"),
        ("NICKEL", "list-price bold round NICKEL", "rounding method: up to a multiple of 0.05"),
        ("WC-100", "in WC-100", "work center WC-100 “Assembly”"),
    ],
)
async def test_hover_over_a_code_shows_its_declaration_and_meaning(client, fragment, within, expected):
    hover = await client.text_document_hover_async(t.HoverParams(_doc(), _at(fragment, within)))
    assert expected in hover.contents.value


async def test_hover_over_a_row_in_a_formula(client):
    hover = await client.text_document_hover_async(t.HoverParams(_doc(), _at("A", 'formula "10 % A"')))
    assert "row A of condition LP-RETAIL" in hover.contents.value


def _steps(item: str, source: str) -> Decimal:
    result = _RULESET.calculate(item, explain=True)
    return sum((s.amount for s in result.explain if s.item == item and s.source.startswith(source)), Decimal(0))


async def test_hover_over_a_condition_line_shows_its_amount_for_the_item_in_context(client):
    line = _line_of('"Maintenance"')
    hover = await client.text_document_hover_async(t.HoverParams(_doc(), t.Position(line, 2)))
    # C-STD is first used by ICO-0001 (through WC-100 in its routing)
    assert f"**{_shown(_steps('ICO-0001', 'C-STD line 3 '))}** for ICO-0001" in hover.contents.value
    assert "percent 15 of direct capacity" in hover.contents.value


async def test_hover_over_a_charge_line_shows_its_value(client):
    line = _line_of('"Sales overhead"             row B')
    hover = await client.text_document_hover_async(t.HoverParams(_doc(), t.Position(line, 2)))
    value = _RULESET.calculate("ICO-0001").charges[2].value
    assert hover.contents.value.startswith(f"**{_shown(value)}** for ICO-0001")


# ---------------------------------------------------------------- navigation


async def test_definition_across_included_files(client):
    ledger_lines = LEDGER.read_text(encoding="utf-8").split("\n")
    line = next(i for i, x in enumerate(ledger_lines) if x.startswith("ledger ICO-0001"))
    found = await client.text_document_definition_async(
        t.DefinitionParams(_doc(LEDGER), t.Position(line, len("ledger I")))
    )
    assert found.uri == DEMO.as_uri()
    assert found.range.start == t.Position(_line_of('item ICO-0001 "Racing bike"'), len("item "))


async def test_references_of_a_condition(client):
    found = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=_doc(),
            position=_at("M-STD", 'condition material M-STD "Purchased'),
            context=t.ReferenceContext(include_declaration=True),
        )
    )
    expected = [i for i, line in enumerate(LINES) if "M-STD" in line.split("#")[0]]
    assert sorted(x.range.start.line for x in found) == expected


async def test_rename_changes_every_occurrence_across_files(client):
    edit = await client.text_document_rename_async(
        t.RenameParams(text_document=_doc(), position=_at("ICO-0005", 'item ICO-0005 "Spoke"'), new_name="SPOKE-1")
    )
    written = [
        (number, match.start())
        for number, line in enumerate(LINES)
        for match in re.finditer(r"ICO-0005", line.split("#")[0])
    ]
    changes = edit.changes[DEMO.as_uri()]
    assert sorted((e.range.start.line, e.range.start.character) for e in changes) == written
    assert all(e.new_text == "SPOKE-1" for e in changes)


async def test_rename_reaches_the_included_files(client):
    ledger = LEDGER.read_text(encoding="utf-8")
    edit = await client.text_document_rename_async(
        t.RenameParams(text_document=_doc(), position=_at("ICO-0003", 'item ICO-0003 "Frame"'), new_name="FRAME")
    )
    in_ledger = [e.range.start.line for e in edit.changes[LEDGER.as_uri()]]
    assert in_ledger == [i for i, line in enumerate(ledger.split("\n")) if "ICO-0003" in line.split("#")[0]]
    assert in_ledger


async def test_rename_refuses_a_collision(client):
    with pytest.raises(Exception, match=r"item ICO-0004 is already declared at demo\.cost:"):
        await client.text_document_rename_async(
            t.RenameParams(text_document=_doc(), position=_at("ICO-0005", 'item ICO-0005 "Spoke"'), new_name="ICO-0004")
        )
    with pytest.raises(Exception, match="is not a code"):
        await client.text_document_rename_async(
            t.RenameParams(
                text_document=_doc(), position=_at("ICO-0005", 'item ICO-0005 "Spoke"'), new_name="two words"
            )
        )


# ---------------------------------------------------------------- completion


async def _labels(client, text: str, position: t.Position) -> set[str]:
    await _change(client, DEMO, text, 30)
    found = await client.text_document_completion_async(t.CompletionParams(_doc(), position))
    return {item.label for item in found.items}


async def test_completion_offers_the_keywords_of_the_place(client):
    line = _line_of("  unit-cost      1210.00")
    text = "\n".join([*LINES[:line], "  ", *LINES[line:]])
    labels = await _labels(client, text, t.Position(line, 2))
    assert {"bom", "routing", "unit-cost", "costing-method", "condition"} <= labels
    assert "percent" not in labels and "item" not in labels


async def test_completion_after_direct_offers_only_elements_of_the_accepted_groups(client):
    line = _line_of('condition material M-STD "Purchased parts" {') + 1
    text = "\n".join([*LINES[:line], "  direct ", *LINES[line:]])
    labels = await _labels(client, text, t.Position(line, len("  direct ")))
    assert {"1110", "4110"} <= labels  # the material elements
    assert not labels & {"1120", "2110", "3100", "6100"}


async def test_completion_of_a_setting_offers_its_words(client):
    line = _line_of("  cost-base           unit/direct/last")
    text = "\n".join([*LINES[:line], "  costing-method ", *LINES[line + 1 :]])
    text = text.replace("  costing-method \n", "  cost-base \n", 1)
    labels = await _labels(client, text, t.Position(line, len("  cost-base ")))
    assert {"unit-cost", "last-direct-cost", "direct-unit-cost", "unit/direct/last"} <= labels


async def test_completion_in_a_bom_offers_items(client):
    line = _line_of("    ICO-0003 1 scrap 5%")
    text = "\n".join([*LINES[:line], "    ", *LINES[line:]])
    labels = await _labels(client, text, t.Position(line, 4))
    assert {f"ICO-000{i}" for i in range(1, 9)} <= labels
    await _change(client, DEMO, TEXT, 31)
    await _diagnostics(client, DEMO, lambda d: not d)


# ---------------------------------------------------------------- outline, folding, formatting


async def test_document_symbols_and_folding(client):
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(_doc()))
    names = [s.name for s in symbols]
    assert names[:3] == ["include demo-ledger.cost", "setup", "setup"] and "chart" in names and "ICO-0008" in names
    chart = next(s for s in symbols if s.name == "chart")
    assert [c.name for c in chart.children][:3] == ["1000", "1100", "1110"]
    condition = next(s for s in symbols if s.name == "LP-RETAIL")
    assert len(condition.children) == 9
    ledger = await client.text_document_document_symbol_async(t.DocumentSymbolParams(_doc(LEDGER)))
    assert any(s.name.startswith("ledger ") for s in ledger)
    folds = await client.text_document_folding_range_async(t.FoldingRangeParams(_doc()))
    chart_line = _line_of("chart {")
    assert any(f.start_line == chart_line and LINES[f.end_line] == "}" for f in folds)
    bom_line = _line_of("  bom {")
    assert any(f.start_line == bom_line for f in folds)


async def test_formatting_is_costsheet_fmt(client):
    from costsheet.syntax import format_ruleset

    messy = TEXT.replace('vendor V-1000 "Spoke Supplies Ltd."', 'vendor    V-1000     "Spoke Supplies Ltd."')
    await _change(client, DEMO, messy, 40)
    edits = await client.text_document_formatting_async(
        t.DocumentFormattingParams(_doc(), t.FormattingOptions(2, True))
    )
    (edit,) = edits
    assert edit.new_text == format_ruleset(messy, str(DEMO))[0]
    await _change(client, DEMO, TEXT, 41)
    await _diagnostics(client, DEMO, lambda d: not d)


# ---------------------------------------------------------------- numbers


async def test_inlay_hints_show_the_amounts_of_charge_condition_and_bom_lines(client):
    hints = await client.text_document_inlay_hint_async(
        t.InlayHintParams(_doc(), t.Range(t.Position(0, 0), t.Position(len(LINES), 0)))
    )
    by_line = {h.position.line: h.label for h in hints}
    result = _RULESET.calculate("ICO-0001")
    for charge in result.charges:
        if charge.value is not None:
            line = _line_of(f'"{charge.description}"', _line_of("condition charge LP-RETAIL"))
            assert by_line[line] == f"= {_shown(charge.value)} (ICO-0001)"
    line = _line_of('"Energy"')
    assert by_line[line] == f"= {_shown(_steps('ICO-0001', 'C-STD line 1 '))} (ICO-0001)"
    line = _line_of("    ICO-0003 1 scrap 5%")
    assert by_line[line] == f"= {_shown(_steps('ICO-0001', 'BOM line ICO-0003'))}"


async def test_code_lenses_above_each_item(client):
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(_doc()))
    titles = {lens.range.start.line: [] for lens in lenses}
    for lens in lenses:
        titles[lens.range.start.line].append(lens.command.title)
    for code, item in _RULESET.model.items.items():
        result = _RULESET.calculate(code)
        expected = f"unit cost {_shown(result.unit_cost)}"
        if result.list_price is not None:
            expected += f" · list price {_shown(result.list_price)}"
        assert titles[item.span.line - 1] == [expected, "explain"]


async def test_the_explain_command_and_code_action(client):
    line = _line_of('"Maintenance"')
    actions = await client.text_document_code_action_async(
        t.CodeActionParams(_doc(), t.Range(t.Position(line, 0), t.Position(line, 0)), t.CodeActionContext([]))
    )
    (action,) = actions
    assert action.title == "Explain the costing of ICO-0001"
    command = action.command
    if isinstance(command, str) and command.startswith("{"):  # pygls's client reads a CodeAction as a
        command = ast.literal_eval(command)  # Command (the result is a union) and its command as a str
    if isinstance(command, dict):
        name, arguments = command["command"], command["arguments"]
    elif isinstance(command, str):
        name, arguments = command, action.arguments
    else:
        name, arguments = command.command, command.arguments
    result = await client.workspace_execute_command_async(t.ExecuteCommandParams(name, arguments))
    assert result["item"] == "ICO-0001"
    assert f"**{_shown(_steps('ICO-0001', 'C-STD line 3 '))}**" in result["markdown"]
    whole = await client.workspace_execute_command_async(
        t.ExecuteCommandParams("costsheet.explain", [DEMO.as_uri(), "ICO-0005"])
    )
    steps = [s for s in _RULESET.calculate("ICO-0005", explain=True).explain if s.item == "ICO-0005"]
    assert whole["markdown"].count("\n- ") == len(steps)
    with pytest.raises(Exception, match="ICO-9999"):
        await client.workspace_execute_command_async(
            t.ExecuteCommandParams("costsheet.explain", [DEMO.as_uri(), "ICO-9999"])
        )


# ---------------------------------------------------------------- settings, other files


async def test_the_item_setting_chooses_the_item_in_context(client):
    line = _line_of('line 1120 "Purchasing"')

    async def label() -> str:
        hints = await client.text_document_inlay_hint_async(
            t.InlayHintParams(_doc(), t.Range(t.Position(line, 0), t.Position(line + 1, 0)))
        )
        return next(h.label for h in hints if h.position.line == line)

    # M-STD is the material condition of ICO-0003 and ICO-0005; the first is in context by default
    assert await label() == f"= {_shown(_steps('ICO-0003', 'M-STD line 1 '))} (ICO-0003)"
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams({"costsheet": {"item": "ICO-0005"}}))
    await asyncio.sleep(0.1)
    assert await label() == f"= {_shown(_steps('ICO-0005', 'M-STD line 1 '))} (ICO-0005)"
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams({"costsheet": {"item": "ICO-0001"}}))
    await asyncio.sleep(0.1)
    assert await label() == f"= {_shown(_steps('ICO-0003', 'M-STD line 1 '))} (ICO-0003)"  # ICO-0001 does not use it
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams({"costsheet": {}}))


async def test_a_malformed_file_of_its_own(client):
    path = WORK / "a broken file.cost"  # a space: quoted in its URI
    text = 'vendor V-1 "One"\nitem A "Unclosed" {\n  unit-cost 1\n\nvendor V-2 "Two"\nchart {\n  1 element "x" $\n}\n'
    path.write_text(text, encoding="utf-8")
    await _open(client, path, text)
    found = await _diagnostics(client, path, lambda d: len(d) > 0)
    assert sorted((d.range.start.line, d.code) for d in found) == [(4, "syntax-error"), (6, "unexpected-character")]
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(_doc(path)))
    assert [s.name for s in symbols] == ["V-1", "V-2"]
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(_doc(path)))
    assert not lenses
    assert not client.diagnostics[DEMO.as_uri()]  # a file of another ruleset


async def test_the_master_data_setting_loads_csv_with_the_ruleset(client):
    folder = WORK / "withcsv"
    (folder / "md").mkdir(parents=True)
    (folder / "md" / "items.csv").write_text("code,description,unit_cost\nCSV-1,From CSV,2.50\n", encoding="utf-8")
    path = folder / "a.cost"
    text = 'item A "Assembly" {\n  replenishment prod-order\n  bom {\n    CSV-1 2\n  }\n}\n'
    path.write_text(text, encoding="utf-8")
    await _open(client, path, text)
    found = await _diagnostics(client, path, lambda d: any(x.code == "unknown-item" for x in d))
    assert [d.range.start for d in found if d.code == "unknown-item"] == [t.Position(3, 4)]
    # relative to the first workspace folder
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams({"masterData": ["withcsv/md"]}))
    await _diagnostics(client, path, lambda d: d and all(x.code != "unknown-item" for x in d))
    csv = await _diagnostics(client, folder / "md" / "items.csv", lambda d: len(d) > 0)
    assert {d.code for d in csv} == {"no-condition"} and csv[0].range.start == t.Position(1, 0)
    hover = await client.text_document_hover_async(t.HoverParams(_doc(path), t.Position(3, 5)))
    assert "item CSV-1 (CSV master data)" in hover.contents.value
    client.workspace_did_change_configuration(t.DidChangeConfigurationParams({"masterData": []}))
    await _diagnostics(client, path, lambda d: any(x.code == "unknown-item" for x in d))
