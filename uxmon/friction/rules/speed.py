"""Slow feedback (actions), slow steps (over budget) and slow pages (largest contentful paint)."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, Request, RunRecord
from ..context import RuleContext, busy_machine, describe_target, seconds, step_of
from ..registry import rule


@rule("slow-answer", "speed", "An action the page takes over a second to answer")
def slow_answer(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    limits = ctx.limits
    for action in run.actions:
        waited = action.answer_ms
        if waited is None or action.kind in ("fill", "select") or waited <= limits.slow_answer_ms:
            continue
        step = step_of(run, action.at_ms)
        severity = "high" if waited > limits.very_slow_answer_ms else "medium"
        slowest = _slowest_request(run, action.at_ms, action.at_ms + waited)
        busy = "" if _slow(slowest, limits.slow_answer_ms) \
            else busy_machine(run, action.at_ms, action.at_ms + waited, limits.busy_machine)
        yield ctx.finding(
            run, "slow-answer", "low" if busy else severity,
            f"After {describe_target(action)}, customers wait {seconds(waited)} for an answer",
            step=step, target=action.target.selector or action.target.text, at_ms=action.at_ms,
            detail=busy or f"Over {seconds(limits.slow_answer_ms)} without feedback people start to "
                           f"doubt their click; over {seconds(limits.very_slow_answer_ms)} they leave.",
            evidence=Evidence(selector=action.target.selector, text=action.target.text,
                              rect=action.target.rect, at_ms=action.at_ms,
                              figures={"answer_ms": waited}),
            cause=f"{slowest.method} {slowest.url} took {seconds(slowest.duration_ms or 0)}"
                  if slowest else "")


def _slowest_request(run: RunRecord, start: float, end: float) -> Request | None:
    window = [r for s in run.steps for r in s.requests
              if start <= r.at_ms <= end and r.duration_ms is not None]
    return max(window, key=lambda r: r.duration_ms or 0) if window else None


def _slow(request: Request | None, limit_ms: float) -> bool:
    """A request that alone explains a wait: the site's time, however busy the monitor was."""
    return request is not None and (request.duration_ms or 0) >= limit_ms


@rule("slow-step", "speed", "A step over its time budget")
def slow_step(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for step in run.steps:
        budget = ctx.limits.step_budgets.get(step.name, ctx.limits.step_budget_ms)
        if step.duration_ms <= budget:
            continue
        yield ctx.finding(
            run, "slow-step", "high" if step.duration_ms > 2 * budget else "medium",
            f"Step {step.index} ({step.name}) takes {seconds(step.duration_ms)}, "
            f"over its {seconds(budget)} budget",
            step=step, target=step.name, at_ms=step.end_ms,
            evidence=Evidence(figures={"duration_ms": step.duration_ms, "budget_ms": budget}))


@rule("slow-page", "speed", "A page whose largest content takes over 2.5 s to show")
def slow_page(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    limits = ctx.limits
    for step in run.steps:
        for nav in step.navigations:
            if nav.lcp_ms is None or nav.lcp_ms <= limits.lcp_ms:
                continue
            server_slow = bool(nav.ttfb_ms and nav.ttfb_ms > 800)
            end = nav.at_ms + nav.lcp_ms
            sites = server_slow or _slow(_slowest_request(run, nav.at_ms, end), limits.slow_answer_ms)
            busy = "" if sites else busy_machine(run, nav.at_ms, end, limits.busy_machine)
            severity = "high" if nav.lcp_ms > limits.very_slow_lcp_ms else "medium"
            yield ctx.finding(
                run, "slow-page", "low" if busy else severity,
                f"The page of step {step.index} ({step.name}) takes {seconds(nav.lcp_ms)} "
                f"to show its main content",
                step=step, target=nav.url.split("?")[0], at_ms=nav.at_ms,
                detail=busy or "Largest contentful paint over 2.5 s is 'needs improvement' and "
                               "over 4 s 'poor' in Google's Web Vitals.",
                evidence=Evidence(url=nav.url, at_ms=nav.at_ms,
                                  figures={"lcp_ms": nav.lcp_ms, "ttfb_ms": nav.ttfb_ms or 0}),
                cause=f"the server took {seconds(nav.ttfb_ms or 0)} to start answering"
                      if server_slow else "")
