"""`costsheet lsp` on the costing-realism example (tests/data/realism/section14.cost) against a
real client over stdio (pytest-lsp): hovers and inlay hints say which versions were used, that a
phantom has no cost of its own, what by-products credit and co-products take, how a BOM line in
another unit converts and at which rate a dollar price is taken (docs/editors.md).

The server costs on today's date, after 2026-07-01, so the dated BOM and the July rate apply.
The numbers by hand (as tests/costing/test_joint_products.py derives them): SPOKE 11.00 USD per
BOX x 1.1000 = 12.10 EUR per BOX, 0.121 per PCS; the phantom WHEELSET brings into BIKE, per
WHEELSET line of quantity 2, RIM 2 x 5.00 + SPOKE 0.72 BOX = 72 PCS x 0.121 = 8.712 and its
operation 50 (6 min run x 2 at 30.00/h = 6.00): 24.712; BIKE's gross 89.712 less the SCRAP-AL
credit 0.25 x 1.20 = 0.30, of which BIKE-KIT takes 10% = 8.9412 and BIKE keeps 80.4708.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "data" / "realism" / "section14.cost"
WORK = Path(tempfile.mkdtemp(prefix="costsheet-lsp-realism-")).resolve()
RULESET = WORK / "section14.cost"
TEXT = EXAMPLE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
pytestmark = pytest.mark.asyncio(loop_scope="module")

SERVER = ClientServerConfig(
    server_command=[sys.executable, "-c", "from costsheet.cli import main; main()", "lsp", "--debounce", "50"],
    server_env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
)


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient):
    assert dt.date.today() >= dt.date(2026, 7, 1), "the numbers below are those of the July BOM and rate"
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE, RULESET)
    lsp_client.initialize_result = await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=WORK.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=WORK.as_uri(), name="realism")],
        )
    )
    lsp_client.text_document_did_open(
        t.DidOpenTextDocumentParams(t.TextDocumentItem(RULESET.as_uri(), "costsheet", 1, TEXT))
    )
    yield
    await lsp_client.shutdown_session()
    shutil.rmtree(WORK, ignore_errors=True)


def _line(fragment: str) -> int:
    return next(i for i, line in enumerate(LINES) if fragment in line)


def _at(fragment: str, within: str) -> t.Position:
    line = _line(within)
    return t.Position(line, LINES[line].index(fragment) + 1)


async def _hover(client: LanguageClient, position: t.Position) -> str:
    hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(RULESET.as_uri()), position))
    assert hover is not None
    return hover.contents.value


async def _hints(client: LanguageClient) -> dict[int, list[str]]:
    hints = await client.text_document_inlay_hint_async(
        t.InlayHintParams(
            t.TextDocumentIdentifier(RULESET.as_uri()), t.Range(t.Position(0, 0), t.Position(len(LINES), 0))
        )
    )
    found: dict[int, list[str]] = {}
    for hint in hints or []:
        found.setdefault(hint.position.line, []).append(hint.label)
    return found


async def test_hover_over_the_producer_shows_versions_by_product_credit_and_co_product_share(client):
    text = await _hover(client, _at("BIKE", 'item BIKE "City bike"'))
    assert "unit cost 80.4708" in text
    assert f"BOM version 2026-07-01 · routing version 2026-01-01 (valid on {dt.date.today()})" in text
    assert "by-product SCRAP-AL: 0.25 × 1.20 (its own unit cost) = credit −0.30 on the direct element" in text
    assert "co-product BIKE-KIT (1 per unit) takes 10% = 8.9412" in text


async def test_hover_over_a_co_product_names_its_producer_and_share(client):
    text = await _hover(client, _at("BIKE-KIT", 'item BIKE-KIT "Spare-parts kit'))
    assert "co-product of **BIKE**: share 10% of its unit cost = 8.9412 per BIKE, ÷ 1 = 8.9412 per unit" in text


async def test_hover_over_a_phantom_says_it_has_no_cost_of_its_own(client):
    text = await _hover(client, _at("WHEELSET", 'item WHEELSET "Wheel set'))
    assert "**phantom**: no cost of its own and never costed alone" in text and "exploded into each parent" in text
    assert text.endswith(": BIKE") and "unit cost" not in text


async def test_hover_over_a_phantom_line_shows_what_it_brings_and_its_amount(client):
    text = await _hover(client, _at("WHEELSET 2  LAMP", "bom from 2026-07-01"))
    assert "WHEELSET" in text  # the code under the cursor: its declaration and the phantom note
    line = _line("bom from 2026-07-01")
    text = await _hover(client, t.Position(line, LINES[line].index("2  LAMP")))
    assert text.startswith("**24.712** for BIKE")
    assert "**phantom** WHEELSET (no cost of its own), exploded here: RIM 2 · SPOKE 0.72 BOX" in text
    assert "operation WHEELSET 50 (run × 2)" in text


async def test_hover_over_a_line_in_another_unit_shows_the_conversion(client):
    line = _line("SPOKE 0.36 unit BOX")
    text = await _hover(client, t.Position(line, LINES[line].index("0.36")))
    assert "unit: 0.36 BOX = 36.00 PCS (1 BOX = 100)" in text
    assert "a line of phantom WHEELSET: costed in its parents (BIKE)" in text


async def test_hover_over_a_dollar_price_shows_the_rate(client):
    line = _line("unit-cost 11.00 per BOX")
    text = await _hover(client, t.Position(line, LINES[line].index("11.00")))
    assert "11.00 USD per BOX × 1.1000 = **12.10 EUR per BOX**" in text
    assert f"1 USD = 1.1000 EUR on {dt.date.today()} (exchange-rate from 2026-07-01)" in text
    vendor = await _hover(client, _at("V-3000", 'vendor V-3000 "US Fasteners"'))
    assert "prices and discounts in USD: 1 USD = 1.1000 EUR" in vendor


async def test_inlay_hints_follow_the_version_units_phantoms_and_currencies(client):
    hints = await _hints(client)
    assert hints[_line("bom from 2026-07-01")] == ["= 40.00", "= 24.712", "= 4.00"]  # the version used
    assert _line("bom { FRAME 1  WHEELSET 2 }") not in hints  # the undated version is not used today
    assert hints[_line("SPOKE 0.36 unit BOX")] == ["0.36 BOX = 36.00 PCS (1 BOX = 100)"]  # no amount alone
    assert hints[_line("unit-cost 11.00 per BOX")] == ["= 12.10 EUR per BOX"]
    assert hints[_line("min-qty 2 unit-cost 10.00")] == ["= 11.00 EUR per BOX"]
