"""One worker thread: its own Playwright and browser, runs jobs, replaces the browser when it dies."""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import psutil

from ..capture.browser import BrowserChoice, BrowserNotFound, find_browser, launch
from ..records import Attempt, RunRecord
from .execute import RunSettings, error_record, execute
from .plan import Job

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

Emit = Callable[[str, Any], None]


class Watchdog:
    """Kills a worker's browser when a run outlives its timeout, so the blocked call returns."""

    def __init__(self, seconds: float, marker: str) -> None:
        self.fired = False
        self.scenario_running = True
        self.fired_in_scenario = False
        self._marker = marker
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        self.fired_in_scenario = self.scenario_running
        kill_browser(self._marker)


def kill_browser(marker: str) -> int:
    """Kill the browser process launched with ``--uxmon-worker=<marker>``; returns how many died."""
    killed = 0
    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmdline = proc.info.get("cmdline") or []
            if f"--uxmon-worker={marker}" in cmdline and not any(
                a.startswith("--type=") for a in cmdline
            ):
                proc.kill()
                killed += 1
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return killed


class Worker(threading.Thread):
    """Takes jobs from a shared queue until it is empty; reports through ``emit``."""

    def __init__(self, index: int, jobs: queue.Queue[Job], settings: RunSettings, emit: Emit,
                 headless: bool = True) -> None:
        super().__init__(name=f"uxmon-worker-{index}", daemon=True)
        self.jobs = jobs
        self.settings = settings
        self.emit = emit
        self.headless = headless
        self.marker = uuid.uuid4().hex[:12]
        self._browser: Browser | None = None

    def run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                choice = find_browser(pw)
                while (job := self._next()) is not None:
                    self.emit("start", job)
                    self.emit("done", self._run_with_retries(pw, choice, job))
                self._close_browser()
        except BrowserNotFound as exc:
            self._drain(str(exc), "no_browser")
        except Exception as exc:  # noqa: BLE001 - the batch must still end with a record per job
            self._drain(f"uxmon could not drive the browser: {exc}", "internal")

    def _next(self) -> Job | None:
        try:
            return self.jobs.get_nowait()
        except queue.Empty:
            return None

    def _drain(self, reason: str, kind: str) -> None:
        while (job := self._next()) is not None:
            self.emit("start", job)
            self.emit("done", error_record(job, self.settings, reason, kind))

    def _run_with_retries(self, pw: Playwright, choice: BrowserChoice, job: Job) -> RunRecord:
        earlier: list[Attempt] = []
        for attempt in range(1, job.retries + 2):
            record = self._attempt(pw, choice, job, attempt)
            if record.outcome != "error" or attempt > job.retries:
                break
            earlier.append(Attempt(record.outcome, record.reason, record.error_kind,
                                   record.duration_ms))
            self.emit("retry", (job, record))
        record.earlier = earlier
        record.flaky = bool(earlier) and record.outcome == "passed"
        return record

    def _attempt(self, pw: Playwright, choice: BrowserChoice, job: Job, attempt: int) -> RunRecord:
        try:
            browser = self._ensure_browser(pw, choice)
        except Exception as exc:  # noqa: BLE001 - a browser that will not start is a verdict
            return error_record(job, self.settings, f"the browser could not start: {exc}",
                                "browser_launch", attempt)
        try:
            with Watchdog(job.timeout_s, self.marker) as dog:
                record = execute(job, browser, self.settings, dog, attempt)
        except Exception as exc:  # noqa: BLE001 - the context itself failed: the browser died
            record = error_record(job, self.settings,
                                  f"the browser crashed or was closed during the run ({exc})",
                                  "browser_crash", attempt)
        if record.error_kind in ("browser_crash", "run_timeout") or not browser.is_connected():
            self._close_browser()
        return record

    def _ensure_browser(self, pw: Playwright, choice: BrowserChoice) -> Browser:
        if self._browser is None or not self._browser.is_connected():
            self._close_browser()
            self._browser = launch(pw, choice, marker=self.marker, headless=self.headless)
        return self._browser

    def _close_browser(self) -> None:
        if self._browser is not None:
            try:
                self._browser.close()
            except Exception:  # noqa: BLE001 - it may be dead already
                pass
            self._browser = None
        kill_browser(self.marker)
