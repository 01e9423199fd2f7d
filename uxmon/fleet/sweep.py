"""The stalled-job sweep: a periodic job (the database has it run once per period, whichever worker
takes it) that gives the runs of dead workers to living ones and makes sure every batch ends.

- A run job whose worker stopped sending heartbeats (``[fleet] stalled_after``) goes back on the
  queue once; a second loss is recorded as the run's result (``worker_died``), so the batch
  still ends with every run exactly once.
- A batch whose runs are all done but whose end nobody asked for (its worker died in between)
  is ended; runs still waiting past the batch's deadline are taken off the queue and recorded
  as not run.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from ..history.fleet import fleet_batches, fleet_jobs, job_queued_again
from .queue import RUN_TASK, SWEEP_TASK
from .tasks import RUN_ATTEMPTS, RunSpec, WorkerState, ask_finish, failed_record, keep_run, state_of

if TYPE_CHECKING:
    from procrastinate import App, JobContext
    from procrastinate.jobs import Job as QueueJob

log = logging.getLogger("uxmon.fleet")


async def sweep(context: JobContext, timestamp: int) -> str:
    """The task (periodic): what it did, in a line."""
    state = state_of(context)
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=state.settings.stalled_after_s)
    moved = 0
    for job in stalled:
        if job.task_name == SWEEP_TASK and job.id == context.job.id:
            continue
        await _recover(context.app, state, job)
        moved += 1
    from procrastinate.utils import sync_to_async

    ended = await sync_to_async(_batches, context.app, state)
    return f"{moved} stalled job(s) recovered, {ended} batch(es) ended"


async def _recover(app: App, state: WorkerState, job: QueueJob) -> None:
    from procrastinate.jobs import Status
    from procrastinate.utils import sync_to_async

    if job.task_name != RUN_TASK:
        log.warning("job %s (%s) lost its worker; it goes back on the queue", job.id, job.task_name)
        await app.job_manager.retry_job(job)
        return
    spec = RunSpec.of(job.task_kwargs)
    if job.attempts + 1 < RUN_ATTEMPTS:
        log.warning("run %s of batch %s lost its worker (no heartbeat for %g s); another worker takes it",
                    spec.run_id, spec.batch_id, state.settings.stalled_after_s)
        await sync_to_async(job_queued_again, state.store(), spec.batch_id, spec.run_id)
        await app.job_manager.retry_job(job)
        return
    log.warning("run %s of batch %s lost its worker a second time; recorded as such", spec.run_id,
                spec.batch_id)
    await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
    record = failed_record(state.config, spec, "the worker process running this journey stopped answering "
                           "(its heartbeat stopped), twice; uxmon gave up on this run", "worker_died")
    record.attempt = job.attempts + 1
    await sync_to_async(keep_run, app, state.store(), spec, record, record.attempt)


def _batches(app: App, state: WorkerState) -> int:
    """Batches whose end is due: all runs done, or past the deadline with runs still waiting."""
    store = state.store()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    ended = 0
    for batch in fleet_batches(store, unfinished=True):
        jobs = fleet_jobs(store, batch.batch_id)
        waiting = [j for j in jobs if j.state == "queued"]
        if waiting and batch.deadline_at < now:
            for job in waiting:
                _give_up(app, state, batch.batch_id, job.run_id, job.job_id, batch.deadline_at, job.scenario,
                         job.viewport, job.scenario_file)
        if all(j.state == "done" for j in fleet_jobs(store, batch.batch_id)):
            asked = ask_finish(app, store, batch.batch_id)
            ended += asked or _stuck_finish(app, batch.finish_deferred_at, now, batch.batch_id, state)
    return ended


def _give_up(app: App, state: WorkerState, batch_id: str, run_id: str, job_id: int | None, deadline: str,
             scenario: str, viewport: str, file: str) -> None:
    """A run still waiting past its batch's deadline: off the queue, and recorded as not run."""
    if job_id is not None:
        try:
            if not app.job_manager.cancel_job_by_id(job_id):
                return  # a worker took it meanwhile: it ends the usual way
        except Exception:  # noqa: BLE001 - already gone
            pass
    spec = RunSpec(batch_id, run_id, scenario, file, viewport)
    record = failed_record(state.config, spec, f"not run: no worker took this journey before the batch's "
                           f"deadline ({deadline})", "interrupted")
    keep_run(app, state.store(), spec, record, 1)


def _stuck_finish(app: App, deferred_at: str, now: str, batch_id: str, state: WorkerState) -> bool:
    """An end asked for long ago that never came (its job was lost): ask again."""
    if not deferred_at:
        return False
    age = (dt.datetime.fromisoformat(now) - dt.datetime.fromisoformat(deferred_at)).total_seconds()
    if age < max(300.0, 5 * state.settings.sweep_every_s):
        return False
    from .tasks import defer_finish

    log.warning("batch %s: its end was asked for %.0f s ago and has not come; asking again", batch_id, age)
    defer_finish(app, batch_id)
    return True


