"""The report in a real browser: a shop whose title and messages carry markup runs nothing in
it, and the pages pass axe-core with no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

from uxmon.capture.browser import find_browser, launch
from uxmon.demo import DemoShop

from .conftest import batch

HOSTILE_NAME = '<script>window.__pwned="title"</script><img src=x onerror="window.__pwned=\'img\'">'


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    with DemoShop(friction="late-stock,hostile", shop_name=HOSTILE_NAME) as shop:
        result = batch(out, shop.url, names=["Buy a mug"])
    assert result.history is not None, result.history_warning
    return result.folder


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as pw:
        browser = launch(pw, find_browser(pw))
        yield browser.new_page()
        browser.close()


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
