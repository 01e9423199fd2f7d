"""``uxmon doctor``: what uxmon found on this machine, and what to do about what is missing."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from ..capture.browser import BrowserNotFound, find_browser, launch
from ..config import find_config_file
from ..version import __version__


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(output: Path | None = None) -> list[Check]:
    checks = [Check("uxmon", True, f"{__version__} on Python {platform.python_version()} "
                                   f"({sys.executable})")]
    checks.extend(_playwright_checks())
    config = find_config_file()
    checks.append(Check("config", True, str(config) if config else
                        "no uxmon.toml or [tool.uxmon] found here: defaults apply"))
    if output is not None:
        checks.append(_writable(output))
    return checks


def _playwright_checks() -> list[Check]:
    from importlib import metadata

    try:
        from playwright.sync_api import sync_playwright

        pw_version = metadata.version("playwright")
    except (ImportError, metadata.PackageNotFoundError):
        return [Check("playwright", False, "the playwright package is not installed",
                      "pip install playwright")]
    checks = [Check("playwright", True, pw_version)]
    try:
        with sync_playwright() as pw:
            choice = find_browser(pw)
            browser = launch(pw, choice)
            version = browser.version
            browser.close()
        checks.append(Check("browser", True, f"{choice.describe()} (Chromium {version}), starts fine"))
    except BrowserNotFound as exc:
        checks.append(Check("browser", False, "no usable Chromium", str(exc)))
    except Exception as exc:  # noqa: BLE001 - any launch failure is reported, not raised
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        checks.append(Check("browser", False, f"found but does not start: {first}",
                            "uxmon install-browser, or point UXMON_BROWSER at a working Chrome"))
    return checks


def _writable(output: Path) -> Check:
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / ".uxmon-write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Check("output", False, f"{output} is not writable: {exc.strerror}",
                     "choose another folder with --output or 'output' in uxmon.toml")
    return Check("output", True, f"{output} is writable")
