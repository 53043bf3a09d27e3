"""``costsheet web`` end to end: the real server over loopback, driven by a headless chromium.

The amounts the pages show are checked against the costing API (``costsheet.load(...)
.calculate(...).to_dict()``, the JSON of ``costsheet calc --format json``), never against
numbers written here.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest

pytest.importorskip("fastapi")

from web_live import ROOT, chromium, demo_copy, running_web

import costsheet
from costsheet.numbers import quantize_display
from costsheet.ruleset import analyze

pytestmark = pytest.mark.external("chromium", "selenium")

WAIT = 30  # seconds: a loaded CI machine is slow, not wrong


def _by():
    from selenium.webdriver.common.by import By

    return By


def wait_for(driver, condition, timeout: float = WAIT):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))


def css(driver, selector):
    return driver.find_elements(_by().CSS_SELECTOR, selector)


def attributes(driver, selector, name):
    """``name`` of every element ``selector`` finds, read in one script (no element goes stale meanwhile)."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))", selector, name
    )


def text_of(driver, selector):
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e && e.textContent", selector)


def redrawn(driver, selector):
    """Click ``selector`` and wait until the page has drawn itself again."""
    before = driver.execute_script("return document.getElementById('main').dataset.ready")
    css(driver, selector)[0].click()
    wait_for(driver, lambda d: d.execute_script("return document.getElementById('main').dataset.ready") != before)


def opened(driver, url, selector):
    """Load ``url`` afresh (not a mere change of its #fragment) and wait until ``selector`` is on the page;
    its elements."""
    driver.get("about:blank")
    driver.get(url)
    return wait_for(driver, lambda d: css(d, selector))


def shown(value: str) -> str:
    """How the page shows an amount of the demo (its setup says ``decimals amounts 2:5``)."""
    return quantize_display(Decimal(value), 2, 5)


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """The demo served read-only for the tests that only look (one server for the module)."""
    folder = tmp_path_factory.mktemp("site")
    ruleset = demo_copy(folder / "demo")
    history = folder / "history.sqlite3"
    with running_web(ruleset, "--history", str(history)) as url:
        yield url, ruleset, history


def test_item_list_shows_each_item_with_the_cost_of_the_json(browser, demo_site):
    url, ruleset, _ = demo_site
    expected = costsheet.load(ruleset).calculate_all().to_dict()["items"]
    rows = opened(browser, f"{url}/#/items", "#item-table tbody tr")
    assert [r.get_attribute("data-code") for r in rows] == list(expected)
    for row in rows:
        cost = row.find_element(_by().CSS_SELECTOR, ".unit-cost [data-value]")
        value = expected[row.get_attribute("data-code")]["unit_cost"]
        assert cost.get_attribute("data-value") == value and cost.text == shown(value)
    redrawn(browser, "#sort-unit_cost")  # ascending
    redrawn(browser, "#sort-unit_cost")  # descending
    by_cost = sorted(expected, key=lambda c: Decimal(expected[c]["unit_cost"]), reverse=True)
    wait_for(browser, lambda d: attributes(d, "#item-table tbody tr", "data-code") == by_cost)
    search = css(browser, "#item-search")[0]
    search.send_keys("wheel")
    wait_for(browser, lambda d: attributes(d, "#item-table tbody tr", "data-code") == ["ICO-0002"])


