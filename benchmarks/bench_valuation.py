"""Valuation benchmark: every costing method against a bare deque FIFO loop, and beancount.

    python benchmarks/bench_valuation.py                 # 1,000,000 entries over 1,000 items
    python benchmarks/bench_valuation.py --entries 200000 --no-beancount --repeat 5

Prints microseconds per entry for each costing method and its ratio to a bare
deque-based FIFO loop over the same entries, and the ratio of that ratio to
FIFO's (the methods Finance & Operations' inventory close brought in are
held to 2x FIFO's time per entry); the row ``production-orders`` is
FIFO on the same entries with every other item made by production orders
(its receipts are outputs, one order each, with a capacity line; the previous
item's issues are the orders' consumption), so it shows what costing orders
adds.  The bare loop is timed
interleaved with each method (bare loop, ``value()``, ``value()`` with every
entry row read, then again, ``--repeat`` rounds), so the baseline and the
method see the same load; each figure is the best of its rounds, the ratio
is best over best, and each row shows the baseline it was divided by.  Times
are CPU time of this process (``time.process_time``; the machine may be
shared), the garbage collector off.  ``ItemValuation.entries`` is built on
first read, hence the two columns.

Then each fast path against the general path it stands in for, on the same
ledgers, interleaved the same way (fast, general, fast, general ...): the
flat application loop (``application.value_plain``) against the general
application path for FIFO, LIFO, specific and standard; the flat close loop
(``closing_plain.value_plain_close``) against the general inventory close
for the four Finance & Operations close models, and the same on the
ledger's integer columns (``columnar_close.value_close_columns``) against the
flat close loop; the applies-to
rule's column scan against its entry-by-entry walk; the ``quantize`` rounder
against ``numbers.round_to``.  A fast path is kept only if it pays here, and
tests/valuation/test_fast_paths.py checks that it gives what the general
path gives.

Then FIFO's ``value()`` against accfifo (a small PyPI FIFO package in pure
Python on Decimal; left out when it is not installed, ``pip install
accfifo``) and the bare loop, interleaved, on both shapes of ledger.

Last, our FIFO against beancount's FIFO booking on a 100,000-entry ledger
over 100 items (one account per item, 1,000 entries each like the main run;
on ONE account beancount's booking grows quadratically: 10,000 entries took
about 9 s and 100,000 over 10 minutes).  beancount is installed from PyPI
into benchmarks/.venv (created on first run, git-ignored), never into the
system; the beancount side runs in that environment as a subprocess and
reports its own timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import functools
import gc
import json
import random
import subprocess
import sys
import time
import venv
from collections import deque
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from costsheet.ledger_columns import ledger_columns
from costsheet.model import Item, Ledger, LedgerEntry, Model, Setup, frozen_map
from costsheet.numbers import CONTEXT
from costsheet.valuation import value

METHODS = (
    "fifo",
    "lifo",
    "average",
    "moving-average",
    "weighted-average",
    "specific",
    "standard",
    "periodic-lifo",
    "lifo-date",
    "weighted-average-date",
)
#: Finance & Operations' inventory models added in issue 10: each must stay within 2x FIFO's time per entry
NEW_METHODS = ("periodic-lifo", "lifo-date", "weighted-average-date")
START = dt.date(2024, 1, 1)
HERE = Path(__file__).resolve().parent


def generate(
    total: int, items: int, seed: int = 7, receipts: tuple[int, int] = (1, 20), issues: float = 0.5
) -> dict[str, tuple[LedgerEntry, ...]]:
    """Per item: receipts and issues in date order; issues never exceed what is on hand.

    A receipt is of ``receipts`` units (at least, at most), an entry is an issue (of 1 to 15
    units) with probability ``issues`` while 5 or more are on hand: the default gives about one
    issue per receipt, ``(50, 100)`` and ``5 / 6`` about five issues per receipt."""
    rng = random.Random(seed)
    per_item = total // items
    ledgers = {}
    for i in range(items):
        entries = []
        on_hand = 0
        open_increases: list[list[int]] = []  # [number, remaining] for specific's applies-to
        for n in range(1, per_item + 1):
            date = START + dt.timedelta(days=n // 3)
            if on_hand < 5 or rng.random() >= issues:
                qty = rng.randint(*receipts)
                cost = Decimal(rng.randint(100, 5000) * qty).scaleb(-2)
                entries.append(LedgerEntry(n, date, "purchase", Decimal(qty), cost))
                open_increases.append([n, qty])
                on_hand += qty
            else:
                while not open_increases[0][1]:
                    open_increases.pop(0)
                target = open_increases[0]
                qty = rng.randint(1, min(target[1], 15))
                target[1] -= qty
                entries.append(LedgerEntry(n, date, "sale", Decimal(-qty), None, applies_to=target[0]))
                on_hand -= qty
        ledgers[f"I{i:05d}"] = tuple(entries)
    return ledgers


def model_for(method: str, ledgers) -> Model:
    fixed = method == "specific"
    items = {code: Item(code, costing_method=method, standard_cost=Decimal("25.00")) for code in ledgers}
    return Model(
        setup=Setup(average_cost_period="month"),
        items=frozen_map(items),
        ledgers=frozen_map(
            {
                code: Ledger(
                    code,
                    entries
                    if fixed
                    else tuple(
                        e if e.applies_to is None else LedgerEntry(e.number, e.date, e.type, e.quantity, e.cost)
                        for e in entries
                    ),
                )
                for code, entries in ledgers.items()
            }
        ),
    )


PRODUCTION_BASE = """
chart {
  1110 element "Direct material"        material
  1120 element "Material overhead"      material-overhead
  2110 element "Direct labour"          capacity
  2120 element "Labour overhead"        capacity-overhead
  3100 element "Manufacturing overhead" mfg-overhead
}
condition material   M "Material"   { direct 1110 overhead 1120 }
condition production P "Production" { direct 1110 overhead 3100  line 3100 "Tooling" percent 4 }
condition capacity   C "Capacity"   { direct 2110 overhead 2120  line 2120 "Energy" amount 4.50
                                      line 2120 "Setup" amount 12.00 setup-only  line 2120 "Upkeep" percent 15 }
