"""The gate's rules: a judged batch and its baseline in, checks (errors and warnings) out. Pure.

Each check names its journey and, when it can, the scenario file and the line of the
``journey.step(...)`` it is about, so an annotation lands on that line of the pull request.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..history.rows import FindingRow, RunRow
from ..history.stats import median
from .baseline import Baseline, JourneyBaseline
from .journeys import SEVERITY_RANK, JudgedJourney
from .settings import Budget, GateSettings
from .text import one_line
from .timing import compare_times


@dataclass(frozen=True)
class Check:
    rule: str
    level: str                  # "error" or "warn"
    scenario: str
    viewport: str
    message: str
    severity: str = ""          # a finding's severity, for ordering
    step: str = ""
    file: str = ""
    line: int | None = None
    new: bool = False           # a finding the baseline did not have

    @property
    def rank(self) -> tuple[int, int, str, str, str]:
        """Errors first, then by the finding's severity, then by journey."""
        return (0 if self.level == "error" else 1, -SEVERITY_RANK.get(self.severity, 0),
                self.scenario, self.viewport, self.rule)

    @property
    def where(self) -> str:
        return f"{self.scenario} · {self.viewport}" if self.viewport else self.scenario


def evaluate(journeys: Sequence[JudgedJourney], baseline: Baseline | None,
             settings: GateSettings) -> list[Check]:
    """Every check that is not ``off``, errors first."""
    checks: list[Check] = []
    for journey in journeys:
        base = baseline.journeys.get(journey.key) if baseline else None
        for check in _journey_checks(journey, base, baseline is not None, settings):
            if check.level in ("warn", "error"):
                checks.append(check)
    return sorted(checks, key=lambda c: c.rank)


def _journey_checks(j: JudgedJourney, base: JourneyBaseline | None, have_baseline: bool,
                    settings: GateSettings) -> Iterator[Check]:
    yield from _failures(j, settings)
    yield from _findings(j, base, have_baseline, settings)
    yield from _flaky(j, settings)
    yield from _budgets(j, settings.budget_for(j.scenario), settings)
    if base is not None:
        yield from _against_baseline(j, base, settings, explained=bool(j.failed) or _has_new(j, base))


def _has_new(j: JudgedJourney, base: JourneyBaseline) -> bool:
    return any(f.severity != "info" and f.fingerprint not in base.findings for f, _ in j.unique_findings())


def _check(j: JudgedJourney, rule: str, settings: GateSettings, message: str, *, severity: str = "",
           step: str = "", line: int | None = None, new: bool = False) -> Check:
    return Check(rule, settings.level(rule), j.scenario, j.viewport, message, severity, step, j.file,
                 line, new)


STOPPERS = ("late-blocker", "task-failed")  # findings that say why a failed run stopped


def _failures(j: JudgedJourney, settings: GateSettings) -> Iterator[Check]:
    """One check per failed journey, in the site's words when a finding caught them."""
    if not j.failed:
        return
    run = j.failed[0]
    stopper = next((f for f in j.findings.get(run.id, []) if f.rule in STOPPERS), None)
    step = j.step(run, stopper.step if stopper is not None and stopper.step else run.failed_step)
    where = f" at step {step.idx} “{step.name}”" if step else ""
    share = f" in {len(j.failed)} of {len(j.runs)} runs" if len(j.runs) > 1 else ""
    why = one_line(stopper.title if stopper is not None else run.reason, 400) or "the journey failed"
    yield _check(j, "failed-run", settings,
                 f"Customers could not finish “{j.scenario}” on {j.viewport}{share}: stopped{where}: {why}",
                 severity="critical", step=step.name if step else "", line=step.line if step else None)


def _findings(j: JudgedJourney, base: JourneyBaseline | None, have_baseline: bool,
              settings: GateSettings) -> Iterator[Check]:
    known = base.findings if base is not None else {}
    folded = bool(j.failed) and settings.level("failed-run") != "off"
    for finding, run in j.unique_findings():
        if finding.severity == "info" or (folded and finding.rule in STOPPERS and run.outcome == "failed"):
            continue  # a failed run's own stopper is said by its failed-run check
        new = finding.fingerprint not in known
        if new:
            rule = f"new-{finding.severity}"
        elif SEVERITY_RANK.get(finding.severity, 0) >= SEVERITY_RANK["high"]:
            rule = "known-friction"
        else:
            continue
        yield _finding_check(j, run, finding, rule, new, have_baseline, settings)


