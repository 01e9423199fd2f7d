"""Build the digest from history rows (pure): what changed, the top problems, the journey table.

"Open" means present in a journey's latest batch: what customers meet today. New problems are
open now and were not at the start of the comparison; fixed ones were open then and are gone
now, on a journey that ran (a journey that did not run cannot have fixed anything).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...history.rows import FindingRow, RunRow
from ...history.stats import median
from ...history.trends import journey_trend
from ...report.model import BLOCKING, SEVERITY_RANK, finding_weight
from .model import Changes, Digest, Figure, JourneyLine, Problem, Slice, clean
from .words import fill_words

_NUMBERS = re.compile(r"\d+(?:[.,]\d+)?")
TOP = 3
MAX_PICTURES = 6
STRIP = 28  # runs shown in a journey's strip


@dataclass(frozen=True)
class DigestInput:
    kind: str
    period: str
    since: str
    now: Slice
    before: Slice = field(default_factory=Slice)
    open_before: Sequence[FindingRow] = ()   # each journey's findings at the start of the comparison
    seen_before: frozenset[str] = frozenset()  # every fingerprint seen before that
    prefix: str = "uxmon"
    scope: str = ""


def build_digest(data: DigestInput, top: int = TOP) -> Digest:
    now = data.now
    open_now = open_findings(now)
    changes = compare(open_now, list(data.open_before), data.seen_before, now)
    journeys = [journey_line(now.runs_of(j), data.before.runs_of(j), _blocker(open_now, j))
                for j in now.journeys]
    journeys.sort(key=lambda j: (not j.failing, j.scenario, j.viewport != "desktop", j.viewport))
    _bars(journeys)
    digest = Digest(
        kind=data.kind, period=data.period, since=data.since, changes=changes,
        top=rank(problems(open_now, now))[:min(top, MAX_PICTURES)], journeys=journeys,
        runs=len(now.runs), batches=len(now.batches),
        viewports=sorted({r.viewport for r in now.runs}, key=lambda v: (v != "desktop", v)),
        scope=data.scope)
    fill_words(digest, data.prefix)
    return digest


def latest_runs(slice_: Slice) -> list[RunRow]:
    """Each journey's runs in the newest batch it ran in."""
    newest: dict[tuple[str, str], tuple[str, str]] = {}
    for run in slice_.runs:
        key = (run.started_at, run.batch_id)
        if run.journey not in newest or key > newest[run.journey]:
            newest[run.journey] = key
    return [r for r in slice_.runs if newest[r.journey][1] == r.batch_id]


def open_findings(slice_: Slice) -> list[FindingRow]:
    ids = {r.id for r in latest_runs(slice_)}
    return [f for f in slice_.findings if f.run in ids and f.severity != "info"]


def compare(open_now: list[FindingRow], open_before: list[FindingRow], seen_before: frozenset[str],
            now: Slice) -> Changes:
    before = {f.fingerprint for f in open_before}
    current = {f.fingerprint for f in open_now}
    ran = set(now.journeys)
    new = [f for f in open_now if f.fingerprint not in before]
    still = [f for f in open_now if f.fingerprint in before]
    fixed = [f for f in open_before if f.fingerprint not in current and (f.scenario, f.viewport) in ran
             and f.severity != "info"]
    returning = {f.fingerprint for f in new if f.fingerprint in seen_before}
    made = Changes(rank(problems(new, now)), rank(problems(fixed, now)), rank(problems(still, now)))
    for problem in made.new:
        problem.returning = any(fp in returning for fp in problem.fingerprints)
    return made


