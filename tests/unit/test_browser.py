"""Which browser uxmon picks, and what it says when there is none."""

from pathlib import Path

import pytest

from uxmon.capture import browser
from uxmon.capture.browser import HOW_TO_FIX, BrowserChoice, BrowserNotFound, find_browser


class NoPlaywrightBrowser:
    class chromium:  # noqa: N801 - mimics playwright.chromium
        executable_path = "/nonexistent/ms-playwright/chromium-1/chrome-linux/chrome"


def test_uxmon_browser_wins_when_set(tmp_path: Path) -> None:
    exe = tmp_path / "chrome"
    exe.write_text("")
    choice = find_browser(NoPlaywrightBrowser(), {"UXMON_BROWSER": str(exe)})  # type: ignore[arg-type]
    assert choice == BrowserChoice("env", str(exe))


def test_uxmon_browser_pointing_nowhere_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFound, match="UXMON_BROWSER is set to .*which is not a file"):
        find_browser(NoPlaywrightBrowser(), {"UXMON_BROWSER": str(tmp_path / "nope")})  # type: ignore[arg-type]


def test_system_browser_when_playwright_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser.shutil, "which",
                        lambda name: "/usr/bin/chromium" if name == "chromium" else None)
    choice = find_browser(NoPlaywrightBrowser(), {})  # type: ignore[arg-type]
    assert choice == BrowserChoice("system", "/usr/bin/chromium")
    assert choice.describe() == "system Chromium/Chrome at /usr/bin/chromium"


def test_playwright_s_own_install_is_found(tmp_path: Path) -> None:
    exe = tmp_path / "ms-playwright" / "chromium-1255" / "chrome-linux" / "chrome"
    exe.parent.mkdir(parents=True)
    exe.write_text("")

    class Own:
        class chromium:  # noqa: N801
            executable_path = str(exe)

    assert find_browser(Own(), {}).source == "playwright"  # type: ignore[arg-type]


def test_nothing_found_lists_every_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "from_system", lambda: None)
    with pytest.raises(BrowserNotFound) as err:
        find_browser(NoPlaywrightBrowser(), {})  # type: ignore[arg-type]
    assert str(err.value) == HOW_TO_FIX
    for fix in ("uxmon install-browser", "python -m playwright install chromium",
                "apt-get install -y chromium", "UXMON_BROWSER"):
        assert fix in HOW_TO_FIX