def test_the_costing_bom_of_the_racing_bike_shows_the_amounts_of_the_json(browser, demo_site):
    url, ruleset, _ = demo_site
    expected = costsheet.load(ruleset).calculate("ICO-0001").to_dict()
    opened(browser, f"{url}/#/items", "#item-table tbody tr")
    browser.find_element(_by().LINK_TEXT, "ICO-0001").click()
    wait_for(browser, lambda d: css(d, "#bom-tree tbody tr"))
    # collapsed below the first level; expanding the wheel shows its rim, spokes and hub
    tree = [r.get_attribute("data-item") for r in css(browser, "#bom-tree tbody tr")]
    assert tree == ["ICO-0001", *(line["component"] for line in expected["bom"]["nodes"]["ICO-0001"]["lines"])]
    wheel = css(browser, "#bom-tree tr[data-item='ICO-0002'] button.toggle")[0]
    assert wheel.get_attribute("aria-expanded") == "false"
    wheel.click()
    wait_for(browser, lambda d: css(d, "#bom-tree tr[data-item='ICO-0005']"))
    nodes = expected["bom"]["nodes"]
    for row in css(browser, "#bom-tree tbody tr"):
        cost = row.find_element(_by().CSS_SELECTOR, ".unit-cost [data-value]")
        assert cost.get_attribute("data-value") == nodes[row.get_attribute("data-item")]["unit_cost"]
    # rolled-up amounts by default, totals from the chart
    for code, amounts in expected["elements"].items():
        cell = css(browser, f"tr[data-line='{code}'] .amount-cell [data-value]")[0]
        assert (cell.get_attribute("data-value"), cell.text) == (amounts["rolled_up"], shown(amounts["rolled_up"]))
    for code, total in expected["totals"].items():
        row = css(browser, f"tr[data-line='{code}']")[0]
        assert row.find_element(_by().CSS_SELECTOR, "[data-value]").get_attribute("data-value") == total
        assert "bold" in row.get_attribute("class")
    assert css(browser, "#list-price [data-value]")[0].get_attribute("data-value") == expected["list_price"]
    # the switch to single-level
    redrawn(browser, "#level-single")
    for code, amounts in expected["elements"].items():
        cell = css(browser, f"tr[data-line='{code}'] .amount-cell [data-value]")[0]
        assert cell.get_attribute("data-value") == amounts["single_level"]
    bars = css(browser, "#share-chart rect")
    assert len(bars) == sum(1 for a in expected["elements"].values() if Decimal(a["single_level"]) > 0)


def test_the_costing_bom_shows_phantoms_versions_units_and_joint_products(browser, tmp_path):
    ruleset = tmp_path / "section14.cost"
    ruleset.write_text((ROOT / "tests" / "data" / "realism" / "section14.cost").read_text())
    day = dt.date(2026, 7, 1)
    expected = costsheet.load(ruleset).calculate("BIKE", date=day).to_dict()
    node = expected["bom"]["nodes"]["BIKE"]
    with running_web(ruleset) as url:
        opened(browser, f"{url}/#/item/BIKE?date={day}", "#bom-tree tbody tr")
        rows = css(browser, "#bom-tree tbody tr")
        assert [(r.get_attribute("data-kind"), r.get_attribute("data-item")) for r in rows] == [
            ("item", "BIKE"),
            ("byproduct", "SCRAP-AL"),
            ("coproduct", "BIKE-KIT"),
            *(("item", line["component"]) for line in node["lines"]),
        ]
        assert f"BOM {expected['bom_version']}" in text_of(browser, "#bom-tree tr[data-item='BIKE'] .tag.version")
        assert f"BOM {expected['bom_version']}" in text_of(browser, "#item-title + p")
        phantoms = attributes(browser, "#bom-tree tr:has(.tag.phantom)", "data-item")
        assert phantoms == [line["component"] for line in node["lines"] if line.get("phantom") == "WHEELSET"]
        spoke = next(line for line in node["lines"] if line["component"] == "SPOKE")
        assert text_of(browser, "#bom-tree tr[data-item='SPOKE'] td:nth-child(5)") == f"{spoke['quantity']} PCS"
        credit = css(browser, "#bom-tree tr[data-kind='byproduct'] .extended [data-value]")[0]
        assert credit.get_attribute("data-value") == str(-Decimal(expected["byproducts"][0]["credit"]))
        share = css(browser, "#bom-tree tr[data-kind='coproduct'] .extended [data-value]")[0]
        assert share.get_attribute("data-value") == str(-Decimal(expected["coproducts"][0]["amount"]))
        # the co-product's own page names its producer and its share
        browser.find_element(_by().LINK_TEXT, "BIKE-KIT").click()
        wait_for(browser, lambda d: css(d, "#coproduct-of"))
        assert "Co-product of BIKE: 10 % of its cost" in text_of(browser, "#coproduct-of")


