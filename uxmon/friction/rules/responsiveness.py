"""Frozen pages: the page cannot paint or answer for a second or more after the customer acts.

A click can be answered at once (the address changes) and still leave the customer in front of
a page that does not move: the main thread is busy. Long animation frames (or long tasks) say
how long; the press just before says after what.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Evidence, Finding, Lag, RunRecord
from ..context import RuleContext, describe_target, seconds, step_of
from ..registry import rule

AFTER_MS = 10_000  # a freeze this long after a press is still that press's consequence


@rule("frozen-page", "speed", "The page cannot paint or answer for a second or more")
def frozen_page(run: RunRecord, ctx: RuleContext) -> Iterator[Finding]:
    limits = ctx.limits
    presses = [a for a in run.actions if a.kind != "fill"]
    told: set[str] = set()
    for step in run.steps:
        for lag in step.lags:
            frozen = _frozen(lag)
            if frozen < limits.frozen_ms:
                continue
            before = [a for a in presses if a.at_ms <= lag.at_ms + 50 and lag.at_ms - a.at_ms <= AFTER_MS]
            press = before[-1] if before else None
            where = step_of(run, press.at_ms) if press else step
            key = press.target.selector or press.target.text if press else step.name
            if key in told:
                continue
            told.add(key)
            after = f" after {describe_target(press)}" if press else ""
            yield ctx.finding(
                run, "frozen-page", "high" if frozen >= limits.very_frozen_ms else "medium",
                f"The page freezes for {seconds(frozen)}{after}",
                step=where, target=key, at_ms=lag.at_ms,
                detail="Nothing on the page moves or answers while its script runs: taps go "
                       "unanswered and customers press again or leave.",
                evidence=Evidence(selector=press.target.selector if press else "",
                                  text=press.target.text if press else "", at_ms=lag.at_ms,
                                  figures={"blocked_ms": frozen, "step_blocked_ms": step.blocked_ms}),
                cause=(f"{lag.source} ran for {seconds(lag.script_ms)}" if lag.source and lag.script_ms
                       else f"a task on the page's main thread ran for {seconds(lag.duration_ms)}"))


def _frozen(lag: Lag) -> float:
    """How long the page's own scripts held it, as far as the browser says.

    A long frame with no script to blame is the machine running uxmon being busy (the renderer
    was not given the CPU), not the site: only the scripts' time counts where it is known.
    """
    if lag.script_ms or lag.source:
        return lag.script_ms
    return lag.blocking_ms
