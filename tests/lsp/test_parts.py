"""The language server's parts without the protocol: which ruleset a file belongs to, the
tolerant parse, the symbol index and completion, on any text."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from costsheet.lsp.analysis import PieceCache, full_load
from costsheet.lsp.completion import complete
from costsheet.lsp.entries import entry_of
from costsheet.lsp.outline import folds, outline
from costsheet.lsp.server import make_server
from costsheet.lsp.symbols import Kind, build_index
from costsheet.syntax import expected_after, parse, parse_tolerant


def test_a_file_belongs_to_the_file_that_includes_it_at_the_top(tmp_path):
    (tmp_path / "top.cost").write_text('include "sub/middle.cost"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "middle.cost").write_text('include "leaf.cost"\n', encoding="utf-8")
    (tmp_path / "sub" / "leaf.cost").write_text('vendor V "x"\n', encoding="utf-8")
    (tmp_path / "alone.cost").write_text('vendor W "y"\n', encoding="utf-8")
    leaf = str(tmp_path / "sub" / "leaf.cost")
    assert entry_of(leaf, {}, [str(tmp_path)]) == str(tmp_path / "top.cost")
    assert entry_of(str(tmp_path / "alone.cost"), {}, [str(tmp_path)]) == str(tmp_path / "alone.cost")
    # an unsaved include in an open document counts; without the workspace only the folder is read
    first = str(tmp_path / "sub" / "a-first.cost")  # not saved yet; first by path of the two includers
    assert entry_of(leaf, {first: 'include "leaf.cost"\n'}, []) == first
    assert entry_of(leaf, {}, []) == str(tmp_path / "sub" / "middle.cost")


def test_includes_in_a_cycle_do_not_loop(tmp_path):
    (tmp_path / "a.cost").write_text('include "b.cost"\n', encoding="utf-8")
    (tmp_path / "b.cost").write_text('include "a.cost"\n', encoding="utf-8")
    assert entry_of(str(tmp_path / "a.cost"), {}, [str(tmp_path)]) == str(tmp_path / "a.cost")


def test_the_tolerant_parse_keeps_the_declarations_that_parse_with_their_places():
    text = 'vendor V-1 "One"\nitem A {\n  unit-cost ??\n}\n\nrounding R nearest 0.01\n'
    tree = parse_tolerant(text, "f.cost")
    assert parse(text, "f.cost")[0] is None
    assert [(type(d).__name__, d.span.line) for d in tree.declarations] == [("VendorDecl", 1), ("RoundingDecl", 6)]
    assert [s.name for s in outline(tree)] == ["V-1", "R"]


def test_expected_after_reads_the_parse_table():
    keywords, others = expected_after("item A {\n  bom {\n    B 1 ")
    assert keywords == {"scrap", "unit", "}"} and others == {"CODE", "STRING"}
    assert expected_after("item {{") is None


def test_rows_are_scoped_to_their_condition():
    text = (
        'condition charge X {\n  line "a" row A amount 1\n  line "b" formula "A * 2"\n}\n'
        'condition charge Y {\n  line "a" row A amount 1\n}\n'
    )
    index = build_index([parse(text, "f.cost")[0]])
    x = index.occurrences((Kind.ROW, "X", "A"))
    assert [(o.span.line, o.declaration) for o in x] == [(2, True), (3, False)]
    assert [(o.span.line, o.declaration) for o in index.occurrences((Kind.ROW, "Y", "A"))] == [(6, True)]


def test_by_and_co_products_are_references_to_their_items():
    text = (Path(__file__).resolve().parents[1] / "data" / "realism" / "section14.cost").read_text()
    index = build_index([parse(text, "f.cost")[0]])
    lines = text.split("\n")
    kit = [lines[o.span.line - 1].split()[0] for o in index.occurrences((Kind.ITEM, None, "BIKE-KIT"))]
    scrap = [lines[o.span.line - 1].split()[0] for o in index.occurrences((Kind.ITEM, None, "SCRAP-AL"))]
    assert kit == ["coproduct", "item"] and scrap == ["item", "byproduct"]


_TEXT = st.text(alphabet=st.sampled_from(list('item bom{}"\n 1A-.#%:/condition line row direct x\t\\')), max_size=200)


@given(_TEXT, st.integers(min_value=0, max_value=250))
def test_no_text_and_no_cursor_makes_the_parts_fail(text, cursor):
    tree = parse_tolerant(text, "f.cost")
    index = build_index([tree])
    outline(tree)
    list(folds(tree))
    for occurrence in index.by_file["f.cost"]:
        assert index.at("f.cost", occurrence.span.line, occurrence.span.column) is not None
    complete(text, min(cursor, len(text)), index)


@given(st.text(alphabet=st.sampled_from(list("ab\n€😀é\t")), max_size=60), st.data())
def test_protocol_positions_count_utf16_units_and_come_back(text, data):
    from costsheet.lsp.server import Lines

    lines = Lines(text)
    line = data.draw(st.integers(min_value=1, max_value=len(lines.lines)))
    column = data.draw(st.integers(min_value=1, max_value=len(lines.lines[line - 1]) + 1))
    position = lines.position(line, column)
    assert position.character == len(lines.lines[line - 1][: column - 1].encode("utf-16-le")) // 2
    back_line, back_column, offset = lines.offset(position)
    assert (back_line, back_column) == (line, column)
    assert text[:offset].count("\n") == line - 1 and offset - (text.rfind("\n", 0, offset) + 1) == column - 1


_DEMO_LINES = (Path(__file__).resolve().parents[2] / "rulesets" / "demo.cost").read_text(encoding="utf-8").split("\n")
GOLDEN = sorted(p for p in (Path(__file__).resolve().parents[1] / "golden").glob("*.cost") if p.is_file())
RULESETS = sorted((Path(__file__).resolve().parents[2] / "rulesets").glob("*.cost"))


def _same_parse(text: str, cache: PieceCache) -> None:
    expected, problems = parse(text, "f.cost")
    found, found_problems = cache(text, "f.cost")
    assert found == expected and found_problems == problems
    if expected is not None:
        assert found.comments == expected.comments and found.file == expected.file


def test_the_piece_cache_parses_every_golden_file_and_ruleset_as_the_parser_does():
    cache = PieceCache()
    for path in [*RULESETS, *GOLDEN]:
        _same_parse(path.read_text(encoding="utf-8"), cache)


def test_the_piece_cache_parses_again_only_what_changed():
    text = (Path(__file__).resolve().parents[2] / "rulesets" / "demo.cost").read_text(encoding="utf-8")
    cache = PieceCache()
    _same_parse(text, cache)
    kept = dict(cache._pieces)
    edited = text.replace("unit-cost      1210.00", "unit-cost      1211.00")
    _same_parse(edited, cache)
    assert len(cache._pieces) == len(kept) + 1  # one declaration parsed again
    _same_parse(edited.replace("\nitem ICO-0002", "\n\nitem ICO-0002"), cache)  # lines shift: parsed again
    _same_parse(edited.replace("routing {", "routing {{"), cache)  # a syntax error: the file's own errors
    small = PieceCache(size=3)
    _same_parse(text, small)
    assert len(small._pieces) == 3


@given(st.lists(st.sampled_from(_DEMO_LINES), max_size=40))
def test_the_piece_cache_agrees_with_the_parser_on_shuffled_demo_lines(lines):
    _same_parse("\n".join(lines), PieceCache())


def test_the_session_loader_re_costs_only_the_cone_of_an_edit_and_shows_a_fresh_loads_numbers(tmp_path):
    import costsheet
    from costsheet.lsp import amounts
    from costsheet.lsp.analysis import SessionLoad, full_load
    from costsheet.whereused import build_index as where_used

    root = Path(__file__).resolve().parents[2] / "rulesets"
    for name in ("demo.cost", "demo-ledger.cost"):
        (tmp_path / name).write_text((root / name).read_text(encoding="utf-8"), encoding="utf-8")
    entry = str(tmp_path / "demo.cost")
    text = (tmp_path / "demo.cost").read_text(encoding="utf-8")
    loader = SessionLoad()
    first = loader(entry, {entry: text})
    assert first.ruleset is not None and first.results is not None
    edited = text.replace("unit-cost        18.40", "unit-cost        19.15", 1)  # the rim, ICO-0004
    assert edited != text
    analysis = loader(entry, {entry: edited})
    assert analysis.ruleset is not None and analysis.results is not None
    cone = where_used(analysis.ruleset.model).affected(["ICO-0004"])
    assert analysis.recosted == cone and "ICO-0004" in cone and len(cone) < len(analysis.ruleset.model.items)
    fresh = costsheet.load(edited, file=entry)
    tree = analysis.trees[entry]
    for item in analysis.ruleset.model.items:  # the code lens and hover numbers
        result, _ = fresh.calculate_with_diagnostics(item, date=analysis.date)
        assert analysis.results.get(item) == result or (result is None and item not in analysis.results)
        mine, _ = analysis.summary(item)
        assert (mine is None) == (result is None)
        if result is not None:
            assert amounts.item_summary(analysis, item) is not None
            assert (mine.unit_cost, mine.list_price) == (result.unit_cost, result.list_price)
    whole = full_load(entry, {entry: edited})  # the inlay hints, as a whole load gives them
    hints = [(h.item, h.amount, h.node.span) for h in amounts.line_amounts(analysis, tree)]
    assert hints and hints == [(h.item, h.amount, h.node.span) for h in amounts.line_amounts(whole, whole.trees[entry])]


def test_the_server_runs_one_load_at_a_time_even_when_a_newer_check_replaces_one(tmp_path, monkeypatch):
    """A check replaced by a newer one (an edit came) is cancelled, but its load runs on in its
    thread: the next load waits for it, as the loader's sessions are not safe to share."""
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.cost"
        path.write_text(f'vendor {name.upper()} "x"\n', encoding="utf-8")
        paths.append(str(path))
    running, most = [0], [0]
    guard = threading.Lock()

    def slow_load(entry, documents, master_data=()):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with guard:
            running[0] -= 1
        return full_load(entry, documents, master_data)

    server = make_server(loader=slow_load)
    published: list[str] = []
    monkeypatch.setattr(server, "documents", dict)
    monkeypatch.setattr(server, "roots", list)
    monkeypatch.setattr(server, "publish", lambda analysis: published.append(analysis.entry))

    async def checks():
        first = asyncio.ensure_future(server._analyze(paths[0], 0))
        await asyncio.sleep(0.01)
        first.cancel()  # its load has started and goes on in its thread
        await asyncio.gather(*(server._analyze(path, 0) for path in paths))

    asyncio.run(checks())
    assert most[0] == 1
    assert sorted(published) == sorted(paths)
