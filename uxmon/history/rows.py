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

    def values(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_row(cls, row: Any) -> BatchRow:
        return cls(**_columns(cls, row))

    @classmethod
    def of(cls, batch_id: str, started_at: str, base_url: str, folder: str,
           records: list[RunRecord]) -> BatchRow:
        count = {o: sum(r.outcome == o for r in records) for o in ("passed", "failed", "error")}
        return cls(batch_id, started_at, base_url, folder, len(records), count["passed"],
                   count["failed"], count["error"])


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
    tags: str = ""  # the scenario's tags, comma-separated

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

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
            "trace": record.trace, "tags": ",".join(t.replace(",", " ") for t in record.tags),
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
    box_x: float | None = None  # where the element is in the picture, in its pixels
    box_y: float | None = None
    box_w: float | None = None
    box_h: float | None = None

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        if self.box_x is None or self.box_y is None or not self.box_w or not self.box_h:
            return None
        return self.box_x, self.box_y, self.box_w, self.box_h

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
