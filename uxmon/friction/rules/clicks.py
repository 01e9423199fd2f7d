"""Dead clicks: a click or tap after which nothing visibly happens (errors are in messages.py)."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Action, Evidence, Finding, RunRecord
from ..context import RuleContext, cap, describe_target, step_of
from ..registry import rule


def _pressed(action: Action) -> bool:
    return action.kind in ("click", "tap") or (action.kind == "key" and action.key == "Enter")


@rule("dead-click", "clicks", "A click or tap after which nothing visibly happens")
def dead_click(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    for action in run.actions:
        if not _pressed(action) or action.answer_ms is not None:
            continue
        if action.watched_ms < ctx.limits.dead_click_ms:
            continue  # the next action came too soon to tell
        step = step_of(run, action.at_ms)
        stuck = run.outcome == "failed" and step is not None and run.failed_step == step.index
        cause = ("it sent a request, but nothing on screen changed" if action.request_ms is not None
                 else "no request, no change on screen: the button's handler did nothing")
        yield ctx.finding(
            run, "dead-click", "high" if stuck else "medium",
            f"{cap(describe_target(action))} does nothing when {_verb(action)}",
            step=step, target=action.target.selector or action.target.text, at_ms=action.at_ms,
            detail=f"Nothing changed on the page for {action.watched_ms / 1000:.1f} s after the "
                   f"{action.kind}" + (", and the customer could not go on." if stuck else "."),
            evidence=Evidence(selector=action.target.selector, text=action.target.text,
                              rect=action.target.rect, at_ms=action.at_ms,
                              figures={"watched_ms": action.watched_ms}),
            cause=cause)


def _verb(action: Action) -> str:
    return {"tap": "tapped", "key": "Enter is pressed"}.get(action.kind, "clicked")