setup { default material M  default production P  default capacity C  average-cost-period month }
workcenter WC "Assembly" { direct-unit-cost 42.00/h }
"""


def production_model(ledgers) -> Model:
    """FIFO on ``ledgers`` with every other item produced: its receipts become outputs of an order
    each (with a capacity line of 30 min setup and 12 min run), and the issues of the item before
    it become those orders' consumption, spread over them in turn."""
    from costsheet.model import CapacityUse
    from costsheet.ruleset import load

    base = load(PRODUCTION_BASE, file="bench.cost").model
    codes = list(ledgers)
    items, made = {}, {}
    for index, code in enumerate(codes):
        produced = index % 2 == 1
        items[code] = Item(code, replenishment="prod-order" if produced else "purchase", costing_method="fifo")
        if not produced:
            continue
        outputs, capacities = [], []
        for entry in ledgers[code]:
            if entry.quantity > 0:
                order = f"{code}-{entry.number}"
                outputs.append(LedgerEntry(entry.number, entry.date, "output", entry.quantity, order=order))
                capacities.append(
                    CapacityUse(
                        entry.date, "WC", order, Decimal(720), Decimal(1800), len(ledgers[code]) + len(capacities) + 1
                    )
                )
            else:
                outputs.append(LedgerEntry(entry.number, entry.date, "sale", entry.quantity))
        orders = [e.order for e in outputs if e.order is not None]
        component = codes[index - 1]
        consumed = []
        for turn, entry in enumerate(ledgers[component]):
            if entry.quantity < 0:
                entry = LedgerEntry(
                    entry.number, entry.date, "consumption", entry.quantity, order=orders[turn % len(orders)]
                )
            consumed.append(
                LedgerEntry(entry.number, entry.date, entry.type, entry.quantity, entry.cost, order=entry.order)
            )
        made[component] = Ledger(component, tuple(consumed))
        made[code] = Ledger(code, tuple(outputs), capacities=tuple(capacities))
    plain = {
        code: Ledger(code, tuple(LedgerEntry(e.number, e.date, e.type, e.quantity, e.cost) for e in entries))
        for code, entries in ledgers.items()
    }
    return Model(
        setup=base.setup,
        chart=base.chart,
        conditions=base.conditions,
        work_centers=base.work_centers,
        items=frozen_map(items),
        ledgers=frozen_map({**plain, **made}),
    )


