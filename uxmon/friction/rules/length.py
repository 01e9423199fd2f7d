"""Length: journeys with more steps, clicks, keystrokes or fields than their budget; forced sign-up."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, RunRecord
from ..context import RuleContext
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


@rule("forced-account", "length", "A new account must be created before paying")
def forced_account(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    """Creating an account (a new password, a confirmation, "Create account") with no guest
    path on the page; signing in to an account the customer has is not friction."""
    purchase = any(t in PURCHASE_TAGS for t in run.tags) or any(s.prices for s in run.steps)
    if not purchase:
        return
    for step in run.steps:
        passwords = [a for a in step.actions if a.kind == "fill" and a.target.input_type == "password"]
        if not passwords:
            continue
        fresh = any("new-password" in a.target.autocomplete for a in passwords)
        confirmed = len({a.target.selector or a.target.text for a in passwords}) >= 2
        asked = any(ctx.words.found(ctx.words.signup, a.target.text) for a in step.actions)
        if not (fresh or confirmed or asked) or ctx.words.found(ctx.words.guest, step.text):
            continue
        first = passwords[0]
        yield ctx.finding(
            run, "forced-account", "high",
            "Customers must create an account before they can buy",
            step=step, target="new account", at_ms=first.at_ms,
            detail="Forced account creation is one of the most common reasons to abandon a "
                   "purchase; offer checkout as a guest.",
            evidence=Evidence(selector=first.target.selector, text=first.target.text,
                              rect=first.target.rect, at_ms=first.at_ms),
            cause="a new password" + (" entered twice" if confirmed else "") + ", and no way on as a guest")
        return
