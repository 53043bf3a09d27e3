"""The counted, thread-safe pause of the garbage collector (costsheet.gcpause) and the code that uses it."""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import threading
import time
from pathlib import Path

import pytest

import costsheet
from costsheet.costing import Calculator
from costsheet.csvdata import read_master_data
from costsheet.gcpause import paused_gc
from costsheet.resources import resource_path
from costsheet.syntax.parser import parse


@pytest.fixture(autouse=True)
def collector_enabled():
    """Every test starts and ends with the collector enabled and no pause active."""
    assert gc.isenabled()
    yield
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost():
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause ended, the outer one still holds
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled():
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_pause_ends_when_the_block_raises():
    with pytest.raises(ZeroDivisionError), paused_gc():
        1 / 0  # noqa: B018 - the statement is there to raise
    assert gc.isenabled()


def test_one_pause_cannot_be_entered_twice():
    pause = paused_gc()
    with pause:
        with pytest.raises(RuntimeError, match="active already"), pause:
            pass
        assert not gc.isenabled()  # the refused entry did not end the pause
    assert gc.isenabled()


def test_a_pause_in_one_thread_is_not_ended_by_another():
    """The first thread pauses, the second pauses too, the first ends its pause: the second's still holds."""
    first_in, second_in, first_out, checked = (threading.Event() for _ in range(4))
    seen: list[bool] = []

    def first():
        with paused_gc():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second():
        first_in.wait(10)
        with paused_gc():
            second_in.set()
            first_out.wait(10)
            seen.append(gc.isenabled())
            checked.wait(10)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_out.wait(10)
    assert not gc.isenabled()  # the second thread's pause holds
    checked.set()
    for thread in threads:
        thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_overlapping_pauses_in_many_threads_hold_the_collector_off_while_any_is_active():
    """Each thread checks, inside its own pause, that the collector is off; a plain save/restore fails this."""
    failures: list[str] = []
    start = threading.Barrier(8)

    def work():
        start.wait(10)
        for _ in range(300):
            with paused_gc():
                time.sleep(0)  # let the other threads run inside and across this pause
                if gc.isenabled():
                    failures.append("on inside a pause")
                with paused_gc():
                    time.sleep(0)
                    if gc.isenabled():
                        failures.append("on inside a nested pause")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert gc.isenabled()


def test_threads_parsing_and_costing_at_once_leave_the_collector_enabled():
    ruleset = costsheet.load(resource_path("rulesets/demo.cost"))
    list(ruleset.calculate_many())  # plans the program before the threads start
    text = resource_path("rulesets/demo.cost").read_text(encoding="utf-8")
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def parsing():
        start.wait(10)
        for _ in range(5):
            tree, diagnostics = parse(text, "demo.cost")
            if tree is None:
                errors.append(AssertionError(diagnostics))

    def costing():
        start.wait(10)
        for _ in range(20):
            for code, result, diagnostics in ruleset.calculate_many():
                if result is None:
                    errors.append(AssertionError((code, diagnostics)))

    threads = [threading.Thread(target=job) for job in (parsing, costing) * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert gc.isenabled()


def test_calculate_many_runs_the_callers_code_with_the_collector_enabled():
    """The loop body is the caller's code: whatever costing does, it finds the collector as it left it."""
    ruleset = costsheet.load(resource_path("rulesets/demo.cost"))
    seen = [gc.isenabled() for _code, _result, _diagnostics in ruleset.calculate_many()]
    assert seen and all(seen)


def test_no_library_code_switches_the_collector_but_the_pause():
    """gc.disable()/gc.enable() anywhere else in the package would undo the counting for every thread."""
    package = Path(costsheet.__file__).parent
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "gcpause.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bgc\.(disable|enable)\(", line)
    ]
    assert found == []


