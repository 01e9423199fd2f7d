"""Playwright's device descriptors, cached on disk per Playwright version.

Reading them needs Playwright's driver, which takes about half a second to start; every
batch needs them before its first run, so they are kept in the user's cache folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from . import browser
from .browser import BrowserNotFound


def cache_file() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    version = metadata.version("playwright")
    return base / "uxmon" / f"playwright-{version}-devices.json"


def load_devices() -> Mapping[str, Mapping[str, Any]]:
    """The device descriptors; raises BrowserNotFound when no browser could run a journey.

    The browser check is cheap when UXMON_BROWSER or a system Chromium is there; only then
    does it skip Playwright's driver (the workers still choose in the documented order).
    """
    path = cache_file()
    cached = _read(path)
    if cached is not None and (browser.from_env() or browser.from_system()):
        return cached
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser.find_browser(pw)
        devices = dict(pw.devices)
    _write(path, devices)
    return devices


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "Pixel 7" in data else None


def _write(path: Path, devices: Mapping[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(devices), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: fetch them again next time


__all__ = ["BrowserNotFound", "load_devices"]
