"""``uxmon schedule``: an APScheduler 3 background scheduler firing each entry in a child process.

Jobs come from the config (a memory job store, job id = entry name), never from a persistent
store: APScheduler's cannot be shared between processes and duplicate jobs on restart. On
start, each entry's newest batch in the history decides one catch-up run. Missed,
overlapping and failed firings are logged, counted, kept as "skipped" rows and, three in a
row, alerted. Stopping: new firings stop at once, running batches get the stop grace, then
SIGTERM (they keep what finished), then SIGKILL.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from ..config import Config
from .bookkeeping import Bookkeeper
from .crontab import catch_up_due, interval_trigger, zone
from .executor import FiringExecutor, scheduled_time
from .firing import Firing, run_firing
from .jobs import Job
from .metrics import Metrics
from .settings import SchedulerSettings

log = logging.getLogger("uxmon.schedule")
HEARTBEAT_S = 20
LIVE_WITHIN_S = 60
# Interval entries of a fleet count from here, so that every scheduler computes the same fire times.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# What makes a firing happen: by default a child process running the batch (run_firing); a
# fleet's scheduler puts the batch on the queue instead (uxmon.fleet).
Launcher = Callable[[Firing, Job, threading.Event], None]


class Service:
    def __init__(self, config: Config, jobs: list[Job], settings: SchedulerSettings,
                 env: dict[str, str] | None = None, python: str = sys.executable,
                 launcher: Launcher | None = None) -> None:
        self.config, self.settings, self.env, self.python = config, settings, env, python
        self.launcher = launcher
        self.jobs = {j.entry.name: j for j in jobs}
        self.metrics = Metrics()
        self.book = Bookkeeper(config, self.metrics, {j.entry.name: j.entry.ping_url for j in jobs})
        self.stopping = threading.Event()  # no new firings
        self.abandon = threading.Event()  # end the running ones now
        self.running: dict[str, Firing] = {}
        self.done: deque[Firing] = deque(maxlen=500)
        self.catch_up: dict[str, dt.datetime] = {}  # entry → the fire time its catch-up stands for
        self.started_at = dt.datetime.now(dt.UTC)
        self.last_tick = time.monotonic()
        self._lock = threading.Lock()
        self.logs = config.path(config.output) / "schedule"
        self.scheduler = BackgroundScheduler(
            timezone=dt.UTC,
            executors={"default": FiringExecutor(settings.workers), "heartbeat": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})

    # ---- starting ---------------------------------------------------------------------

    def start(self) -> None:
        now = dt.datetime.now(dt.UTC)
        due = self._catch_up(now)
        for name, job in self.jobs.items():
            options: dict[str, Any] = {"next_run_time": now} if name in due else {}
            trigger = job.trigger(EPOCH, jitter=False) if self.launcher else job.trigger()
            self.scheduler.add_job(self._fire, trigger, args=[name], id=name, name=name,
                                   replace_existing=True, **options,
                                   misfire_grace_time=int(job.entry.misfire_grace_s) or 1)
        self.scheduler.add_job(self._tick, "interval", seconds=HEARTBEAT_S, id="uxmon-heartbeat",
                               executor="heartbeat", misfire_grace_time=None)
        self.scheduler.add_listener(self._on_event,
                                    EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR)
        self.book.start()
        self.scheduler.start()
        for name, job in self.jobs.items():
            log.info("entry %s: %s, next at %s%s", name, job.entry.when, self.next_fire(name),
                     " (catching up now)" if name in due else "")

    def _catch_up(self, now: dt.datetime) -> dict[str, dt.datetime]:
        """Entries whose last batch is older than a fire time that has passed: one run each, now."""
        try:
            last = self.book.last_batches()
            self.book.load_streaks(list(self.jobs))
        except Exception as exc:  # noqa: BLE001 - no history: no catch-up, and say so
            log.warning("no catch-up: the history could not be read: %s", exc)
            return {}
        due = {}
        for name, job in self.jobs.items():
            if job.entry.digest or name not in last:
                continue
            trigger = job.trigger() if job.entry.cron else interval_trigger(
                job.entry.every_s, zone(job.entry.timezone), 0, last[name])
            missed = catch_up_due(trigger, last[name], now)
            if missed is not None:
                due[name] = missed
        self.catch_up = dict(due)
        return due

    # ---- firing -----------------------------------------------------------------------

    def _fire(self, name: str) -> None:
        scheduled = scheduled_time() or dt.datetime.now(dt.UTC)
        if self.stopping.is_set():
            return
        job = self.jobs[name]
        with self._lock:
            missed = self.catch_up.pop(name, None)
        trigger = "catch-up" if missed is not None else "schedule"
        log_file = self.logs / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name) + ".log")
        argv = job.command(self.config.source, scheduled, trigger, self.python)
        firing = Firing(name, scheduled, argv, job.deadline_s, log_file, trigger=trigger,
                        due_at=missed or scheduled)
        with self._lock:
            self.running[name] = firing
            self.metrics.running = len(self.running)
        try:
            if self.launcher is not None:
                self.launcher(firing, job, self.abandon)
            else:
                run_firing(firing, self.abandon, self.env)
        finally:
            with self._lock:
                self.running.pop(name, None)
                self.metrics.running = len(self.running)
                self.done.append(firing)
        log.info("entry %s: %s fired %.2f s late, exit %s after %.1f s%s", name, trigger, firing.delay_s,
                 firing.exit_code, firing.seconds, f": {firing.note}" if firing.note else "")
        self.book.finished(firing, job.entry.digest)

    def _on_event(self, event: Any) -> None:
        if event.job_id not in self.jobs:
            return
        if isinstance(event, JobSubmissionEvent):  # max instances: the previous one still runs
            when = event.scheduled_run_times[-1]
            self.book.missed(event.job_id, when, "overlap",
                             "the previous firing of this entry was still running")
        elif isinstance(event, JobExecutionEvent) and event.code == EVENT_JOB_MISSED:
            late = dt.datetime.now(dt.UTC) - event.scheduled_run_time
            self.book.missed(event.job_id, event.scheduled_run_time, "missed",
                             f"started {late.total_seconds():.0f} s late, past its "
                             f"{self.jobs[event.job_id].entry.misfire_grace_s:.0f} s misfire grace")
        elif isinstance(event, JobExecutionEvent):
            self.book.missed(event.job_id, event.scheduled_run_time, "error",
                             f"{type(event.exception).__name__}: {event.exception}")

    def _tick(self) -> None:
        self.last_tick = time.monotonic()

    # ---- stopping ---------------------------------------------------------------------

    def stop(self, grace_s: float | None = None) -> None:
        """No new firings; wait up to the grace for running ones, then end them; keep what finished."""
        grace_s = self.settings.stop_grace_s if grace_s is None else grace_s
        self.stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        deadline = time.monotonic() + grace_s
        while self.running and time.monotonic() < deadline and not self.abandon.is_set():
            time.sleep(0.1)
        if self.running:
            log.warning("stopping %d running batch(es): %s", len(self.running), ", ".join(self.running))
        self.abandon.set()
        while self.running:
            time.sleep(0.1)
        self.book.drain()
        self.book.stop()

    # ---- what the health endpoints read ---------------------------------------------------

    def next_fire(self, name: str) -> str:
        job = self.scheduler.get_job(name)
        when = getattr(job, "next_run_time", None) if job else None
        return when.isoformat() if when else ""

    def live(self) -> str:
        thread = getattr(self.scheduler, "_thread", None)
        if self.stopping.is_set():
            return ""
        if thread is None or not thread.is_alive():
            return "the scheduler thread is not running"
        if time.monotonic() - self.last_tick > LIVE_WITHIN_S + HEARTBEAT_S:
            return f"the scheduler has not ticked for {time.monotonic() - self.last_tick:.0f} s"
        return ""

    def status(self) -> dict[str, Any]:
        with self._lock:
            running = {n: f.started_at.isoformat() for n, f in self.running.items()}
            recent = list(self.done)[-20:]
        return {
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "stopping": self.stopping.is_set(),
            "entries": [{"name": n, "when": j.entry.when, "next_fire_time": self.next_fire(n) or None,
                         "running_since": running.get(n), "deadline_s": j.deadline_s,
                         "misses_in_a_row": self.book.streaks.get(n, 0)} for n, j in self.jobs.items()],
            "recent": [{"entry": f.entry, "scheduled_at": f.scheduled_at.isoformat(),
                        "delay_s": round(f.delay_s, 3), "exit_code": f.exit_code, "seconds": f.seconds,
                        "timed_out": f.timed_out} for f in recent],
        }


def log_dir(config: Config) -> Path:
    return config.path(config.output) / "schedule"
