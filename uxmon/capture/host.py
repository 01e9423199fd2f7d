"""How busy the machine running uxmon is while a run goes on, from Linux's CPU pressure file.

A page that answers in 100 ms on a customer's phone can take a second on a CI runner whose
cores are shared by four browsers. ``/proc/pressure/cpu`` (pressure stall information, Linux
4.20+) counts the microseconds during which some task was ready to run but had no CPU; sampled
during the run, it lets the rules tell the site's slowness from the monitor's own. Where the
file does not exist (macOS, old kernels) nothing is sampled and the rules judge as before.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .clock import now_ms

PRESSURE = Path("/proc/pressure/cpu")
EVERY_S = 0.2


def read_stall_ms(path: Path = PRESSURE) -> float | None:
    """The machine's total CPU stall so far (the ``some`` line's ``total``), in ms."""
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("some "):
            for part in line.split():
                if part.startswith("total="):
                    try:
                        return int(part[6:]) / 1000
                    except ValueError:
                        return None
    return None


class HostSampler:
    """Samples (epoch ms, stall ms) pairs on a daemon thread from ``start()`` to ``stop()``."""

    def __init__(self, path: Path = PRESSURE, every_s: float = EVERY_S) -> None:
        self.path = path
        self.every_s = every_s
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self._sample():
            return  # no pressure file here: nothing to say about the machine
        self._thread = threading.Thread(target=self._loop, name="uxmon-host", daemon=True)
        self._thread.start()

    def stop(self) -> list[tuple[float, float]]:
        """Stop sampling (with one last sample) and hand the samples over."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join(timeout=1.0)
            self._thread = None
            self._sample()
        return list(self.samples)

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            self._sample()

    def _sample(self) -> bool:
        stall = read_stall_ms(self.path)
        if stall is None:
            return False
        self.samples.append((now_ms(), stall))
        return True
