"""Run the rules over records: one run at a time, then across a scenario's viewports.

A rule that raises on an odd record must not lose the others' findings, so each rule runs
on its own; its error is kept as an ``info`` finding that says which rule and why.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping, Sequence

from ..records import Evidence, Finding, RunRecord
from .context import RuleContext
from .registry import batch_rules, run_rules
from .score import friction_score
from .settings import FrictionSettings

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


def analyse_run(run: RunRecord, settings: FrictionSettings | None = None) -> list[Finding]:
    """Every run rule's findings for one run, without duplicates, worst first."""
    ctx = RuleContext(settings or FrictionSettings())
    found: list[Finding] = []
    for info in run_rules():
        if not ctx.settings.enabled(info.id, info.family):
            continue
        try:
            found.extend(info.func(run, ctx))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
            found.append(_rule_broke(info.id, exc))
    return order(merge(found))


def analyse_batch(runs: Sequence[RunRecord], settings: Mapping[str, FrictionSettings]) -> None:
    """Add cross-viewport findings to the runs of each scenario, then rescore every run."""
    by_scenario: dict[str, list[RunRecord]] = {}
    for run in runs:
        by_scenario.setdefault(run.scenario, []).append(run)
    for scenario, group in by_scenario.items():
        ctx = RuleContext(settings.get(scenario) or FrictionSettings())
        for info in batch_rules():
            if not ctx.settings.enabled(info.id, info.family):
                continue
            try:
                for run, finding in info.func(group, ctx):
                    run.findings = order(merge([*run.findings, finding]))
            except Exception as exc:  # noqa: BLE001
                group[0].findings.append(_rule_broke(info.id, exc))
    for run in runs:
        run.friction_score = friction_score(run.findings)


def score_run(run: RunRecord, settings: FrictionSettings | None = None) -> None:
    run.findings = analyse_run(run, settings)
    run.friction_score = friction_score(run.findings)


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """One root cause, one finding.

    A failed request or console error that another finding already names (the 409 behind an
    out-of-stock message, the 404 of a broken image) is dropped, and so is "the task failed"
    when a late blocker or another critical finding at that step or before already says why
    (a form that refuses what was filled in). Equal fingerprints keep the first.
    """
    items = list(findings)
    claimed = {f.evidence.url for f in items
               if f.rule not in ("failed-request", "console-error") and f.evidence.url}
    blocked = [f.step for f in items if f.step is not None
               and (f.rule == "late-blocker" or (f.severity == "critical" and f.rule != "task-failed"))]
    kept: list[Finding] = []
    seen: set[str] = set()
    for f in items:
        if f.rule in ("failed-request", "console-error") and f.evidence.url in claimed:
            continue
        if f.rule == "console-error" and _is_load_error(f, claimed | _failed_urls(items)):
            continue
        if f.rule == "task-failed" and any(b <= (f.step or 0) for b in blocked):
            continue
        if f.fingerprint and f.fingerprint in seen:
            continue
        seen.add(f.fingerprint)
        kept.append(f)
    return kept


def _failed_urls(items: list[Finding]) -> set[str]:
    return {f.evidence.url for f in items if f.rule == "failed-request"}


def _is_load_error(f: Finding, urls: set[str]) -> bool:
    """'Failed to load resource' messages repeat a request failure already reported."""
    return f.evidence.text.startswith("Failed to load resource") and (f.evidence.url in urls or not urls)


def order(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.step or 0))


def _rule_broke(rule_id: str, exc: Exception) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    line = f" ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where else ""
    return Finding(rule="rule-error", severity="info",
                   title=f"The rule “{rule_id}” could not judge this run",
                   detail=f"{type(exc).__name__}: {exc}{line}", evidence=Evidence(text=rule_id),
                   fingerprint=f"rule-error-{rule_id}")
