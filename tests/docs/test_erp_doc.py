"""docs/erp.md runs as written: its files, its commands and their outputs (tools/doctext.py), and its
mapping file is a part of the example mapping for Business Central in docs/master-data.md, so the
two cannot drift apart.

After a deliberate change of an output: ``python tools/doctext.py update docs/erp.md`` and review.
"""

from __future__ import annotations

import sys
from pathlib import Path

from costsheet.csvdata.mapping import MAPPING_FILE, parse_mapping
from costsheet.csvdata.master import _COLUMNS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path set-up above

PAGE = ROOT / "docs" / "erp.md"


def _mapping(page: str, name: str):
    texts = [
        step.text
        for step in doctext.session((ROOT / "docs" / page).read_text(encoding="utf-8"))
        if isinstance(step, doctext.File) and step.name == name
    ]
    mapping, diagnostics = parse_mapping(texts[-1], MAPPING_FILE, _COLUMNS)
    assert diagnostics == ()
    return mapping


def test_every_command_of_the_page_prints_what_the_page_shows():
    assert doctext.differences(PAGE) == [], "run `python tools/doctext.py update docs/erp.md` and review"


def test_the_pages_mapping_is_a_part_of_the_business_central_example():
    erp, example = _mapping("erp.md", "erp/csv.rules"), _mapping("master-data.md", "bc/csv.rules")
    assert erp.format == example.format and erp.sections
    for kind, section in erp.sections.items():
        full = example.sections[kind]
        assert (section.name, section.format) == (full.name, full.format)
        headers = {column: header.text for column, header in section.columns.items()}
        assert headers.items() <= {column: header.text for column, header in full.columns.items()}.items()
        assert all(section.values[c].items() <= full.values[c].items() for c in section.values)


def _written(text: str) -> dict[str, str]:
    """The blocks marked ``<!-- written: NAME -->``: what the page says a command wrote into NAME."""
    return {block.marks["written"]: block.text for block in doctext.blocks(text) if "written" in block.marks}


def test_the_files_the_worksheet_writes_are_what_the_page_shows(tmp_path):
    text = PAGE.read_text(encoding="utf-8")
    shown = _written(text)
    assert set(shown) == {"erp/standard-costs.csv", "erp/sales-prices.csv", "sales-price-import.csv"}
    doctext.run(text, tmp_path)
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in shown} == shown
