"""Interruptions: overlays that pop up mid-journey, and presses that hit something on top."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, Overlay, Rect, RunRecord, Step
from ..context import RuleContext, cap, describe_target, step_of
from ..registry import rule


@rule("interruption", "interruptions", "A popup or overlay the customer has to deal with")
def interruption(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    """An overlay covering the page that the customer had to dismiss to go on, whenever it
    came; one that came mid-step even if it went away by itself. Only the wording knows
    whether it greeted the page (a cookie banner's place) or broke into the task."""
    for step in run.steps:
        for overlay in step.overlays:
            if not (overlay.modal or overlay.coverage >= 0.5):
                continue
            dismissed = [a for a in run.actions if overlay.at_ms <= a.at_ms
                         and (overlay.closed_ms is None or a.at_ms <= overlay.closed_ms + 50)
                         and _inside(a.target.rect, overlay.rect)]
            mid = _mid_journey(step, overlay, ctx)
            if not dismissed and not mid:
                continue
            how = (f" The customer had to {dismissed[-1].kind} {describe_target(dismissed[-1])} to go on."
                   if dismissed else "")
            when = (f"in the middle of step {step.index} ({step.name})" if mid
                    else f"as the page of step {step.index} ({step.name}) opens")
            yield ctx.finding(
                run, "interruption", "medium", f"A popup covers the page {when}",
                step=step, target=overlay.selector, at_ms=overlay.at_ms,
                detail=f"“{overlay.text[:100]}” covered {overlay.coverage:.0%} of the screen." + how,
                evidence=Evidence(selector=overlay.selector, text=overlay.text, rect=overlay.rect,
                                  at_ms=overlay.at_ms, figures={"coverage": overlay.coverage}))


def _mid_journey(step: Step, overlay: Overlay, ctx: RuleContext) -> bool:
    """Not what greets a page as it opens: later than that."""
    loaded = max((n.at_ms for n in step.navigations if n.at_ms <= overlay.at_ms), default=step.start_ms)
    acted = any(loaded <= a.at_ms < overlay.at_ms for a in step.actions)
    return acted or overlay.at_ms - loaded > ctx.limits.overlay_grace_ms


def _inside(point: Rect | None, area: Rect | None) -> bool:
    if point is None or area is None:
        return False
    cx, cy = point.x + point.width / 2, point.y + point.height / 2
    return area.x <= cx <= area.x + area.width and area.y <= cy <= area.y + area.height


@rule("covered-click", "interruptions", "A press that first landed on something covering the target")
def covered_click(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for action in run.actions:
        if not action.retries or action.moved_px:
            continue  # a target that moved is the moved-target rule's case
        cover = action.covered_by
        what = f"“{cover.text}”" if cover and cover.text else (cover.selector if cover else "something")
        yield ctx.finding(
            run, "covered-click", "medium",
            f"{cap(what)} covers {describe_target(action)}: the first press lands on it",
            step=step_of(run, action.at_ms), target=action.target.selector or action.target.text,
            at_ms=action.at_ms,
            detail="A customer's tap would have hit the element on top; the robot had to retry.",
            evidence=Evidence(selector=action.target.selector, text=action.target.text,
                              rect=action.target.rect, at_ms=action.at_ms,
                              figures={"retries": action.retries}),
            cause=f"{cover.selector} lies over it" if cover else "")