def bare_fifo(ledgers) -> None:
    """The floor: a deque of [quantity, value] layers, Decimal arithmetic, nothing else.

    Each decrease's value is summed from the layers it takes (the whole layer's
    value, or value x taken / quantity of a part), in the engine's context.  It
    does not round, validate, keep results, handle back-dated or open
    decreases, fixed applications, charges or revaluations.
    """
    with decimal.localcontext(CONTEXT):
        for entries in ledgers.values():
            layers: deque = deque()
            for entry in entries:
                q = entry.quantity
                if q > 0:
                    layers.append([q, entry.cost])
                    continue
                need = -q
                total = Decimal(0)
                while need:
                    layer = layers[0]
                    if layer[0] <= need:
                        need -= layer[0]
                        total += layer[1]
                        layers.popleft()
                    else:
                        part = layer[1] * need / layer[0]
                        layer[0] -= need
                        layer[1] -= part
                        total += part
                        need = 0


def timed(function, *args) -> float:
    """CPU seconds of one call, garbage collector off (a single figure: the beancount comparison)."""
    gc.collect()
    gc.disable()
    try:
        begin = time.process_time()
        function(*args)
        return time.process_time() - begin
    finally:
        gc.enable()


def interleaved(repeat: int, *runs: Sequence[Callable[[], object]]) -> list[float]:
    """The best total CPU time of each run, over ``repeat`` rounds.

    A run is a list of parts of no argument, one per chunk of the ledgers.
    Each round times chunk by chunk: part 1 of every run in turn, then part 2
    of every run ..., so that the runs take turns every few tenths of a
    second and see the same load (CPU time of this process: on a shared
    machine the wall clock also counts the time other processes hold the
    CPU).  Which run goes first rotates from chunk to chunk, so that each
    meets the chunk's data in a cold cache as often as the others.  The
    garbage collector is collected before and off during a round.
    """
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        totals = [0.0] * len(runs)
        gc.collect()
        gc.disable()
        try:
            for turn, parts in enumerate(zip(*runs, strict=True)):
                for step in range(len(parts)):  # the first to touch a chunk meets a cold cache: take turns
                    index = (turn + step) % len(parts)
                    begin = time.process_time()
                    parts[index]()
                    totals[index] += time.process_time() - begin
        finally:
            gc.enable()
        best = [min(pair) for pair in zip(best, totals, strict=True)]
    return best


