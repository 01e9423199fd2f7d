"""The recorder's clock follows the monotonic clock between anchors, so a wall clock that steps
in the middle of a run (NTP, a virtual machine catching up) cannot cut its steps apart."""

from __future__ import annotations

import time

import pytest

from uxmon.capture import clock


def test_a_wall_clock_step_during_a_run_does_not_move_the_recorders_clock(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock.anchor()
    before = clock.now_ms()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11.0)  # the machine's clock jumps 11 s
    during = clock.now_ms()
    assert 0 <= during - before < 1000  # the run's marks go on where they were
    clock.anchor()  # the next run starts on the wall clock as it now is
    assert clock.now_ms() - during > 10_000


def test_the_clock_is_the_wall_clock_when_nothing_steps() -> None:
    clock.anchor()
    assert abs(clock.now_ms() - time.time() * 1000) < 50