def test_clicking_an_amount_explains_it_with_the_ruleset_line(browser, demo_site):
    url, ruleset, _ = demo_site
    result = costsheet.load(ruleset).calculate("ICO-0001", explain=True).to_dict(explain=True)
    opened(browser, f"{url}/#/item/ICO-0001?level=single", "tr[data-line='1110'] button.amount")[0].click()
    wait_for(browser, lambda d: css(d, "#explain:not([hidden]) .step"))
    steps = css(browser, "#explain .step")
    expected = [s for s in result["explain"] if s["item"] == "ICO-0001" and s["element"] == "1110"]
    assert [s.find_element(_by().CSS_SELECTOR, ".src").text for s in steps] == [s["source"] for s in expected]
    assert css(browser, "#explain-amount")[0].get_attribute("data-value") == result["elements"]["1110"]["single_level"]
    lines = ruleset.read_text(encoding="utf-8").splitlines()
    for step, source in zip(steps, expected, strict=True):
        file, _, line = step.find_element(_by().CSS_SELECTOR, ".where").text.rpartition(":")
        assert file.endswith("demo.cost")
        if source["source"].startswith("BOM line "):  # the BOM line of the component
            assert source["source"].removeprefix("BOM line ") in lines[int(line) - 1]
    css(browser, "#explain-close")[0].click()
    wait_for(browser, lambda d: css(d, "#explain[hidden]"))


@pytest.mark.thorough
def test_a_page_can_be_walked_by_keyboard(browser, demo_site):
    from selenium.webdriver.common.keys import Keys

    url, _, _ = demo_site
    opened(browser, f"{url}/#/items", "#item-table tbody tr")
    body = css(browser, "body")[0]
    body.click()
    reached = []
    for _ in range(40):  # Tab from the top of the page to the racing bike's link
        browser.switch_to.active_element.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
        reached.append(active.tag_name)
        if active.text == "ICO-0001":
            break
    else:
        pytest.fail(f"Tab never reached the item link: {reached}")
    active.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: css(d, "tr[data-line='1110'] button.amount"))
    for _ in range(60):  # on to the first amount button, then open its explanation with Enter
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if "amount" in (browser.switch_to.active_element.get_attribute("class") or ""):
            break
    opener = browser.switch_to.active_element
    opener.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: css(d, "#explain:not([hidden]) .step"))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(browser, lambda d: css(d, "#explain[hidden]"))
    assert browser.switch_to.active_element == opener  # focus goes back to the amount
    # a tree node toggles with the keyboard too
    toggle = css(browser, "#bom-tree tr[data-item='ICO-0002'] button.toggle")[0]
    toggle.send_keys(Keys.SPACE)
    wait_for(browser, lambda d: css(d, "#bom-tree tr[data-item='ICO-0004']"))


@pytest.mark.thorough
def test_the_page_updates_when_the_ruleset_and_a_csv_file_change(browser, tmp_path):
    ruleset = demo_copy(tmp_path / "demo")
    master = tmp_path / "erp"
    master.mkdir()
    items_csv = master / "items.csv"
    items_csv.write_text("code,description,replenishment,unit_cost\nCSV-1,Bell,purchase,12.50\n", encoding="utf-8")
    with running_web(ruleset, "--master-data", str(master)) as url:
        opened(browser, f"{url}/#/item/ICO-0003", "#unit-cost [data-value]")
        generation = int(css(browser, "body")[0].get_attribute("data-generation"))
        text = ruleset.read_text(encoding="utf-8")
        changed = text.replace(
            "from 2025-01-01                            unit-cost 139.00", "from 2025-01-01 unit-cost 150.00"
        )
        assert changed != text, "the demo's frame price moved: update this test"
        ruleset.write_text(changed, encoding="utf-8")
        after = costsheet.load(ruleset, master_data=str(master)).calculate("ICO-0003").to_dict()["unit_cost"]
        wait_for(browser, lambda d: attributes(d, "#unit-cost [data-value]", "data-value") == [after])
        assert int(css(browser, "body")[0].get_attribute("data-generation")) > generation

        opened(browser, f"{url}/#/items?q=CSV-1", "#item-table tbody tr[data-code='CSV-1']")
        before = costsheet.load(ruleset, master_data=str(master)).calculate("CSV-1").to_dict()["unit_cost"]
        assert css(browser, "tr[data-code='CSV-1'] .unit-cost [data-value]")[0].get_attribute("data-value") == before
        items_csv.write_text("code,description,replenishment,unit_cost\nCSV-1,Bell,purchase,20.00\n", encoding="utf-8")
        now = costsheet.load(ruleset, master_data=str(master)).calculate("CSV-1").to_dict()["unit_cost"]
        assert now != before
        wait_for(
            browser, lambda d: attributes(d, "tr[data-code='CSV-1'] .unit-cost [data-value]", "data-value") == [now]
        )


