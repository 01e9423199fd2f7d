"""How contended the monitoring machine's CPU was during a run, as shares of time on the run's clock.

Built from the stall counter the capture stage samples (see ``capture.host``). A share of 0.8
over an interval means that for 80 % of it some task (a browser, uxmon, a neighbour) was ready
to run and waited for a CPU: timings measured then say more about the machine than the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Contention:
    """One sampling interval ending at ``at_ms`` (run clock), ``ms`` long."""

    at_ms: float
    ms: float
    share: float


def contention_series(samples: Sequence[tuple[float, float]], start_ms: float) -> list[Contention]:
    """(epoch ms, cumulative stall ms) samples → one share per interval between them."""
    series: list[Contention] = []
    for (t0, s0), (t1, s1) in zip(samples, samples[1:], strict=False):
        span = t1 - t0
        if span <= 0:
            continue
        share = min(1.0, max(0.0, (s1 - s0) / span))
        series.append(Contention(round(t1 - start_ms, 1), round(span, 1), round(share, 3)))
    return series


def contention_between(series: Sequence[Contention], start: float, end: float) -> float | None:
    """The time-weighted share over [start, end] (run ms), or None when nothing was sampled."""
    covered = weighted = 0.0
    for part in series:
        lo, hi = max(start, part.at_ms - part.ms), min(end, part.at_ms)
        if hi > lo:
            covered += hi - lo
            weighted += (hi - lo) * part.share
        elif start == end and part.at_ms - part.ms <= start <= part.at_ms:
            return part.share
    if covered <= 0:
        return None
    return round(weighted / covered, 3)
