"""Alert states per journey (scenario × viewport): a pure state machine that says when to speak.

A journey is *passing*, *degraded* (it passed, but flaky or with new severe friction),
*failing* (the customer could not finish) or *unmeasured* (uxmon could not reach or drive the
site). Messages follow Checkly's rules: failing after N failing runs in a row, degraded→failing
at once, recovery only after a failure (or degradation) was told, a few reminders an hour
apart; unmeasured runs are their own alert ("uxmon cannot reach the site").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..history.rows import AlertStateRow
from ..records import RunRecord
from .settings import Policy, at_least

PASSING, DEGRADED, FAILING, UNMEASURED = "passing", "degraded", "failing", "unmeasured"
Journey = tuple[str, str]


@dataclass(frozen=True)
class Observation:
    """What one batch saw of a journey (its final attempts, after retries)."""

    scenario: str
    viewport: str
    status: str

    @property
    def journey(self) -> Journey:
        return self.scenario, self.viewport


@dataclass(frozen=True)
class Transition:
    """A state change worth a message."""

    scenario: str
    viewport: str
    event: str  # run.failing, run.recovered, run.degraded, run.unmeasured
    streak: int  # runs in a row in the current status
    previous: str = ""  # for run.recovered: what had been told (failing, degraded, unmeasured)
    reminder: int = 0  # 0: the first message; 1, 2: reminders
    since: str = ""  # when the current status began

    @property
    def journey(self) -> Journey:
        return self.scenario, self.viewport


def observe(records: Sequence[RunRecord], new_severities: Mapping[Journey, Iterable[str]],
            policy: Policy) -> list[Observation]:
    """One observation per journey of the batch; repeats of a journey count as its worst."""
    by_journey: dict[Journey, list[RunRecord]] = {}
    for record in records:
        by_journey.setdefault((record.scenario, record.viewport.name), []).append(record)
    found = []
    for journey, runs in by_journey.items():
        if any(r.outcome == "failed" for r in runs):
            status = FAILING
        elif all(r.outcome == "error" for r in runs):
            status = UNMEASURED
        elif any(r.flaky for r in runs) or any(
                at_least(sev, policy.degraded_severity) for sev in new_severities.get(journey, ())):
            status = DEGRADED
        else:
            status = PASSING
        found.append(Observation(*journey, status))
    return found


def advance(state: AlertStateRow | None, seen: Observation, policy: Policy, now: str,
            batch_id: str = "") -> tuple[AlertStateRow, Transition | None]:
    """The journey's next state after ``seen``, and the message it calls for (if any)."""
    prev = state or AlertStateRow(seen.scenario, seen.viewport, PASSING)
    same = prev.status == seen.status
    nxt = replace(prev, status=seen.status, streak=prev.streak + 1 if same else 1,
                  changed_at=prev.changed_at if same and prev.changed_at else now, batch_id=batch_id)
    told = prev.notified
    if seen.status in (FAILING, UNMEASURED):
        event = "run.failing" if seen.status == FAILING else "run.unmeasured"
        threshold = policy.failing_after if seen.status == FAILING else policy.unmeasured_after
        if told == seen.status:
            return _remind(nxt, event, policy, now)
        if nxt.streak >= threshold or (seen.status == FAILING and told == DEGRADED):
            return _tell(nxt, event, seen.status, now)
        return nxt, None
    if told in (FAILING, UNMEASURED) or (told == DEGRADED and seen.status == PASSING):
        told_row = replace(nxt, notified="", reminders=0, notified_at=now)
        return told_row, _transition(told_row, "run.recovered", previous=told)
    if seen.status == DEGRADED and told != DEGRADED and nxt.streak >= policy.degraded_after:
        return _tell(nxt, "run.degraded", DEGRADED, now)
    return nxt, None


def _tell(row: AlertStateRow, event: str, status: str, now: str) -> tuple[AlertStateRow, Transition]:
    told = replace(row, notified=status, reminders=0, notified_at=now)
    return told, _transition(told, event)


def _remind(row: AlertStateRow, event: str, policy: Policy,
            now: str) -> tuple[AlertStateRow, Transition | None]:
    if row.reminders >= policy.reminders or _seconds_between(row.notified_at, now) < policy.remind_every_s:
        return row, None
    reminded = replace(row, reminders=row.reminders + 1, notified_at=now)
    return reminded, _transition(reminded, event, reminder=reminded.reminders)


def _transition(row: AlertStateRow, event: str, *, previous: str = "", reminder: int = 0) -> Transition:
    return Transition(row.scenario, row.viewport, event, row.streak, previous, reminder, row.changed_at)


def _seconds_between(earlier: str, later: str) -> float:
    try:
        return (dt.datetime.fromisoformat(later) - dt.datetime.fromisoformat(earlier)).total_seconds()
    except ValueError:
        return float("inf")


def advance_all(states: Mapping[Journey, AlertStateRow], seen: Iterable[Observation], policy: Policy,
                now: str, batch_id: str = "") -> tuple[list[AlertStateRow], list[Transition]]:
    """Every observed journey's new state, and the transitions to tell, in the batch's order."""
    rows, told = [], []
    for observation in seen:
        row, transition = advance(states.get(observation.journey), observation, policy, now, batch_id)
        rows.append(row)
        if transition is not None:
            told.append(transition)
    return rows, told