@pytest.mark.thorough
def test_the_item_list_downloads_as_csv(tmp_path, demo_site):
    url, ruleset, _ = demo_site
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium(downloads=downloads)
    try:
        opened(driver, f"{url}/#/items", "#item-table tbody tr")
        css(driver, "a[data-download='csv']")[0].click()
        wait_for(driver, lambda d: list(downloads.glob("*.csv")))
    finally:
        driver.quit()
    (path,) = downloads.glob("*.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    expected = costsheet.load(ruleset).calculate_all().to_dict()["items"]
    assert {r["code"]: (r["unit_cost"], r["list_price"] or None) for r in rows} == {
        code: (r["unit_cost"], r["list_price"]) for code, r in expected.items()
    }


@pytest.mark.thorough
def test_the_costing_page_downloads_a_workbook(tmp_path, demo_site):
    """The Excel link of a costing page: a workbook whose totals agree with the JSON to 15 digits."""
    import openpyxl

    url, ruleset, _ = demo_site
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium(downloads=downloads)
    try:
        opened(driver, f"{url}/#/item/ICO-0001", "#unit-cost [data-value]")
        css(driver, "a[data-download='xlsx']")[0].click()
        wait_for(driver, lambda d: list(downloads.glob("*.xlsx")))
    finally:
        driver.quit()
    (path,) = downloads.glob("*.xlsx")
    sheet = openpyxl.load_workbook(path)["costing"]
    header = next(i for i, row in enumerate(sheet.iter_rows(values_only=True)) if row and row[0] == "code")
    rows = list(sheet.iter_rows(min_row=header + 2, values_only=True))
    totals = {row[0]: row[5] for row in rows if row[0] and row[5] is not None}
    expected = costsheet.load(ruleset).calculate("ICO-0001").to_dict()["totals"]
    assert set(totals) == set(expected)
    for code, value in expected.items():
        assert isinstance(totals[code], float)
        assert abs(Decimal(repr(totals[code])) - Decimal(value)) <= abs(Decimal(value)) * Decimal("1e-15")


@pytest.mark.thorough
def test_two_recorded_calculations_compare_side_by_side(browser, demo_site, monkeypatch):
    url, ruleset, history = demo_site
    monkeypatch.setenv("COSTSHEET_HISTORY", str(history))
    loaded = costsheet.load(ruleset)
    first = loaded.calculate("ICO-0001", record=True)
    second = loaded.calculate("ICO-0001", lot_size=25, record=True)
    rows = opened(browser, f"{url}/#/history", "#history tbody tr")
    older, newer = rows[1].get_attribute("data-record"), rows[0].get_attribute("data-record")
    css(browser, f"#a-{older}")[0].click()
    css(browser, f"#b-{newer}")[0].click()
    redrawn(browser, "#compare")
    row = css(browser, "#diff-changes tr[data-section='unit_cost']")[0]
    cells = [c.text for c in row.find_elements(_by().TAG_NAME, "td")]
    assert cells[3:5] == [str(first.unit_cost), str(second.unit_cost)]
    inputs = [r.get_attribute("data-key") for r in css(browser, "#diff-inputs tbody tr")]
    assert "lot_size" in inputs


@pytest.mark.thorough
def test_the_diagnostics_page_shows_the_source_of_each_error(browser, tmp_path):
    ruleset = demo_copy(tmp_path / "demo")
    text = ruleset.read_text(encoding="utf-8")
    ruleset.write_text(text.replace("direct   1110", "direct   1115", 1), encoding="utf-8")
    _, diagnostics, _ = analyze(ruleset)
    with running_web(ruleset) as url:
        opened(browser, f"{url}/#/items", ".banner")
        assert css(browser, "#diagnostic-count")[0].text == str(sum(1 for d in diagnostics if d.is_error))
        shown_codes = [d.get_attribute("data-code") for d in opened(browser, f"{url}/#/diagnostics", ".diag")]
        assert shown_codes == [d.code for d in diagnostics]
        marked = css(browser, ".diag pre.excerpt .mark")[0].text
        assert "1115" in marked
        # fixed on disk: the page says so by itself
        ruleset.write_text(text, encoding="utf-8")
        wait_for(browser, lambda d: text_of(d, "#diagnostics-summary") == "The ruleset checks clean.")


def test_served_pages_fetch_nothing_from_elsewhere(browser, demo_site):
    url, _, _ = demo_site
    for page in ("#/items", "#/item/ICO-0001", "#/item/ICO-0001/valuation", "#/history", "#/diagnostics", "#/what-if"):
        browser.get(f"{url}/{page}")
        wait_for(browser, lambda d: d.find_element(_by().ID, "main").get_attribute("data-ready"))
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched and all(name.startswith(url) for name in fetched), fetched
    # the what-if page asks the server for its data: data-ready may still be the previous page's
    assert wait_for(browser, lambda d: css(d, "#what-if-slot"))


@pytest.mark.thorough
def test_a_page_left_frees_its_event_stream(browser, demo_site):
    """Regression: each page held its event stream after it was left, and the seventh load hung on
    the browser's six connections per host."""
    url, _, _ = demo_site
    for _ in range(8):
        assert opened(browser, f"{url}/#/items", "#item-table tbody tr")


_BIG_HEAD = """setup {
  cost-base unit-cost
  default material M-PART
}
chart {
  1110 element "Direct material"   material
  1120 element "Material overhead" material-overhead
  5000 total   "Cost"              1110..1120
}
condition material M-PART "Parts" {
  direct   1110
  overhead 1120
  line 1120 "Handling" percent 5
}
"""


def _part_cost(n: int) -> str:
    return f"{n % 997}.{n % 89:02d}"


def _big_ruleset(path, items: int) -> None:
    """A chart, a material condition and ``items`` purchased parts costed from their unit cost."""
    parts = [_BIG_HEAD, *(f'item P{n:06d} "Part {n}" {{\n  unit-cost {_part_cost(n)}\n}}\n' for n in range(items))]
    path.write_text("\n".join(parts), encoding="utf-8")


@pytest.mark.thorough
def test_an_item_list_of_100000_items_pages_without_freezing(browser, tmp_path):
    ruleset = tmp_path / "big" / "parts.cost"
    ruleset.parent.mkdir()
    _big_ruleset(ruleset, 100_000)
    with running_web(ruleset) as url:
        rows = opened(browser, f"{url}/#/items", "#item-table tbody tr")
        assert len(rows) == 100
        assert css(browser, "#page-position")[0].text == "1–100 of 100000"
        redrawn(browser, "#sort-unit_cost")
        redrawn(browser, "#sort-unit_cost")
        assert css(browser, "#sort-unit_cost[aria-sort='descending']")
        first = css(browser, "#item-table tbody tr .unit-cost [data-value]")[0].get_attribute("data-value")
        dearest = max(range(100_000), key=lambda n: Decimal(_part_cost(n)))
        expected = costsheet.load(ruleset).calculate(f"P{dearest:06d}").to_dict()["unit_cost"]
        assert first == expected
        redrawn(browser, "#page-next")
        wait_for(browser, lambda d: text_of(d, "#page-position") == "101–200 of 100000")
        # the browser holds one page of rows, never the 100,000 (paged, searched and sorted on the server)
        assert len(css(browser, "#item-table tbody tr")) == 100
