"""Run one scenario on one viewport in a fresh browser context and return its RunRecord."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..authoring.journey import Journey
from ..capture.frames import FrameLog
from ..capture.pace import PACES
from ..capture.pictures import draw_evidence
from ..capture.recorder import Recorder
from ..capture.viewports import context_options
from ..friction import FrictionSettings, score_run
from ..records import RunRecord
from ..records.contention import contention_series
from ..records.customer_time import trim_failed_step
from ..records.files import disk_full_message, is_disk_full
from ..records.outcomes import RunFacts, Verdict, classify
from ..records.redact import mask_url, redact, redact_zip
from ..records.timeline import build_steps
from ..version import __version__
from .plan import Job
from .verdicts import with_pending_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


@dataclass(frozen=True)
class RunSettings:
    """What every run of a batch shares."""

    batch_id: str
    batch_dir: Path
    base_url: str = ""
    action_timeout_s: float = 10.0
    navigation_timeout_s: float = 30.0
    screenshots: bool = True
    trace: str = "on-failure"
    trace_snapshots: bool = False
    friction: Mapping[str, FrictionSettings] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    pace: str = "human"
    http_credentials: Mapping[str, str] = field(default_factory=dict)


class Guard(Protocol):
    """What a run needs of its watchdog."""

    fired_in_scenario: bool
    interrupted: bool

    def scenario(self) -> AbstractContextManager[None]: ...


def execute(job: Job, browser: Browser, settings: RunSettings, guard: Guard | None = None,
            attempt: int = 1) -> RunRecord:
    """Never raises for anything the scenario or the site does; a crash becomes an error record.

    ``guard`` is the watchdog of this run (see ``worker.Watchdog``): it says whether the run
    outlived its timeout, and wraps the scenario's own code so that it can be interrupted.
    """
    run_dir = settings.batch_dir / "runs" / job.run_id
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    context = _new_context(browser, job, settings)
    recorder = Recorder(context, job.viewport, run_dir, screenshots=settings.screenshots,
                        pace=PACES.get(settings.pace, PACES["human"]))
    secrets: list[str] = list(settings.secrets)
    exc, journey_ms = _drive(job, recorder, settings, secrets, guard)
    interrupted = guard is not None and guard.interrupted
    facts = RunFacts(
        timed_out_after=job.timeout_s if guard is not None and guard.fired_in_scenario else None,
        crashed=recorder.crashed, browser_died=interrupted or not browser.is_connected(),
        site_answered=any(r.status for log in recorder.networks for r in log.requests),
        scenario_file=job.scenario.file, base_url=settings.base_url,
    )
    requests = [r for log in recorder.networks for r in log.requests]
    verdict = with_pending_page(classify(exc, facts), requests, settings.base_url)
    notes: list[str] = []
    trace = "" if interrupted else _close(context, run_dir, _keep_trace(settings.trace, verdict), notes)
    record, start_ms = _assemble(job, settings, recorder, verdict, notes, run_dir)
    record.started_at, record.duration_ms, record.attempt, record.trace = started, journey_ms, attempt, trace
    record.browser = browser.version if browser.is_connected() else ""
    record.pace = settings.pace
    return _judged(record, settings, recorder.frames, start_ms, run_dir, secrets)


def _drive(job: Job, recorder: Recorder, settings: RunSettings, secrets: list[str],
           guard: Guard | None) -> tuple[BaseException | None, float]:
    """Let the scenario drive the page; returns what it raised and how long the journey took."""
    t0 = time.monotonic()
    exc: BaseException | None = None
    page: Page | None = None
    try:
        page = recorder.attach()
        journey = Journey(page, recorder, job.viewport, settings.base_url, job.scenario.name, secrets,
                          scenario_file=job.scenario.file)
        with guard.scenario() if guard is not None else nullcontext():
            job.scenario.func(journey)
    except BaseException as caught:  # noqa: BLE001 - everything a scenario raises is a verdict
        exc = caught
    journey_ms = round((time.monotonic() - t0) * 1000, 1)
    if guard is None or not guard.interrupted:  # an interrupted Playwright is asked nothing more
        recorder.finish(page)
    return exc, journey_ms


def _assemble(job: Job, settings: RunSettings, recorder: Recorder, verdict: Verdict, notes: list[str],
              run_dir: Path) -> tuple[RunRecord, float]:
    """The record, with steps cut from the event log and their pictures written as far as they
    fit; and the epoch ms the run's clock started at."""
    capture = recorder.capture()
    assembly = build_steps(capture)
    steps, failed_at = assembly.steps, assembly.failed_at
    if verdict.outcome == "failed":
        trim_failed_step(steps, failed_at)
    try:
        for name, index in assembly.pictures.items():
            recorder.frames.write(index, run_dir / name)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        notes.append(f"step pictures not kept: {disk_full_message(run_dir)}")
        for step in steps:
            step.screenshot = step.screenshot if (run_dir / step.screenshot).is_file() else ""
    record = RunRecord(
        run_id=job.run_id, batch_id=settings.batch_id, scenario=job.scenario.name,
        viewport=job.viewport, outcome=verdict.outcome, base_url=mask_url(settings.base_url),
        scenario_file=job.scenario.file, tags=list(job.scenario.tags), reason=verdict.reason,
        error_kind=verdict.error_kind, steps=steps, uxmon=__version__, notes=notes,
        contention=contention_series(capture.host, capture.start_ms),
    )
    if verdict.outcome != "passed" and steps:
        record.failed_step = steps[failed_at].index if failed_at is not None else steps[-1].index
    record.screenshot = next((s.screenshot for s in reversed(steps) if s.screenshot), "")
    return record, capture.start_ms


