"""Spread a batch's runs over worker processes; every run started ends with a record, whatever happens.

Each worker is its own process (``uxmon.run.child``) with its own browser. The batch keeps the
clock: a worker still busy well past its run's deadline is killed with its browser and the run
is recorded as stopped; a worker that dies is replaced; on SIGTERM or Ctrl-C (and at the
batch deadline) no new run starts, the runs in flight get ``grace_s`` to finish, and what
finished is handed back. Hooks are called on the caller's thread.
"""

from __future__ import annotations

import atexit
import os
import queue
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psutil

from ..records import RunRecord
from . import spare
from .execute import RunSettings, error_record
from .plan import Job
from .protocol import receive, send, spec_of
from .worker import INTERRUPT_AFTER_S

# Past a run's deadline and the scenario interrupt, how long a worker may take to report.
KILL_AFTER_S = 30.0
POLL_S = 0.2


@dataclass
class Hooks:
    """Called on the caller's thread as runs start, retry and finish (progress displays)."""

    on_start: Callable[[Job], None] = lambda job: None
    on_retry: Callable[[Job, RunRecord], None] = lambda job, record: None
    on_done: Callable[[RunRecord], None] = lambda record: None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunnerResult:
    """The records of the runs that ran, in the jobs' order, and why the batch ended early."""

    records: list[RunRecord]
    stopped: str = ""
    signal: int = 0
    not_started: list[str] = field(default_factory=list)
    # Waits for the worker processes to be gone (asked to stop already); a no-op once done.
    reap: Callable[[], None] = lambda: None


