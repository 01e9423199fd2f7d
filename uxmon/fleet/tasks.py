"""The fleet's jobs: one run of a journey, and the end of a batch once its last run is done.

A run job walks one scenario on one viewport through the one pipeline (this worker's config,
browser and output folder), adds the run to its batch in the history and keeps its record
with the job, so the batch's end can judge every run together wherever it ran. Only trouble
of uxmon's own (a browser crash, a worker lost, a stop) is tried again, once, by whichever
worker is free; what the customer met is a result, never a retry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..authoring.scenarios import Scenario
from ..capture.browser import BrowserNotFound
from ..config import Config, ConfigError
from ..history.fleet import batch_finished, claim_finish, fleet_batch, job_done, job_queued_again, job_records
from ..history.fleet import job_started as mark_started
from ..history.rows import BatchRow, Origin
from ..history.store import HistoryError, HistoryStore, database_url
from ..records import RunRecord, Viewport
from ..records.serial import record_from_json, record_to_json
from ..run.execute import error_record
from ..run.output import prepare_batch_dir
from ..run.pipeline import (
    BatchOptions,
    BatchResult,
    NothingToRun,
    finish_batch,
    plan_batch,
    run_planned,
    run_settings,
)
from ..run.plan import Job
from ..run.writing import FolderLock
from .merge import load_error
from .queue import FINISH_TASK, QUEUE, RUN_TASK, SWEEP_TASK
from .settings import FleetSettings

if TYPE_CHECKING:
    from procrastinate import App, JobContext

log = logging.getLogger("uxmon.fleet")
RUN_ATTEMPTS = 2  # a run that met trouble of uxmon's own is tried once more, by any worker
INFRASTRUCTURE = ("browser_crash", "browser_launch", "worker_died", "interrupted", "internal", "no_browser")
FINISH_PRIORITY = 10  # a batch's end goes before new runs: its report and alerts should not wait


class InfrastructureError(Exception):
    """Raised by a run job whose run met trouble of uxmon's own: procrastinate queues it again."""


@dataclass
class WorkerState:
    """What a worker process's jobs share: its config, its name, whether it was asked to stop."""

    config: Config
    settings: FleetSettings
    name: str
    stop_since: float | None = None
    forced: bool = False
    _store: HistoryStore | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self) -> HistoryStore:
        with self._lock:
            if self._store is None:
                self._store = HistoryStore(database_url(self.config.db, self.config.path(self.config.output)))
            return self._store

    def should_stop(self) -> str:
        """Asked while a run goes: a stop ends it after the stop grace, a second one at once."""
        if self.stop_since is None:
            return ""
        if self.forced:
            return "the worker was stopped twice"
        if time.monotonic() - self.stop_since > self.settings.stop_grace_s:
            return f"the worker was stopped and the run took more than {self.settings.stop_grace_s:g} s"
        return ""


