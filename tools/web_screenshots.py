"""Screenshots of every page of ``costsheet web`` for docs/web.md (docs/web/*.png).

Serves a copy of the bundled demo (a copy with one error, for the Diagnostics page, and the
costing realism example, for the costing BOM of a phantom, versions and joint products),
records two calculations into a throwaway history, and photographs each page in a
headless chromium 1280 pixels wide.  Needs the ``web`` and ``test`` extras and the
system's chromium and chromedriver.

Run: ``PYTHONPATH=src python tools/web_screenshots.py``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(Path(entry).resolve()) if entry else entry for entry in sys.path]  # PYTHONPATH=src, then chdir
sys.path.insert(0, str(ROOT / "tests" / "web"))
sys.path.insert(0, str(ROOT / "tests"))  # live_process, which web_live uses

from web_live import chromium, demo_copy, running_web  # noqa: E402

OUT = ROOT / "docs" / "web"
#: the costing realism example (phantom, versions, units, currency, by- and co-product) for its tree
REALISM = ROOT / "tests" / "data" / "realism" / "section14.cost"
WIDTH, HEIGHT = 1280, 720


def _ready(driver, selector: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, selector))
    time.sleep(0.3)  # fonts and layout settle


def _shot(driver, url: str, selector: str, name: str, then=None) -> None:
    driver.get("about:blank")
    driver.get(url)
    _ready(driver, selector)
    if then is not None:
        then(driver)
    else:
        driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(OUT / f"{name}.png"))
    print("wrote", (OUT / f"{name}.png").relative_to(ROOT))


def _click(selector: str, wait: str):
    def act(driver) -> None:
        driver.find_element("css selector", selector).click()
        _ready(driver, wait)
        driver.execute_script("window.scrollTo(0, 0)")

    return act


#: a scenario and a simulation appended to the demo copy for the what-if page
WHAT_IF = """
scenario LABOUR-UP "Labour +3%, painting +10%" {
  workcenter WC-100 direct-unit-cost +3%  workcenter WC-PAINT direct-unit-cost +10%
}
simulation RISK "Labour and painting" {
  runs 400  seed 7
  workcenter WC-100 direct-unit-cost uniform -5% +10%  workcenter WC-PAINT direct-unit-cost triangular -10% 0% +20%
}
"""


def main() -> None:
    import costsheet
    from costsheet.history import HistoryStore

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        history = base / "history.sqlite3"
        os.environ["COSTSHEET_HISTORY"] = str(history)
        ruleset = demo_copy(base / "demo")
        with ruleset.open("a", encoding="utf-8") as stream:  # what the what-if page shows
            stream.write(WHAT_IF)
        os.chdir(base)  # relative names, as a user types them: the pages show demo/demo.cost:LINE
        loaded = costsheet.load("demo/demo.cost")
        loaded.calculate("ICO-0001", record=True)
        loaded.calculate("ICO-0001", lot_size=25, record=True)
        broken = demo_copy(base / "broken")
        broken.write_text(broken.read_text(encoding="utf-8").replace("direct   1110", "direct   1115", 1), "utf-8")
        driver = chromium(WIDTH, HEIGHT)
        try:
            with running_web(Path("demo/demo.cost"), "--history", str(history), cwd=base) as url:
                _shot(driver, f"{url}/#/items", "#item-table tbody tr", "items")
                _shot(
                    driver,
                    f"{url}/#/item/ICO-0001",
                    "#bom-tree tbody tr",
                    "costing",
                    _click("tr[data-line='2110'] button.amount", "#explain .step"),
                )
                _shot(
                    driver,
                    f"{url}/#/item/ICO-0001?level=single",
                    "#bom-tree tbody tr",
                    "costing-bom",
                    lambda d: (
                        d.find_element("id", "bom-expand-all").click(),
                        d.execute_script("document.getElementById('bom-tree').scrollIntoView()"),
                    ),
                )
                _shot(driver, f"{url}/#/item/ICO-0003/valuation", "#entries tbody tr", "valuation")
                _shot(driver, f"{url}/#/history", "#history tbody tr", "history")
                records = [r.id for r in HistoryStore.open(history).list()]
                _shot(driver, f"{url}/#/history/diff/{records[1]}/{records[0]}", "#diff-changes", "history-diff")
                _shot(driver, f"{url}/#/what-if/scenario/LABOUR-UP", "#scenario-table tbody tr", "what-if")
                _shot(
                    driver,
                    f"{url}/#/what-if/simulation/RISK?item=ICO-0001",
                    "#histogram rect",
                    "what-if-simulation",
                    lambda d: d.execute_script("document.getElementById('simulation-view').scrollIntoView()"),
                )
            realism = base / "realism"
            realism.mkdir()
            (realism / "bike.cost").write_text(REALISM.read_text(encoding="utf-8"), "utf-8")
            with running_web(Path("realism/bike.cost"), cwd=base) as url:
                _shot(
                    driver,
                    f"{url}/#/item/BIKE?date=2026-07-01",
                    "#bom-tree tbody tr",
                    "costing-realism",
                    lambda d: d.execute_script("document.getElementById('bom-tree').scrollIntoView()"),
                )
            with running_web(Path("broken/demo.cost"), cwd=base) as url:
                _shot(driver, f"{url}/#/diagnostics", ".diag", "diagnostics")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
