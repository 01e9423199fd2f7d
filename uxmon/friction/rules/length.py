"""Length: journeys with more steps, clicks, keystrokes or fields than their budget; forced sign-up."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext, step_of
from ..registry import rule

PURCHASE_TAGS = ("purchase", "checkout", "buy", "order")


@rule("journey-length", "length", "More steps, clicks, keystrokes or fields than the budget")
def journey_length(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    if run.outcome != "passed":
        return  # an unfinished journey's length says nothing
    limits = ctx.limits
    measures = (("steps", len(run.steps), limits.max_steps),
                ("clicks", run.clicks, limits.max_clicks),
                ("keystrokes", run.keystrokes, limits.max_keystrokes),
                ("form fields", run.fields, limits.max_fields))
    for name, value, budget in measures:
        if value <= budget:
            continue
        yield ctx.finding(
            run, "journey-length", "medium" if value > 1.5 * budget else "low",
            f"The journey takes {value} {name}, over its budget of {budget}",
            step=None, target=name,
            detail="Every extra step, click and field is a chance to give up; Baymard finds "
                   "12-14 form elements enough for most checkouts.",
            evidence=Evidence(figures={name.replace(" ", "_"): value, "budget": budget}))


@rule("forced-account", "length", "A password is required before paying")
def forced_account(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    purchase = any(t in PURCHASE_TAGS for t in run.tags) or any(s.prices for s in run.steps)
    if not purchase:
        return
    for action in run.actions:
        if action.target.input_type != "password":
            continue
        yield ctx.finding(
            run, "forced-account", "high",
            "Customers must create an account (a password) before they can pay",
            step=step_of(run, action.at_ms), target="password", at_ms=action.at_ms,
            detail="Forced account creation is one of the most common reasons to abandon a "
                   "purchase; offer checkout as a guest.",
            evidence=Evidence(selector=action.target.selector, text=action.target.text,
                              rect=action.target.rect, at_ms=action.at_ms))
        return