def _finding_check(j: JudgedJourney, run: RunRow, f: FindingRow, rule: str, new: bool,
                   have_baseline: bool, settings: GateSettings) -> Check:
    step = j.step(run, f.step)
    at = f" at step {f.step} “{f.step_name}”" if f.step is not None and f.step_name else ""
    status = ("new since the baseline" if have_baseline else "no baseline") if new else "in the baseline too"
    clicks = f"{f.wasted_clicks} click{'s' * (f.wasted_clicks != 1)}"
    wasted = f", after {clicks} and {f.wasted_seconds:.0f} s" if f.wasted_clicks else ""
    message = f"{f.severity.capitalize()}{at} ({status}{wasted}): {one_line(f.title, 400)}"
    return _check(j, rule, settings, message, severity=f.severity, step=f.step_name,
                  line=step.line if step else None, new=new)


def _flaky(j: JudgedJourney, settings: GateSettings) -> Iterator[Check]:
    if not j.flaky or j.failed:
        return
    run = j.flaky[0]
    share = f" ({len(j.flaky)} of {len(j.runs)} runs)" if len(j.runs) > 1 else ""
    yield _check(j, "flaky", settings,
                 f"Passed only on attempt {run.attempt} of {run.attempt}{share}: an earlier attempt could "
                 "not be measured")


def _budgets(j: JudgedJourney, budget: Budget, settings: GateSettings) -> Iterator[Check]:
    figures = [("seconds", j.median_seconds, budget.seconds, "s", "run time"),
               ("clicks", j.median_clicks, budget.clicks, "", "clicks"),
               ("steps", j.median_steps, budget.steps, "", "steps"),
               ("friction_score", j.median_score, budget.friction_score, "", "friction score")]
    for _key, value, limit, unit, what in figures:
        yield from _over(j, settings, value, limit, unit, what, None)
    for name, limit in budget.step_seconds.items():
        values = j.step_values(name)
        yield from _over(j, settings, median(values), limit, "s", f"time in step “{name}”", name)
    for name, clicks in budget.step_clicks.items():
        values = j.step_values(name, clicks=True)
        yield from _over(j, settings, median(values), clicks, "", f"clicks in step “{name}”", name)


def _over(j: JudgedJourney, settings: GateSettings, value: float | None, limit: float | None,
          unit: str, what: str, step: str | None) -> Iterator[Check]:
    if value is None or limit is None or value <= limit:
        return
    far = value > limit * (1 + settings.budget_margin)
    rule = "far-over-budget" if far and settings.level("far-over-budget") != "off" else "over-budget"
    row = j.step_named(step) if step else None
    of = " (median)" if len(j.passed) > 1 else ""
    yield _check(j, rule, settings, f"{_first_up(what)} {_fmt(value)}{unit}{of} against a budget of "
                 f"{_fmt(limit)}{unit}" + (f", more than {settings.budget_margin:.0%} over" if far else ""),
                 step=step or "", line=row.line if row else None)


def _against_baseline(j: JudgedJourney, base: JourneyBaseline, settings: GateSettings, *,
                      explained: bool) -> Iterator[Check]:
    """Counts and time against the baseline; a higher score that a new finding or a failure
    already explains is not said twice."""
    pairs = [("more-steps", j.median_steps, base.steps, settings.more_steps, "steps"),
             ("more-clicks", j.median_clicks, base.clicks, settings.more_clicks, "clicks"),
             ("higher-score", j.median_score, base.friction_score, settings.higher_score, "friction score")]
    for rule, now, then, threshold, what in pairs:
        if rule == "higher-score" and explained:
            continue
        if now is not None and then is not None and now - then >= threshold:
            yield _check(j, rule, settings, f"{_first_up(what)} {_fmt(now)} against {_fmt(then)} in the "
                         f"baseline (+{_fmt(now - then)})")
    timing = compare_times(j.seconds, base.seconds, min_change=settings.slower_change,
                           min_ms=settings.slower_ms, alpha=settings.slower_alpha,
                           min_samples=settings.slower_samples)
    if timing is not None and timing.regression:
        yield _check(j, "slower", settings, f"Slower to complete: {timing.sentence()}")


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}".removesuffix(".0")