def chunks(ledgers, count: int) -> list[dict[str, tuple[LedgerEntry, ...]]]:
    """``ledgers`` in ``count`` parts of whole items."""
    codes = list(ledgers)
    size = -(-len(codes) // count)
    return [{code: ledgers[code] for code in codes[start : start + size]} for start in range(0, len(codes), size)]


def value_and_read(model: Model) -> None:
    """value() and every entry row read, as the JSON output does."""
    result, _ = value(model)
    for valuation in result.items.values():
        len(tuple(valuation.entries))


def ensure_beancount() -> Path:
    env = HERE / ".venv"
    python = env / "bin" / "python"
    if not python.exists():
        venv.create(env, with_pip=True)
    if subprocess.run([python, "-c", "import beancount"], capture_output=True).returncode:
        subprocess.run([python, "-m", "pip", "install", "--quiet", "beancount"], check=True)
    return python


BEANCOUNT_SCRIPT = r"""
import datetime as dt, json, sys, time
from decimal import Decimal
from beancount.core import data, amount, position
from beancount.parser import booking, options
rows = json.load(open(sys.argv[1]))
meta = data.new_metadata("<bench>", 0)
items = sorted({row[0] for row in rows})
entries = [data.Open(meta, dt.date(2000, 1, 1), f"Assets:Stock:I{item}", None, data.Booking.FIFO) for item in items]
entries.append(data.Open(meta, dt.date(2000, 1, 1), "Assets:Cash", None, None))
for i, (item, date, qty, unit) in enumerate(rows):
    date = dt.date.fromisoformat(date)
    qty = Decimal(qty)
    if qty > 0:
        cost = position.CostSpec(Decimal(unit), None, "USD", None, None, False)
    else:
        cost = position.CostSpec(None, None, "USD", None, None, False)
    postings = [data.Posting(f"Assets:Stock:I{item}", amount.Amount(qty, "ITEM"), cost, None, None, None),
                data.Posting("Assets:Cash", None, None, None, None, None)]
    entries.append(data.Transaction(meta, date, "*", None, "", data.EMPTY_SET, data.EMPTY_SET, postings))
entries.sort(key=data.entry_sortkey)
opts = options.OPTIONS_DEFAULTS.copy()
opts["booking_method"] = data.Booking.FIFO
begin = time.process_time()
booked, errors = booking.book(entries, opts)
elapsed = time.process_time() - begin
print(json.dumps({"seconds": elapsed, "errors": len(errors)}))
"""


def beancount_comparison(count: int, items: int) -> tuple[float, float, int]:
    """(our FIFO seconds, beancount FIFO seconds, beancount errors) on a ledger of ``count``
    entries over ``items`` items (one beancount account per item, booked FIFO)."""
    python = ensure_beancount()
    ledger = generate(count, items, seed=11)
    rows = [
        (index, e.date.isoformat(), str(e.quantity), str(e.cost / e.quantity) if e.cost is not None else None)
        for index, entries in enumerate(ledger.values())
        for e in entries
    ]
    data_file = HERE / ".venv" / "bench_rows.json"
    data_file.write_text(json.dumps(rows))
    script = HERE / ".venv" / "bench_beancount.py"
    script.write_text(BEANCOUNT_SCRIPT)
    out = subprocess.run([python, script, data_file], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    ours = timed(value, model_for("fifo", ledger))
    return ours, report["seconds"], report["errors"]


ROWS = (*METHODS, "production-orders")


def method_table(parts, repeat: int, rows: Sequence[str] = ROWS) -> None:
    """Each costing method, interleaved with the bare loop chunk by chunk; ratios are best over best.

    Every row but FIFO's also interleaves FIFO's ``value()`` on the same ledgers, so its ratio to
    FIFO ("x FIFO") is taken in the same rounds, under the same load; "via bare" is the older
    figure, the row's ratio to the bare loop over FIFO's (FIFO's measured in its own rounds)."""
    count = sum(len(e) for part in parts for e in part.values())
    items = sum(len(part) for part in parts)
    print(
        f"{count:,} entries over {items:,} items in {len(parts)} chunks, best of {repeat}, each method "
        f"interleaved with the bare deque FIFO loop and FIFO's value() (CPU us per entry, ratio to the bare loop)"
    )
    print(
        f"{'method':<22} {'bare loop':>9}  {'value()':>15}  {'value() + rows read':>21}  {'x FIFO':>7}  {'via bare':>8}"
    )
    fifo_ratio = None
    fifo_models = [model_for("fifo", part) for part in parts]
    for method in rows:
        models = [
            production_model(part) if method == "production-orders" else model_for(method, part) for part in parts
        ]
        runs = [
            [functools.partial(bare_fifo, part) for part in parts],
            [functools.partial(value, model) for model in models],
            [functools.partial(value_and_read, model) for model in models],
        ]
        if method != "fifo":
            runs.append([functools.partial(value, model) for model in fifo_models])
        bare, seconds, read, *fifo = interleaved(repeat, *runs)
        ratio = seconds / bare
        if method == "fifo":
            fifo_ratio = ratio
            against_fifo = 1.0
        else:
            against_fifo = seconds / fifo[0]
        via_bare = f"{ratio / fifo_ratio:7.2f}x" if fifo_ratio else ""
        flag = "  (over 2x FIFO)" if method in NEW_METHODS and against_fifo > 2 else ""
        print(
            f"{method:<22} {bare / count * 1e6:9.2f}  {seconds / count * 1e6:7.2f} {ratio:6.2f}x"
            f"  {read / count * 1e6:13.2f} {read / bare:6.2f}x  {against_fifo:6.2f}x  {via_bare}{flag}"
        )


def fast_path_table(parts, repeat: int) -> None:
    """Each fast path against the general path it stands in for, on the same ledgers, interleaved."""
    count = sum(len(e) for part in parts for e in part.values())
    print(
        f"\nfast paths against the general path on the same ledgers, best of {repeat}, interleaved chunk by "
        f"chunk (CPU us per entry)"
    )
    print(f"{'fast path':<42} {'fast':>7}  {'general':>7}  {'general / fast':>14}")
    for name, fast, general in fast_paths(parts):
        fast_seconds, general_seconds = interleaved(repeat, fast, general)
        print(
            f"{name:<42} {fast_seconds / count * 1e6:7.2f}  {general_seconds / count * 1e6:7.2f}  "
            f"{general_seconds / fast_seconds:13.2f}x"
        )


def close_fast_paths(parts):
    """(name, fast, general) for the flat close loop of each Finance & Operations close model."""
    from costsheet.valuation.closing import pool_settler
    from costsheet.valuation.closing import value_general as close_general
    from costsheet.valuation.closing_plain import LIFO_DATE, PERIODIC_LIFO, POOL, value_plain_close
    from costsheet.valuation.columnar_close import value_close_columns
    from costsheet.valuation.lifo_close import lifo_date_settler, periodic_lifo_settler
    from costsheet.valuation.prepare import Book, prepare_groups

    def close(path, groups, how):
        with decimal.localcontext(CONTEXT):
            for group in groups:
                if path(group, Book(group), how) is None:
                    raise SystemExit(f"the flat close loop declined a benchmark ledger ({group.key})")

    for method, kind, settler in (
        ("weighted-average", POOL, pool_settler),
        ("weighted-average-date", POOL, pool_settler),
        ("periodic-lifo", PERIODIC_LIFO, periodic_lifo_settler),
        ("lifo-date", LIFO_DATE, lifo_date_settler),
    ):
        grouped = []
        for part in parts:
            model = model_for(method, part)
            pool = "day" if method == "weighted-average-date" else None
            grouped.append(
                [
                    group
                    for ledger in model.ledgers.values()
                    for group in prepare_groups(model, ledger, closing=True, pool_period=pool)
                ]
            )
        yield (
            f"{method}: flat close loop",
            [functools.partial(close, value_plain_close, groups, kind) for groups in grouped],
            [functools.partial(close, close_general, groups, settler) for groups in grouped],
        )
        yield (  # on the ledger's integer columns, against the flat close loop
            f"{method}: integer close loop",
            [functools.partial(close, value_close_columns, groups, kind) for groups in grouped],
            [functools.partial(close, value_plain_close, groups, kind) for groups in grouped],
        )


def many_issues(parts):
    """Ledgers like ``parts`` (as many entries and items, in as many chunks) with about five issues
    per receipt: receipts of 50 to 100 units."""
    count = sum(len(e) for part in parts for e in part.values())
    items = sum(len(part) for part in parts)
    return chunks(generate(count, items, seed=13, receipts=(50, 100), issues=5 / 6), len(parts))


def fast_paths(parts):
    """(name, fast, general): two runs (lists of parts of no argument, one per chunk) that do the
    same work on the same prepared ledgers."""
    from costsheet.check import ledgers as rules  # the ledger rules live in the checker
    from costsheet.numbers import round_to
    from costsheet.valuation.application import value_general, value_plain
    from costsheet.valuation.prepare import Book, make_rounder, prepare_groups
    from costsheet.valuation.scaled import value_scaled

    def application(path, groups, newest_first):
        with decimal.localcontext(CONTEXT):
            for group in groups:
                if path(group, Book(group), newest_first) is None:
                    raise SystemExit(f"the fast path declined a benchmark ledger ({group.key})")

    for method in ("fifo", "lifo", "specific", "standard"):
        grouped = []
        for part in parts:
            model = model_for(method, part)
            grouped.append([group for ledger in model.ledgers.values() for group in prepare_groups(model, ledger)])
        newest_first = method == "lifo"
        yield (
            f"{method}: flat application loop",
            [functools.partial(application, value_plain, groups, newest_first) for groups in grouped],
            [functools.partial(application, value_general, groups, newest_first) for groups in grouped],
        )
        yield (
            f"{method}: integer loop, 1 issue/receipt",  # against the flat Decimal loop
            [functools.partial(application, value_scaled, groups, newest_first) for groups in grouped],
            [functools.partial(application, value_plain, groups, newest_first) for groups in grouped],
        )
        several = []
        for part in many_issues(parts):
            model = model_for(method, part)
            several.append([group for ledger in model.ledgers.values() for group in prepare_groups(model, ledger)])
        yield (
            f"{method}: integer loop, 5 issues/receipt",
            [functools.partial(application, value_scaled, groups, newest_first) for groups in several],
            [functools.partial(application, value_plain, groups, newest_first) for groups in several],
        )

    yield from close_fast_paths(parts)

    fifo = [model_for("fifo", part) for part in parts]  # no applies-to: the scan answers "clean"

    def each_ledger(check, model):
        for ledger in model.ledgers.values():
            deque(check(model, ledger), maxlen=0)

    def application_walk(model, ledger):
        return rules.application_problems(ledger, False)

    yield (
        "applies-to rule: none-at-all scan",
        [functools.partial(each_ledger, rules.applications, m) for m in fifo],
        [functools.partial(each_ledger, application_walk, m) for m in fifo],
    )

    cent = Decimal("0.01")
    with decimal.localcontext(CONTEXT):  # a third of each cost: an application's unrounded share
        shares = [[e.cost / 3 for entries in part.values() for e in entries if e.cost is not None] for part in parts]
    quantize = make_rounder(cent)

    def rounded(rounder, amounts):
        with decimal.localcontext(CONTEXT):
            for amount in amounts:
                rounder(amount)

    def by_round_to(amount):
        return round_to(amount, cent)

    yield (
        "rounding: quantize, not round_to",
        [functools.partial(rounded, quantize, a) for a in shares],
        [functools.partial(rounded, by_round_to, a) for a in shares],
    )


def accfifo_comparison(parts, repeat: int) -> None:
    """FIFO: value() against accfifo (PyPI, pure Python, Decimal; ``pip install accfifo``) and the
    bare loop on the same ledgers, interleaved chunk by chunk.  accfifo gets its own entries
    (quantity, unit cost = cost / quantity) built before the timing, as value() gets its model;
    it keeps a trace of every fill, as value() keeps every entry's cost.

    value() reads the ledger's integer columns, made when the ledger is built
    (``costsheet.ledger_columns``): the column "columns" times making them for the same
    entries, and "entries" times making accfifo's entries (an ``Entry`` and a unit cost each),
    both interleaved too; the last ratio counts both in (accfifo and its entries over value()
    and the columns), as if every valuation were of a ledger read just for it."""
    try:
        import accfifo
    except ImportError:
        print("\naccfifo is not installed (pip install accfifo): comparison left out")
        return
    count = sum(len(e) for part in parts for e in part.values())
    print(
        f"\nFIFO against accfifo {getattr(accfifo, '__version__', '')} and the bare loop, best of {repeat}, interleaved"
    )
    print(
        f"{'ledgers':<21} {'bare loop':>9} {'value()':>8} {'columns':>8} {'accfifo':>8} {'entries':>8}"
        f"  {'accfifo / value()':>17}  {'both read':>9}"
    )

    def their_entries(part):
        with decimal.localcontext(CONTEXT):
            return [
                [accfifo.Entry(e.quantity, e.cost / e.quantity if e.cost is not None else Decimal(0)) for e in entries]
                for entries in part.values()
            ]

    for name, shaped in (("1 issue per receipt", parts), ("5 issues per receipt", many_issues(parts))):
        theirs = [their_entries(part) for part in shaped]

        def run_accfifo(lists):
            with decimal.localcontext(CONTEXT):
                for entries in lists:
                    accfifo.FIFO(entries)

        def read_columns(ledgers):
            for ledger in ledgers:
                ledger_columns(ledger.entries)

        models = [model_for("fifo", part) for part in shaped]
        bare, ours, reading, other, making = interleaved(
            repeat,
            [functools.partial(bare_fifo, part) for part in shaped],
            [functools.partial(value, model) for model in models],
            [functools.partial(read_columns, tuple(model.ledgers.values())) for model in models],
            [functools.partial(run_accfifo, lists) for lists in theirs],
            [functools.partial(their_entries, part) for part in shaped],
        )
        print(
            f"{name:<21} {bare / count * 1e6:9.2f} {ours / count * 1e6:8.2f} {reading / count * 1e6:8.2f}"
            f" {other / count * 1e6:8.2f} {making / count * 1e6:8.2f}  {other / ours:16.2f}x"
            f"  {(other + making) / (ours + reading):8.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--beancount-entries", type=int, default=100_000)
    parser.add_argument(
        "--beancount-items",
        type=int,
        default=100,
        help="items of the beancount ledger (one account each; the default gives 1,000 entries "
        "per item, the shape of the main run; one item alone makes beancount quadratic)",
    )
    parser.add_argument("--no-beancount", action="store_true")
    parser.add_argument("--no-fast-paths", action="store_true", help="leave out the fast path table")
    parser.add_argument("--no-accfifo", action="store_true", help="leave out the accfifo comparison")
    parser.add_argument(
        "--methods",
        default=",".join(ROWS),
        help=f"the rows of the method table, comma-separated (default: {','.join(ROWS)})",
    )
    parser.add_argument("--repeat", type=int, default=5, help="best of this many rounds per figure")
    parser.add_argument(
        "--chunks", type=int, default=20, help="the runs take turns after each chunk of the items (of about 0.1 s each)"
    )
    args = parser.parse_args()
    parts = chunks(generate(args.entries, args.items), args.chunks)
    rows = [row for row in args.methods.split(",") if row]
    unknown = sorted(set(rows) - set(ROWS))
    if unknown:
        parser.error(f"unknown method {', '.join(unknown)}; the rows are {', '.join(ROWS)}")
    method_table(parts, args.repeat, rows)
    if not args.no_fast_paths:
        fast_path_table(parts, args.repeat)
    if not args.no_accfifo:
        accfifo_comparison(parts, args.repeat)
    if not args.no_beancount:
        ours, theirs, errors = beancount_comparison(args.beancount_entries, args.beancount_items)
        n = args.beancount_entries
        print(
            f"\nFIFO on a {n:,}-entry ledger over {args.beancount_items} items: costsheet {ours / n * 1e6:.2f} "
            f"us/entry, beancount booking {theirs / n * 1e6:.2f} us/entry ({errors} booking errors): "
            f"beancount is {theirs / ours:.1f}x slower"
        )


if __name__ == "__main__":
    main()
