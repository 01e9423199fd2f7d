"""Find a usable Chromium, launch it quietly, and install one when none is there."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# Without these, Chromium keeps calling home (updates, sync, field trials) and, on a machine
# with no internet, waits on connections that are refused.
LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--metrics-recording-only",
]

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
SYSTEM_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)

HOW_TO_FIX = """No usable Chromium was found. Any one of these fixes it:
  uxmon install-browser                      (tries the two below for you)
  python -m playwright install chromium      (Playwright's own browser; needs internet)
  sudo apt-get install -y chromium           (Debian; on Ubuntu use Google Chrome)
  export UXMON_BROWSER=/path/to/chrome       (any Chromium or Chrome you already have)"""


class BrowserNotFound(RuntimeError):
    """No browser uxmon can drive; the message says how to get one."""


@dataclass(frozen=True)
class BrowserChoice:
    """Where the browser comes from: ``env`` (UXMON_BROWSER), ``playwright`` or ``system``."""

    source: str
    path: str | None

    def describe(self) -> str:
        names = {"env": "UXMON_BROWSER", "playwright": "Playwright's own Chromium",
                 "system": "system Chromium/Chrome"}
        return f"{names[self.source]} at {self.path or 'the Playwright default location'}"


def from_env(environ: dict[str, str] | None = None) -> BrowserChoice | None:
    value = (environ if environ is not None else os.environ).get("UXMON_BROWSER", "").strip()
    if not value:
        return None
    resolved = shutil.which(value) or value
    if not Path(resolved).is_file():
        raise BrowserNotFound(f"UXMON_BROWSER is set to {value!r}, which is not a file.\n"
                              "Point it at a Chromium or Chrome binary, or unset it.")
    return BrowserChoice("env", resolved)


def from_playwright(pw: Playwright) -> BrowserChoice | None:
    """Playwright's own download (full Chromium or its headless shell), if present."""
    try:
        exe = Path(pw.chromium.executable_path)
    except Exception:  # noqa: BLE001 - an odd install is simply "not found"
        return None
    revision = exe.parents[1].name.rsplit("-", 1)[-1] if len(exe.parents) > 1 else ""
    root = exe.parents[2] if len(exe.parents) > 2 else exe.parent
    shell = revision and any(root.glob(f"chromium_headless_shell-{revision}"))
    if exe.is_file() or shell:
        return BrowserChoice("playwright", None if shell else str(exe))
    return None


def from_system() -> BrowserChoice | None:
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice("system", found)
    for path in SYSTEM_PATHS:
        if Path(path).is_file():
            return BrowserChoice("system", path)
    return None


def find_browser(pw: Playwright, environ: dict[str, str] | None = None) -> BrowserChoice:
    """UXMON_BROWSER when set (an explicit choice wins), then Playwright's own, then the system's."""
    choice = from_env(environ) or from_playwright(pw) or from_system()
    if choice is None:
        raise BrowserNotFound(HOW_TO_FIX)
    return choice


def launch(pw: Playwright, choice: BrowserChoice, *, marker: str = "", headless: bool = True,
           extra_args: list[str] | None = None) -> Browser:
    """Launch the chosen browser; ``marker`` tags its command line so a watchdog can find it."""
    args = LAUNCH_ARGS + (extra_args or []) + ([f"--uxmon-worker={marker}"] if marker else [])
    from playwright.sync_api import Error

    try:
        return pw.chromium.launch(headless=headless, args=args, executable_path=choice.path)
    except Error as exc:
        if choice.source == "playwright" and "Executable doesn't exist" in str(exc):
            path = pw.chromium.executable_path
            return pw.chromium.launch(headless=headless, args=args, executable_path=path)
        raise


@dataclass
class InstallResult:
    ok: bool
    how: str
    message: str


def install_browser(log: Callable[[str], None] = print) -> InstallResult:
    """Playwright's download first; on Debian/Ubuntu as root, the system package when that fails."""
    log("Trying: python -m playwright install chromium")
    done = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                          capture_output=True, text=True)
    if done.returncode == 0:
        return InstallResult(True, "playwright", "Installed Playwright's Chromium.")
    reason = (done.stderr or done.stdout).strip().splitlines()
    log("Playwright could not download its browser: " + (reason[0] if reason else "no reason given"))
    if not _debian_like():
        return InstallResult(False, "", HOW_TO_FIX)
    if os.geteuid() != 0:
        return InstallResult(False, "", "Not root, so the system package cannot be installed.\n"
                             "Run: sudo apt-get install -y chromium   (or sudo uxmon install-browser)")
    return _apt_install(log)


def _debian_like() -> bool:
    return platform.system() == "Linux" and Path("/etc/debian_version").exists() and bool(
        shutil.which("apt-get"))


def _apt_install(log: Callable[[str], None]) -> InstallResult:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for attempt in (["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
                    ["apt-get", "update"],
                    ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        log("Trying: " + " ".join(attempt))
        done = subprocess.run(attempt, capture_output=True, text=True, env=env)
        if done.returncode == 0 and attempt[1] == "install":
            return InstallResult(True, "system", "Installed the system chromium package.")
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return InstallResult(False, "", "apt-get could not install chromium:\n  " + "\n  ".join(tail))
