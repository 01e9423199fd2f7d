"""Statistics for trends: medians, percentiles, and the Mann-Whitney U test for regressions.

Timings of real journeys are noisy and not normally distributed, so a change is called a
regression only when the recent runs are slower than the baseline with a rank test, as
sitespeed.io does: no single slow run cries wolf. Written here (no SciPy) because uxmon needs
one test, not a numerics stack; results match ``scipy.stats.mannwhitneyu`` (tests check it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class RankTest:
    u: float          # U of the ``recent`` sample
    p: float          # one-sided: how likely values this high are by chance
    method: str       # "exact" or "normal"


def mann_whitney_greater(recent: Sequence[float], baseline: Sequence[float]) -> RankTest | None:
    """One-sided Mann-Whitney U test: are ``recent`` values larger than ``baseline`` ones?

    Exact distribution when a sample has 8 values or fewer and there are no ties; otherwise
    the normal approximation with tie and continuity corrections (SciPy's ``method="auto"``
    makes the same choice).
    """
    n1, n2 = len(recent), len(baseline)
    if not n1 or not n2:
        return None
    ranks = _ranks([*recent, *baseline])
    u = sum(ranks[:n1]) - n1 * (n1 + 1) / 2
    tied = len(set(ranks)) < len(ranks)
    if not tied and min(n1, n2) <= 8:
        return RankTest(u, _exact_upper_tail(n1, n2, round(u)), "exact")
    mu = n1 * n2 / 2
    counts: dict[float, int] = {}
    for r in ranks:
        counts[r] = counts.get(r, 0) + 1
    n = n1 + n2
    ties = sum(t ** 3 - t for t in counts.values())
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    if sigma == 0:
        return RankTest(u, 1.0, "normal")
    z = (u - mu - 0.5) / sigma
    return RankTest(u, 0.5 * math.erfc(z / math.sqrt(2)), "normal")


def _ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _exact_upper_tail(n1: int, n2: int, u: int) -> float:
    """P(U >= u) under the null hypothesis, counting arrangements."""
    total = math.comb(n1 + n2, n1)
    return sum(_arrangements(n1, n2, k) for k in range(u, n1 * n2 + 1)) / total


@lru_cache(maxsize=4096)
def _arrangements(n1: int, n2: int, u: int) -> int:
    """How many orderings of n1 + n2 distinct values give U = u for the first sample."""
    if u < 0 or u > n1 * n2:
        return 0
    if n1 == 0 or n2 == 0:
        return 1 if u == 0 else 0
    # The largest value belongs to sample 1 (it beats all n2 others) or to sample 2.
    return _arrangements(n1 - 1, n2, u - n2) + _arrangements(n1, n2 - 1, u)
