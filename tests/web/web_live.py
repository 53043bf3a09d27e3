"""``costsheet web`` in a child process on a free loopback port, and a headless chromium driving it.

Shared by the browser tests (tests/web) and tools/web_screenshots.py.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

from live_process import running_costsheet

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]


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
    url = f"http://{HOST}:{port}"
    args = ["web", str(ruleset), "--port", str(port), *options]
    with running_costsheet(args, f"{url}/api/state", env=env, cwd=cwd, start_timeout=300, poll_timeout=5):
        yield url


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
