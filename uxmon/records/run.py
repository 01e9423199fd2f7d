"""One run of a scenario on a viewport: the record every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from .contention import Contention, contention_between
from .finding import Finding
from .model import SCHEMA_VERSION, Action, Goal, Step


@dataclass
class Viewport:
    """The device profile a run used."""

    name: str
    width: int
    height: int
    mobile: bool = False
    touch: bool = False
    scale: float = 1.0
    user_agent: str = ""
    latency_ms: float = 0.0
    download_kbps: float = 0.0
    upload_kbps: float = 0.0
    cpu_slowdown: float = 1.0


@dataclass
class Attempt:
    """An earlier try of the same run that errored and was retried."""

    outcome: str
    reason: str
    error_kind: str = ""
    duration_ms: float = 0.0


@dataclass
class RunRecord:
    """One scenario on one viewport profile, once: everything later stages need."""

    run_id: str
    batch_id: str
    scenario: str
    viewport: Viewport
    outcome: str
    started_at: str = ""
    duration_ms: float = 0.0
    base_url: str = ""
    scenario_file: str = ""
    tags: list[str] = field(default_factory=list)
    reason: str = ""
    error_kind: str = ""
    failed_step: int | None = None
    attempt: int = 1
    flaky: bool = False
    earlier: list[Attempt] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    trace: str = ""
    screenshot: str = ""
    browser: str = ""
    uxmon: str = ""
    findings: list[Finding] = field(default_factory=list)
    friction_score: float = 0.0
    notes: list[str] = field(default_factory=list)  # what uxmon could not keep (a full disk)
    pace: str = ""  # the customer pace the run was walked at (human, robot)
    contention: list[Contention] = field(default_factory=list)  # the monitoring machine's CPU
    schema: int = SCHEMA_VERSION

    @property
    def actions(self) -> list[Action]:
        return [a for s in self.steps for a in s.actions]

    @property
    def clicks(self) -> int:
        return sum(s.clicks for s in self.steps)

    @property
    def keystrokes(self) -> int:
        return sum(s.keystrokes for s in self.steps)

    @property
    def fields(self) -> int:
        """Distinct form fields the customer filled in or chose from."""
        seen = {a.target.selector for a in self.actions if a.kind in ("fill", "select")}
        return len(seen)

    @property
    def goals(self) -> list[Goal]:
        return [g for s in self.steps for g in s.goals]

    @property
    def time_to_complete_ms(self) -> float | None:
        """Until the last goal, or the whole run when it passed without one."""
        if self.outcome != "passed":
            return None
        goals = self.goals
        return goals[-1].at_ms if goals else self.duration_ms

    def busy_between(self, start_ms: float, end_ms: float) -> float | None:
        """How contended the monitoring machine's CPU was over [start, end], 0-1 (None: unknown)."""
        return contention_between(self.contention, start_ms, end_ms)

    @property
    def step_at_failure(self) -> Step | None:
        if self.failed_step is None:
            return None
        return next((s for s in self.steps if s.index == self.failed_step), None)

    def summary(self) -> dict[str, object]:
        """The figures a table shows for this run."""
        return {
            "steps": len(self.steps),
            "clicks": self.clicks,
            "keystrokes": self.keystrokes,
            "fields": self.fields,
            "time_to_complete_ms": self.time_to_complete_ms,
        }
