"""The friction score: 0 for a frictionless run, towards 100 the more it hurts.

Each finding takes away a share of what is left of a smooth experience, by severity:
score = 100 × (1 − Π (1 − weight)), weights info 0, low 0.05, medium 0.15, high 0.35,
critical 0.60. One critical finding alone is 60; a medium and a high are 44.75. Findings
never add up past 100, and the order they are found in does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..records import Finding, RunRecord

WEIGHTS = {"info": 0.0, "low": 0.05, "medium": 0.15, "high": 0.35, "critical": 0.60}


def friction_score(findings: Iterable[Finding]) -> float:
    smooth = 1.0
    for finding in findings:
        smooth *= 1.0 - WEIGHTS.get(finding.severity, 0.0)
    return round(100.0 * (1.0 - smooth), 1)


def scenario_score(runs: Sequence[RunRecord]) -> float:
    """A scenario is as bad as its worst viewport."""
    return max((r.friction_score for r in runs), default=0.0)
