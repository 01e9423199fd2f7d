"""What the report shows, worked out from the history store's rows (pure: no files, no HTML).

Drawing from the store and not from the records means `uxmon report` can redraw any batch
from the database alone, and the page after a run is the same page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..friction.score import WEIGHTS
from ..history.rows import ActionRow, FindingRow, RunRow, StepRow
from ..history.summary import BatchHistory
from ..history.trends import JourneyTrend
from .failure import Failure, failure_of
from .pictures import Picture, picture_of

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
BLOCKING = ("late-blocker", "task-failed")


@dataclass
class RunView:
    run: RunRow
    steps: list[StepRow]
    actions: list[ActionRow]
    findings: list[FindingRow]
    new: set[str]
    trend: JourneyTrend | None
    goal_ms: float | None = None  # when the goal was reached (from the run's record), if known
    absent: frozenset[str] = frozenset()  # its pictures that are not in the batch folder

    @cached_property
    def failure(self) -> Failure | None:
        """What the customer met, for a failed run (None otherwise)."""
        return failure_of(self.run, self.steps, self.findings)

    @property
    def time_to_goal_ms(self) -> float | None:
        return self.goal_ms if self.run.outcome == "passed" else None

    def picture(self, finding: FindingRow) -> Picture:
        """The finding's evidence picture, or the words that say why there is none."""
        step = next((s for s in self.steps if s.idx == finding.step), None)
        return picture_of(finding, step, any(s.screenshot for s in self.steps), self.absent)

    def step_ms(self, step: StepRow) -> float:
        """The step's time as the customer spent it: a failed run's steps end where they were
        stopped (what uxmon waited after that is the failure's ``waited_ms``)."""
        until = self.failure.stopped_ms if self.failure and self.failure.waited_ms else None
        if until is None:
            return step.duration_ms
        return max(0.0, min(step.start_ms + step.duration_ms, until) - step.start_ms)

    def step_picture(self, step: StepRow) -> str:
        return step.screenshot if step.screenshot and step.screenshot not in self.absent else ""

    def findings_at(self, step: int) -> list[FindingRow]:
        return [f for f in self.findings if f.step == step]

    def actions_at(self, step: int) -> list[ActionRow]:
        return [a for a in self.actions if a.step == step]


@dataclass(frozen=True)
class StageCell:
    seconds: float
    clicks: int
    heat: str        # the worst severity of the stage's findings, or ""
    findings: int
    blocked: bool    # where the customer was stopped (late blocker or failure)
    said: str = ""   # what the site told them there, when it said something


@dataclass
class Stage:
    name: str
    cells: dict[str, StageCell] = field(default_factory=dict)


@dataclass
class JourneyMap:
    scenario: str
    slug: str
    viewports: list[str]
    stages: list[Stage]


@dataclass
class TopFinding:
    """One problem, once: the same finding on desktop and mobile is one line naming both."""

    finding: FindingRow
    run: RunRow
    new: bool
    weight: float
    viewports: list[str] = field(default_factory=list)


@dataclass
class Overview:
    history: BatchHistory
    scenarios: list[str]
    viewports: list[str]
    cells: dict[tuple[str, str], RunView]
    maps: list[JourneyMap]
    top: list[TopFinding]
    load_errors: list[str] = field(default_factory=list)
    notice: str = ""

    @property
    def passing(self) -> int:
        return sum(1 for v in self.cells.values() if v.run.outcome == "passed")

    @property
    def friction(self) -> float:
        """Overall friction: the mean of the scenarios' scores (each its worst viewport)."""
        scores = [max((v.run.friction_score for (s, _), v in self.cells.items() if s == scenario),
                      default=0.0) for scenario in self.scenarios]
        return sum(scores) / len(scores) if scores else 0.0

    def journey_runs(self, scenario: str) -> list[RunView]:
        return [self.cells[(scenario, v)] for v in self.viewports if (scenario, v) in self.cells]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "journey"


def build_overview(history: BatchHistory, steps: Sequence[StepRow], actions: Sequence[ActionRow],
                   findings: Sequence[FindingRow], top: int = 10, *,
                   goals: Mapping[int, float] | None = None,
                   absent: Mapping[int, frozenset[str]] | None = None) -> Overview:
    """Group the batch's rows by journey; the last run of a journey (repeats) stands for it.

    ``goals`` (run id → ms) and ``absent`` (run id → its picture files that are gone) come
    from the batch folder when it is there: the store keeps neither.
    """
    new = {f.fingerprint for f in history.findings.new}
    cells: dict[tuple[str, str], RunView] = {}
    for run in history.runs:
        cells[run.journey] = RunView(
            run, [s for s in steps if s.run == run.id], [a for a in actions if a.run == run.id],
            [f for f in findings if f.run == run.id], new, history.trends.get(run.journey),
            (goals or {}).get(run.id), (absent or {}).get(run.id, frozenset()))
    scenarios = sorted({s for s, _ in cells})
    viewports = sorted({v for _, v in cells}, key=lambda v: (v != "desktop", v))
    ranked = _rank([TopFinding(f, v.run, f.fingerprint in new, finding_weight(f), [v.run.viewport])
                    for v in cells.values() for f in v.findings if f.severity != "info"])
    maps = [journey_map(s, [cells[(s, v)] for v in viewports if (s, v) in cells]) for s in scenarios]
    return Overview(history, scenarios, viewports, cells, maps, ranked[:top])


def _rank(items: list[TopFinding]) -> list[TopFinding]:
    items.sort(key=lambda t: (-t.weight, t.run.scenario, t.run.viewport))
    merged: dict[tuple[str, str, str, str], TopFinding] = {}
    for item in items:
        # One problem on several viewports: by fingerprint ("6.4 s" and "6.3 s" are one line).
        key = (item.run.scenario, item.finding.rule, item.finding.fingerprint[:8], "")
        if key in merged:
            merged[key].viewports.append(item.run.viewport)
            merged[key].new = merged[key].new or item.new
        else:
            merged[key] = item
    return list(merged.values())


def finding_weight(f: FindingRow) -> float:
    """Severity × wasted effort: the same problem hurts more after two minutes of work."""
    return WEIGHTS.get(f.severity, 0.0) * (1 + f.wasted_seconds / 30 + f.wasted_clicks / 10)


def journey_map(scenario: str, runs: Sequence[RunView]) -> JourneyMap:
    """Stages in the order customers meet them (the longest lane's order, then the others')."""
    names: list[str] = []
    for view in sorted(runs, key=lambda v: -len(v.steps)):
        for step in view.steps:
            if step.name not in names:
                names.append(step.name)
    stages = [Stage(n) for n in names]
    for view in runs:
        failed = view.failure.step if view.failure else None
        blocker = next((f for f in view.findings if f.rule == "late-blocker"), None)
        stop = blocker.step if blocker is not None else failed
        said = view.failure.message if view.failure else (blocker.evidence_text if blocker else "")
        for step in view.steps:
            mine = view.findings_at(step.idx)
            heat = max((f.severity for f in mine), key=lambda s: SEVERITY_RANK.get(s, 0), default="")
            here = step.idx == stop
            cell = StageCell(view.step_ms(step) / 1000, step.clicks, heat, len(mine), here,
                             said if here and not said.startswith("HTTP ") else "")
            stages[names.index(step.name)].cells[view.run.viewport] = cell
    return JourneyMap(scenario, slug(scenario), [v.run.viewport for v in runs], stages)
