"""Putting a batch on the queue: one job per scenario × viewport, under the journey's locks.

A schedule entry's firing is claimed in the database first (its entry and fire time), so two
schedulers, or one restarted, never enqueue the same firing twice. Each run job carries the
journey's ``lock`` (no two runs of one journey at once) and ``queueing_lock`` (no second one
waiting: a journey still queued from the previous firing is not queued again, so jobs never
pile up behind a slow site).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..history.fleet import batch_finished, claim_firing, create_batch, drop_job, now_iso, set_job_id
from ..history.rows import FleetBatchRow, FleetJobRow
from ..history.store import HistoryStore
from ..run.output import new_batch_id
from ..run.pipeline import BatchOptions, plan_batch
from .queue import QUEUE, RUN_TASK, job_args
from .tasks import RunSpec

if TYPE_CHECKING:
    from procrastinate import App

log = logging.getLogger("uxmon.fleet")


@dataclass
class Enqueued:
    batch_id: str
    runs: int
    skipped: list[str] = field(default_factory=list)  # journeys still waiting from an earlier firing
    load_errors: list[str] = field(default_factory=list)


def who() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue_batch(config: Config, app: App, store: HistoryStore, options: BatchOptions, *,
                  deadline_s: float, jitter_s: float = 0.0) -> Enqueued:
    """Plan the batch (the scheduler's view of the scenarios), then one job per run."""
    plan = plan_batch(config, options)
    batch_id = new_batch_id()
    created = dt.datetime.now(dt.UTC)
    specs = [RunSpec(batch_id, j.run_id, j.scenario.name, _relative(config, j.scenario.file), j.viewport.name,
                     options.origin.entry, options.origin.trigger, options.origin.scheduled_at,
                     options.label, now_iso()) for j in plan.jobs]
    errors = [str(e) for e in plan.load_errors]
    origin = options.origin
    batch = FleetBatchRow(batch_id, created.isoformat(timespec="milliseconds"),
                          (created + dt.timedelta(seconds=deadline_s)).isoformat(timespec="milliseconds"),
                          len(specs), origin.entry, origin.trigger, origin.scheduled_at, "\n".join(errors),
                          options.label)
    create_batch(store, batch, [FleetJobRow(batch_id, s.run_id, s.scenario, s.viewport, s.file,
                                            enqueued_at=s.enqueued_at) for s in specs])
    done = Enqueued(batch_id, 0, load_errors=errors)
    for spec in specs:
        if _defer(app, store, spec, jitter_s):
            done.runs += 1
        else:
            done.skipped.append(f"{spec.scenario} on {spec.viewport}")
    if not done.runs:  # nothing ran, so no batch for the history: this one is over at once
        batch_finished(store, batch_id, 0)
    return done


def _defer(app: App, store: HistoryStore, spec: RunSpec, jitter_s: float) -> bool:
    from procrastinate.exceptions import AlreadyEnqueued

    later = {"schedule_in": {"seconds": round(random.uniform(0, jitter_s), 1)}} if jitter_s else {}
    try:
        job_id = app.configure_task(RUN_TASK, queue=QUEUE, lock=spec.lock, queueing_lock=spec.lock,
                                    **later).defer(**job_args(spec.args()))  # type: ignore[arg-type]
    except AlreadyEnqueued:
        drop_job(store, spec.batch_id, spec.run_id)
        log.warning("%s on %s is still waiting on the queue from an earlier firing: not queued again",
                    spec.scenario, spec.viewport)
        return False
    set_job_id(store, spec.batch_id, spec.run_id, job_id)
    return True


def _relative(config: Config, file: str) -> str:
    """A scenario file as workers on other machines find it: relative to the config's folder."""
    try:
        return str(Path(file).resolve().relative_to(Path(config.root).resolve()))
    except ValueError:
        return file


def claim(store: HistoryStore, entry: str, due_at: dt.datetime) -> bool:
    """Whether this scheduler is the one that makes the firing due at ``due_at``."""
    return claim_firing(store, entry, due_at.astimezone(dt.UTC).isoformat(timespec="milliseconds"), who())
