"""The messages between a batch and its worker processes: pickled tuples over two pipes.

Both ends are the same uxmon, so pickle is the plain choice; a scenario function cannot be
pickled, so a job names its scenario by file and name and the worker imports the file itself.

Parent → worker: ``("hello", RunSettings, headless)``, ``("job", JobSpec)``, ``("stop",)``.
Worker → parent: ``("attempt", run_id, n)``, ``("retry", RunRecord)``, ``("done", RunRecord)``,
``("fatal", reason, kind)`` (no browser: no job can run), ``("leaving", why)`` (the worker
ends after this job: its Playwright had to be interrupted and is not trusted again).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import IO, Any

from ..records import Viewport
from .plan import Job


@dataclass(frozen=True)
class JobSpec:
    """A job without its scenario function: what a worker process needs to run it."""

    run_id: str
    file: str
    name: str
    viewport: Viewport
    repeat: int = 1
    timeout_s: float = 180.0
    retries: int = 0


def spec_of(job: Job) -> JobSpec:
    return JobSpec(job.run_id, job.scenario.file, job.scenario.name, job.viewport, job.repeat,
                   job.timeout_s, job.retries)


def send(stream: IO[bytes], *message: Any) -> None:
    pickle.dump(message, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def receive(stream: IO[bytes]) -> tuple[Any, ...]:
    """The next message; raises EOFError when the other side is gone."""
    try:
        message = pickle.load(stream)
    except (pickle.UnpicklingError, ValueError, OSError) as exc:
        raise EOFError(f"broken message: {exc}") from exc
    if not isinstance(message, tuple) or not message:
        raise EOFError("broken message")
    return message
