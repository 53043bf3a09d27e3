"""Hostile and careless input (issue 8, items 1, 2, 3, 5, 6, 15): each reproducer
is answered with located diagnostics, never an exception.

Every limit checked here is documented in docs/language.md ("Limits").
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import costsheet
from costsheet.cli import main
from costsheet.diagnostics import RulesetError, render_json, render_text
from costsheet.files import MAX_FILE_BYTES, FileTooLargeError, NotARegularFileError, read_text
from costsheet.history import ruleset_hash
from costsheet.model import code_sort_key, compare_codes
from costsheet.ruleset import analyze, load_texts, parse_formula
from costsheet.syntax.parser import parse
from costsheet.syntax.printer import print_ruleset

BIG = "9" * 5000  # beyond Python's 4,300-digit limit for reading an int
LEDGER = "item X {{ costing-method fifo unit-cost 1 }}\nledger X {{\n  2026-01-01 purchase +1 cost 5\n  {line}\n}}\n"


def codes_at(text: str, file: str = "t.cost") -> list[tuple[str, int, int]]:
    """(code, line, column) of every diagnostic; each must be located."""
    _, diagnostics, sources = analyze(text, file=file)
    for d in diagnostics:
        assert d.span is not None and d.span.file == file, d
    render_text(diagnostics, sources)  # and they render
    return [(d.code, d.span.line, d.span.column) for d in diagnostics]


def check_cli(*args: str):
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


# ---------------------------------------------------------------- 1. numbers and codes of any length


@pytest.mark.parametrize(
    "line, column",
    [
        (f"2026-01-02 charge {BIG} amount 5", 21),
        (f"2026-01-02 revaluation {BIG} unit-cost 5", 26),
        (f"2026-01-02 sale -1 applies-to {BIG}", 22),
    ],
)
def test_a_5000_digit_entry_number_is_out_of_range_where_it_is_written(line, column):
    found = codes_at(LEDGER.format(line=line))
    assert ("out-of-range", 4, 3) in found or ("out-of-range", 4, column) in found, found
    assert not any(code == "internal-error" for code, *_ in found)


@pytest.mark.parametrize("value", [f"{BIG}:5", f"2:{BIG}", BIG, "2:21", "21"])
def test_decimals_beyond_20_are_out_of_range(value):
    assert codes_at(f"setup {{\n  decimals amounts {value}\n}}\n") == [("out-of-range", 2, 3)]


def test_decimals_up_to_20_and_entry_numbers_below_10_to_the_14_are_read():
    assert codes_at("setup {\n  decimals amounts 0:20\n  decimals quantities 20\n}\n") == []
    largest = "9" * 14
    found = codes_at(LEDGER.format(line=f"2026-01-02 charge {largest} amount 5"))
    assert ("charge-unknown-entry", 4, 3) in found and not any(code == "out-of-range" for code, *_ in found)
    found = codes_at(LEDGER.format(line=f"2026-01-02 charge 1{'0' * 14} amount 5"))
    assert ("out-of-range", 4, 3) in found


def test_a_5000_digit_code_in_a_total_filter_is_code_too_long_not_an_internal_error():
    text = f'chart {{\n  1000 element "Material" material\n  9000 total "All" 1..{BIG}\n}}\n'
    assert codes_at(text) == [("code-too-long", 3, 23)]
    _, diagnostics, _ = analyze(text, file="t.cost")
    assert len(diagnostics[0].message) < 200  # the code is shortened in the message


def test_a_non_ascii_digit_code_compares_as_text():
    """'²'.isdigit() is true, but int('²') fails: only ASCII digit codes compare as numbers."""
    text = 'chart {\n  1000 element "Material" material\n  9000 total "All" 1.."²"\n}\n'
    assert codes_at(text) == []
    assert compare_codes("²", "1000") == 1 and compare_codes("1000", "²") == -1


def test_the_cli_reports_a_huge_number_without_a_traceback(tmp_path):
    path = tmp_path / "big.cost"
    path.write_text(f"setup {{ decimals amounts {BIG}:5 }}\n", encoding="utf-8")
    result = check_cli(str(path))
    assert result.exit_code == 1 and "error[out-of-range]" in result.output


def test_fmt_keeps_an_oversized_number_exactly_as_written():
    text = f"ledger X {{\n  2026-01-02 charge {BIG} amount 5\n}}\n"
    tree, diagnostics = parse(text, "t.cost")
    assert diagnostics == () and BIG in print_ruleset(tree)


digit_codes = st.text(alphabet="0123456789", min_size=1, max_size=40)


@given(digit_codes, digit_codes)
def test_digit_codes_compare_as_their_numbers(a, b):
    expected = (int(a) > int(b)) - (int(a) < int(b))
    assert compare_codes(a, b) == expected
    assert (code_sort_key(a) < code_sort_key(b)) == (int(a) < int(b) or (int(a) == int(b) and a < b))


def test_digit_codes_of_any_length_compare():
    assert compare_codes(BIG, BIG + "9") == -1 and compare_codes("0" * 6000 + "7", "7") == 0
    assert sorted([BIG, "10", "9", "009"], key=code_sort_key) == ["009", "9", "10", BIG]


# ---------------------------------------------------------------- 2. lone surrogates


def test_a_lone_surrogate_is_a_located_error_and_the_text_is_kept_without_it():
    text = 'item "A\ud800" {\n  unit-cost 5\n}\nitem B {\n  unit-cost x\udfff\n}\n'
    _, diagnostics, sources = analyze(text, file="t.cost")
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics if d.code == "lone-surrogate"] == [
        ("lone-surrogate", 1, 8),
        ("lone-surrogate", 5, 14),
    ]
    assert "\ufffd" in sources["t.cost"] and "\ud800" not in sources["t.cost"]
    assert any(d.code == "syntax-error" for d in diagnostics)  # the other errors are still found
    render_text(diagnostics, sources).encode("utf-8")
    str(render_json(diagnostics)).encode("utf-8")


def test_load_raises_a_ruleset_error_not_a_unicode_error():
    with pytest.raises(RulesetError) as caught:
        costsheet.load('vendor V "\ud83d"\n', file="t.cost")
    assert [d.code for d in caught.value.diagnostics] == ["lone-surrogate"]


def test_a_lone_surrogate_in_an_included_text_is_located_in_that_file():
    texts = {"main.cost": 'include "parts.cost"\n', "parts.cost": 'vendor V "x"\nvendor W "\udc00"\n'}
    _, diagnostics, _ = load_texts(texts)
    assert [(d.code, d.span.file, d.span.line, d.span.column) for d in diagnostics] == [
        ("lone-surrogate", "parts.cost", 2, 11)
    ]


def test_the_formula_api_reports_lone_surrogates_in_the_formula_and_in_the_rows():
    formula, diagnostics = parse_formula("A + \ud800", ["A"])
    assert formula is None and [(d.code, d.span.column) for d in diagnostics] == [("lone-surrogate", 5)]
    formula, diagnostics = parse_formula("A + B", ["A", "B\udfff"])
    assert formula is None and [d.code for d in diagnostics] == ["lone-surrogate"]
    str(render_json(diagnostics)).encode("utf-8")


def test_the_content_hash_takes_any_string():
    assert ruleset_hash("\ud800") != ruleset_hash("\ufffd")
    assert len(ruleset_hash({"a.cost": "x\udfff", "b.cost": "y"})) == 64


# ---------------------------------------------------------------- 3. NUL in an include path


def test_a_nul_in_an_include_path_is_a_located_diagnostic(tmp_path):
    path = tmp_path / "main.cost"
    path.write_text('vendor V "x"\ninclude "a\x00b.cost"\n', encoding="utf-8")
    _, diagnostics, _ = analyze(path)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("include-not-found", 2, 1)]
    assert "NUL" in diagnostics[0].message
    result = check_cli(str(path))
    assert result.exit_code == 1 and "error[include-not-found]" in result.output


@pytest.mark.parametrize("name", ["a\x00b.cost", "\ud800.cost"])
def test_an_entry_path_no_file_can_have_is_file_not_found(tmp_path, name):
    _, diagnostics, _ = analyze(Path(str(tmp_path / name)))
    assert [d.code for d in diagnostics] == ["file-not-found"]
    _, diagnostics, _ = analyze(name)  # a text that looks like a path is read as one
    assert [d.code for d in diagnostics] == ["file-not-found"]


# ---------------------------------------------------------------- 5. special and large files


def _in_time(call, seconds: float = 20.0):
    """Run ``call`` in a daemon thread: a regression that blocks fails instead of hanging the suite."""
    answer: list = []
    thread = threading.Thread(target=lambda: answer.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert answer, f"still blocked after {seconds} s"
    return answer[0]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_as_a_ruleset_and_as_an_include(tmp_path):
    _, diagnostics, _ = _in_time(lambda: analyze(Path("/dev/zero")))
    assert [(d.code, d.span.line) for d in diagnostics] == [("file-unreadable", 1)]
    assert "character device" in diagnostics[0].message
    path = tmp_path / "main.cost"
    path.write_text('include "/dev/zero"\n', encoding="utf-8")
    _, diagnostics, _ = _in_time(lambda: analyze(path))
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("include-unreadable", 1, 1)]
    result = _in_time(lambda: check_cli("/dev/zero"))
    assert result.exit_code == 1 and "error[file-unreadable]" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.cost"
    os.mkfifo(fifo)
    _, diagnostics, _ = _in_time(lambda: analyze(fifo))
    assert [d.code for d in diagnostics] == ["file-unreadable"] and "named pipe" in diagnostics[0].message
    main_file = tmp_path / "main.cost"
    main_file.write_text('include "pipe.cost"\n', encoding="utf-8")
    _, diagnostics, _ = _in_time(lambda: analyze(main_file))
    assert [d.code for d in diagnostics] == ["include-unreadable"]
    assert isinstance(_in_time(lambda: _error_of(lambda: read_text(fifo))), NotARegularFileError)


def _error_of(call):
    try:
        call()
    except Exception as error:
        return error
    return None


def test_a_file_over_the_size_limit_is_file_too_large(tmp_path):
    big = tmp_path / "big.cost"
    with open(big, "wb") as handle:  # sparse: no 10 MB written
        handle.truncate(MAX_FILE_BYTES + 1)
    _, diagnostics, _ = analyze(big)
    assert [(d.code, d.span.line) for d in diagnostics] == [("file-too-large", 1)]
    assert f"{MAX_FILE_BYTES:,}" in diagnostics[0].message
    main_file = tmp_path / "main.cost"
    main_file.write_text('vendor V "x"\ninclude "big.cost"\n', encoding="utf-8")
    _, diagnostics, _ = analyze(main_file)
    assert [(d.code, d.span.file, d.span.line) for d in diagnostics] == [("file-too-large", str(main_file), 2)]
    with pytest.raises(FileTooLargeError):
        read_text(big)
    exactly = tmp_path / "exact.cost"
    exactly.write_bytes(b"#" * 100)
    assert read_text(exactly, limit=100) == "#" * 100


def test_a_text_given_directly_is_held_to_the_file_limit():
    """Found by the fuzzer: a 435 MB text took minutes; a text stands for a file and has its limit."""
    text = 'vendor V "x"\n' + "#" * MAX_FILE_BYTES
    assert codes_at(text) == [("file-too-large", 1, 1)]
    _, diagnostics, _ = load_texts({"main.cost": 'include "big.cost"\n', "big.cost": text})
    assert [(d.code, d.span.file) for d in diagnostics] == [("file-too-large", "big.cost")]
    at_limit = "#" + "é" * ((MAX_FILE_BYTES - 1) // 2)  # a comment of 9,999,999 bytes (UTF-8)
    assert codes_at(at_limit) == [] and codes_at(at_limit + "é") == [("file-too-large", 1, 1)]


def test_the_csv_readers_refuse_special_files(tmp_path):
    from costsheet.csvdata import read_ledgers

    if not os.path.exists("/dev/zero"):
        pytest.skip("needs /dev/zero")
    _, diagnostics = _in_time(lambda: read_ledgers("/dev/zero"))
    assert [d.code for d in diagnostics] == ["csv-unreadable"] and "character device" in diagnostics[0].message


def test_a_file_that_is_not_utf8_is_located_at_its_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.cost"
    path.write_bytes('vendor V "x"\nvendor W "Müller"\n'.encode("latin-1"))
    _, diagnostics, _ = analyze(path)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("file-unreadable", 2, 12)]
    assert "0xfc" in diagnostics[0].message


def test_read_text_translates_line_endings_unless_asked_not_to(tmp_path):
    path = tmp_path / "crlf.cost"
    path.write_bytes(b"a\r\nb\rc\n")
    assert read_text(path) == "a\nb\nc\n" and read_text(path, newline="") == "a\r\nb\rc\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_fmt_refuses_dev_zero():
    result = _in_time(lambda: CliRunner().invoke(main, ["fmt", "--check", "/dev/zero"]))
    assert result.exit_code == 1 and "character device" in result.output


# ---------------------------------------------------------------- 6. long formulas


def test_a_100000_term_formula_in_a_ruleset_is_formula_too_long():
    formula = " + ".join(["A"] * 100_000)
    text = (
        'chart {\n  6100 element "Sales" sales-overhead\n}\ncondition charge CH "x" {\n'
        f'  line      "a" row A amount 1\n  line 6100 "b" row B formula "{formula}"\n}}\n'
    )
    assert codes_at(text) == [("formula-too-long", 6, 32)]


# ---------------------------------------------------------------- 15. byte-order mark


def test_a_byte_order_mark_is_skipped_and_columns_count_after_it(tmp_path):
    text = "item A {\n  unit-cost x\n}\n"
    assert codes_at("\ufeff" + text) == codes_at(text) == [("syntax-error", 2, 13)]
    first_line = "\ufeffitem A { unit-cost x }\n"
    assert codes_at(first_line) == [("syntax-error", 1, 20)]
    path = tmp_path / "bom.cost"
    path.write_bytes(b'\xef\xbb\xbfvendor V "x"\n')
    assert analyze(path)[1] == ()


def test_after_a_byte_order_mark_every_column_counts_as_without_it(tmp_path):
    """Found by the fuzzer: a lone surrogate on the first line was located one column too far."""
    text = 'vendor V "x\ud800"\n'
    assert codes_at("\ufeff" + text) == codes_at(text) == [("lone-surrogate", 1, 12)]
    with_mark, without = tmp_path / "a.cost", tmp_path / "b.cost"
    with_mark.write_bytes(b'\xef\xbb\xbfvendor V "x"\n')
    without.write_bytes(b'vendor V "x"\n')
    assert costsheet.load(with_mark).content_hash == costsheet.load(without).content_hash


def test_only_a_leading_byte_order_mark_is_skipped():
    assert codes_at('vendor V "x"\n\ufeffvendor W "y"\n') == [("unexpected-character", 2, 1)]


def test_fmt_drops_the_byte_order_mark(tmp_path):
    path = tmp_path / "bom.cost"
    path.write_bytes(b'\xef\xbb\xbfvendor V "x"\n')
    result = CliRunner().invoke(main, ["fmt", "--check", str(path)])
    assert result.exit_code == 1 and "would reformat" in result.output
    assert CliRunner().invoke(main, ["fmt", str(path)]).exit_code == 0
    assert path.read_bytes() == b'vendor V "x"\n'
