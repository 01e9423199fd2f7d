"""Trends per journey (scenario × viewport), the baseline, regressions, and finding status.

Pure functions over rows from the store. The baseline is the median run time of the
journey's recent passed runs before the ones being judged; a slowdown is called a regression
only when a one-sided Mann-Whitney U test says the judged runs are slower than the baseline
runs (p < ``alpha``, default 0.05) *and* the median moved by at least ``min_change`` (10 %),
so noise does not cry wolf and neither does a statistically real but trivial change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .rows import FindingRow, RunRow
from .stats import RankTest, mann_whitney_greater, median, percentile

WINDOW = 20
ALPHA = 0.05
MIN_CHANGE = 0.10
MIN_BASELINE = 3  # fewer passed runs than this are no "usual" to compare with


@dataclass(frozen=True)
class Point:
    """One run on a trend line."""

    started_at: str
    seconds: float
    score: float
    outcome: str


@dataclass(frozen=True)
class JourneyTrend:
    scenario: str
    viewport: str
    runs: int
    success_rate: float
    median_s: float | None
    p90_s: float | None
    median_clicks: float | None
    median_steps: float | None
    median_score: float | None
    baseline_s: float | None = None
    current_s: float | None = None
    test: RankTest | None = None
    regression: bool = False
    points: list[Point] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.baseline_s is None or self.current_s is None or not self.baseline_s:
            return None
        return self.current_s / self.baseline_s - 1

    def sentence(self) -> str:
        """'Buy a mug on mobile +38% slower than its usual 12.4 s', or what it is instead."""
        name = f"{self.scenario} on {self.viewport}"
        change = self.change
        if change is None or self.baseline_s is None:
            return f"{name}: not enough passed runs for a baseline yet"
        if abs(change) < 0.005:
            return f"{name} takes its usual {self.baseline_s:.1f} s"
        verdict = " (a significant regression)" if self.regression else ""
        how = f"+{change:.0%} slower" if change > 0 else f"{-change:.0%} faster"
        return f"{name} {how} than its usual {self.baseline_s:.1f} s{verdict}"


def journey_trend(runs: Sequence[RunRow], judged: Sequence[RunRow], *, window: int = WINDOW,
                  alpha: float = ALPHA, min_change: float = MIN_CHANGE) -> JourneyTrend:
    """Figures over ``runs`` (oldest first, one journey), and ``judged`` against what came before."""
    first = runs[0] if runs else (judged[0] if judged else None)
    passed = [r for r in runs if r.outcome == "passed"]
    measured = [r for r in runs if r.outcome in ("passed", "failed")]
    judged_ids = {r.id for r in judged}
    before = [r for r in passed if r.id not in judged_ids][-window:]
    now = [r.duration_ms / 1000 for r in judged if r.outcome == "passed"]
    base = [r.duration_ms / 1000 for r in before]
    test = mann_whitney_greater(now, base) if now and len(base) >= MIN_BASELINE else None
    baseline = median(base) if len(base) >= MIN_BASELINE else None
    current = median(now)
    moved = baseline is not None and current is not None and baseline > 0 and \
        current / baseline - 1 >= min_change
    return JourneyTrend(
        scenario=first.scenario if first else "", viewport=first.viewport if first else "",
        runs=len(runs), success_rate=len(passed) / len(measured) if measured else 0.0,
        median_s=_seconds(median([r.duration_ms for r in passed])),
        p90_s=_seconds(percentile([r.duration_ms for r in passed], 90)),
        median_clicks=median([r.clicks for r in passed]), median_steps=median([r.steps for r in passed]),
        median_score=median([r.friction_score for r in runs if r.outcome != "error"]),
        baseline_s=baseline, current_s=current, test=test,
        regression=bool(test and test.p < alpha and moved),
        points=[Point(r.started_at, r.duration_ms / 1000, r.friction_score, r.outcome) for r in runs],
    )


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000


@dataclass(frozen=True)
class FindingStatus:
    """The latest batch's findings against the journey's history, by fingerprint."""

    new: list[FindingRow]
    still: list[FindingRow]
    fixed: list[FindingRow]


def finding_status(current: Iterable[FindingRow], seen_before: set[str],
                   previous: Iterable[FindingRow], journeys_now: set[tuple[str, str]]) -> FindingStatus:
    """New: never seen on this journey. Still: seen before. Fixed: in the previous batch, gone
    now, on a journey that ran now (a journey that did not run cannot have fixed anything)."""
    now = list(current)
    fingerprints_now = {f.fingerprint for f in now}
    new = [f for f in now if f.fingerprint not in seen_before]
    still = [f for f in now if f.fingerprint in seen_before]
    fixed: dict[str, FindingRow] = {}
    for f in previous:
        if f.fingerprint not in fingerprints_now and (f.scenario, f.viewport) in journeys_now:
            fixed.setdefault(f.fingerprint, f)
    return FindingStatus(new, still, list(fixed.values()))
