"""The recorder's clock: epoch milliseconds that move with the monotonic clock.

A wall clock can step while a run goes on (NTP, a virtual machine catching up after a pause:
11 s forward was seen on a CI machine in the middle of a journey). The page's own times
(``performance.timeOrigin + performance.now()``) keep moving monotonically within a document,
so uxmon's marks must too, or the steps are cut at the wrong moments and actions land in the
wrong step. The anchor is taken again at the start of every run, so a step between runs is
followed by the next run and never accumulates.
"""

from __future__ import annotations

import time

_anchor = (time.time() * 1000, time.monotonic())


def anchor() -> None:
    """Tie the clock to the wall clock as it is now (at the start of a run)."""
    global _anchor
    _anchor = (time.time() * 1000, time.monotonic())


def now_ms() -> float:
    """Epoch ms: the wall clock at the anchor plus the monotonic time since."""
    epoch, mono = _anchor
    return epoch + (time.monotonic() - mono) * 1000
