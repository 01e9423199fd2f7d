"""The times a report names, named the same way everywhere it shows them.

- **time to goal**: from the start until the scenario's goal (``journey.goal``), passed runs;
- **run time**: the whole run, as the script took it (a failed run's includes the wait below);
- **stopped after**: a failed run's customer time, until the customer met the refusal (the
  end of its last step);
- **waited**: what uxmon then waited for something that never came, until its timeout.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..history.rows import RunRow, StepRow

# Below this, the gap after the last step is uxmon closing the page, not a wait worth naming.
WAIT_SHOWN_MS = 1000.0

TIME_TO_GOAL = "time to goal"
RUN_TIME = "run time"


def seconds(ms: float | None) -> str:
    """'3.4 s', '2.5 min', or '—' for a time that is not known."""
    if ms is None:
        return "—"
    return f"{ms / 1000:.1f} s" if ms < 60_000 else f"{ms / 60_000:.1f} min"


def last_step_end(steps: Sequence[StepRow]) -> float | None:
    return max((s.start_ms + s.duration_ms for s in steps), default=None)


def stopped_after_ms(run: RunRow, steps: Sequence[StepRow]) -> float | None:
    """A failed run's customer time: until the last step ended, when the refusal was seen."""
    if run.outcome != "failed":
        return None
    end = last_step_end(steps)
    return None if end is None else min(end, run.duration_ms)


def waited_ms(run: RunRow, steps: Sequence[StepRow]) -> float:
    """What uxmon waited after a failed run's last step for something that never came."""
    end = stopped_after_ms(run, steps)
    if end is None:
        return 0.0
    gap = run.duration_ms - end
    return gap if gap >= WAIT_SHOWN_MS else 0.0


def rounded(ms: float | None) -> float | None:
    """Milliseconds as seconds for results.json (two decimals)."""
    return None if ms is None else round(ms / 1000, 2)
