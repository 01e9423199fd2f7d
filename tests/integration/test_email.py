"""The digest of a real demo batch (friction on), sent through a real STARTTLS server, opened in
Chromium at 600 and 375 px in light and dark: what arrives, and how it looks."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from tests.mailserver import PASSWORD, USER, smtp_server
from uxmon.capture.browser import find_browser, launch
from uxmon.cli import main
from uxmon.demo import DemoShop
from uxmon.history import HistoryStore

from .conftest import batch

FRICTION = "late-stock,slow:payment:1500,mobile-overflow"
FORBIDDEN = re.compile(r"<(script|svg|form|iframe|object|embed|link)\b|@font-face|@import|"
                       r"background-image|url\(|src=\"(?!cid:)|data:", re.IGNORECASE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One batch of the demo shop with friction on: both journeys, desktop and mobile."""
    root = tmp_path_factory.mktemp("email")
    with DemoShop(friction=FRICTION) as shop:
        result = batch(root, shop.url)
    assert result.history is not None, result.history_warning
    return root


@pytest.fixture(scope="module")
def received(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmailMessage]:
    folder = tmp_path_factory.mktemp("smtp")
    with smtp_server("starttls", folder) as server, pytest.MonkeyPatch.context() as env:
        env.setenv("UXMON_SMTP_PASSWORD", PASSWORD)
        config = demo / "uxmon.toml"
        config.write_text(
            f'output = "reports"\n[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {server.port}\n'
            f'username = "{USER}"\npassword = "${{UXMON_SMTP_PASSWORD}}"\nca_file = "{server.cert}"\n'
            f'from = "uxmon <uxmon@example.com>"\nto = ["cx-team@example.com"]\n'
            f'report_url = "https://reports.example.com/uxmon/"\n', encoding="utf-8")
        assert main(["digest", "-c", str(config), "--since", "1d"]) == 0
        [message] = server.inbox.messages
        yield message


def part(message: EmailMessage, kind: str) -> EmailMessage:
    return next(p for p in message.walk() if p.get_content_type() == kind)  # type: ignore[misc]


def test_the_mime_tree_and_every_picture(received: EmailMessage) -> None:
    kinds = [p.get_content_type() for p in received.walk()]
    assert kinds[:4] == ["multipart/alternative", "text/plain", "multipart/related", "text/html"]
    images = [p for p in received.walk() if p.get_content_type() == "image/jpeg"]
    assert 1 <= len(images) <= 6
    html = part(received, "text/html").get_content()
    assert set(re.findall(r'src="cid:([^"]+)"', html)) == {p["Content-ID"].strip("<>") for p in images}
    for image in images:
        data = image.get_content()
        assert len(data) <= 120_000
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.format == "JPEG" and picture.width <= 560


def test_the_html_fits_and_holds_nothing_mail_clients_refuse(received: EmailMessage) -> None:
    html = part(received, "text/html").get_content()
    assert len(html.encode()) <= 90_000
    assert FORBIDDEN.search(html) is None
    assert 'href="https://reports.example.com/uxmon/"' in html


def test_the_subject_and_the_top_problems_say_what_hurts(received: EmailMessage) -> None:
    subject = received["Subject"]
    assert re.match(r"uxmon daily · \d+ new problems · Buy a mug on desktop and mobile failed every run$",
                    subject), subject
    text = part(received, "text/plain").get_content()
    top = text[text.index("CUSTOMERS MEET NOW"):text.index("JOURNEY BY JOURNEY")]
    assert top.index("[CRITICAL] “Sorry, Blue Mug is out of stock.") < top.index("sideways")
    assert "customers had made" in top
    assert "Buy a mug on desktop: 1 of 1 runs did not pass" in text
    assert "Reach a human on mobile: 1 of 1 runs passed" in text
    assert all(len(line) <= 78 for line in text.splitlines() if " " in line.strip())


def test_the_picture_is_cropped_around_the_element(demo: Path, received: EmailMessage) -> None:
    with HistoryStore(f"sqlite:///{demo / 'reports' / 'history.sqlite'}") as store:
        runs = store.runs_of_batch(store.batches()[0].id)
        blocker = next(f for f in store.findings_of_runs(r.id for r in runs) if f.rule == "late-blocker")
    assert blocker.screenshot.startswith("finding-") and blocker.box is not None


SIZES = [(600, "light"), (600, "dark"), (375, "light"), (375, "dark")]


def test_it_reads_at_600_and_375_px_in_light_and_dark(received: EmailMessage, tmp_path: Path) -> None:
    html = part(received, "text/html").get_content()
    for image in (p for p in received.walk() if p.get_content_type() == "image/jpeg"):
        name = image["Content-ID"].strip("<>").split("@")[0] + ".jpg"
        (tmp_path / name).write_bytes(image.get_content())
        html = html.replace(f'cid:{image["Content-ID"].strip("<>")}', name)
    page_file = tmp_path / "email.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as pw:
        browser = launch(pw, find_browser(pw))
        backgrounds = {}
        for width, scheme in SIZES:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            page.goto(page_file.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
            assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            backgrounds[(width, scheme)] = page.evaluate(
                "getComputedStyle(document.querySelector('.sheet')).backgroundColor")
            page.screenshot(path=str(tmp_path / f"email-{width}-{scheme}.png"), full_page=True)
            page.close()
        browser.close()
    assert backgrounds[(600, "light")] == "rgb(255, 255, 254)"
    assert backgrounds[(600, "dark")] == backgrounds[(375, "dark")] != backgrounds[(600, "light")]


def test_run_email_with_the_server_down_keeps_the_batch_and_its_exit_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.mailserver import free_port

    from .conftest import BUNDLED

    config = tmp_path / "uxmon.toml"
    config.write_text(f'output = "reports"\n[email]\nsmtp_host = "127.0.0.1"\nsmtp_port = {free_port()}\n'
                      f'security = "none"\ntimeout = 5\nfrom = "uxmon@example.com"\n'
                      f'to = ["cx@example.com"]\n',
                      encoding="utf-8")
    with DemoShop() as shop, pytest.MonkeyPatch.context() as env:
        env.setattr("uxmon.notify.email.deliver.WAITS", (0.0, 0.0))
        code = main(["run", str(BUNDLED / "support.py"), "-c", str(config), "--base-url", shop.url,
                     "-v", "desktop", "--email"])
    assert code == 0  # the journey passed; the email is not the batch's verdict
    said = capsys.readouterr()
    assert "Warning: email not sent: cannot reach the SMTP server 127.0.0.1:" in said.err
    with HistoryStore(f"sqlite:///{tmp_path / 'reports' / 'history.sqlite'}") as store:
        assert len(store.batches()) == 1
