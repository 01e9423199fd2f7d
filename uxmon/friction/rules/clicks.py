"""Dead clicks (nothing answers) and error clicks (the answer is an error)."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Action, Evidence, Finding, RunRecord
from ..context import RuleContext, cap, describe_target, step_of
from ..registry import rule

ERROR_WINDOW_MS = 2000


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


@rule("error-click", "clicks", "An action answered by an error message or a script error")
def error_click(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    actions = run.actions
    for i, action in enumerate(actions):
        if not _pressed(action) and action.kind != "select":
            continue
        limit = min(action.at_ms + ERROR_WINDOW_MS,
                    actions[i + 1].at_ms if i + 1 < len(actions) else float("inf"))
        step = step_of(run, action.at_ms)
        # An error on a page the action opened belongs to that page (js-error), not the press.
        loaded = [n.at_ms for s in run.steps for n in s.navigations
                  if n.kind == "document" and action.at_ms <= n.at_ms < limit]
        limit = min([limit, *loaded])
        errors = [e for s in run.steps for e in s.errors if action.at_ms <= e.at_ms < limit]
        alerts = [a for s in run.steps for a in s.alerts if action.at_ms <= a.at_ms < limit
                  and ctx.words.error_in(a.text) and not ctx.words.blocker_in(a.text)]
        if not errors and not alerts:
            continue
        what = f"the error “{alerts[0].text}”" if alerts else f"a script error ({errors[0].message})"
        yield ctx.finding(
            run, "error-click", "medium",
            f"{cap(describe_target(action))} answers with {what[:120]}",
            step=step, target=action.target.selector or action.target.text, at_ms=action.at_ms,
            detail="The customer did what the page asked and got an error back.",
            evidence=Evidence(selector=action.target.selector, text=alerts[0].text if alerts else "",
                              rect=alerts[0].rect if alerts else action.target.rect,
                              at_ms=alerts[0].at_ms if alerts else action.at_ms),
            cause=errors[0].message if errors else "")
