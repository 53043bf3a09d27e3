"""The pages of docs/ hold together: the index lists every page, every link resolves, and every
place that names a section of a page (``docs/costing.md, "Condition lines"``), in the docs, the
code, the tests and the tools, names one that exists.  A renamed heading fails here, not in a
reader's hands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
#: the pages and the sources that point into them
READERS = [
    ROOT / "README.md",
    *PAGES,
    *(
        path
        for folder in ("src", "tests", "tools", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
        # not the packages of a git-ignored virtual environment (benchmarks/.venv, made by bench_valuation.py)
        if not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    ),
]

_FENCE = re.compile(r"^(```+).*?^\1[ \t]*$", re.S | re.M)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
#: a page named with a section: docs/costing.md, "Condition lines" (or: valuation.md ("The methods" ...)
_SECTION = re.compile(r'(?:docs/)?(?<![\w-])([a-z][a-z-]*)\.md,? \(?"([^"]+)"')  # master-data.md too


def _prose(text: str) -> str:
    return _FENCE.sub("", text)


def _headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in _prose(text).splitlines() if re.match(r"#{1,6} ", line)]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def sections(page: Path) -> set[str]:
    """The names a section of a page goes by: its headings (with or without their number and a
    trailing parenthesis) and the bold labels that open its paragraphs and list items."""
    text = page.read_text(encoding="utf-8")
    names = set()
    for heading in _headings(text):
        for name in (heading, re.sub(r"^\d+(\.\d+)*\.?\s+", "", heading)):
            names.update((name, re.sub(r"\s*\(.*\)$", "", name)))
    for label in re.findall(r"^(?:- )?\*\*([^*]+)\*\*", _prose(text), re.M):
        for name in (label, re.split(r"[:.]\s|[:.]$", label)[0]):
            names.update((name.strip(), re.sub(r"\s*\(.*\)$", "", name.strip())))
    return names


def test_the_index_lists_every_page():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    linked = {target for target in _LINK.findall(index) if target.endswith(".md")}
    assert linked == {page.name for page in PAGES if page.name != "README.md"}


def test_the_project_readme_points_to_the_docs():
    assert "docs/README.md" in _LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", [ROOT / "README.md", *PAGES], ids=lambda p: p.name)
def test_every_link_resolves(page):
    broken = []
    for target in _LINK.findall(_prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue  # https://, mailto: ...
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        markdown = linked.suffix == ".md" and linked.exists()
        anchors = {slug(h) for h in _headings(linked.read_text(encoding="utf-8"))} if markdown else set()
        if not linked.exists() or (anchor and markdown and anchor not in anchors):
            broken.append(target)
    assert broken == []


def _named_sections():
    for reader in READERS:
        text = reader.read_text(encoding="utf-8", errors="replace")
        for match in _SECTION.finditer(text):
            page, name = match.group(1), " ".join(match.group(2).split())
            line = text.count("\n", 0, match.start()) + 1
            yield f"{reader.relative_to(ROOT)}:{line}", page, name


def test_every_named_section_exists():
    found = list(_named_sections())
    assert len(found) > 100  # the pattern reads the references
    known = {page.stem: sections(page) for page in PAGES}
    missing = [
        f"{where}: {page}.md has no section {name!r}" for where, page, name in found if name not in known.get(page, ())
    ]
    assert missing == []


#: a section named by its number only ("section 9"): outside docs/language.md, whose headings are numbered,
#: no reader can find it; name the page and the heading instead (a quoted "section 9" is a string, not a pointer)
_BARE_NUMBER = re.compile(r"(?<![\"'])\b[Ss]ection \d")


def test_no_section_is_named_by_a_bare_number():
    found = []
    for reader in READERS:
        if reader == DOCS / "language.md":
            continue
        text = reader.read_text(encoding="utf-8", errors="replace")
        found += [
            f"{reader.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}" for m in _BARE_NUMBER.finditer(text)
        ]
    assert found == [], 'write docs/PAGE.md, "Heading" instead: ' + ", ".join(found)


def test_sections_reads_headings_and_labels(tmp_path):
    page = tmp_path / "p.md"
    page.write_text(
        "# 3. Setup (`setup`)\n\n**Purchased items.** text\n\n- **Breakdown totals are equal: kept.** x\n"
        "```text\n# not a heading\n```\n"
    )
    assert {"Setup", "3. Setup (`setup`)", "Purchased items", "Breakdown totals are equal"} <= sections(page)
    assert "not a heading" not in sections(page)
    assert _BARE_NUMBER.search("see sec" + "tion 7.3") and not _BARE_NUMBER.search('assert "section 9" not in text')
    assert slug("costsheet calc --all") == "costsheet-calc---all" and slug("8. Cost conditions") == "8-cost-conditions"