def problems(findings: Iterable[FindingRow], now: Slice) -> list[Problem]:
    """Findings merged into problems: one per journey, rule, step and title (all viewports)."""
    runs = {r.id: r for r in now.runs}
    hits: dict[str, list[FindingRow]] = {}
    for f in now.findings:
        hits.setdefault(f.fingerprint, []).append(f)
    newest: dict[str, FindingRow] = {}
    for f in findings:  # one finding stands for its fingerprint: the newest (its words are today's)
        known = newest.get(f.fingerprint)
        if known is None or _when(f, runs) > _when(known, runs):
            newest[f.fingerprint] = f
    merged: dict[tuple[str, str, str, str], Problem] = {}
    for f in newest.values():
        key = (f.scenario, f.rule, f.step_name, _NUMBERS.sub("#", f.title))
        problem = merged.get(key)
        if problem is None:
            problem = merged[key] = Problem(
                clean(f.scenario, 120), [], f.rule, f.severity, clean(f.step_name, 80), clean(f.title),
                clean(f.detail, 400), [])
        if f.fingerprint in problem.fingerprints:
            continue
        problem.fingerprints.append(f.fingerprint)
        viewport = clean(f.viewport, 40)
        if viewport not in problem.viewports:
            problem.viewports.append(viewport)
            problem.viewports.sort(key=lambda v: (v != "desktop", v))
        _add_hits(problem, f, hits.get(f.fingerprint, []), runs, now)
    return list(merged.values())


def _when(f: FindingRow, runs: dict[int, RunRow]) -> tuple[str, int]:
    return (runs[f.run].started_at if f.run in runs else "", f.run)


def _add_hits(problem: Problem, finding: FindingRow, hits: list[FindingRow], runs: dict[int, RunRow],
              now: Slice) -> None:
    journey = (finding.scenario, finding.viewport)
    problem.runs_hit += len({h.run for h in hits})
    problem.runs_checked += len(now.runs_of(journey))
    mine = hits or [finding]
    problem.clicks = max(problem.clicks, round(median([h.wasted_clicks for h in mine]) or 0))
    problem.seconds = max(problem.seconds, median([h.wasted_seconds for h in mine]) or 0.0)
    share = problem.runs_hit / problem.runs_checked if problem.runs_checked else 1.0
    problem.weight = max(problem.weight, finding_weight(finding) * (0.5 + share / 2))
    newest = max(mine, key=lambda h: _when(h, runs))
    if newest.screenshot and not problem.picture and newest.run in runs and runs[newest.run].record_path:
        folder = runs[newest.run].record_path.rsplit("/", 1)[0]
        problem.picture = f"{folder}/{newest.screenshot}"
        problem.box = newest.box


def rank(items: list[Problem]) -> list[Problem]:
    return sorted(items, key=lambda p: (-p.weight, -SEVERITY_RANK.get(p.severity, 0), p.scenario, p.title))


def _blocker(findings: list[FindingRow], journey: tuple[str, str]) -> str:
    """What stopped the customer, in the rule's words (clearer than the scenario's error)."""
    return next((f.title for f in findings if (f.scenario, f.viewport) == journey and f.rule in BLOCKING), "")


def journey_line(runs: list[RunRow], before: list[RunRow], blocker: str = "") -> JourneyLine:
    ordered = sorted(runs, key=lambda r: (r.started_at, r.id))
    now, then = journey_trend(ordered, []), journey_trend(before, []) if before else None
    passed = sum(r.outcome == "passed" for r in ordered)
    measured = [r for r in ordered if r.outcome in ("passed", "failed")]
    unhappy = [r for r in ordered if r.outcome != "passed"]
    return JourneyLine(
        scenario=clean(ordered[0].scenario, 120), viewport=clean(ordered[0].viewport, 40),
        runs=len(ordered), passed=passed,
        success=Figure(now.success_rate * 100 if measured else None,
                       then.success_rate * 100 if then and then.runs else None, "%", True, 0),
        time=Figure(now.median_s, then.median_s if then else None, "s"),
        clicks=Figure(now.median_clicks, then.median_clicks if then else None, "", False, 0),
        score=Figure(now.median_score, then.median_score if then else None, "pts", False, 0),
        strip="".join({"passed": "✓", "failed": "✗"}.get(r.outcome, "?") for r in ordered[-STRIP:]),
        reason=clean(blocker or unhappy[-1].reason, 200) if unhappy else "",
    )


def _bars(lines: list[JourneyLine]) -> None:
    widest = max((v for j in lines for v in (j.time.now, j.time.before) if v), default=0.0)
    for line in lines:
        if widest:
            line.bar_now = max(2, round(100 * (line.time.now or 0) / widest)) if line.time.now else 0
            line.bar_before = max(2, round(100 * (line.time.before or 0) / widest)) if line.time.before else 0
