"""What an email says, as plain data: problems, changes, journey figures, the digest itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...history.rows import BatchRow, FindingRow, RunRow

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")


def clean(text: str, limit: int = 300) -> str:
    """Site text made safe to show: no control or bidi characters, no broken Unicode, one line."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Slice:
    """The batches of a period, their runs and their runs' findings."""

    batches: list[BatchRow] = field(default_factory=list)
    runs: list[RunRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)

    def runs_of(self, journey: tuple[str, str]) -> list[RunRow]:
        return [r for r in self.runs if r.journey == journey]

    @property
    def journeys(self) -> list[tuple[str, str]]:
        return sorted({r.journey for r in self.runs})


@dataclass
class Problem:
    """One problem, once: the same finding on desktop and mobile is one problem naming both."""

    scenario: str
    viewports: list[str]
    rule: str
    severity: str
    step_name: str
    title: str
    detail: str
    fingerprints: list[str]
    runs_hit: int = 0
    runs_checked: int = 0
    clicks: int = 0
    seconds: float = 0.0
    weight: float = 0.0
    returning: bool = False  # seen before, gone for a while, back now
    picture: str = ""        # the evidence picture on disk, if any
    box: tuple[float, float, float, float] | None = None
    cid: str = ""            # its Content-ID once attached
    picture_width: int = 0

    @property
    def where(self) -> str:
        """'Buy a mug on desktop and mobile · Payment'."""
        views = " and ".join(self.viewports)
        step = f" · {self.step_name}" if self.step_name else ""
        return f"{self.scenario} on {views}{step}"


@dataclass(frozen=True)
class Figure:
    """One number against the previous period, with its direction in an arrow and in words."""

    now: float | None
    before: float | None
    unit: str = ""             # "s", "%", "" (clicks), "pts" (score)
    higher_is_better: bool = False
    digits: int = 1


@dataclass
class JourneyLine:
    scenario: str
    viewport: str
    runs: int
    passed: int
    success: Figure
    time: Figure
    clicks: Figure
    score: Figure
    strip: str = ""            # the period's runs oldest first: ✓ passed, ✗ failed, ? not measured
    reason: str = ""           # why the latest run that did not pass did not
    bar_now: int = 0           # bar widths in % of the widest (run time)
    bar_before: int = 0

    @property
    def failing(self) -> bool:
        return self.passed < self.runs

    @property
    def name(self) -> str:
        return f"{self.scenario} on {self.viewport}"


@dataclass
class Changes:
    new: list[Problem] = field(default_factory=list)
    fixed: list[Problem] = field(default_factory=list)
    still: list[Problem] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.new or self.fixed)


@dataclass
class Digest:
    kind: str                  # "weekly", "daily", "report", "last 3 days"...
    period: str                # "23 Nov – 30 Nov 2026"
    since: str                 # "23 Nov 2026": the changes are counted from there
    changes: Changes
    top: list[Problem]
    journeys: list[JourneyLine]
    runs: int
    batches: int
    viewports: list[str]
    subject: str = ""
    preheader: str = ""
    verdict: str = ""
    report_link: str = ""
    recipients_note: str = ""
    scope: str = ""            # "journeys tagged checkout", when a digest covers some journeys
    hidden_journeys: int = 0   # left out of the table to keep the email small

    @property
    def compared(self) -> bool:
        """Whether any journey ran in the period before too (so there is a trend to show)."""
        return any(j.success.before is not None or j.time.before is not None for j in self.journeys)

    @property
    def nothing_ran(self) -> bool:
        return self.runs == 0

    @property
    def quiet(self) -> bool:
        """Nothing new, nothing fixed, every run passed: what ``--only-if-changed`` skips."""
        return not self.nothing_ran and not self.changes.any and not any(j.failing for j in self.journeys)
