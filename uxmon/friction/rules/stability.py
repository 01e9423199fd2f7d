"""Layout instability: pages that jump, and buttons that move just as they are pressed."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext, cap, describe_target, step_of
from ..registry import rule


@rule("layout-shift", "stability", "A step whose content jumps around (layout shift over 0.1)")
def layout_shift(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for step in run.steps:
        total = step.layout_shift
        if total <= ctx.limits.layout_shift:
            continue
        shifts = [s for s in step.shifts if not s.recent_input and not s.expected]
        worst = max(shifts, key=lambda s: s.value)
        moved = worst.moved[0] if worst.moved else None
        yield ctx.finding(
            run, "layout-shift", "high" if total > ctx.limits.bad_layout_shift else "medium",
            f"Content jumps around at step {step.index} ({step.name}) (layout shift {total:.2f})",
            step=step, target=step.name, at_ms=worst.at_ms,
            detail="Web Vitals call a layout shift over 0.1 'needs improvement' and over 0.25 'poor'.",
            evidence=Evidence(selector=moved.selector if moved else "", text=moved.text if moved else "",
                              at_ms=worst.at_ms, figures={"layout_shift": round(total, 3)}))


@rule("moved-target", "stability", "A button that moved after the customer could see it, before the press")
def moved_target(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    """Moved by more than its own height (or 24 px): the customer finds it somewhere else, or
    presses what took its place, even when the page's layout-shift score stays small."""
    for action in run.actions:
        before, rect = action.moved_ms_before, action.target.rect
        height = rect.height if rect is not None else 0.0
        if not action.moved_px or before is None or action.moved_px <= max(24.0, height):
            continue
        just = before <= ctx.limits.shift_before_action_ms
        misclick = (f" The first press landed on “{action.covered_by.text or action.covered_by.selector}”."
                    if action.covered_by else "")
        yield ctx.finding(
            run, "moved-target", "high" if just or action.covered_by else "medium",
            f"{cap(describe_target(action))} jumped {action.moved_px:.0f} px "
            + (f"{before:.0f} ms before it was pressed" if just else "after the page had shown it"),
            step=step_of(run, action.at_ms), target=action.target.selector or action.target.text,
            at_ms=action.at_ms,
            detail=("Something pushed the button away as the customer reached for it: the press "
                    "hits whatever took its place." if just else
                    "Something pushed the button down after the customer had found it: they have "
                    "to look for it again.") + misclick,
            evidence=Evidence(selector=action.target.selector, text=action.target.text,
                              rect=action.target.rect, at_ms=action.at_ms,
                              figures={"moved_px": action.moved_px, "ms_before": before}),
            cause=f"“{action.covered_by.text}” ({action.covered_by.selector}) appeared in its place"
                  if action.covered_by else "")
