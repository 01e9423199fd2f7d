"""Run one scenario on one viewport in a fresh browser context and return its RunRecord."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..authoring.journey import Journey
from ..capture.pictures import draw_evidence
from ..capture.recorder import Recorder
from ..capture.viewports import context_options
from ..friction import FrictionSettings, score_run
from ..records import RunRecord
from ..records.outcomes import RunFacts, Verdict, classify
from ..records.redact import redact, redact_zip
from ..records.timeline import build_steps
from ..version import __version__
from .plan import Job

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


def execute(job: Job, browser: Browser, settings: RunSettings, timed_out: object = None,
            attempt: int = 1) -> RunRecord:
    """Never raises for anything the scenario or the site does; a crash becomes an error record.

    ``timed_out`` is the watchdog (anything with a ``fired`` attribute) guarding this run.
    """
    run_dir = settings.batch_dir / "runs" / job.run_id
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    t0 = time.monotonic()
    context = _new_context(browser, job, settings)
    recorder = Recorder(context, job.viewport, run_dir, screenshots=settings.screenshots)
    exc: BaseException | None = None
    page: Page | None = None
    secrets: list[str] = []
    try:
        page = recorder.attach()
        journey = Journey(page, recorder, job.viewport, settings.base_url, job.scenario.name, secrets,
                          scenario_file=job.scenario.file)
        job.scenario.func(journey)
    except KeyboardInterrupt:
        raise
    except BaseException as caught:  # noqa: BLE001 - everything a scenario raises is a verdict
        exc = caught
    journey_ms = round((time.monotonic() - t0) * 1000, 1)
    if timed_out is not None:
        timed_out.scenario_running = False  # type: ignore[attr-defined]
    recorder.finish(page)
    facts = RunFacts(
        timed_out_after=job.timeout_s if getattr(timed_out, "fired_in_scenario", False) else None,
        crashed=recorder.crashed,
        site_answered=any(r.status for log in recorder.networks for r in log.requests),
        scenario_file=job.scenario.file,
    )
    verdict = _with_pending_page(classify(exc, facts), recorder)
    trace = _close(context, run_dir, keep_trace=_keep_trace(settings.trace, verdict))
    capture = recorder.capture()
    assembly = build_steps(capture)
    steps, failed_at = assembly.steps, assembly.failed_at
    for name, index in assembly.pictures.items():
        recorder.frames.write(index, run_dir / name)
    record = RunRecord(
        run_id=job.run_id, batch_id=settings.batch_id, scenario=job.scenario.name,
        viewport=job.viewport, outcome=verdict.outcome, started_at=started,
        duration_ms=journey_ms, base_url=settings.base_url,
        scenario_file=job.scenario.file, tags=list(job.scenario.tags), reason=verdict.reason,
        error_kind=verdict.error_kind, attempt=attempt, steps=steps, trace=trace,
        browser=browser.version if browser.is_connected() else "", uxmon=__version__,
    )
    if verdict.outcome != "passed" and steps:
        record.failed_step = steps[failed_at].index if failed_at is not None else steps[-1].index
    record.screenshot = next((s.screenshot for s in reversed(steps) if s.screenshot), "")
    return _judged(record, settings, recorder, capture.start_ms, run_dir, secrets)


def _judged(record: RunRecord, settings: RunSettings, recorder: Recorder, start_ms: float,
            run_dir: Path, secrets: list[str]) -> RunRecord:
    """Findings and their pictures for a run uxmon could judge; secrets masked last."""
    if record.outcome != "error":
        score_run(record, settings.friction.get(record.scenario))
        draw_evidence(record, recorder.frames, run_dir, start_ms)
    if secrets:
        if record.trace:
            redact_zip(run_dir / record.trace, secrets)
        record = redact(record, secrets)
    return record


def _with_pending_page(verdict: Verdict, recorder: Recorder) -> Verdict:
    """A run that timed out says which page it was still waiting for, if any.

    Playwright's own message for a click whose page never arrives talks about the element;
    the page that never finished loading is what the reader needs.
    """
    if verdict.error_kind not in ("run_timeout", "timeout"):
        return verdict
    pending = [r for log in recorder.networks for r in log.requests
               if r.resource_type == "document" and r.duration_ms is None and not r.failure]
    if not pending:
        return verdict
    if verdict.error_kind == "run_timeout":
        return Verdict(verdict.outcome, verdict.error_kind,
                       f"{verdict.reason}: {pending[-1].url} never finished loading")
    return Verdict(verdict.outcome, verdict.error_kind,
                   f"{pending[-1].url} never finished loading. {verdict.reason}")


def _new_context(browser: Browser, job: Job, settings: RunSettings) -> BrowserContext:
    context = browser.new_context(base_url=settings.base_url or None,
                                  **context_options(job.viewport))
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


def _close(context: BrowserContext, run_dir: Path, *, keep_trace: bool) -> str:
    """Stop tracing (keeping the file only when wanted) and close the context; never raises."""
    path = run_dir / "trace.zip"
    kept = ""
    try:
        if keep_trace:
            context.tracing.stop(path=str(path))
            kept = path.name if path.exists() else ""
        else:
            context.tracing.stop()
    except Exception:  # noqa: BLE001 - no tracing running, or the browser is gone
        pass
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
        base_url=settings.base_url, scenario_file=job.scenario.file,
        tags=list(job.scenario.tags), attempt=attempt, uxmon=__version__,
    )
