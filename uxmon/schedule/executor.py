"""An APScheduler thread-pool executor that tells the job which fire time it runs for.

APScheduler 3 calls a job without its scheduled time; the firing needs it (the batch records
it, a digest ends its period there, the firing delay is measured from it). The pool's size
is the number of batches that may run at once.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from apscheduler.executors.base import run_job
from apscheduler.executors.pool import ThreadPoolExecutor

_current = threading.local()


def scheduled_time() -> dt.datetime | None:
    """The fire time of the job running on this thread (None outside a job)."""
    return getattr(_current, "run_time", None)


def _run_with_time(job: Any, alias: str, run_times: list[dt.datetime], logger_name: str) -> Any:
    _current.run_time = run_times[-1] if run_times else None
    try:
        return run_job(job, alias, run_times, logger_name)
    finally:
        _current.run_time = None


class FiringExecutor(ThreadPoolExecutor):
    def _do_submit_job(self, job: Any, run_times: list[dt.datetime]) -> None:
        def callback(future: Any) -> None:
            exc = future.exception()
            if exc is not None:
                self._run_job_error(job.id, exc, exc.__traceback__)
            else:
                self._run_job_success(job.id, future.result())

        future = self._pool.submit(_run_with_time, job, job._jobstore_alias, run_times, self._logger.name)
        future.add_done_callback(callback)
