"""The report in a real browser: a shop whose title and messages carry markup runs nothing in
it, and the pages pass axe-core with no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from uxmon.capture.browser import find_browser, launch
from uxmon.demo import DemoShop
from uxmon.friction import analyse_batch
from uxmon.history import BatchRow
from uxmon.history.rows import rows_of
from uxmon.records.serial import load_record
from uxmon.report.publish import write_report_alone

from .conftest import batch

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
HOSTILE_NAME = '<script>window.__pwned="title"</script><img src=x onerror="window.__pwned=\'img\'">'


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    with DemoShop(friction="late-stock,hostile", shop_name=HOSTILE_NAME) as shop:
        result = batch(out, shop.url, names=["Buy a mug"])
    assert result.history is not None, result.history_warning
    return result.folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = launch(pw, find_browser(pw))
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser: Browser) -> Page:
    return browser.new_page()


@pytest.fixture(scope="module")
def narrow(browser: Browser) -> Page:
    """A phone-wide window (390 CSS px, as an iPhone 12–15)."""
    return browser.new_page(viewport={"width": 390, "height": 844})


def opened(page: Page, path: Path) -> list[str]:
    said: list[str] = []
    page.on("dialog", lambda d: (said.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return said


@pytest.mark.parametrize("name", ["index.html", "journeys/buy-a-mug.html"])
def test_markup_from_the_site_runs_nothing(report: Path, page: Page, name: str) -> None:
    dialogs = opened(page, report / name)
    assert page.evaluate("window.__pwned === undefined")
    assert dialogs == []
    assert page.locator("script").count() == 0
    body = page.locator("body").inner_text()
    assert "Sorry, Blue Mug is out of stock" in body
    if name != "index.html":
        assert '<script>window.__pwned =' in body  # shown, as text


@pytest.mark.parametrize("name", ["index.html", "journeys/buy-a-mug.html"])
def test_the_report_passes_axe_core(report: Path, page: Page, name: str) -> None:
    page.goto((report / name).as_uri())
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


# Every element that is wider inside than its box: what a reader could not see without scrolling.
CLIPPED = """() => [...document.querySelectorAll('.scroll, table, th, td, .map, .map .cell, .card')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => ({cls: e.className || e.tagName, scroll: e.scrollWidth, client: e.clientWidth,
              overflow: getComputedStyle(e).overflowX}))"""


@pytest.mark.parametrize("name", ["index.html", "journeys/buy-a-mug.html"])
def test_at_390_px_every_column_shows(report: Path, narrow: Page, name: str) -> None:
    narrow.goto((report / name).as_uri())
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways page
    assert narrow.evaluate(CLIPPED) == []
    if name == "index.html":
        for cell in narrow.locator(".matrix td, .map .cell").all():
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, cell.inner_text()
        desktop, mobile = (narrow.locator(".matrix td").nth(i) for i in (0, 1))
        assert "DESKTOP" in desktop.inner_text() and "MOBILE" in mobile.inner_text()  # named on a phone
        assert "Customers were stopped at step 7 (Confirmation): the site said “Sorry, Blue Mug is out " \
               "of stock" in desktop.inner_text()
        assert narrow.locator(".map .cell.blocked .mark").first.inner_text() == "✖ Stopped here"
    else:
        alert = narrow.locator('[aria-label="Why the journey failed"]').first
        assert alert.inner_text().startswith("Customers were stopped at step 7 (Confirmation)")
        technical = alert.locator("details code").first
        assert not technical.is_visible()  # folded: the customer's words come first
        alert.locator("summary").click()
        assert technical.is_visible() and "Locator expected" in technical.inner_text()


def test_at_390_px_a_wider_table_scrolls_visibly(tmp_path: Path, narrow: Page) -> None:
    """Four devices cannot fit a phone: the table scrolls in its box, says so, and shows all."""
    runs = [load_record(RUNS / f"late-stock--buy-a-mug--{v}.json") for v in ("desktop", "mobile")]
    for name in ("tablet", "small-phone"):
        extra = load_record(RUNS / "clean--buy-a-mug--mobile.json")
        extra.viewport.name, extra.run_id = name, f"buy-a-mug--{name}"
        runs.append(extra)
    analyse_batch(runs, {})
    page = write_report_alone(rows_of(BatchRow("b1", "2026-11-02T00:00:00+00:00", "http://shop"), runs),
                              tmp_path / "b1")
    narrow.goto(page.as_uri())
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
    clipped = narrow.evaluate(CLIPPED)
    assert clipped and all(c["overflow"] == "auto" for c in clipped if "scroll" in c["cls"]), clipped
    assert {c["cls"] for c in clipped if "scroll" not in c["cls"]} <= {"matrix", "map"}, clipped
    assert narrow.get_by_text("Swipe the table sideways to see every device →").is_visible()
    box = narrow.locator(".matrix").locator("xpath=..")
    box.evaluate("e => e.scrollLeft = e.scrollWidth")
    last = narrow.locator(".matrix tbody tr").first.locator("td").last
    edge = box.bounding_box()
    seen = last.bounding_box()
    assert edge and seen and seen["x"] + seen["width"] <= edge["x"] + edge["width"] + 1
