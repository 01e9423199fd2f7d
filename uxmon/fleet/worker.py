"""``uxmon worker``: processes that take the fleet's jobs, one at a time each, until stopped.

One job per process, always: a run is a browser, a core and 1.5 GB, and a process whose
browser misbehaves must not take a second run with it. ``--concurrency N`` starts N such
processes and keeps them going (a process that dies is started again). Each process sends a
heartbeat (``[fleet] heartbeat``); the sweep gives the run of one that went silent to another.

SIGTERM or Ctrl-C: no new job; the run in flight gets ``[fleet] stop_grace`` (120 s) to finish,
then it is stopped and goes back on the queue for another worker; a second signal stops it at
once. The process exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..config import Config
from .enqueue import who
from .queue import QUEUE, build_app, install_schema
from .settings import FleetSettings
from .tasks import WorkerState

if TYPE_CHECKING:
    from procrastinate import App

log = logging.getLogger("uxmon.fleet")
POLL_S = 2.0  # new jobs wake a worker at once (LISTEN/NOTIFY); this is the fallback poll
RESTART_AFTER_S = 2.0


def run_worker(config: Config, settings: FleetSettings, name: str = "") -> int:
    """One worker process, in the foreground, until a signal."""
    app = build_app(config, settings)
    install_schema(config)
    state = WorkerState(config, settings, name or who())
    log.info("worker %s taking jobs from the queue (one at a time)", state.name)
    asyncio.run(_serve(app, state))
    log.info("worker %s stopped", state.name)
    return 0


async def _serve(app: App, state: WorkerState) -> None:
    settings = state.settings
    loop = asyncio.get_running_loop()
    async with app.open_async():
        task = asyncio.create_task(app.run_worker_async(
            queues=[QUEUE], concurrency=1, name=state.name, install_signal_handlers=False,
            additional_context={"uxmon": state}, delete_jobs="successful",
            shutdown_graceful_timeout=settings.stop_grace_s + 60, fetch_job_polling_interval=POLL_S,
            update_heartbeat_interval=settings.heartbeat_s, stalled_worker_timeout=settings.stalled_after_s))

        def on_signal(number: int) -> None:
            if state.stop_since is None:
                log.info("got %s: no new job; the run in flight has %g s to finish (again to stop it now)",
                         signal.Signals(number).name, settings.stop_grace_s)
                state.stop_since = time.monotonic()
                task.cancel()
            else:
                log.warning("got %s again: stopping the run in flight now", signal.Signals(number).name)
                state.forced = True

        for number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(number, on_signal, number)
        try:
            await task
        except asyncio.CancelledError:
            pass
        finally:
            for number in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(number)


def supervise(argv: Sequence[str], count: int) -> int:
    """``count`` worker processes (``argv`` starts one), started again when one dies; a signal is
    passed on to all of them, and they are waited for."""
    stopping = threading.Event()
    procs: list[subprocess.Popen[bytes] | None] = [None] * count

    def start(index: int) -> None:
        procs[index] = subprocess.Popen(list(argv), start_new_session=True)
        log.info("worker process %d started (pid %d)", index + 1, procs[index].pid)  # type: ignore[union-attr]

    def on_signal(number: int, frame: object) -> None:
        stopping.set()
        for proc in procs:
            if proc is not None and proc.poll() is None:
                proc.send_signal(number)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for index in range(count):
            start(index)
        while not stopping.is_set():
            for index, proc in enumerate(procs):
                if proc is not None and proc.poll() is not None and not stopping.is_set():
                    log.warning("worker process %d (pid %d) ended with %s; starting another", index + 1,
                                proc.pid, proc.returncode)
                    time.sleep(RESTART_AFTER_S)
                    if not stopping.is_set():
                        start(index)
            stopping.wait(0.5)
        for proc in procs:
            if proc is not None:
                proc.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0


def child_argv(passthrough: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "uxmon", "worker", "--concurrency", "1", *passthrough]
