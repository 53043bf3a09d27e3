"""How long `analyze` takes on a ruleset with one long charge formula.

Three rulesets, checked alternately, best of N: a formula at the length limit
(2,000 characters, a flat `A + A + …` that is too deep), a shallow one at the
limit (`A * 0.15 + B * 0.25 + …`, which loads), and the 100,000-term
`A + A + …` of issue 8 (refused as `formula-too-long` before parsing).

    PYTHONPATH=src python benchmarks/bench_formula_length.py [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from costsheet.ruleset import analyze
from costsheet.syntax.parser import MAX_FORMULA_LENGTH


def ruleset(formula: str) -> str:
    return (
        'chart {\n  6100 element "Sales" sales-overhead\n}\ncondition charge CH "x" {\n'
        '  line      "a" row A amount 1\n  line      "b" row B amount 2\n'
        f'  line 6100 "c" row C formula "{formula}"\n}}\n'
    )


def _fit(terms) -> str:
    text = ""
    for term in terms:
        longer = f"{text} + {term}" if text else term
        if len(longer) > MAX_FORMULA_LENGTH:
            return text
        text = longer
    return text


CASES = {
    "flat sum at the limit (too deep)": ruleset(_fit("A" for _ in range(MAX_FORMULA_LENGTH))),
    "shallow formula at the limit": ruleset(_fit(f"{'AB'[k % 2]} * 0.{k % 9 + 1}5" for k in range(1000))),
    "100,000-term sum (refused)": ruleset(" + ".join(["A"] * 100_000)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    analyze("vendor V", file="warm-up.cost")  # builds the grammar
    best = dict.fromkeys(CASES, float("inf"))
    codes: dict[str, list[str]] = {}
    for _ in range(runs):  # interleaved: each round times every case once
        for name, text in CASES.items():
            start = time.perf_counter()
            _, diagnostics, _ = analyze(text, file="bench.cost")
            best[name] = min(best[name], time.perf_counter() - start)
            codes[name] = [d.code for d in diagnostics if d.is_error]
    for name in CASES:
        print(f"{name:36} {best[name] * 1000:8.1f} ms  {', '.join(codes[name]) or 'loads'}")


if __name__ == "__main__":
    main()
