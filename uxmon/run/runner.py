"""Spread a batch's runs over worker threads and hand each result back to the caller's thread."""

from __future__ import annotations

import queue
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import RunRecord
from .execute import RunSettings
from .plan import Job
from .worker import Worker


@dataclass
class Hooks:
    """Called on the caller's thread as runs start, retry and finish (progress displays)."""

    on_start: Callable[[Job], None] = lambda job: None
    on_retry: Callable[[Job, RunRecord], None] = lambda job, record: None
    on_done: Callable[[RunRecord], None] = lambda record: None
    extra: dict[str, Any] = field(default_factory=dict)


def run_jobs(jobs: Sequence[Job], settings: RunSettings, workers: int = 1,
             hooks: Hooks | None = None, headless: bool = True) -> list[RunRecord]:
    """Run every job; returns one record per job, in the jobs' order, whatever happened."""
    hooks = hooks or Hooks()
    pending: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        pending.put(job)
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def emit(kind: str, payload: Any) -> None:
        events.put((kind, payload))

    pool = [Worker(i + 1, pending, settings, emit, headless) for i in range(min(workers, len(jobs)))]
    for worker in pool:
        worker.start()
    records: dict[str, RunRecord] = {}
    while len(records) < len(jobs):
        try:
            kind, payload = events.get(timeout=0.2)
        except queue.Empty:
            if not any(w.is_alive() for w in pool) and events.empty():
                break
            continue
        if kind == "start":
            hooks.on_start(payload)
        elif kind == "retry":
            hooks.on_retry(*payload)
        else:
            records[payload.run_id] = payload
            hooks.on_done(payload)
    for worker in pool:
        worker.join(timeout=30)
    return [records[j.run_id] for j in jobs if j.run_id in records]
