"""``calc --all --watch`` with a real file edit: a real process, real watchfiles, then Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("watchfiles")

ROOT = Path(__file__).resolve().parents[2]


def _lines(stream, into: list[str]) -> None:
    into.extend(stream)  # line by line, as they come


def _wait_for(lines: list[str], predicate, seconds: float = 60) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for line in list(lines):
            if predicate(line):
                return line
        time.sleep(0.05)
    raise AssertionError(f"nothing came; got {lines!r}")


def save(path: Path, text: str) -> None:
    """Save as editors do: write a new file beside it, then rename it over the old one (a reader
    never sees half a file)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def demo(tmp_path):
    for name in ("demo.cost", "demo-ledger.cost"):
        shutil.copy(ROOT / "rulesets" / name, tmp_path / name)
    return tmp_path / "demo.cost"


def _start(*args: str) -> tuple[subprocess.Popen, list[str], list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", "from costsheet.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    out: list[str] = []
    err: list[str] = []
    threading.Thread(target=_lines, args=(process.stdout, out), daemon=True).start()
    threading.Thread(target=_lines, args=(process.stderr, err), daemon=True).start()
    return process, out, err


def test_a_save_prints_what_moved_and_ctrl_c_exits_cleanly(demo):
    process, out, err = _start("calc", str(demo), "--all", "--watch", "--format", "json", "--date", "2026-06-15")
    try:
        _wait_for(err, lambda line: line.startswith("watching"))
        text = demo.read_text(encoding="utf-8")
        first = json.loads("".join(out))["items"]["ICO-0001"]["unit_cost"]
        save(demo, text.replace("unit-cost 42.00", "unit-cost 99.00", 1))
        line = _wait_for(out, lambda line: line.startswith('{"moved"'))
        moved = json.loads(line)["moved"]
        assert moved["ICO-0001"]["unit_cost"][0] == first
        assert moved["ICO-0001"]["unit_cost"][1] != first
        # a broken save: diagnostics at their line, the last good results kept
        save(demo, text.replace("item ", "item {", 1))
        _wait_for(err, lambda line: "the last good results stay" in line)
        assert any('"syntax-error"' in line for line in out), out  # under --format json: on stdout
        seen = len(out)
        save(demo, text)  # back to the first text: compared with the last good one
        end = time.monotonic() + 60
        while len(out) == seen and time.monotonic() < end:
            time.sleep(0.05)
        assert json.loads(out[seen])["moved"]["ICO-0001"]["unit_cost"] == [moved["ICO-0001"]["unit_cost"][1], first]
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=20)
    assert code == 0


def test_watch_needs_all(demo):
    process = subprocess.run(
        [sys.executable, "-c", "from costsheet.cli import main; main()", "calc", str(demo), "ICO-0001", "--watch"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.returncode == 2 and "--watch applies to --all" in process.stderr


def test_watch_with_output_writes_the_file_again_on_every_save(demo, tmp_path):
    prices = tmp_path / "prices.csv"
    process, out, err = _start("calc", str(demo), "--all", "--watch", "--output", str(prices), "--date", "2026-06-15")
    try:
        _wait_for(err, lambda line: line.startswith("watching"))
        first = prices.read_text(encoding="utf-8")
        assert "ICO-0001" in first and not out  # the price list went to the file, nothing to stdout yet
        save(demo, demo.read_text(encoding="utf-8").replace("unit-cost 42.00", "unit-cost 99.00", 1))
        _wait_for(out, lambda line: line.startswith("ICO-0001  unit cost"))
        written = prices.read_text(encoding="utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=20)
    assert code == 0, err
    fresh = tmp_path / "fresh.csv"
    _run("calc", str(demo), "--all", "--output", str(fresh), "--date", "2026-06-15")
    assert written != first and written == fresh.read_text(encoding="utf-8")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from costsheet.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )


@pytest.mark.parametrize("command", [("calc", "--all"), ("value",)])
def test_watch_refuses_csv_on_standard_output(demo, command):
    process = _run(command[0], str(demo), *command[1:], "--watch", "--format", "csv")
    assert process.returncode == 2 and "needs --output FILE.csv" in process.stderr
