"""Neovim's own LSP client (0.7 or later, headless) talks to `costsheet lsp`: the setup of
docs/editors.md, "Neovim", without nvim-lspconfig, and the numbers of the costing API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import costsheet
from costsheet.numbers import quantize_display

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
local id = vim.lsp.start_client({
  name = "costsheet",
  cmd = { %(python)s, "-c", "from costsheet.cli import main; main()", "lsp" },
  cmd_env = { PYTHONPATH = %(src)s },
  root_dir = %(root)s,
})
vim.cmd("edit " .. %(file)s)
vim.lsp.buf_attach_client(0, id)
vim.wait(20000, function() return vim.lsp.get_client_by_id(id).initialized end)
local document = { uri = vim.uri_from_bufnr(0) }
local out = {}
local hover = vim.lsp.buf_request_sync(0, "textDocument/hover",
  { textDocument = document, position = { line = %(item_line)d, character = 6 } }, 20000)
for _, r in pairs(hover or {}) do out.hover = r.result and r.result.contents.value end
local hints = vim.lsp.buf_request_sync(0, "textDocument/inlayHint", { textDocument = document,
  range = { start = { line = 0, character = 0 }, ["end"] = { line = %(lines)d, character = 0 } } }, 20000)
out.hints = {}
for _, r in pairs(hints or {}) do
  for _, h in ipairs(r.result or {}) do out.hints[tostring(h.position.line)] = h.label end
end
local file = io.open(%(report)s, "w")
file:write(vim.fn.json_encode(out))
file:close()
vim.cmd("qa!")
"""


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string is a Lua string for these paths


@pytest.mark.thorough
@pytest.mark.external("nvim")
def test_neovim_shows_the_hover_and_the_inlay_hints(tmp_path):
    for name in ("demo.cost", "demo-ledger.cost"):
        shutil.copy(ROOT / "rulesets" / name, tmp_path / name)
    lines = (tmp_path / "demo.cost").read_text(encoding="utf-8").split("\n")
    item_line = next(i for i, line in enumerate(lines) if line.startswith("item ICO-0001"))
    report = tmp_path / "report.json"
    values = {
        "python": _lua(sys.executable),
        "src": _lua(str(ROOT / "src")),
        "root": _lua(str(tmp_path)),
        "file": _lua(str(tmp_path / "demo.cost")),
        "report": _lua(str(report)),
        "item_line": item_line,
        "lines": len(lines),
    }
    (tmp_path / "check.lua").write_text(SCRIPT % values, encoding="utf-8")
    subprocess.run(
        ["nvim", "--headless", "-u", "NONE", "-c", f"luafile {tmp_path / 'check.lua'}"],
        cwd=tmp_path,
        timeout=120,
        check=True,
        capture_output=True,
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
    )
    found = json.loads(report.read_text(encoding="utf-8"))
    result = costsheet.load(str(tmp_path / "demo.cost")).calculate("ICO-0001")
    shown = lambda value: quantize_display(value, 2, 5)  # noqa: E731 - the demo's decimals amounts 2:5
    assert f"unit cost {shown(result.unit_cost)} · list price {shown(result.list_price)}" in found["hover"]
    first = next(i for i, line in enumerate(lines) if line.startswith("condition charge LP-RETAIL"))
    for charge in result.charges:
        if charge.value is not None:
            line = next(i for i in range(first, len(lines)) if f'"{charge.description}"' in lines[i])
            assert found["hints"][str(line)] == f"= {shown(charge.value)} (ICO-0001)"
