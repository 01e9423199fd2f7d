"""Support reachability: how many clicks a way to contact a human is away, and how long the
first answer takes."""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Action, Evidence, Finding, RunRecord
from ...records.text import clean
from ..context import RuleContext, seconds, step_of
from ..registry import rule

PRESSES = ("click", "tap")
CRUMB_CHARS = 40   # one clicked link's text in the path
PATH_CHARS = 100   # the path in the title; the detail has it whole


@rule("support-reach", "support", "A contact channel more clicks away than its budget")
def support_reach(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    """Counts the customer's clicks to the first contact channel, and names them.

    Clicks, not seconds: how long the script took to walk the path says nothing about how long
    a person searches for the next link, while each click is a page the customer had to read.
    """
    reached = next((g for g in run.goals if g.channel), None)
    if reached is None:
        return
    clicks = [a for a in run.actions if a.kind in PRESSES and a.at_ms <= reached.at_ms + 0.1]
    budget = ctx.limits.support_max_clicks
    if len(clicks) <= budget:
        return
    path = click_path(clicks)
    severity = "high" if len(clicks) >= 2 * budget else "medium"
    yield ctx.finding(
        run, "support-reach", severity,
        f"Reaching {reached.channel} support takes {len(clicks)} clicks: {shorten_path(path)}",
        step=step_of(run, reached.at_ms), target=reached.channel, at_ms=reached.at_ms,
        detail=f"The customer clicked {' › '.join(path)} to reach {reached.channel} "
               f"(“{reached.name}”). The budget is {budget} clicks: a customer with a problem "
               "should not have to search for a way to ask.",
        evidence=Evidence(text=" › ".join(path), at_ms=reached.at_ms,
                          figures={"clicks": len(clicks), "budget": budget}))


def click_path(clicks: list[Action]) -> list[str]:
    """What the customer clicked, in order, as they read it: each target's text (or selector)."""
    return [_crumb(a.target.text or a.target.selector or a.kind) for a in clicks]


def _crumb(text: str) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= CRUMB_CHARS else text[: CRUMB_CHARS - 1].rstrip() + "…"


def shorten_path(path: list[str], limit: int = PATH_CHARS) -> str:
    """The path on one line; when long, its first and last clicks with "…" between."""
    whole = " › ".join(path)
    if len(whole) <= limit or len(path) <= 2:
        return whole
    head, tail = [path[0]], [path[-1]]
    for crumb in path[1:-1]:
        if len(" › ".join([*head, crumb, "…", *tail])) > limit:
            break
        head.append(crumb)
    return " › ".join([*head, "…", *tail])


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
