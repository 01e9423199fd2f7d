"""Support reachability: how far a way to contact a human is, and how long the first answer takes."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext, effort_before, seconds, step_of
from ..registry import rule


@rule("support-reach", "support", "A contact channel many clicks or seconds away")
def support_reach(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    reached = next((g for g in run.goals if g.channel), None)
    if reached is None:
        return
    spent = effort_before(run, reached.at_ms + 0.1)
    limits = ctx.limits
    too_many = spent.clicks > limits.support_max_clicks
    too_slow = reached.at_ms > limits.support_max_ms
    if not too_many and not too_slow:
        return
    far = spent.clicks >= 2 * limits.support_max_clicks or reached.at_ms > 2 * limits.support_max_ms
    severity = "high" if far else "medium"
    yield ctx.finding(
        run, "support-reach", severity,
        f"Reaching {reached.channel} support takes {spent.clicks} clicks and {seconds(reached.at_ms)}",
        step=step_of(run, reached.at_ms), target=reached.channel, at_ms=reached.at_ms,
        detail=f"The budget is {limits.support_max_clicks} clicks and {seconds(limits.support_max_ms)}: "
               "a customer with a problem should not have to search for a way to ask.",
        evidence=Evidence(text=reached.name, at_ms=reached.at_ms,
                          figures={"clicks": spent.clicks, "ms": reached.at_ms}))


@rule("chat-wait", "support", "A first chat answer slower than its budget (on hold)")
def chat_wait(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    budget = ctx.limits.chat_answer_ms
    for step in run.steps:
        for timing in step.timings:
            if timing.kind != "chat" or (timing.ok and timing.duration_ms <= budget):
                continue
            severity = "high" if not timing.ok or timing.duration_ms > 3 * budget else "medium"
            waited = f"no answer after {seconds(timing.duration_ms)}" if not timing.ok \
                else f"the first answer takes {seconds(timing.duration_ms)}"
            yield ctx.finding(
                run, "chat-wait", severity,
                f"On hold: in the chat, {waited}",
                step=step, target=timing.name, at_ms=timing.at_ms,
                detail=f"The budget for “{timing.name}” is {seconds(budget)}.",
                evidence=Evidence(text=timing.name, at_ms=timing.at_ms + timing.duration_ms,
                                  figures={"wait_ms": timing.duration_ms, "budget_ms": budget}))
