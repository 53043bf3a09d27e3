"""A mutation fuzzer: hostile and careless rulesets get located diagnostics, never an exception.

The seeds are the shipped rulesets (rulesets/*.cost), the golden files of
the checker (tests/golden/*.cost) and the language examples
(tests/data/language/*.cost).  Each input is a seed with one to four
mutations: tokens and lines deleted, duplicated, swapped or spliced from
another seed; numbers replaced by huge digit runs; codes by long ones;
characters inserted that a careless editor or a hostile client sends (NUL,
control characters, a byte-order mark, lone surrogates, line and paragraph
separators); include statements with a NUL, a cycle or a folder; formulas
nested or lengthened past the limits.

Every input is loaded with :func:`costsheet.ruleset.analyze` (as text, with
includes read from a scratch folder holding copies of the seeds); a ruleset
that loads is then costed item by item and valued.  A *finding* is an
exception, an ``internal-error`` diagnostic, a diagnostic without a file,
line and column (a calculation's may lack one only when it names no place in
the text: see ``UNLOCATED_OK``), a malformed code, an answer that cannot be
encoded as UTF-8 JSON, an input whose leading byte-order mark changes its
diagnostics, or one that takes more than ten seconds of CPU time.

    python tools/fuzz.py                        # 10,000 inputs, seed 0
    python tools/fuzz.py --inputs 1000000 --seed 1
    python tools/fuzz.py --seed 1 --replay 4711 # print input 4711 of seed 1 and run it alone

tests/api/test_fuzz_inputs.py runs the same fuzzer in the test suite
(COSTSHEET_FUZZ_INPUTS and COSTSHEET_FUZZ_SEED change its size and seed).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: (a golden case with a folder of CSV master data beside it is about those files: its .cost is the same
#: small ruleset each time, no seed of its own)
SEED_FILES = sorted(
    [
        *ROOT.glob("rulesets/*.cost"),
        *(path for path in ROOT.glob("tests/golden/*.cost") if not path.with_suffix("").is_dir()),
        *ROOT.glob("tests/data/language/*.cost"),
    ]
)

__all__ = ["Fuzzer", "Finding", "Report", "SEED_FILES", "main"]

#: Mutations that would make an input longer are skipped (a text over 10 MB is
#: file-too-large at once: tests/api/test_input_limits.py shows it).
MAX_INPUT_CHARACTERS = 300_000
#: How often a mutant starts from a seed that loads (the others fail by design: most golden files).
LOADING_SHARE = 0.4
#: Calculation codes that name no place in the ruleset (the item asked for, a date): no span expected.
UNLOCATED_OK = frozenset({"unknown-item", "no-ledger", "arithmetic-overflow"})

_CODE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|\s+|[^\s"#]+')
_DIGITS = re.compile(r"\d+(?:\.\d+)?")  # numbers, and the digits in codes, dates and filters (1100..1199)

HUGE_NUMBERS = (
    "9" * 5000,
    "9" * 4301,
    "1" + "0" * 14,
    "9" * 14,
    "0" * 40 + "1",
    "-" + "9" * 30,
    "1." + "0" * 25 + "1",
    "2:" + "9" * 5000,
    "9" * 5000 + ":5",
    "0:21",
    "5000%",
    "9" * 4400 + "min",
    "9" * 4400 + ".5/h",
    "-0",
    "0.000",
    "1e5",
    "24,00",
    "1,000.00",
)
ODD_CHARACTERS = (
    "\x00",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\udc80",
    "\x01",
    "\x08",
    "\x1b",
    "\x7f",
    "\x0c",
    "\x0b",
    "\r",
    "\t",
    "\u2028",
    "\u2029",
    "\u0085",
    "\u00a0",
    "\u200b",
    "\u202e",
    "\u0301",
    "\U0001f600",
    "é",
    "²",
    "١",
    "\\",
    '"',
    "{",
    "}",
    "#",
    "..",
    "|",
    "+",
    "%",
    "§",
    "−",
    "(",
    ")",
)
ODD_TOKENS = (
    "A" * 21,
    "A" * 5000,
    '"' + "x" * 5000 + '"',
    '"\ud800"',
    '"a\x00b"',
    '""',
    '" "',
    "''",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    '"(' + "(" * 300 + "A" + ")" * 300 + '"',
    '"' + "- " * 300 + "A" + '"',
    '"' + " + ".join(["A"] * 700) + '"',
    '"' + "A" * 2500 + '"',
    '"A +"',
    '"1 / 0"',
    '"A § B % C"',
    'include "a\x00b.cost"',
    'include "fuzz.cost"',
    'include "demo-ledger.cost"',
    'include "."',
    'include ""',
    'include "include-unreadable.d"',
    'include "../" ',
    "{",
    "}",
    "row",
    "bom",
    "routing",
    "line",
    "formula",
    "element",
    "round",
    "list-price",
    "applies-to",
    "charge",
    "revaluation",
    "total",
    "..",
    "|",
    "material",
    "decimals",
    "amounts",
)


@dataclass(frozen=True)
class Finding:
    """One broken promise: what went wrong, where in costsheet, and the input that shows it."""

    kind: str  # exception | internal-error | unlocated | bad-code | not-encodable | byte-order-mark | slow
    key: str  # what makes two findings the same bug
    detail: str
    text: str
    index: int


@dataclass
class Report:
    inputs: int = 0
    loaded: int = 0
    items_costed: int = 0
    valued: int = 0
    seconds: float = 0.0
    findings: dict[str, Finding] = field(default_factory=dict)  # key -> the shortest reproducer
    counts: dict[str, int] = field(default_factory=dict)  # key -> how often

    def add(self, finding: Finding) -> None:
        self.counts[finding.key] = self.counts.get(finding.key, 0) + 1
        known = self.findings.get(finding.key)
        if known is None or len(finding.text) < len(known.text):
            self.findings[finding.key] = finding

    def describe(self, limit: int = 2000) -> str:
        lines = [
            f"{self.inputs:,} inputs in {self.seconds:.1f} s: {self.loaded:,} loaded, "
            f"{self.items_costed:,} item calculations, {self.valued:,} valuations; "
            f"{len(self.findings)} distinct findings"
        ]
        for key, finding in sorted(self.findings.items()):
            text = finding.text if len(finding.text) <= limit else finding.text[:limit] + "…"
            lines += [
                f"\n[{finding.kind}] {key} ({self.counts[key]} inputs; shortest: input {finding.index})",
                finding.detail.rstrip(),
                "input:",
                repr(text),
            ]
        return "\n".join(lines)


class Fuzzer:
    """Mutants of the seed files, reproducible from (seed, index)."""

    def __init__(self, seed: int = 0, seed_files=SEED_FILES):
        from costsheet.ruleset import analyze

        self.seed = seed
        self.seeds = [(p.name, p.read_text(encoding="utf-8")) for p in seed_files if p.is_file()]
        self.vocabulary = sorted({t for _, text in self.seeds for t in _TOKEN.findall(text) if not t.isspace()})
        scratch = _Scratch(seed_files)
        try:  # the seeds that load: mutants of these reach the checker's later rules, costing and valuation
            self.loading = [s for s in self.seeds if analyze(s[1], file=scratch.entry)[0] is not None]
        finally:
            scratch.close()

    def input(self, index: int) -> str:
        """The ``index``-th input of this seed (independent of the others, so any one can be replayed)."""
        rng = random.Random(f"{self.seed}:{index}")
        _, text = rng.choice(self.loading if self.loading and rng.random() < LOADING_SHARE else self.seeds)
        for _ in range(rng.choice((1, 1, 1, 2, 3, 4))):
            mutant = rng.choice(_MUTATIONS)(self, rng, text)
            if len(mutant) <= MAX_INPUT_CHARACTERS:  # repeats of repeats can grow to gigabytes
                text = mutant
        return text

    def inputs(self, count: int, start: int = 0) -> Iterator[tuple[int, str]]:
        for index in range(start, start + count):
            yield index, self.input(index)


# ---------------------------------------------------------------- mutations


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text) or [""]


def _word_positions(tokens: list[str]) -> list[int]:
    return [i for i, t in enumerate(tokens) if t and not t.isspace()] or [0]


def _replace_token(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    tokens = _tokens(text)
    i = rng.choice(_word_positions(tokens))
    tokens[i] = rng.choice(fuzzer.vocabulary if rng.random() < 0.6 else ODD_TOKENS)
    return "".join(tokens)


def _insert_token(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    tokens = _tokens(text)
    i = rng.randrange(len(tokens) + 1)
    word = rng.choice(fuzzer.vocabulary if rng.random() < 0.5 else ODD_TOKENS)
    return "".join(tokens[:i]) + f" {word} " + "".join(tokens[i:])


def _delete_tokens(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    tokens = _tokens(text)
    i = rng.choice(_word_positions(tokens))
    del tokens[i : i + rng.choice((1, 1, 1, 2, 5))]
    return "".join(tokens)


def _duplicate_tokens(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    tokens = _tokens(text)
    i = rng.randrange(len(tokens))
    j = min(len(tokens), i + rng.choice((1, 3, 10, 40)))
    return "".join(tokens[:j] + tokens[i:j] * rng.choice((1, 1, 2, 30)) + tokens[j:])


def _swap_tokens(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    tokens = _tokens(text)
    words = _word_positions(tokens)
    i, j = rng.choice(words), rng.choice(words)
    tokens[i], tokens[j] = tokens[j], tokens[i]
    return "".join(tokens)


def _lines(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    operation = rng.choice(("delete", "duplicate", "move", "swap"))
    if operation == "delete":
        del lines[i]
    elif operation == "duplicate":
        lines.insert(j, lines[i])
    elif operation == "move":
        lines.insert(j, lines.pop(i))
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _splice(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    """A run of lines from another seed, inserted at a line boundary."""
    other = rng.choice(fuzzer.seeds)[1].split("\n")
    start = rng.randrange(len(other))
    chunk = other[start : start + rng.randint(1, 12)]
    lines = text.split("\n")
    at = rng.randrange(len(lines) + 1)
    return "\n".join(lines[:at] + chunk + lines[at:])


def _character(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text) + 1)
    char = rng.choice(ODD_CHARACTERS)
    if rng.random() < 0.2:
        return text[:i] + char + text[i + 1 :]  # replaces one
    return text[:i] + char + text[i:]


def _number(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    numbers = list(_DIGITS.finditer(text))
    if not numbers:
        return _insert_token(fuzzer, rng, text)
    bounds = [m for m in numbers if text.startswith("..", m.end()) or text.endswith("..", 0, m.start())]
    # a totaling filter's bounds (1100..1199) are rare among a ruleset's numbers: aim at them a
    # quarter of the time, so that huge bounds stay in every run whatever the seed files hold
    match = rng.choice(bounds if bounds and rng.random() < 0.25 else numbers)
    return text[: match.start()] + rng.choice(HUGE_NUMBERS) + text[match.end() :]


def _byte_order_mark(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    return "\ufeff" + text


def _formula(fuzzer: Fuzzer, rng: random.Random, text: str) -> str:
    """Nest or lengthen a formula text, or break its parentheses."""
    formulas = list(re.finditer(r'formula "((?:[^"\\\n]|\\.)*)"', text))
    if not formulas:
        return _insert_token(fuzzer, rng, text)
    match = rng.choice(formulas)
    body = match.group(1)
    depth = rng.choice((199, 200, 201, 1000))
    body = rng.choice(
        (
            "(" * depth + body + ")" * depth,
            "- " * depth + body,
            " + ".join([body] * rng.choice((2, 10, 600))),
            body + ")" * 3,
            "(" + body,
        )
    )
    return text[: match.start(1)] + body + text[match.end(1) :]


_MUTATIONS: tuple[Callable[[Fuzzer, random.Random, str], str], ...] = (
    _replace_token,
    _replace_token,
    _insert_token,
    _delete_tokens,
    _duplicate_tokens,
    _swap_tokens,
    _lines,
    _lines,
    _splice,
    _character,
    _character,
    _number,
    _number,
    _byte_order_mark,
    _formula,
)


# ---------------------------------------------------------------- the oracle


class _Scratch:
    """A folder holding copies of the seeds, so that includes in the inputs resolve through the
    file system reader (the command line's), relative to the input's own name in it."""

    def __init__(self, seed_files=SEED_FILES):
        self.path = Path(tempfile.mkdtemp(prefix="costsheet-fuzz-"))
        for source in seed_files:
            target = self.path / source.name
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            elif not target.exists():
                shutil.copyfile(source, target)
        golden = ROOT / "tests" / "golden" / "include-unreadable.d"
        if golden.is_dir():
            shutil.copytree(golden, self.path / golden.name, dirs_exist_ok=True)
        self.entry = str(self.path / "fuzz.cost")

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _problems(diagnostics, stage: str, text: str, index: int) -> Iterator[Finding]:
    for d in diagnostics:
        if d.code == "internal-error":
            yield Finding("internal-error", f"{stage}: {d.message.split(':')[0]}", d.message, text, index)
        elif not _CODE.fullmatch(d.code) or not d.message:
            yield Finding("bad-code", f"{stage}: code {d.code!r}", repr(d), text, index)
        elif d.span is None:
            if not (stage != "load" and d.code in UNLOCATED_OK):
                yield Finding("unlocated", f"{stage}: {d.code}", d.message, text, index)
        elif not d.span.file or d.span.line < 1 or d.span.column < 1:
            yield Finding("unlocated", f"{stage}: {d.code} at {d.span}", d.message, text, index)


def _encodes(data, stage: str, text: str, index: int) -> Iterator[Finding]:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError) as error:
        yield Finding("not-encodable", f"{stage}: {type(error).__name__}", str(error)[:300], text, index)


def _exception(error: BaseException, stage: str, text: str, index: int) -> Finding:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "costsheet" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    detail = "".join(traceback.format_exception(error))[-3000:]
    return Finding("exception", f"{stage}: {type(error).__name__} at {where}", detail, text, index)


def _places(diagnostics) -> list[tuple]:
    return [(d.code, d.span and (d.span.line, d.span.column)) for d in diagnostics]


def _same_without_byte_order_mark(text: str, entry: str, diagnostics, index: int) -> Iterator[Finding]:
    """A byte-order mark at the start changes nothing: the same diagnostics at the same places."""
    from costsheet.ruleset import analyze

    _, plain, _ = analyze(text[1:], file=entry)
    if _places(plain) != _places(diagnostics):
        changed = sorted(set(_places(diagnostics)) ^ set(_places(plain)), key=repr)[:5]
        yield Finding(
            "byte-order-mark",
            "load: a leading byte-order mark changes the diagnostics",
            f"differences (code, (line, column)): {changed}",
            text,
            index,
        )


def check_input(text: str, entry: str, index: int, report: Report) -> None:
    """Load ``text`` as the file ``entry``; cost and value it if it loads; add what is wrong to ``report``."""
    from costsheet.diagnostics import render_json, render_text
    from costsheet.ruleset import analyze

    stage = "load"
    try:
        ruleset, diagnostics, sources = analyze(text, file=entry)
        found = [*_problems(diagnostics, stage, text, index), *_encodes(render_json(diagnostics), stage, text, index)]
        render_text(diagnostics, sources).encode("utf-8")
        if text.startswith("\ufeff") and not text.startswith("\ufeff\ufeff"):  # only the first one is skipped
            found += _same_without_byte_order_mark(text, entry, diagnostics, index)
        if ruleset is not None:
            report.loaded += 1
            for item in ruleset.model.items:
                stage = "calculate"
                result, diagnostics = ruleset.calculate_with_diagnostics(item)
                report.items_costed += 1
                found += _problems(diagnostics, stage, text, index)
                if result is not None:
                    found += _encodes(result.to_dict(), stage, text, index)
            stage = "value"
            result, diagnostics = ruleset.value_with_diagnostics()
            report.valued += 1
            found += _problems(diagnostics, stage, text, index)
            if result is not None:
                found += _encodes(result.to_dict(), stage, text, index)
    except Exception as error:  # RecursionError and MemoryError included: each is a finding
        found = [_exception(error, stage, text, index)]
    for finding in found:
        report.add(finding)


def run(
    count: int,
    seed: int = 0,
    *,
    start: int = 0,
    progress: Callable[[Report], None] | None = None,
    found: Callable[[Finding], None] | None = None,
    slow_seconds: float = 10.0,
) -> Report:
    """Fuzz ``count`` inputs of ``seed`` (from ``start``).  An input that takes more than
    ``slow_seconds`` of CPU time (not wall time: a busy machine is no finding) is a finding.
    ``progress`` is called every 10,000 inputs, ``found`` with each new distinct finding."""
    fuzzer = Fuzzer(seed)
    scratch = _Scratch()
    report = Report()
    began = time.perf_counter()
    try:
        for index, text in fuzzer.inputs(count, start):
            known = set(report.findings)
            one = time.process_time()
            check_input(text, scratch.entry, index, report)
            spent = time.process_time() - one
            if spent > slow_seconds:
                report.add(Finding("slow", f"over {slow_seconds:g} s", f"{spent:.1f} s of CPU time", text, index))
            report.inputs += 1
            if found:
                for key in report.findings.keys() - known:
                    found(report.findings[key])
            if progress and report.inputs % 10_000 == 0:
                report.seconds = time.perf_counter() - began
                progress(report)
    finally:
        scratch.close()
    report.seconds = time.perf_counter() - began
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="how many inputs (default 10,000)")
    parser.add_argument("--seed", type=int, default=0, help="which sequence of inputs (default 0)")
    parser.add_argument("--start", type=int, default=0, help="the index of the first input")
    parser.add_argument("--replay", type=int, metavar="INDEX", help="print one input and run it alone")
    options = parser.parse_args(argv)
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    if options.replay is not None:
        print(repr(Fuzzer(options.seed).input(options.replay)))
        report = run(1, options.seed, start=options.replay)
    else:
        report = run(
            options.inputs,
            options.seed,
            start=options.start,
            progress=lambda r: print(
                f"  {r.inputs:,} inputs, {r.seconds:.0f} s, {len(r.findings)} findings", file=sys.stderr, flush=True
            ),
            found=lambda f: print(f"  new finding at input {f.index}: [{f.kind}] {f.key}", file=sys.stderr, flush=True),
        )
    print(report.describe())
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