class _Collections:
    """Counts the collector's runs (gc.callbacks) while it is installed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.count += 1

    def __enter__(self) -> _Collections:
        gc.collect()
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def _wide_bom(parts: int) -> str:
    """A ruleset: ``parts`` purchased parts and one assembly made of all of them."""
    declarations = [
        'chart { 1110 element "Material" material 1120 element "Material overhead" material-overhead',
        '        3100 element "Overhead" mfg-overhead }',
        "setup { default material M default production P }",
        'condition material M "M" { direct 1110 overhead 1120 }',
        'condition production P "P" { direct 1110 overhead 3100 }',
    ]
    declarations += [f'item P{n} "Part" {{ replenishment purchase unit-cost 1.{n} }}' for n in range(parts)]
    bom = " ".join(f"P{n} 2" for n in range(parts))
    declarations.append(f'item TOP "Top" {{ replenishment prod-order bom {{ {bom} }} }}')
    return "\n".join(declarations)


def test_the_parser_and_the_csv_reader_run_with_the_collector_paused(tmp_path):
    """Each allocates far more objects than the collector's threshold (700), so unpaused the collector would
    run several times (8 for the parse); paused, it runs at most once: right after the pause, for what the
    paused work allocated."""
    assert gc.get_threshold()[0] <= 1000
    text = _wide_bom(400)
    parse('vendor V "warms up the parser"', "warm.cost")  # the grammar is built once per process, unpaused
    with _Collections() as collections:
        tree, diagnostics = parse(text, "wide.cost")
    assert tree is not None and not diagnostics
    assert collections.count <= 1

    lines = ["code,description,replenishment,unit_cost"] + [f"P-{n:05d},Part {n},purchase,1.50" for n in range(2000)]
    (tmp_path / "items.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with _Collections() as collections:
        data, diagnostics = read_master_data(tmp_path)
    assert not diagnostics and len(data.model.items) == 2000
    assert collections.count <= 1


def test_the_roll_ups_walk_runs_with_the_collector_paused():
    """Costing the top item costs its 1,000 parts first in one walk, in one pause: the collector runs at most
    once (right after it), where unpaused it would run several times."""
    ruleset = costsheet.load(_wide_bom(1000), file="wide.cost")
    calculator = Calculator(ruleset.program, dt.date(2026, 6, 15))
    with _Collections() as collections:
        top = calculator.cost("TOP")
    assert top is not None and len(calculator.memo) == 1001
    assert collections.count <= 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_child_forked_while_another_thread_pauses_has_the_collector_enabled():
    entered, release = threading.Event(), threading.Event()

    def hold():
        with paused_gc():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    entered.wait(10)
    try:
        assert not gc.isenabled()
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # the child: only this thread exists; the other's pause is gone
            try:
                states = [gc.isenabled()]
                with paused_gc():
                    states.append(gc.isenabled())
                states.append(gc.isenabled())
                os.write(write, "".join("1" if s else "0" for s in states).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            states = pipe.read()
        os.waitpid(child, 0)
    finally:
        release.set()
        thread.join(10)
    assert states == "101"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_child_forked_inside_a_pause_keeps_it_until_it_ends():
    read, write = os.pipe()
    with paused_gc():
        child = os.fork()
        if child == 0:
            try:
                states = [gc.isenabled()]
            except BaseException:
                os._exit(1)
        else:
            os.close(write)
    if child == 0:
        try:
            states.append(gc.isenabled())
            os.write(write, "".join("1" if s else "0" for s in states).encode())
        finally:
            os._exit(0)
    with os.fdopen(read) as pipe:
        states = pipe.read()
    os.waitpid(child, 0)
    assert states == "01"


def test_a_command_that_loads_once_runs_paused_to_its_end_and_one_that_stays_does_not(monkeypatch):
    from click.testing import CliRunner

    from costsheet.cli import calc, main

    seen: dict[str, bool] = {}

    def record(name: str):
        def run(*args, **kwargs) -> int:
            seen[name] = gc.isenabled()
            return 0

        return run

    monkeypatch.setattr(calc, "_all", record("all"))
    monkeypatch.setattr(calc, "_watch", record("watch"))
    demo = str(resource_path("rulesets/demo.cost"))
    assert CliRunner().invoke(main, ["calc", demo, "--all"]).exit_code == 0
    assert gc.isenabled()  # the pause ended with the command
    assert CliRunner().invoke(main, ["calc", demo, "--all", "--watch"]).exit_code == 0
    assert seen == {"all": False, "watch": True}
