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


def stopped_after_ms(run: RunRow, steps: Sequence[StepRow], seen_ms: float | None = None) -> float | None:
    """A failed run's customer time: until the last step ended, when the refusal was seen.

    ``seen_ms``, when known, is the moment the customer was shown the message that stopped them
    (a finding's moment): a record whose last step ran on to the timeout still ends there.
    """
    if run.outcome != "failed":
        return None
    end = last_step_end(steps)
    if end is None:
        return None
    if seen_ms and seen_ms < end - WAIT_SHOWN_MS:  # (a step that ends with it is more exact)
        end = seen_ms
    return min(end, run.duration_ms)


def waited_ms(run: RunRow, steps: Sequence[StepRow], seen_ms: float | None = None) -> float:
    """What uxmon waited after the customer was stopped for something that never came."""
    end = stopped_after_ms(run, steps, seen_ms)
    if end is None:
        return 0.0
    gap = run.duration_ms - end
    return gap if gap >= WAIT_SHOWN_MS else 0.0


def rounded(ms: float | None) -> float | None:
    """Milliseconds as seconds for results.json (two decimals)."""
    return None if ms is None else round(ms / 1000, 2)
