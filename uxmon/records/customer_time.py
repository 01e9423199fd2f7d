"""Customer time is not the script's timeout: a failed run's last step ends when the customer
saw the page stop them, not when uxmon gave up waiting for what never came.

A run that fails usually fails in a wait (``expect(...)`` for a "Thank you" that never shows):
the scenario's timeout runs on after the customer has already seen the refusal. The failed
step is cut at the last thing the customer saw happen in it (a press and its answer, a page
that painted, a message, a popup, a field that changed), so every time that counts a step
(slow steps, time before a problem) is the customer's. The seconds cut off are the wait,
shown apart (run time minus the steps).
"""

from __future__ import annotations

from collections.abc import Iterator

from .model import Step

# A press the page never answered still had the customer looking at it this long.
LOOK_AFTER_PRESS_MS = 1000.0


def moments(step: Step) -> Iterator[float]:
    """Everything in the step the customer could see happen, as ms since the run began."""
    for action in step.actions:
        yield action.at_ms + min(action.answer_ms if action.answer_ms is not None else LOOK_AFTER_PRESS_MS,
                                 LOOK_AFTER_PRESS_MS)
    for nav in step.navigations:
        yield nav.at_ms + (nav.fcp_ms or nav.dom_ready_ms or 0.0)
    yield from (a.at_ms for a in step.alerts)
    yield from (m.at_ms for m in step.messages)
    yield from (o.at_ms for o in step.overlays)
    yield from (c.at_ms for c in step.field_checks)
    yield from (e.at_ms for e in step.errors)
    yield from (g.at_ms for g in step.goals)
    yield from (p.at_ms for p in step.prices)


def trim_failed_step(steps: list[Step], failed_at: int | None) -> float:
    """Cut the failed step (default: the last) at its last visible moment; the ms cut off."""
    if not steps:
        return 0.0
    step = steps[failed_at if failed_at is not None else -1]
    if step is not steps[-1]:
        return 0.0  # only the step the run ended in waited on to the timeout
    seen = [m for m in moments(step) if m <= step.end_ms]
    if not seen:
        return 0.0
    end = max(step.start_ms, max(seen))  # a refusal shown as the answer to the last press: at once
    waited = step.end_ms - end
    if waited < LOOK_AFTER_PRESS_MS:  # uxmon closing the page, not a wait
        return 0.0
    step.duration_ms = round(end - step.start_ms, 1)
    return round(waited, 1)