@dataclass(frozen=True)
class RunSpec:
    """A run job's arguments (JSON in the queue)."""

    batch_id: str
    run_id: str
    scenario: str
    file: str
    viewport: str
    entry: str = ""
    trigger: str = ""
    scheduled_at: str = ""
    label: str = ""
    enqueued_at: str = ""

    @classmethod
    def of(cls, args: dict[str, Any]) -> RunSpec:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: str(v) for k, v in args.items() if k in names})

    def args(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def lock(self) -> str:
        """One run of a journey at a time, and one waiting: the key of both locks."""
        return f"journey:{self.scenario}@{self.viewport}"


class OnlyRun:
    """The job filter of one queued run: of the planned runs, exactly this one."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id

    def __call__(self, jobs: Sequence[Job]) -> tuple[list[Job], str]:
        return [j for j in jobs if j.run_id == self.run_id], ""


def register(app: App, settings: FleetSettings, sweep_cron: str) -> None:
    from procrastinate import RetryStrategy

    from . import sweep

    again = RetryStrategy(max_attempts=RUN_ATTEMPTS - 1, wait=1, retry_exceptions=[InfrastructureError])
    app.task(name=RUN_TASK, queue=QUEUE, pass_context=True, retry=again)(run_journey)
    app.task(name=FINISH_TASK, queue=QUEUE, pass_context=True, priority=FINISH_PRIORITY)(finish_job)
    task = app.task(name=SWEEP_TASK, queue=QUEUE, pass_context=True, priority=FINISH_PRIORITY)(sweep.sweep)
    app.periodic(cron=sweep_cron, periodic_id="uxmon-sweep")(task)


def state_of(context: JobContext) -> WorkerState:
    state = context.additional_context.get("uxmon")
    if not isinstance(state, WorkerState):
        raise RuntimeError("a uxmon job ran outside `uxmon worker`")
    return state


def run_journey(context: JobContext, **args: Any) -> str:
    """The task: one run, kept; its outcome is the job's result."""
    state, spec = state_of(context), RunSpec.of(args)
    attempt = context.job.attempts + 1
    store = state.store()
    mark_started(store, spec.batch_id, spec.run_id, state.name, attempt)
    folder = prepare_batch_dir(state.config.path(state.config.output), spec.batch_id, shared=True)
    with FolderLock(folder):  # until the run is in the history, no other run's catch-up takes it
        record = walk(state, spec)
        if tried_again(record, attempt):
            job_queued_again(store, spec.batch_id, spec.run_id)
            log.warning("run %s of batch %s: %s; it goes back on the queue", spec.run_id, spec.batch_id,
                        record.reason)
            raise InfrastructureError(record.reason)
        keep_run(context.app, store, spec, record, attempt)
    return record.outcome


def tried_again(record: RunRecord, attempt: int) -> bool:
    """Whether a run goes back on the queue: only for uxmon's own trouble, and only once."""
    return record.outcome == "error" and record.error_kind in INFRASTRUCTURE and attempt < RUN_ATTEMPTS


def walk(state: WorkerState, spec: RunSpec) -> RunRecord:
    """The run, through the one pipeline; a record whatever happens."""
    config = state.config
    path = config.path(spec.file)
    options = BatchOptions(paths=[str(path)], names=[spec.scenario], viewports=[spec.viewport],
                           origin=Origin(spec.entry, spec.trigger, spec.scheduled_at), label=spec.label,
                           batch_id=spec.batch_id, part=OnlyRun(spec.run_id))
    try:
        plan = plan_batch(config, options)
    except (ConfigError, NothingToRun) as exc:
        return failed_record(config, spec, f"this worker cannot plan the run: {exc}", "scenario_error")
    except BrowserNotFound as exc:
        return failed_record(config, spec, str(exc), "no_browser")
    if not plan.jobs:
        why = f" ({plan.load_errors[0]})" if plan.load_errors else ""
        return failed_record(config, spec, f"scenario '{spec.scenario}' on {spec.viewport} is not in "
                             f"{path} on this worker{why}", "scenario_error")
    result = run_planned(config, options, plan=plan, should_stop=state.should_stop)
    if result.workers_done is not None:
        result.workers_done()  # this worker runs for days: its batches' workers are reaped at once
    if result.hold is not None:
        result.hold.release()  # run_journey holds the folder until the run is kept
    if result.records:
        return result.records[0]
    return failed_record(config, spec, f"not run: {result.stopped or 'the worker stopped'}", "interrupted")


def failed_record(config: Config, spec: RunSpec, reason: str, kind: str) -> RunRecord:
    """A run that could not even start on this worker, as the pipeline would record it."""
    job = Job(spec.run_id, Scenario(spec.scenario, _never, file=spec.file), Viewport(spec.viewport, 0, 0))
    folder = config.path(config.output) / spec.batch_id
    return error_record(job, run_settings(config, spec.batch_id, folder, []), reason, kind)


def _never(journey: object) -> None:  # pragma: no cover - only names the scenario of an error record
    raise RuntimeError("not a scenario")


def keep_run(app: App, store: HistoryStore, spec: RunSpec, record: RunRecord, attempt: int) -> None:
    """The run into its batch in the history (by run id), its record with the job; the last run
    of the batch asks for the batch's end."""
    record.batch_id = spec.batch_id
    row = BatchRow.of(spec.batch_id, record.started_at, record.base_url, spec.batch_id, [record],
                      Origin(spec.entry, spec.trigger, spec.scheduled_at), label=spec.label)
    store.add_runs(row, [record])
    log.info("run %s of batch %s: %s (attempt %d)", spec.run_id, spec.batch_id, record.outcome, attempt)
    if job_done(store, spec.batch_id, spec.run_id, record.outcome, record_to_json(record)):
        defer_finish(app, spec.batch_id)


def defer_finish(app: App, batch_id: str) -> None:
    from procrastinate.exceptions import AlreadyEnqueued

    try:
        app.configure_task(FINISH_TASK, queueing_lock=f"finish:{batch_id}", lock=f"batch:{batch_id}",
                           priority=FINISH_PRIORITY).defer(batch_id=batch_id)
    except AlreadyEnqueued:
        pass


def finish_job(context: JobContext, batch_id: str) -> int:
    """The task: the batch's end, once, by whichever worker takes it."""
    state = state_of(context)
    return end_batch(state.config, state.store(), batch_id)


def end_batch(config: Config, store: HistoryStore, batch_id: str) -> int:
    """Cross-viewport rules over every run, the batch's files, report and alerts: the end of the one
    pipeline, as `uxmon run` ends. Returns the batch's exit code."""
    batch = fleet_batch(store, batch_id)
    if batch is None or batch.finished_at:
        return batch.exit_code or 0 if batch is not None else 0
    records = [record_from_json(text) for text in job_records(store, batch_id)]
    output = config.path(config.output)
    output.mkdir(parents=True, exist_ok=True)
    folder = prepare_batch_dir(output, batch_id, shared=True)
    started = min([r.started_at for r in records if r.started_at], default=batch.created_at)
    errors = [load_error(e) for e in batch.load_errors.splitlines() if e]
    result = BatchResult(batch_id, folder, records, errors, started,
                         origin=Origin(batch.entry, batch.trigger, batch.scheduled_at),
                         build={"label": batch.label}, scenarios=len({r.scenario for r in records}))
    result.duration_s = round((dt.datetime.now(dt.UTC) - _parse(batch.created_at)).total_seconds(), 2)
    result = finish_batch(config, result, join=True)
    for warning in [result.history_warning, result.storage_error, *result.warnings]:
        if warning:
            log.warning("batch %s: %s", batch_id, warning)
    batch_finished(store, batch_id, result.exit_code)
    log.info("batch %s finished: %d runs, exit code %d, report %s", batch_id, len(records), result.exit_code,
             Path(folder) / "index.html")
    return result.exit_code


def _parse(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime.now(dt.UTC)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def ask_finish(app: App, store: HistoryStore, batch_id: str) -> bool:
    """The sweep's safety net: a batch whose runs are all done but whose end nobody asked for."""
    try:
        if claim_finish(store, batch_id):
            defer_finish(app, batch_id)
            return True
    except HistoryError as exc:
        log.warning("batch %s: %s", batch_id, exc)
    return False


__all__ = ["SWEEP_TASK", "InfrastructureError", "RunSpec", "WorkerState", "end_batch", "register"]
