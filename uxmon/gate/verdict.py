"""The gate's verdict on one batch: passed, failed or unmeasured, the checks behind it, the exit code.

Exit codes: 0 passed (warnings and flaky runs included) · 1 the gate failed · 3 something
could not be measured and nothing failed (``--allow-unmeasured`` makes that a warning).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..history.rows import BatchRow
from .baseline import Baseline, check_same_site
from .journeys import JudgedJourney
from .rules import Check, evaluate
from .settings import GateSettings
from .text import one_line

EXIT_PASSED, EXIT_FAILED, EXIT_UNMEASURED = 0, 1, 3


@dataclass
class Verdict:
    batch: BatchRow
    journeys: list[JudgedJourney]
    checks: list[Check]
    baseline: Baseline | None = None
    notes: list[str] = field(default_factory=list)
    load_errors: list[str] = field(default_factory=list)
    allow_unmeasured: bool = False

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.level == "error"]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.level == "warn"]

    @property
    def unmeasured(self) -> list[JudgedJourney]:
        return [j for j in self.journeys if j.result == "unmeasured"]

    @property
    def not_measured(self) -> bool:
        return bool(self.unmeasured or self.load_errors or not self.journeys)

    @property
    def result(self) -> str:
        if any(c.rule != "unmeasured" for c in self.errors):
            return "failed"
        if self.not_measured and not self.allow_unmeasured:
            return "unmeasured"
        return "passed"

    @property
    def exit_code(self) -> int:
        return {"failed": EXIT_FAILED, "unmeasured": EXIT_UNMEASURED}.get(self.result, EXIT_PASSED)

    @property
    def runs(self) -> int:
        return sum(len(j.runs) for j in self.journeys)

    @property
    def failed_runs(self) -> int:
        return sum(len(j.failed) for j in self.journeys)

    @property
    def flaky_runs(self) -> int:
        return sum(len(j.flaky) for j in self.journeys)

    @property
    def new_findings(self) -> int:
        return sum(self.new_of(j) for j in self.journeys)

    def new_of(self, journey: JudgedJourney) -> int:
        """Findings (not info) whose fingerprint the baseline does not have, once per journey."""
        base = self.baseline.journeys.get(journey.key) if self.baseline else None
        known = base.findings if base else {}
        return sum(1 for f, _ in journey.unique_findings()
                   if f.severity != "info" and f.fingerprint not in known)

    def headline(self) -> str:
        """One sentence a product manager understands."""
        total = len(self.journeys)
        stopped = sum(1 for j in self.journeys if j.result == "failed")
        hurt = len({(c.scenario, c.viewport) for c in self.errors if c.rule != "failed-run"}
                   - {j.key for j in self.journeys if j.result == "failed"})
        counts = _counts(len(self.errors), len(self.warnings))
        if self.result == "failed":
            parts = [f"customers were stopped on {stopped} of {total} journeys" if stopped else "",
                     f"would meet new friction on {hurt}" if stopped and hurt else "",
                     "customers would meet new friction" if not stopped else ""]
            return f"The deploy gate failed: {' and '.join(p for p in parts if p)} ({counts})"
        missing = len(self.unmeasured) + len(self.load_errors)
        if self.result == "unmeasured" or (self.not_measured and missing):
            what = f"{missing} journey(s) or scenario file(s) could not be measured" if missing \
                else "nothing was measured"
            tail = "" if self.result == "unmeasured" else " (allowed with --allow-unmeasured)"
            return f"The deploy gate could not judge everything: {what}{tail} ({counts})"
        return f"The deploy gate passed: {total} of {total} journeys ({counts})"


_LOAD_ERROR = re.compile(r"^(?P<file>.+?\.py)(?::(?P<line>\d+))?: (?P<message>.*)$", re.S)


def _unmeasured(journeys: Sequence[JudgedJourney], load_errors: Sequence[str], allowed: bool) -> list[Check]:
    """What could not be measured: an error (exit 3) unless ``--allow-unmeasured``."""
    level = "warn" if allowed else "error"
    checks = []
    for j in journeys:
        if j.result == "unmeasured":
            run = j.errored[0]
            checks.append(Check("unmeasured", level, j.scenario, j.viewport,
                                f"uxmon could not measure “{j.scenario}” on {j.viewport}: "
                                f"{one_line(run.reason, 400) or 'the run errored'}", "high", file=j.file))
    for error in load_errors:
        match = _LOAD_ERROR.match(error)
        file, line = (match["file"], int(match["line"])) if match and match["line"] else (
            (match["file"], None) if match else ("", None))
        checks.append(Check("unmeasured", level, "scenario files", "",
                            f"A scenario file did not load: {one_line(error, 400)}", "high", file=file,
                            line=line))
    return checks


def _counts(errors: int, warnings: int) -> str:
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def judge(batch: BatchRow, journeys: Sequence[JudgedJourney], baseline: Baseline | None,
          settings: GateSettings, *, note: str = "", load_errors: Sequence[str] = (),
          allow_unmeasured: bool = False) -> Verdict:
    """The verdict; raises BaselineError for a baseline file that shares no journey with the
    batch (from another site?). A stored batch that shares none is no baseline, and said so."""
    if baseline is not None and baseline.source.startswith("file "):
        check_same_site(baseline, [j.key for j in journeys])
    elif baseline is not None and journeys and not any(j.key in baseline.journeys for j in journeys):
        note = f"{baseline.describe()} has none of this batch's journeys"
        baseline = None
    checks = evaluate(journeys, baseline, settings) + _unmeasured(journeys, load_errors, allow_unmeasured)
    if baseline is None and settings.level("no-baseline") != "off":
        checks.append(Check("no-baseline", settings.level("no-baseline"), "all journeys", "",
                            f"No baseline: {note or 'none was asked for'}; every finding counts as new"))
        checks.sort(key=lambda c: c.rank)
    notes = [note] if note and baseline is not None else []
    return Verdict(batch, list(journeys), checks, baseline, notes, list(load_errors), allow_unmeasured)
