"""Inside one worker process: its own Playwright and browser, runs jobs, replaces a dead browser.

A run's timeout holds whatever the scenario does. At the deadline the watchdog kills the
browser, so a scenario waiting on the page gets its answer at once; a scenario stuck outside
the browser (``time.sleep`` in a loop, a busy loop, a blocking socket read) is interrupted a
moment later by ``SIGALRM`` in the main thread, where scenarios run. A worker whose Playwright
had to be interrupted that way leaves after the run, and the batch starts a fresh one.
"""

from __future__ import annotations

import os
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psutil

from ..capture.browser import BrowserChoice, BrowserNotFound, find_browser, launch
from ..records import Attempt, RunRecord
from ..records.serial import save_record
from .execute import RunSettings, error_record, execute
from .plan import Job

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

Emit = Callable[..., None]
# Seconds between killing the browser at the deadline and interrupting the scenario itself.
INTERRUPT_AFTER_S = 2.0


class RunInterrupted(BaseException):  # noqa: N818 - not an error of the scenario's own
    """Raised in a scenario that ignored its deadline; a BaseException so ``except Exception``
    in scenario code does not swallow it."""


class Watchdog:
    """Kills a worker's browser when a run outlives its timeout, then interrupts the scenario."""

    def __init__(self, seconds: float, marker: str) -> None:
        self.seconds = seconds
        self.fired = False
        self.scenario_running = False
        self.fired_in_scenario = False
        self.interrupted = False
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

    @contextmanager
    def scenario(self) -> Iterator[None]:
        """Around the scenario's own code: past the deadline, SIGALRM raises RunInterrupted."""
        armed = threading.current_thread() is threading.main_thread()
        previous: Any = None
        if armed:
            previous = signal.signal(signal.SIGALRM, self._alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds + INTERRUPT_AFTER_S)
        self.scenario_running = True
        try:
            yield
        finally:
            self.scenario_running = False
            if armed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)

    def _alarm(self, signum: int, frame: object) -> None:
        if self.scenario_running:
            self.fired, self.fired_in_scenario, self.interrupted = True, True, True
            raise RunInterrupted(f"the run outlived its {self.seconds:g} s timeout")


def new_marker() -> str:
    """The mark on a worker's browser command line, to find and kill that browser alone."""
    return uuid.uuid4().hex[:12]


@dataclass
class Warm:
    """Playwright started, the browser chosen and launched, before the first job is known.

    What went wrong is kept for the first job to say, as it would have said it then: no
    browser ends the batch (``error``); a browser that would not launch is tried again per
    run, and that run's record says why.
    """

    pw: Playwright | None = None
    choice: BrowserChoice | None = None
    browser: Browser | None = None
    error: Exception | None = None


def warm_up(marker: str, launch_browser: bool = True) -> Warm:
    """Start Playwright's driver and (headless) the worker's browser."""
    from playwright.sync_api import sync_playwright

    warm = Warm()
    try:
        warm.pw = sync_playwright().start()
        warm.choice = find_browser(warm.pw)
    except Exception as exc:  # noqa: BLE001 - said when the batch sends its first job
        warm.error = exc
        return warm
    if launch_browser:
        try:
            warm.browser = launch(warm.pw, warm.choice, marker=marker, headless=True)
        except Exception:  # noqa: BLE001 - the first run launches again and records why not
            warm.browser = None
    return warm


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


class Worker:
    """Runs the jobs ``next_job`` hands out, one at a time, and reports through ``emit``."""

    def __init__(self, settings: RunSettings, emit: Emit, headless: bool = True, marker: str = "") -> None:
        self.settings = settings
        self.emit = emit
        self.headless = headless
        self.marker = marker or new_marker()
        self.tainted = False
        self._browser: Browser | None = None

    def serve(self, next_job: Callable[[], Job | None], warm: Warm | None = None) -> None:
        """Run jobs until ``next_job`` says there are none; ``warm``: Playwright (and a browser)
        started before the batch's hello, else started here."""
        warm = warm or warm_up(self.marker, launch_browser=False)
        try:
            if warm.error is not None:
                raise warm.error
            assert warm.pw is not None and warm.choice is not None
            if warm.browser is not None and self.headless:
                self._browser = warm.browser
            elif warm.browser is not None:  # a headed batch: the speculative browser is headless
                _close_quietly(warm.browser)
            while (job := next_job()) is not None:
                record = self.run_with_retries(warm.pw, warm.choice, job)
                self._save(record)
                if self.tainted:  # said first, so that no new job is sent its way
                    self.emit("leaving", "a scenario had to be interrupted")
                self.emit("done", record)
                if self.tainted:
                    self._leave()
            self.close_browser()
        except BrowserNotFound as exc:
            self.emit("fatal", str(exc), "no_browser")
        except Exception as exc:  # noqa: BLE001 - the batch must still end with a record per job
            self.emit("fatal", f"uxmon could not drive the browser: {exc}", "internal")
        finally:
            kill_browser(self.marker)
            if warm.pw is not None:
                _stop_quietly(warm.pw)

    def run_with_retries(self, pw: Playwright, choice: BrowserChoice, job: Job) -> RunRecord:
        earlier: list[Attempt] = []
        for attempt in range(1, job.retries + 2):
            self.emit("attempt", job.run_id, attempt)
            record = self._attempt(pw, choice, job, attempt)
            if record.outcome != "error" or attempt > job.retries or self.tainted:
                break
            earlier.append(Attempt(record.outcome, record.reason, record.error_kind,
                                   record.duration_ms))
            self.emit("retry", record)
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
            self.tainted = dog.interrupted
        except Exception as exc:  # noqa: BLE001 - the context itself failed: the browser died
            record = error_record(job, self.settings,
                                  f"the browser crashed or was closed during the run ({exc})",
                                  "browser_crash", attempt)
        if record.error_kind in ("browser_crash", "run_timeout") or not browser.is_connected():
            self.close_browser()
        return record

    def _save(self, record: RunRecord) -> None:
        """On disk at once: a batch that is killed later still has this run."""
        try:
            save_record(record, self.settings.batch_dir / "runs" / record.run_id / "record.json")
        except OSError:
            pass  # a full disk: the batch says so when it writes its own files

    def _leave(self) -> None:
        """Playwright was interrupted mid-call and is not trusted again: go, without asking it."""
        kill_browser(self.marker)
        os._exit(0)

    def _ensure_browser(self, pw: Playwright, choice: BrowserChoice) -> Browser:
        if self._browser is None or not self._browser.is_connected():
            self.close_browser()
            self._browser = launch(pw, choice, marker=self.marker, headless=self.headless)
        return self._browser

    def close_browser(self) -> None:
        if self._browser is not None:
            _close_quietly(self._browser)
            self._browser = None
        kill_browser(self.marker)


def _close_quietly(browser: Browser) -> None:
    try:
        browser.close()
    except Exception:  # noqa: BLE001 - it may be dead already
        pass


def _stop_quietly(pw: Playwright) -> None:
    try:
        pw.stop()
    except Exception:  # noqa: BLE001 - its driver may be gone with the browser
        pass
