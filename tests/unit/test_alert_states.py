"""The alert state machine: when a journey's runs are worth a message, and when they are not."""

from __future__ import annotations

import datetime as dt

from uxmon.history.rows import AlertStateRow
from uxmon.notify.settings import Policy
from uxmon.notify.states import Observation, advance

T0 = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)


def play(statuses: list[str], policy: Policy | None = None, minutes: float = 10) -> list[str]:
    """Feed one journey's batches (one every ``minutes``); the messages, '' where none."""
    policy = policy or Policy()
    state: AlertStateRow | None = None
    said = []
    for n, status in enumerate(statuses):
        now = (T0 + dt.timedelta(minutes=minutes * n)).isoformat()
        state, told = advance(state, Observation("Buy a mug", "mobile", status), policy, now, f"b{n}")
        if told is None:
            said.append("")
            continue
        said.append(told.event.removeprefix("run.") + (f"({told.previous})" if told.previous else "")
                    + (f"#{told.reminder}" if told.reminder else ""))
    return said


def test_failing_after_two_in_a_row_then_recovered_once() -> None:
    assert play(["passing", "failing", "failing", "failing", "passing", "passing"]) == [
        "", "", "failing", "", "recovered(failing)", ""]


def test_a_single_failure_between_passes_says_nothing() -> None:
    assert play(["passing", "failing", "passing", "failing", "passing"]) == ["", "", "", "", ""]


def test_recovery_is_sent_only_after_a_told_failure() -> None:
    assert play(["failing", "passing"]) == ["", ""]


def test_reminders_are_limited_and_an_hour_apart() -> None:
    said = play(["failing"] * 30, minutes=10)  # five hours failing, a batch every ten minutes
    assert [s for s in said if s] == ["failing", "failing#1", "failing#2"]
    assert said.index("failing#1") - said.index("failing") == 6  # 60 minutes later


def test_degraded_at_once_and_escalation_to_failing_overrides_the_threshold() -> None:
    assert play(["passing", "degraded", "degraded", "failing", "passing"]) == [
        "", "degraded", "", "failing", "recovered(failing)"]
    assert play(["degraded", "passing"]) == ["degraded", "recovered(degraded)"]


def test_failing_to_a_degraded_pass_is_a_recovery() -> None:
    assert play(["failing", "failing", "degraded"]) == ["", "failing", "recovered(failing)"]


def test_unmeasured_is_its_own_alert() -> None:
    assert play(["passing", "unmeasured", "unmeasured", "unmeasured", "passing"]) == [
        "", "", "unmeasured", "", "recovered(unmeasured)"]
    assert play(["failing", "unmeasured", "failing"]) == ["", "", ""]  # neither twice in a row


def test_thresholds_are_configurable() -> None:
    policy = Policy(failing_after=3, reminders=0, degraded_after=2)
    assert play(["failing"] * 20, policy) == ["", "", "failing"] + [""] * 17
    assert play(["degraded", "degraded", "passing"], policy) == ["", "degraded", "recovered(degraded)"]


def test_state_keeps_streak_and_the_time_the_status_began() -> None:
    state, _ = advance(None, Observation("a", "desktop", "failing"), Policy(), T0.isoformat(), "b1")
    later = (T0 + dt.timedelta(minutes=5)).isoformat()
    state, told = advance(state, Observation("a", "desktop", "failing"), Policy(), later, "b2")
    assert (state.status, state.streak, state.notified, state.changed_at, state.batch_id) == (
        "failing", 2, "failing", T0.isoformat(), "b2")
    assert told is not None and told.since == T0.isoformat() and told.streak == 2
