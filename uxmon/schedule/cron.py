"""Cron mode for ``uxmon run``: a lock so runs never overlap, dead-man's-switch pings, a short summary.

The lock is a non-blocking ``flock`` on a file: the kernel drops it when the process ends,
however it ends, so nothing goes stale the way PID files do. A run that finds it held is
"normal, not an error" (one line on stderr, exit 0 unless ``--lock-busy-exit`` says otherwise).
Pings follow healthchecks.io: ``URL/start`` before, ``URL/<exit code>`` after with the summary
as the body; 10 s timeout, 3 tries; a failed ping is reported and never changes the exit code.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import requests

from ..config import Config, ConfigError

if TYPE_CHECKING:
    from ..run.pipeline import BatchResult

LOCK_NAME = ".uxmon.lock"
PING_TIMEOUT_S = 10.0
PING_TRIES = 3
PING_BODY_LIMIT = 10_000


class LockBusy(RuntimeError):
    """Another process holds the lock; the message names the file and, if known, its PID."""


def lock_path(value: str, output: Path) -> Path:
    """``auto`` is ``<output>/.uxmon.lock``; anything else is a path."""
    return output / LOCK_NAME if value == "auto" else Path(value).expanduser()


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold ``path``'s lock for the block, or raise LockBusy at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise LockBusy(f"another uxmon run holds {path}{who}; skipping this run") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def ping(url: str, suffix: str = "", body: str = "", *, timeout_s: float = PING_TIMEOUT_S,
         tries: int = PING_TRIES, sleep: Callable[[float], None] = time.sleep) -> str:
    """Ping ``url`` (+ ``/suffix``); '' when it answered 2xx, else why not (never raises)."""
    target = url.rstrip("/") + (f"/{suffix}" if suffix else "")
    problem = ""
    for attempt in range(1, tries + 1):
        try:
            answer = requests.post(target, data=body[-PING_BODY_LIMIT:].encode("utf-8"), timeout=timeout_s,
                                   headers={"User-Agent": "uxmon-ping", "Content-Type": "text/plain"})
            answer.close()
            if 200 <= answer.status_code < 300:
                return ""
            problem = f"HTTP {answer.status_code}"
        except requests.Timeout:
            problem = f"timed out after {timeout_s:g} s"
        except requests.RequestException as exc:
            problem = f"could not connect ({type(exc).__name__})"
        if attempt < tries:
            sleep(min(2.0 ** attempt, 5.0))
    return f"ping {suffix or 'success'} to {_host(url)} failed after {tries} tries: {problem}"


def _host(url: str) -> str:
    """A ping URL carries its check's secret UUID: show the host only."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…"


def summary_text(result: BatchResult) -> str:
    """What cron mails and the ping carries: one line per run that did not pass, then the report."""
    counts = {o: sum(r.outcome == o for r in result.records) for o in ("passed", "failed", "error")}
    head = (f"uxmon: {counts['passed']} of {len(result.records)} runs passed, {counts['failed']} failed, "
            f"{counts['error']} could not be measured ({result.duration_s:.1f} s)")
    lines = [head]
    for record in result.records:
        if record.outcome != "passed":
            where = f" at step {record.failed_step}" if record.failed_step is not None else ""
            lines.append(f"  {record.outcome}: {record.scenario} · {record.viewport.name}{where}: "
                         f"{record.reason}")
    lines += [f"  did not load: {e}" for e in result.load_errors]
    lines += [f"  warning: {w}" for w in ([result.history_warning] if result.history_warning else [])
              + result.warnings]
    lines.append(f"Report: {result.folder / 'index.html'}")
    return "\n".join(lines)


def guarded(batch: Callable[[], BatchResult], config: Config, *, lock: str | None, ping_url: str | None,
            warn: Callable[[str], None]) -> int:
    """Run ``batch`` under the lock (LockBusy if held), pinging before and after; its exit code."""
    holder = run_lock(lock_path(lock, config.path(config.output))) if lock else contextlib.nullcontext()
    with holder:
        if ping_url and (problem := ping(ping_url, "start")):
            warn(problem)
        try:
            result = batch()
        except BaseException as exc:
            if ping_url and (problem := ping(ping_url, str(_exit_code_of(exc)), f"uxmon: {exc}")):
                warn(problem)
            raise
        if ping_url and (problem := ping(ping_url, str(result.exit_code), summary_text(result))):
            warn(problem)
        return result.exit_code


def _exit_code_of(exc: BaseException) -> int:
    from ..capture.browser import BrowserNotFound
    from ..run.pipeline import EXIT_FAILED, EXIT_NOT_MEASURED, EXIT_USAGE, NothingToRun

    if isinstance(exc, ConfigError | NothingToRun):
        return EXIT_USAGE
    if isinstance(exc, BrowserNotFound):
        return EXIT_NOT_MEASURED
    if isinstance(exc, KeyboardInterrupt):
        return 130
    return EXIT_FAILED
