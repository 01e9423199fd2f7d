"""``uxmon schedule --queue``: the scheduler's firings put their batch on the queue, once per fire time.

The service itself (entries, triggers, missed firings, health, metrics) is ``uxmon.schedule``'s;
only what a firing does changes. Each fire time is claimed in the database before anything is
queued, so any number of schedulers (a standby, a restart overlapping the old one) make each
firing once. Digest entries still send their digest from the scheduler, once per claim.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import TYPE_CHECKING

from ..config import Config
from ..history.rows import Origin
from ..history.store import HistoryStore
from ..run.pipeline import BatchOptions
from ..schedule.firing import iso, run_firing
from .enqueue import claim, enqueue_batch

if TYPE_CHECKING:
    from procrastinate import App

    from ..schedule.firing import Firing
    from ..schedule.jobs import Job

log = logging.getLogger("uxmon.fleet")


class QueueLauncher:
    """What a firing does in a fleet: claim its fire time, then queue one job per run."""

    def __init__(self, config: Config, app: App, store: HistoryStore) -> None:
        self.config, self.app, self.store = config, app, store

    def __call__(self, firing: Firing, job: Job, abandon: threading.Event) -> None:
        t0 = time.monotonic()
        firing.started_at = dt.datetime.now(dt.UTC)
        try:
            self._launch(firing, job, abandon)
        except Exception as exc:  # noqa: BLE001 - a firing that could not be queued is a skipped one
            firing.exit_code = 2
            firing.note = f"not queued: {type(exc).__name__}: {exc}"
            firing.log.parent.mkdir(parents=True, exist_ok=True)
            firing.log.write_text(firing.note + "\n", encoding="utf-8")
        if not firing.seconds:
            firing.seconds = round(time.monotonic() - t0, 2)

    def _launch(self, firing: Firing, job: Job, abandon: threading.Event) -> None:
        entry = job.entry
        if not claim(self.store, entry.name, firing.due_at or firing.scheduled_at):
            firing.exit_code, firing.note = 0, "another scheduler has made this firing"
            return
        if entry.digest:
            run_firing(firing, abandon)
            return
        options = BatchOptions(paths=list(job.paths), tags=list(entry.tags),
                               viewports=list(entry.viewports) or None,
                               origin=Origin(entry.name, firing.trigger, iso(firing.scheduled_at)))
        done = enqueue_batch(self.config, self.app, self.store, options, deadline_s=job.deadline_s,
                             jitter_s=entry.jitter_s)
        firing.exit_code = 0
        firing.note = f"queued batch {done.batch_id}: {done.runs} run(s)"
        if done.skipped:
            waiting = ", ".join(done.skipped)
            firing.note += f"; still waiting from an earlier firing, not queued again: {waiting}"
        for error in done.load_errors:
            log.warning("entry %s: did not load: %s", entry.name, error)