class _Worker:
    """The batch's handle on one worker process."""

    def __init__(self, index: int, settings: RunSettings, headless: bool,
                 events: queue.Queue[tuple[_Worker, tuple[Any, ...]]]) -> None:
        self.index = index
        self.job: Job | None = None
        self.deadline = float("inf")
        self.alive = True
        self.stopping = False
        self.proc = spare.take() or spare.spawn()  # a spare has been starting since uxmon did
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._stdin, stdout = self.proc.stdin, self.proc.stdout
        threading.Thread(target=self._read, args=(stdout, events), daemon=True).start()
        self._send("hello", settings, headless)

    def _read(self, stdout: Any, events: queue.Queue[tuple[_Worker, tuple[Any, ...]]]) -> None:
        try:
            while True:
                events.put((self, receive(stdout)))
        except EOFError:
            events.put((self, ("exit", self.proc.wait())))

    def _send(self, *message: Any) -> None:
        try:
            send(self._stdin, *message)
        except OSError:
            pass  # it died: its exit event says so

    def give(self, job: Job) -> None:
        self.job, self.deadline = job, time.monotonic() + job.timeout_s + INTERRUPT_AFTER_S + KILL_AFTER_S
        self._send("job", spec_of(job))

    def stop(self) -> None:
        if not self.stopping:
            self.stopping = True
            self._send("stop")

    def kill(self) -> None:
        """The worker, its Playwright driver and its browser, all at once."""
        try:
            family = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            family = []
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        for proc in family:
            try:
                proc.kill()
            except psutil.Error:
                pass
        self.alive = False

    def close(self) -> None:
        for stream in (self._stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    @property
    def idle(self) -> bool:
        return self.alive and self.job is None and not self.stopping


class _Stop:
    """SIGTERM and SIGINT: the first asks the batch to end, the second makes it end now."""

    def __init__(self) -> None:
        self.reason = ""
        self.signal = 0
        self.since = 0.0
        self.forced = False

    def request(self, reason: str, signum: int = 0) -> None:
        if self.reason:
            self.forced = self.forced or bool(signum)
            return
        self.reason, self.signal, self.since = reason, signum, time.monotonic()

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        names = {int(signal.SIGTERM): "SIGTERM", int(signal.SIGINT): "Ctrl-C (SIGINT)"}
        before = {s: signal.signal(s, lambda n, f: self.request(names[int(n)], int(n))) for s in names}
        try:
            yield
        finally:
            for s, handler in before.items():
                signal.signal(s, handler)


def run_jobs(jobs: Sequence[Job], settings: RunSettings, workers: int = 1,
             hooks: Hooks | None = None, headless: bool = True, *,
             deadline_s: float | None = None, grace_s: float = 20.0,
             should_stop: Callable[[], str] | None = None, reap_later: bool = False) -> RunnerResult:
    """Run every job (unless stopped); one record per job that started, in the jobs' order.

    ``should_stop`` is asked as the batch goes: a reason it gives stops the batch as a signal
    would (for callers off the main thread, where the runner installs no signal handlers).
    ``reap_later``: return once the last record is in, while the workers close their browsers
    (they have been told to stop); the caller calls ``reap()`` when it has written the batch,
    and this process's exit does it if nobody did.
    """
    batch = _Batch(jobs, settings, workers, hooks or Hooks(), headless, deadline_s, grace_s)
    batch.should_stop = should_stop
    with batch.stop.installed():
        try:
            batch.loop()
        except BaseException:
            batch.reap()
            raise
        finally:
            batch.ask_to_stop()
    if not reap_later:
        batch.reap()
    else:
        _unreaped.add(batch)
    done = [batch.records[j.run_id] for j in jobs if j.run_id in batch.records]
    return RunnerResult(done, batch.stop.reason, batch.stop.signal,
                        [j.run_id for j in jobs if j.run_id not in batch.records], batch.reap)


# Batches whose workers were left to close their browsers: reaped at this process's exit if
# their caller did not (a fleet worker calls reap at once).
_unreaped: set[_Batch] = set()


@atexit.register
def _reap_all() -> None:
    for batch in list(_unreaped):
        batch.reap()


class _Batch:
    def __init__(self, jobs: Sequence[Job], settings: RunSettings, workers: int, hooks: Hooks,
                 headless: bool, deadline_s: float | None, grace_s: float) -> None:
        self.pending = deque(jobs)
        self.settings, self.hooks, self.headless, self.grace_s = settings, hooks, headless, grace_s
        self.size = max(1, min(workers, len(jobs)))
        self.deadline = time.monotonic() + deadline_s if deadline_s else float("inf")
        self.deadline_s = deadline_s
        self.events: queue.Queue[tuple[_Worker, tuple[Any, ...]]] = queue.Queue()
        self.records: dict[str, RunRecord] = {}
        self.pool: list[_Worker] = []
        self.stop = _Stop()
        self.spawned = 0
        self.should_stop: Callable[[], str] | None = None
        self.reaped = False

    def loop(self) -> None:
        while True:
            self._keep_time()
            self._dispatch()
            busy = [w for w in self.pool if w.alive and w.job is not None]
            if not busy and (not self.pending or self.stop.reason):
                return
            try:
                worker, message = self.events.get(timeout=POLL_S)
            except queue.Empty:
                continue
            self._handle(worker, message)

    def _keep_time(self) -> None:
        now = time.monotonic()
        if self.should_stop is not None and (reason := self.should_stop()):
            self.stop.request(reason)
        if now > self.deadline:
            self.stop.request(f"the batch deadline of {self.deadline_s:g} s passed")
        for w in self.pool:
            if w.alive and w.job is not None and now > w.deadline:
                job = w.job
                w.kill()
                self._finish(w, error_record(
                    job, self.settings, f"the journey did not finish within {job.timeout_s:g} s and "
                    "did not stop when told to; uxmon killed its worker process", "run_timeout"),
                    outcome="failed")
        if self.stop.reason and (self.stop.forced or now > self.stop.since + self.grace_s):
            for w in self.pool:
                if w.alive and w.job is not None:
                    job = w.job
                    w.kill()
                    self._finish(w, error_record(
                        job, self.settings, f"not finished: uxmon was stopped ({self.stop.reason}) "
                        "while this run was going", "interrupted"))

    def _dispatch(self) -> None:
        if self.stop.reason:
            for w in self.pool:
                if w.alive and w.job is None:
                    w.stop()
            return
        for w in self.pool:
            if w.idle and self.pending:
                w.give(self.pending.popleft())
            elif w.idle:  # nothing left for it: it closes its browser while the others finish
                w.stop()
        while len([w for w in self.pool if w.alive and not w.stopping]) < self.size and \
                len(self.pending) > len([w for w in self.pool if w.idle]):
            self.spawned += 1
            worker = _Worker(self.spawned, self.settings, self.headless, self.events)
            self.pool.append(worker)
            worker.give(self.pending.popleft())

    def _handle(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        job = worker.job
        if kind == "attempt" and job is not None:
            worker.deadline = time.monotonic() + job.timeout_s + INTERRUPT_AFTER_S + KILL_AFTER_S
            if message[2] == 1:
                self.hooks.on_start(job)
        elif kind == "retry" and job is not None:
            self.hooks.on_retry(job, message[1])
        elif kind == "done" and job is not None:
            self._finish(worker, message[1])
        elif kind == "leaving":
            worker.stopping = True
        elif kind == "fatal":
            self._fatal(worker, message[1], message[2])
        elif kind == "exit":
            self._exited(worker, int(message[1]))

    def _finish(self, worker: _Worker, record: RunRecord, outcome: str = "") -> None:
        if outcome:
            record.outcome = outcome
        worker.job = None
        if record.run_id not in self.records:
            self.records[record.run_id] = record
            self.hooks.on_done(record)

    def _fatal(self, worker: _Worker, reason: str, kind: str) -> None:
        """No browser: no worker can run anything, so every job that is left says why."""
        leftover = ([worker.job] if worker.job else []) + list(self.pending)
        self.pending.clear()
        worker.stopping = True
        for job in leftover:
            self.hooks.on_start(job)
            self._finish(worker, error_record(job, self.settings, reason, kind))

    def _exited(self, worker: _Worker, code: int) -> None:
        worker.alive = False
        if worker.job is not None:
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            self._finish(worker, error_record(
                worker.job, self.settings, f"the worker process running this journey died ({how}); "
                "the scenario may have ended the process (os._exit) or it ran out of memory",
                "worker_died"))

    def ask_to_stop(self) -> None:
        for w in self.pool:
            if w.alive:
                w.stop()

    def reap(self) -> None:
        """Wait (5 s at most) for every worker to exit, kill what is left; once."""
        if self.reaped:
            return
        self.reaped = True
        _unreaped.discard(self)
        self.ask_to_stop()
        until = time.monotonic() + 5
        for w in self.pool:
            try:
                w.proc.wait(timeout=max(0.1, until - time.monotonic()))
            except subprocess.TimeoutExpired:
                w.kill()
        for w in self.pool:
            if w.proc.poll() is None:
                w.kill()
                w.proc.wait()
            w.close()
