"""The task itself: a run that could not be completed is the biggest friction of all."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext
from ..registry import rule


@rule("task-failed", "outcome", "The customer could not complete the task")
def task_failed(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    if run.outcome != "failed":
        return
    step = run.step_at_failure
    where = f" at step {step.index} ({step.name})" if step else ""
    yield ctx.finding(
        run, "task-failed", "critical", f"Customers cannot finish “{run.scenario}”: stuck{where}",
        step=step, target=run.error_kind, detail=run.reason,
        evidence=Evidence(text=run.reason, at_ms=step.end_ms if step else run.duration_ms))
