"""``costsheet web`` in a child process on a free loopback port, and a headless chromium driving it.

Shared by the browser tests (tests/web) and tools/web_screenshots.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
_SRC = str(ROOT / "src")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def demo_copy(folder: Path) -> Path:
    """The bundled demo ruleset copied into ``folder`` (the tests edit the copy); its main file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("demo.cost", "demo-ledger.cost"):
        shutil.copy(ROOT / "rulesets" / name, folder / name)
    return folder / "demo.cost"


@contextlib.contextmanager
def running_web(
    ruleset: Path, *options: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[str]:
    """``costsheet web RULESET OPTIONS`` on a free port until the block ends; yields its URL."""
    port = free_port()
    environ = dict(os.environ, **(env or {}))
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, (_SRC, os.environ.get("PYTHONPATH"))))
    code = "from costsheet.cli import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "web", str(ruleset), "--port", str(port), *options],
        env=environ,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://{HOST}:{port}"
    log: list[bytes] = []
    reader = threading.Thread(target=lambda: log.extend(iter(process.stderr.readline, b"")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{url}/api/state", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("costsheet web did not start:\n" + b"".join(log).decode(errors="replace"))
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def chromium(width: int = 1280, height: int = 900, downloads: Path | None = None):
    """A headless chromium under selenium (the system's chromium and chromedriver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    if downloads is not None:
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "chromedriver"))
