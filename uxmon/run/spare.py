"""Worker processes started before the command line is imported, so both start at once.

A batch's worker is a fresh interpreter that imports the run stage, starts Playwright's driver
and launches a browser: most of a second. The ``uxmon`` process needs about as long to import
its command line, read the config and plan the runs. Started one after the other, a batch pays
both; a spare worker started first (``uxmon.__main__``) does its part while the command line
loads, and the runner takes it instead of starting a new one.

Only the standard library here: this module is imported before anything else of uxmon's.
A spare the batch never takes (a usage error, fewer runs than spares) exits by itself when
its pipe closes, with this process or at its exit, and takes its browser with it.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

# The commands that run a batch, and the most spares worth starting on speculation.
BATCH_COMMANDS = frozenset({"run", "check", "demo"})
MAX_SPARES = 4

_spares: list[subprocess.Popen[bytes]] = []
_released: list[subprocess.Popen[bytes]] = []


def spawn() -> subprocess.Popen[bytes]:
    """A new worker process (``python -m uxmon.run.child``) in its own session, piped both ways.

    Its own session: the terminal's Ctrl-C reaches only the batch, which decides how runs in
    flight end. It finds this uxmon however it was installed (PYTHONPATH names the source).
    """
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.Popen([sys.executable, "-m", "uxmon.run.child"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, start_new_session=True, env=env)


def wanted(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> int:
    """How many spares a command line is worth: the workers it asks for (``-w N``, else
    ``UXMON_WORKERS``), else one, for the commands that run a batch; none for anything else
    (``--help`` included). A config file's ``workers`` is not read this early: the batch
    starts the rest itself."""
    if not argv or argv[0] not in BATCH_COMMANDS or any(a in ("-h", "--help") for a in argv):
        return 0
    from_env = (os.environ if environ is None else environ).get("UXMON_WORKERS", "").strip()
    count = int(from_env) if from_env.isdigit() else 1
    for i, arg in enumerate(argv):
        value = ""
        if arg in ("-w", "--workers") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--workers="):
            value = arg.partition("=")[2]
        elif arg.startswith("-w") and arg[2:].isdigit():
            value = arg[2:]
        if value.isdigit():
            count = int(value)
    return max(0, min(count, MAX_SPARES, os.cpu_count() or 1))


def start(count: int) -> None:
    """Start ``count`` spares now (an environment of ``UXMON_SPARE_WORKERS=0`` starts none)."""
    if os.environ.get("UXMON_SPARE_WORKERS", "").strip() == "0":
        return
    for _ in range(count):
        try:
            _spares.append(spawn())
        except OSError:
            return  # the batch starts its workers itself, and says why if it cannot
    if _spares:
        atexit.register(release)


def take() -> subprocess.Popen[bytes] | None:
    """A spare that is still alive, for the runner; None when there is none left."""
    while _spares:
        proc = _spares.pop(0)
        if proc.poll() is None:
            return proc
        _close(proc)
    return None


def release() -> None:
    """Let the spares nobody took go: each exits when it reads the end of its pipe (kept
    here, not waited for: this process need not outlive a browser that is still launching)."""
    while _spares:
        proc = _spares.pop()
        _close(proc)
        _released.append(proc)
    _released[:] = [p for p in _released if p.poll() is None]


def _close(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
