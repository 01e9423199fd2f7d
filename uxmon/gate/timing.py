"""Is a journey slower than its baseline? Only with repeats, only when the change is real.

Timings of one run are noise. A regression needs the median to grow by both a share and an
absolute amount (defaults +20 % and +250 ms) and, when each side has enough samples (5), the
one-sided Mann-Whitney U test the history already uses (p < 0.05), as sitespeed.io does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..history.stats import mann_whitney_greater, median

MIN_REPEATS = 2  # one run's time is not judged


@dataclass(frozen=True)
class TimingChange:
    now_s: float
    base_s: float
    samples: tuple[int, int]
    p: float | None
    regression: bool

    @property
    def change(self) -> float:
        return self.now_s / self.base_s - 1 if self.base_s else 0.0

    def sentence(self) -> str:
        test = f", Mann-Whitney p = {self.p:.3f}" if self.p is not None else ""
        return (f"median {self.now_s:.2f} s against {self.base_s:.2f} s in the baseline "
                f"({self.change:+.0%}, {self.samples[0]} runs vs {self.samples[1]}{test})")


def compare_times(now: Sequence[float], base: Sequence[float], *, min_change: float, min_ms: float,
                  alpha: float, min_samples: int) -> TimingChange | None:
    """``None`` when there is nothing to judge (fewer than two runs now, or no baseline runs)."""
    now_m, base_m = median(now), median(base)
    if len(now) < MIN_REPEATS or now_m is None or base_m is None:
        return None
    moved = base_m > 0 and now_m / base_m - 1 >= min_change and (now_m - base_m) * 1000 >= min_ms
    p = None
    if len(now) >= min_samples and len(base) >= min_samples:
        test = mann_whitney_greater(now, base)
        p = test.p if test else None
    regression = moved and (p is None or p < alpha)
    return TimingChange(now_m, base_m, (len(now), len(base)), p, regression)
