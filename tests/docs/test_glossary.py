"""docs/glossary.md maps costsheet's words to Business Central's and Finance & Operations' field names.

Its words are the language's: every word the glossary writes in `code` is one the reference pages
name, and its tables of cost groups, cost bases and costing methods list exactly the values
docs/language.md lists (which tests/docs/test_reference.py holds to what the checker accepts).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import doctext  # noqa: E402 - after the sys.path set-up above

DOCS = ROOT / "docs"
PAGE = (DOCS / "glossary.md").read_text(encoding="utf-8")
LANGUAGE = (DOCS / "language.md").read_text(encoding="utf-8")
_FENCE = re.compile(r"^(```+).*?^\1", re.S | re.M)


def code_words(text: str) -> set[str]:
    """The lower-case words inside the inline code spans of a page."""
    spans = re.findall(r"`([^`\n]+)`", _FENCE.sub("", text))
    return {word for span in spans for word in re.findall(r"[a-z][a-z0-9/+_-]*", span)}


def first_words(rows: list[dict[str, str]], column: str) -> list[str]:
    return [words[0] for row in rows if (words := re.findall(r"`([^`]+)`", row[column]))]


def test_every_word_in_code_is_one_the_reference_names():
    reference = set().union(
        *(code_words((DOCS / name).read_text(encoding="utf-8")) for name in ("language.md", "cli.md", "json.md"))
    )
    assert code_words(PAGE) - reference == set()


def test_the_cost_groups_are_the_languages():
    listed = set()
    for cell in (row["cost group"] for row in doctext.table(PAGE, "Cost groups", "cost group")):
        listed.update(re.findall(r"`([^`]+)`", cell))
    language = first_words(doctext.table(LANGUAGE, "4. Chart of cost elements", "cost group"), "cost group")
    assert sorted(listed) == sorted(language)


def test_the_cost_bases_are_the_languages():
    listed = first_words(doctext.table(PAGE, "Cost bases", "`cost-base`"), "`cost-base`")
    assert listed == first_words(doctext.table(LANGUAGE, "3. Setup", "cost base"), "cost base")


def test_the_costing_methods_are_the_languages():
    listed = first_words(
        doctext.table(PAGE, "Costing methods and inventory models", "`costing-method`"), "`costing-method`"
    )
    assert listed == first_words(doctext.table(LANGUAGE, "Item fields", "costing method"), "costing method")


def test_the_terms_consultants_arrive_with_are_there():
    for term in (
        "Cost Base",
        "Indirect Cost %",
        "Overhead Rate",
        "cost shares",
        "Inventory model",
        "Costing version",
        "Replenishment System",
        "Average Cost Period",
        "Applies-to Entry",
    ):
        assert term in PAGE, term
