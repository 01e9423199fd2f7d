"""Trends, baselines and the regression test, on hand-made history rows."""

from __future__ import annotations

import pytest

from uxmon.history import journey_trend, mann_whitney_greater, percentile
from uxmon.history.rows import FindingRow, RunRow
from uxmon.history.trends import finding_status


# Reference values computed with scipy.stats.mannwhitneyu(recent, baseline, alternative="greater")
@pytest.mark.parametrize(("recent", "baseline", "u", "p", "method"), [
    ([12.1, 13.5, 14.2], [10.0, 10.5, 11.0, 9.8, 10.2], 15.0, 0.017857142857142856, "exact"),
    ([20.5], [float(x) for x in range(10, 30)], 11.0, 0.47619047619047616, "exact"),
    ([3.0, 3.0, 4.0], [1.0, 3.0, 2.0, 2.0], 11.0, 0.04774161604877365, "normal"),
    (list(range(5, 15)), list(range(1, 13)), 88.0, 0.034577503177506005, "normal"),
    ([float(x) for x in range(30, 50)], [x + 0.5 for x in range(20, 45)], 380.0, 0.001548268646541345,
     "normal"),
])
def test_mann_whitney_matches_scipy(recent: list[float], baseline: list[float], u: float, p: float,
                                    method: str) -> None:
    test = mann_whitney_greater(recent, baseline)
    assert test is not None
    assert (test.u, test.method) == (u, method)
    assert test.p == pytest.approx(p, rel=1e-9)


def test_percentiles_interpolate_like_numpy() -> None:
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == pytest.approx(9.1)
    assert percentile([], 50) is None


def rows(seconds: list[float], outcome: str = "passed", start: int = 0) -> list[RunRow]:
    return [RunRow(id=start + i, batch_id=f"b{start + i}", run_id="buy--mobile", scenario="Checkout",
                   viewport="mobile", outcome=outcome, started_at=f"2026-11-{1 + (start + i) // 24:02d}T"
                   f"{(start + i) % 24:02d}:00:00+00:00", duration_ms=s * 1000, steps=7, clicks=9,
                   keystrokes=80, friction_score=15.0) for i, s in enumerate(seconds)]


USUAL = [12.1, 12.6, 12.3, 12.8, 12.4, 12.2, 12.9, 12.5, 12.0, 12.7, 12.4, 12.6]


def test_a_clearly_slower_journey_is_a_regression_with_a_readable_sentence() -> None:
    history = rows(USUAL)
    slow = rows([17.1, 17.0, 17.3], start=len(history))
    trend = journey_trend(history + slow, slow)
    assert trend.baseline_s == pytest.approx(12.45)
    assert trend.regression and trend.test is not None and trend.test.p < 0.05
    assert trend.sentence() == ("Checkout on mobile +37% slower than its usual 12.4 s "
                                "(a significant regression)")


def test_one_slow_run_within_the_noise_is_not_a_regression() -> None:
    history = rows(USUAL)
    noisy = rows([12.95], start=len(history))
    trend = journey_trend(history + noisy, noisy)
    assert not trend.regression
    assert trend.sentence() == "Checkout on mobile +4% slower than its usual 12.4 s"


def test_significant_but_tiny_changes_are_not_regressions() -> None:
    history = rows([10.0, 10.01, 10.02, 10.0, 10.01, 10.02, 10.0, 10.01])
    slightly = rows([10.5, 10.6, 10.55], start=len(history))
    trend = journey_trend(history + slightly, slightly)
    assert trend.test is not None and trend.test.p < 0.05
    assert not trend.regression  # +5%: under the 10% floor


def test_success_rate_times_and_too_little_history() -> None:
    runs = rows([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]) + rows([30], "failed", start=10) + \
        rows([1], "error", start=11)
    trend = journey_trend(runs, runs[-1:])
    assert trend.success_rate == pytest.approx(10 / 11)  # errors are not judged
    assert trend.median_s == 14.5 and trend.p90_s == pytest.approx(18.1)
    first = journey_trend(rows([12.0]), rows([12.0]))
    assert first.sentence() == "Checkout on mobile: not enough passed runs for a baseline yet"


def finding(fp: str, viewport: str = "mobile") -> FindingRow:
    return FindingRow(run=1, scenario="Checkout", viewport=viewport, fingerprint=fp, rule=fp,
                      severity="high", step=3, step_name="Cart", title=fp)


def test_finding_status_by_fingerprint() -> None:
    status = finding_status([finding("a"), finding("b")], {"b", "z"}, [finding("b"), finding("c"),
                            finding("d", "desktop")], {("Checkout", "mobile")})
    assert [f.fingerprint for f in status.new] == ["a"]
    assert [f.fingerprint for f in status.still] == ["b"]
    assert [f.fingerprint for f in status.fixed] == ["c"]  # d's journey did not run


def test_faster_is_said_without_a_double_sign() -> None:
    history = rows(USUAL)
    quick = rows([9.9], start=len(history))
    assert journey_trend(history + quick, quick).sentence() == \
        "Checkout on mobile 20% faster than its usual 12.4 s"


def test_two_earlier_runs_are_not_a_usual_yet() -> None:
    runs = rows([12.0, 12.5, 20.0])
    assert journey_trend(runs, runs[-1:]).sentence() == \
        "Checkout on mobile: not enough passed runs for a baseline yet"
