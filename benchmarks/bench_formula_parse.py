"""Formula parse speed: the hand-written reader and Lark against CPython's ``ast.parse``.

For each formula (the service benchmark's, and longer ones up to the 2,000-character
limit) it times, alternately in the same run, best of ``--repeat`` rounds of ``--calls``
calls each, in CPU time (garbage collection off for all, as in bench_parse.py):

- ``parse_formula`` on a cache miss (the length and depth checks, the reader, the
  depth of the tree): what a formula the validation service has not seen costs;
- Lark's formula parser as it was before (no plugins: Lark's own lexer and loop), with
  the same checks around it: what a formula cost before the reader ("before");
- Lark's formula parser as ``parse_formula`` runs it now for the texts the reader
  refuses (``lark_formula``: with the plugins of syntax/fastlark.py), to word the error;
- ``ast.parse`` of the same expression (``§`` written ``%`` and the typographic minus
  signs ``-``, the nearest Python has), the baseline.

    PYTHONPATH=src python benchmarks/bench_formula_parse.py [--repeat 7] [--calls 2000]
"""

from __future__ import annotations

import argparse
import ast
import gc
import time
from collections.abc import Callable

from costsheet.resources import resource_text
from costsheet.syntax import parser
from costsheet.syntax.parser import MAX_FORMULA_LENGTH, formula_depth, lark_formula


def _at_limit(term: Callable[[int], str]) -> str:
    text, k = "", 0
    while len(f"{text} + {term(k)}") <= MAX_FORMULA_LENGTH:
        text = f"{text} + {term(k)}" if text else term(k)
        k += 1
    return text


FORMULAS = [
    "10 % A",
    "A + B",
    "2 § (C + D)",
    "C + D + E",
    "(A + B) * 2 - 4 % (C - 1)",
    "-A * 2 + (B - (C % D)) § 4 − 0.5 / (E + 1)",
    _at_limit(lambda k: f"{'ABCDE'[k % 5]} * 0.{k % 9 + 1}5"),  # shallow, at the length limit
]


def python_text(formula: str) -> str:
    return formula.replace("§", "%").replace("\u2212", "-").replace("\u2013", "-")


def lark_path(text: str, file: str) -> object:
    """The same checks, then Lark with the plugins."""
    if len(text) > MAX_FORMULA_LENGTH:
        return None
    tree, _ = lark_formula(text, file)
    return None if tree is None else formula_depth(tree)


def plain_lark_parser():
    """The formula parser as it was built before the reader and the plugins."""
    grammar = resource_text("grammar/costsheet.lark")
    options = dict(parser="lalr", lexer="contextual", maybe_placeholders=True, transformer=parser._FileAwareBuilder())
    return parser.cached_parser(grammar, "formula", **options)


def before_path(plain, text: str, file: str) -> object:
    """Before: the same checks, then Lark's own lexer and loop."""
    if len(text) > MAX_FORMULA_LENGTH:
        return None
    token = parser._current_file.set(file)
    try:
        return formula_depth(plain.parse(text))
    finally:
        parser._current_file.reset(token)


def timed(calls: int, func: Callable[..., object], *args: object) -> float:
    """CPU seconds per call of ``calls`` calls, garbage collection off (CPU time leaves
    out the time other processes had the core: the steadier figure on a shared machine)."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        for _ in range(calls):
            func(*args)
        return (time.process_time() - start) / calls
    finally:
        gc.enable()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=7)
    options.add_argument("--calls", type=int, default=2000)
    args = options.parse_args()
    uncached = parser._parse_formula_text.__wrapped__  # parse_formula on a cache miss
    plain = plain_lark_parser()
    for formula in FORMULAS:  # warm up, and all agree that each is a formula
        assert uncached(formula, "<formula>")[0] is not None and lark_path(formula, "<formula>") is not None
        assert before_path(plain, formula, "<formula>") is not None
        ast.parse(python_text(formula))

    def runs(formula: str) -> dict[str, tuple[Callable[..., object], tuple[object, ...]]]:
        return {
            "before": (before_path, (plain, formula, "<formula>")),
            "reader": (uncached, (formula, "<formula>")),
            "lark": (lark_path, (formula, "<formula>")),
            "ast": (ast.parse, (python_text(formula),)),
        }

    sides = ("before", "reader", "lark", "ast")
    best = {(side, f): float("inf") for side in sides for f in FORMULAS}
    for _ in range(args.repeat):  # interleaved: each round times every side of every formula once
        for formula in FORMULAS:
            calls = max(args.calls * 20 // len(formula), 100) if len(formula) > 100 else args.calls
            for side, (func, call_args) in runs(formula).items():
                best[side, formula] = min(best[side, formula], timed(calls, func, *call_args))
    print(f"best of {args.repeat} rounds; µs per parse; ratio = time / ast.parse time")
    print(
        f"{'formula':44} {'before':>8} {'reader':>8} {'lark':>8} {'ast':>8} "
        f"{'before/ast':>11} {'reader/ast':>11} {'lark/ast':>9} {'speed-up':>9}"
    )
    for formula in FORMULAS:
        before, reader, lark, base = (best[side, formula] * 1e6 for side in sides)
        shown = formula if len(formula) <= 44 else f"{len(formula):,}-character sum of products"
        print(
            f"{shown:44} {before:8.1f} {reader:8.1f} {lark:8.1f} {base:8.1f} "
            f"{before / base:10.2f}x {reader / base:10.2f}x {lark / base:8.2f}x {before / reader:8.1f}x"
        )


if __name__ == "__main__":
    main()
