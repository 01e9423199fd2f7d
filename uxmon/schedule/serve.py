"""Running the service in the foreground: signals, the health server, readiness, and ``--dry-run``.

The main thread waits on an event the SIGTERM/SIGINT handlers set (APScheduler installs no
handlers of its own). The first signal stops new firings and gives running batches the stop
grace; a second one ends them at once. Either way the service exits 0.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType

from ..config import Config
from .crontab import fire_times, zone
from .health import HealthServer, Probes
from .jobs import Job
from .service import Launcher, Service
from .settings import SchedulerSettings

log = logging.getLogger("uxmon.schedule")


def browser_problem() -> str:
    """'' when a browser can be found, else why not (asked once, at start)."""
    try:
        from playwright.sync_api import sync_playwright

        from ..capture.browser import find_browser

        with sync_playwright() as pw:
            find_browser(pw)
    except Exception as exc:  # noqa: BLE001 - BrowserNotFound, or Playwright itself broken
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return ""


def probes(service: Service, browser: str) -> Probes:
    def ready() -> dict[str, str]:
        try:
            service.book.store().version()
            history = ""
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            history = f"the history does not answer: {exc}"
        jobs = "" if service.scheduler.get_jobs() and service.jobs else "no entry is scheduled"
        return {"history": history, "browser": browser, "jobs": jobs}

    return Probes(service.live, ready, service.metrics.text, service.status)


def serve(config: Config, jobs: list[Job], settings: SchedulerSettings, health_addr: str,
          ready: Callable[[str], None] = lambda url: None, launcher: Launcher | None = None) -> int:
    """Run until a signal; returns 0 (a stop is a normal end).

    ``launcher``: what makes a firing happen instead of a child process here (a fleet's queue;
    its scheduler then needs no browser of its own).
    """
    stop = threading.Event()
    service = Service(config, jobs, settings, launcher=launcher)
    signals: list[int] = []

    def on_signal(number: int, frame: FrameType | None) -> None:
        signals.append(number)
        if len(signals) == 1:
            log.info("got %s: no new firings; waiting up to %.0f s for running batches (again to stop now)",
                     signal.Signals(number).name, settings.stop_grace_s)
            stop.set()
        else:
            log.warning("got %s again: stopping running batches now", signal.Signals(number).name)
            service.abandon.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    health = None
    try:
        if health_addr and health_addr != "off":
            browser = browser_problem() if launcher is None else ""
            health = HealthServer(health_addr, probes(service, browser)).start()
            log.info("health on %s (/livez /readyz /metrics /status)", health.url)
        service.start()
        ready(health.url if health else "")
        while not stop.wait(1.0):
            pass
        service.stop()
    finally:
        if health is not None:
            health.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    log.info("stopped")
    return 0


def dry_run(jobs: list[Job], count: int = 5, now: dt.datetime | None = None) -> str:
    """Each entry's next ``count`` fire times, in its zone and in UTC, and what a firing runs."""
    now = now or dt.datetime.now(dt.UTC)
    lines = []
    for job in jobs:
        entry = job.entry
        tagged = f" tagged {', '.join(entry.tags)}" if entry.tags else ""
        where = ", ".join(job.paths) or "the config's scenarios"
        what = "the digest" if entry.digest else f"{job.runs} run(s) from {where}{tagged}"
        lines.append(f"{entry.name}: {entry.when}; {what}; deadline {job.deadline_s:.0f} s, "
                     f"misfire grace {entry.misfire_grace_s:.0f} s"
                     + (f", jitter up to {entry.jitter_s:.0f} s" if entry.jitter_s else ""))
        if job.warning:
            lines.append(f"  warning: {job.warning}")
        tz = zone(entry.timezone)
        for when in fire_times(job.trigger(), count, now):
            lines.append(f"  {when.astimezone(tz):%Y-%m-%d %H:%M:%S %Z}   "
                         f"{when.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC")
    return "\n".join(lines)
