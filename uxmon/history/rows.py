"""What the history store hands back: plain rows, one dataclass per table."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..records import RunRecord


def _columns(cls: type, row: Any) -> dict[str, Any]:
    """A database row's values for the dataclass's fields (rows may have more columns)."""
    return {name: row._mapping[name] for name in cls.__dataclass_fields__}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class BatchRow:
    id: str
    started_at: str
    base_url: str = ""
    folder: str = ""
    runs: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    label: str = ""          # e.g. "main": what a later gate compares against
    git_sha: str = ""
    git_ref: str = ""
    environment: str = ""    # e.g. "staging", "preview"

    def values(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_row(cls, row: Any) -> BatchRow:
        return cls(**_columns(cls, row))

    @classmethod
    def of(cls, batch_id: str, started_at: str, base_url: str, folder: str,
           records: list[RunRecord], **build: str) -> BatchRow:
        """``build``: ``label``, ``git_sha``, ``git_ref``, ``environment`` of the measured build."""
        count = {o: sum(r.outcome == o for r in records) for o in ("passed", "failed", "error")}
        return cls(batch_id, started_at, base_url, folder, len(records), count["passed"],
                   count["failed"], count["error"], **build)


@dataclass(frozen=True)
class RunRow:
    id: int
    batch_id: str
    run_id: str
    scenario: str
    viewport: str
    outcome: str
    started_at: str
    duration_ms: float
    steps: int
    clicks: int
    keystrokes: int
    friction_score: float
    reason: str = ""
    failed_step: int | None = None
    flaky: bool = False
    record_path: str = ""
    trace: str = ""
    scenario_file: str = ""
    attempt: int = 1

    @property
    def journey(self) -> tuple[str, str]:
        return self.scenario, self.viewport

    @classmethod
    def from_row(cls, row: Any) -> RunRow:
        return cls(**_columns(cls, row))

    @staticmethod
    def values_of(batch: Any, record: RunRecord) -> dict[str, Any]:
        path = f"{batch.folder}/runs/{record.run_id}/record.json" if batch.folder else ""
        return {
            "batch_id": batch.id, "run_id": record.run_id, "scenario": record.scenario,
            "viewport": record.viewport.name, "outcome": record.outcome,
            "started_at": record.started_at or batch.started_at, "duration_ms": record.duration_ms,
            "steps": len(record.steps), "clicks": record.clicks, "keystrokes": record.keystrokes,
            "friction_score": record.friction_score, "reason": record.reason[:2000],
            "failed_step": record.failed_step, "flaky": record.flaky, "record_path": path,
            "trace": record.trace, "scenario_file": record.scenario_file, "attempt": record.attempt,
        }


@dataclass(frozen=True)
class FindingRow:
    run: int
    scenario: str
    viewport: str
    fingerprint: str
    rule: str
    severity: str
    step: int | None
    step_name: str
    title: str
    wasted_clicks: int = 0
    wasted_seconds: float = 0.0
    detail: str = ""
    cause: str = ""
    evidence_text: str = ""
    screenshot: str = ""

    @classmethod
    def from_row(cls, row: Any) -> FindingRow:
        return cls(**_columns(cls, row))


@dataclass(frozen=True)
class StepRow:
    run: int
    idx: int
    name: str
    start_ms: float
    duration_ms: float
    clicks: int
    keystrokes: int
    url: str = ""
    screenshot: str = ""
    line: int | None = None

    @classmethod
    def from_row(cls, row: Any) -> StepRow:
        return cls(**_columns(cls, row))


@dataclass(frozen=True)
class ActionRow:
    run: int
    seq: int
    step: int
    kind: str
    at_ms: float
    selector: str = ""
    text: str = ""
    answer_ms: float | None = None

    @classmethod
    def from_row(cls, row: Any) -> ActionRow:
        return cls(**_columns(cls, row))
