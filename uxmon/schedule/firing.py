"""One firing: the one pipeline in a child process (``python -m uxmon run ...``), under a hard deadline.

A child in its own process group can hang, leak or crash without taking the scheduler with
it; at the deadline (or when the service stops) the group gets SIGTERM, so ``uxmon run``
keeps what finished, and SIGKILL 10 s later. The child's output goes to a log file per entry.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .settings import Entry

KILL_AFTER_S = 10.0
BATCH_CODES = (0, 1, 3)  # the child ran a batch (passed, failed, not measured): it is in the history


def iso(when: dt.datetime) -> str:
    """One spelling of fire times (UTC, milliseconds), so they compare equal and sort as text."""
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def batch_command(entry: Entry, config_file: str, paths: list[str], scheduled_at: dt.datetime,
                  trigger: str, python: str = sys.executable) -> list[str]:
    """``python -m uxmon run --config FILE --quiet ...`` for a batch entry."""
    argv = [python, "-m", "uxmon", "run", "--quiet", "--schedule-entry", entry.name,
            "--scheduled-at", iso(scheduled_at), "--trigger", trigger]
    if config_file:
        argv += ["--config", config_file]
    for tag in entry.tags:
        argv += ["--tag", tag]
    for viewport in entry.viewports:
        argv += ["--viewport", viewport]
    if entry.ping_url:
        argv += ["--ping-url", entry.ping_url]
    return argv + ["--", *paths]


def digest_command(entry: Entry, config_file: str, scheduled_at: dt.datetime,
                   python: str = sys.executable) -> list[str]:
    """``python -m uxmon digest --config FILE --entry NAME --period-end TIME ...`` for a digest entry."""
    argv = [python, "-m", "uxmon", "digest", "--entry", entry.name, "--period-end", iso(scheduled_at)]
    if config_file:
        argv[4:4] = ["--config", config_file]
    if entry.since:
        argv += ["--since", entry.since]
    for address in entry.to:
        argv += ["--to", address]
    if entry.only_if_changed:
        argv.append("--only-if-changed")
    return argv


@dataclass
class Firing:
    """A child process the service started, and how it ended."""

    entry: str
    scheduled_at: dt.datetime
    argv: list[str]
    deadline_s: float
    log: Path
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    exit_code: int | None = None
    timed_out: bool = False
    stopped: bool = False  # ended by the service's stop
    seconds: float = 0.0
    process: subprocess.Popen[bytes] | None = None
    trigger: str = "schedule"  # or "catch-up"
    due_at: dt.datetime | None = None  # the fire time it stands for (a catch-up: the one missed)
    note: str = ""  # what a launcher other than the child process did ("queued batch …")

    @property
    def delay_s(self) -> float:
        """Scheduled fire time to child start (the firing delay the soak bench reports)."""
        return (self.started_at - self.scheduled_at).total_seconds()

    @property
    def made_batch(self) -> bool:
        return self.exit_code in BATCH_CODES and not self.timed_out

    def outcome(self) -> tuple[str, str]:
        """('', '') for a batch; else the skipped row's (kind, reason)."""
        if self.timed_out:
            return "deadline", f"stopped after its {self.deadline_s:.0f} s deadline"
        if self.exit_code in BATCH_CODES:
            return "", ""
        if self.stopped:
            return "stopped", "the scheduler stopped before the batch finished"
        if self.exit_code is not None and self.exit_code < 0:
            return "crashed", f"killed by signal {-self.exit_code} ({_signal_name(-self.exit_code)})"
        return "crashed", f"exit code {self.exit_code}: {_last_line(self.log)}"


def run_firing(firing: Firing, abandon: threading.Event, env: dict[str, str] | None = None) -> Firing:
    """Start the child, wait for it until its deadline or ``abandon``, then make sure it is gone."""
    firing.log.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    with firing.log.open("wb") as out:
        firing.started_at = dt.datetime.now(dt.UTC)
        firing.process = subprocess.Popen(firing.argv, stdout=out, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True, env=env)
        while firing.process.poll() is None:
            left = firing.deadline_s - (time.monotonic() - t0)
            if left <= 0:
                firing.timed_out = True
                end_group(firing.process)
                break
            if abandon.wait(min(0.2, left)):
                firing.stopped = True
                end_group(firing.process)
                break
    firing.exit_code = firing.process.wait()
    firing.seconds = round(time.monotonic() - t0, 2)
    return firing


def end_group(process: subprocess.Popen[bytes], kill_after_s: float = KILL_AFTER_S) -> None:
    """SIGTERM the child's process group (its browsers too), SIGKILL what is left after ``kill_after_s``."""
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=kill_after_s)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()
    else:
        _signal_group(process, signal.SIGKILL)  # browsers the child left behind


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown"


def _last_line(log: Path) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
        lines = [line for line in text.splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][:300] if lines else "(no output)"