def _judged(record: RunRecord, settings: RunSettings, frames: FrameLog, start_ms: float, run_dir: Path,
            secrets: list[str]) -> RunRecord:
    """Findings and their pictures for a run uxmon could judge; secrets masked last."""
    if record.outcome != "error":
        score_run(record, settings.friction.get(record.scenario))
        draw_evidence(record, frames, run_dir, start_ms)
    if secrets:
        if record.trace:
            redact_zip(run_dir / record.trace, secrets)
        record = redact(record, secrets)
    return record


def _new_context(browser: Browser, job: Job, settings: RunSettings) -> BrowserContext:
    extra: dict[str, Any] = {}
    if settings.http_credentials.get("username"):
        extra["http_credentials"] = {"username": settings.http_credentials["username"],
                                     "password": settings.http_credentials.get("password", "")}
    context = browser.new_context(base_url=settings.base_url or None,
                                  **context_options(job.viewport), **extra)
    context.set_default_timeout(settings.action_timeout_s * 1000)
    context.set_default_navigation_timeout(settings.navigation_timeout_s * 1000)
    if settings.trace != "off":
        # DOM snapshots make every action slower (about 15% here) and would distort the very
        # timings uxmon reports, so they are opt-in; the screencast gives the pictures.
        context.tracing.start(snapshots=settings.trace_snapshots, screenshots=False,
                              title=job.run_id)
    return context


def _keep_trace(mode: str, verdict: Verdict) -> bool:
    return mode == "always" or (mode == "on-failure" and verdict.outcome != "passed")


def _close(context: BrowserContext, run_dir: Path, keep_trace: bool, notes: list[str]) -> str:
    """Stop tracing (keeping the file only when wanted) and close the context; never raises.

    A trace that does not fit on the disk is noted in the record, never dropped silently.
    """
    path = run_dir / "trace.zip"
    kept = ""
    try:
        if keep_trace:
            context.tracing.stop(path=str(path))
            kept = path.name if path.exists() else ""
        else:
            context.tracing.stop()
    except Exception as exc:  # noqa: BLE001 - no tracing running, or the browser is gone
        if keep_trace and is_disk_full(exc):
            path.unlink(missing_ok=True)
            notes.append(f"the trace was not kept: {disk_full_message(run_dir)}")
    try:
        context.close()
    except Exception:  # noqa: BLE001 - a crashed browser cannot close its contexts
        pass
    return kept


def error_record(job: Job, settings: RunSettings, reason: str, kind: str,
                 attempt: int = 1) -> RunRecord:
    """A record for a run that could not even start (no browser, launch failure)."""
    return RunRecord(
        run_id=job.run_id, batch_id=settings.batch_id, scenario=job.scenario.name,
        viewport=job.viewport, outcome="error", reason=reason, error_kind=kind,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        base_url=mask_url(settings.base_url), scenario_file=job.scenario.file,
        tags=list(job.scenario.tags), attempt=attempt, uxmon=__version__,
    )
