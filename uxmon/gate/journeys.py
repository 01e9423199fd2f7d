"""The judged batch as journeys (scenario × viewport), each with its runs, steps and findings.

With ``--repeat`` a journey has several runs: counts and times are medians over its passed
runs, findings are the union of its runs' findings by fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..history.rows import FindingRow, RunRow, StepRow
from ..history.stats import median

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


@dataclass(frozen=True)
class JudgedJourney:
    scenario: str
    viewport: str
    runs: list[RunRow]
    steps: dict[int, list[StepRow]] = field(default_factory=dict)        # by run id
    findings: dict[int, list[FindingRow]] = field(default_factory=dict)  # by run id

    @property
    def key(self) -> tuple[str, str]:
        return self.scenario, self.viewport

    @property
    def passed(self) -> list[RunRow]:
        return [r for r in self.runs if r.outcome == "passed"]

    @property
    def failed(self) -> list[RunRow]:
        return [r for r in self.runs if r.outcome == "failed"]

    @property
    def errored(self) -> list[RunRow]:
        return [r for r in self.runs if r.outcome == "error"]

    @property
    def flaky(self) -> list[RunRow]:
        return [r for r in self.runs if r.flaky]

    @property
    def result(self) -> str:
        """failed · unmeasured (only errored runs, or some) · flaky · passed."""
        if self.failed:
            return "failed"
        if self.errored:
            return "unmeasured"
        return "flaky" if self.flaky else "passed"

    @property
    def file(self) -> str:
        return next((r.scenario_file for r in self.runs if r.scenario_file), "")

    @property
    def seconds(self) -> list[float]:
        return [r.duration_ms / 1000 for r in self.passed]

    @property
    def median_seconds(self) -> float | None:
        return median(self.seconds)

    @property
    def median_steps(self) -> float | None:
        return median([r.steps for r in self.passed])

    @property
    def median_clicks(self) -> float | None:
        return median([r.clicks for r in self.passed])

    @property
    def measured(self) -> list[RunRow]:
        """Runs uxmon could judge, passed or failed."""
        return [r for r in self.runs if r.outcome != "error"]

    def shown(self) -> tuple[float | None, float | None, float | None]:
        """Steps, clicks and seconds for a table: of passed runs, else of failed ones."""
        runs = self.passed or self.measured
        return (median([r.steps for r in runs]), median([r.clicks for r in runs]),
                median([r.duration_ms / 1000 for r in runs]))

    @property
    def median_score(self) -> float | None:
        return median([r.friction_score for r in self.runs if r.outcome != "error"])

    def unique_findings(self) -> list[tuple[FindingRow, RunRow]]:
        """Each fingerprint once (its first run), worst first."""
        seen: dict[str, tuple[FindingRow, RunRow]] = {}
        for run in self.runs:
            for f in self.findings.get(run.id, []):
                seen.setdefault(f.fingerprint or f"{run.id}:{f.rule}:{f.step}", (f, run))
        return sorted(seen.values(), key=lambda fr: (-SEVERITY_RANK.get(fr[0].severity, 0), fr[0].step or 0))

    def step(self, run: RunRow, index: int | None) -> StepRow | None:
        return next((s for s in self.steps.get(run.id, []) if s.idx == index), None)

    def step_named(self, name: str) -> StepRow | None:
        """The step of that name in the first run that has one (for its scenario line)."""
        return next((s for r in self.runs for s in self.steps.get(r.id, []) if s.name == name), None)

    def step_values(self, name: str, clicks: bool = False) -> list[float]:
        """A step's seconds (or clicks) in each passed run that has it."""
        out: list[float] = []
        for run in self.passed:
            for s in self.steps.get(run.id, []):
                if s.name == name:
                    out.append(float(s.clicks) if clicks else s.duration_ms / 1000)
                    break
        return out


def group_journeys(runs: Sequence[RunRow], steps: Iterable[StepRow],
                   findings: Iterable[FindingRow]) -> list[JudgedJourney]:
    """The batch's rows by journey, in the order the runs were stored."""
    by_run_steps: dict[int, list[StepRow]] = {}
    for s in steps:
        by_run_steps.setdefault(s.run, []).append(s)
    by_run_findings: dict[int, list[FindingRow]] = {}
    for f in findings:
        by_run_findings.setdefault(f.run, []).append(f)
    grouped: dict[tuple[str, str], list[RunRow]] = {}
    for run in runs:
        grouped.setdefault(run.journey, []).append(run)
    return [JudgedJourney(s, v, mine, {r.id: by_run_steps.get(r.id, []) for r in mine},
                          {r.id: by_run_findings.get(r.id, []) for r in mine})
            for (s, v), mine in grouped.items()]
