"""Phones: pages wider than the screen, targets too small to tap, text too small to read."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext, cap, describe_target, step_of
from ..registry import rule


def _phone(run: RunRecord) -> bool:
    return run.viewport.mobile or run.viewport.touch


@rule("sideways-scroll", "mobile", "A page wider than the phone screen")
def sideways_scroll(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    if not _phone(run):
        return
    for step in run.steps:
        if not step.viewport_width or step.page_width <= step.viewport_width + 1:
            continue
        culprit = step.overflow[0] if step.overflow else ""
        yield ctx.finding(
            run, "sideways-scroll", "high",
            f"The page scrolls sideways on a phone at step {step.index} ({step.name}): "
            f"{step.page_width} px of content on a {step.viewport_width} px screen",
            step=step, target=step.url.split("?")[0], at_ms=step.end_ms,
            detail="Content off the side of the screen is content customers never see; "
                   "sideways panning is the first sign of a site that is not made for phones.",
            evidence=Evidence(selector=culprit.split(" (")[0], text=", ".join(step.overflow[:3]),
                              url=step.url, figures={"page_width": step.page_width,
                                                     "viewport_width": step.viewport_width}),
            cause=f"{culprit} sticks out" if culprit else "")


@rule("small-target", "mobile", "A tapped control smaller than 24 × 24 px (WCAG 2.5.8)")
def small_target(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    """WCAG 2.5.8 with its exceptions: a small target with room around it (a 24 px circle on
    it touches no other target) or a link inline in a sentence passes. A small target is low,
    unless it is the step's main action (the press that moved the journey on)."""
    if not _phone(run):
        return
    floor = ctx.limits.tap_target_px
    for step in run.steps:
        presses = [a for a in step.actions if a.kind in ("click", "tap")]
        for action in presses:
            area = action.target.hit_rect or action.target.rect
            if area is None or area.width <= 0 or (area.width >= floor and area.height >= floor):
                continue
            if action.target.spaced or action.target.inline:
                continue
            main = action is presses[-1]
            yield ctx.finding(
                run, "small-target", "medium" if main else "low",
                f"{cap(describe_target(action))} is {area.width:.0f} × {area.height:.0f} px: "
                f"too small to tap reliably",
                step=step, target=action.target.selector or action.target.text, at_ms=action.at_ms,
                detail=f"WCAG 2.2 (2.5.8) asks for at least {floor:.0f} × {floor:.0f} CSS px per target, "
                       "or room around a smaller one.",
                evidence=Evidence(selector=action.target.selector, text=action.target.text,
                                  rect=area, at_ms=action.at_ms,
                                  figures={"width": area.width, "height": area.height}))


@rule("small-text", "mobile", "Text under 12 px in a control the customer taps")
def small_text(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    if not _phone(run):
        return
    for action in run.actions:
        size = action.target.font_px
        if action.kind not in ("click", "tap") or size is None or size >= ctx.limits.min_text_px:
            continue
        yield ctx.finding(
            run, "small-text", "low",
            f"{cap(describe_target(action))} uses {size:.0f} px text on a phone",
            step=step_of(run, action.at_ms), target=action.target.selector or action.target.text,
            at_ms=action.at_ms,
            evidence=Evidence(selector=action.target.selector, text=action.target.text,
                              rect=action.target.rect, at_ms=action.at_ms, figures={"font_px": size}))
