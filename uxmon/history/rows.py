"""What the history store hands back: plain rows, one dataclass per table."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..records import Rect, RunRecord


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
    entry: str = ""  # the [[schedule]] entry that made it ('' for a run by hand)
    trigger: str = ""  # 'schedule' (a firing), 'catch-up' (on start), '' by hand
    scheduled_at: str = ""  # the fire time it was made for
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
           records: list[RunRecord], origin: Origin | None = None, **build: str) -> BatchRow:
        """``build``: ``label``, ``git_sha``, ``git_ref``, ``environment`` of the measured build."""
        count = {o: sum(r.outcome == o for r in records) for o in ("passed", "failed", "error")}
        origin = origin or Origin()
        return cls(batch_id, started_at, base_url, folder, len(records), count["passed"],
                   count["failed"], count["error"], origin.entry, origin.trigger, origin.scheduled_at,
                   **build)


@dataclass(frozen=True)
class Origin:
    """Who asked for a batch: a schedule entry's firing, its catch-up, or nobody (by hand)."""

    entry: str = ""
    trigger: str = ""
    scheduled_at: str = ""


@dataclass(frozen=True)
class AlertStateRow:
    """Where one journey stands for alerting (see uxmon.notify.states)."""

    scenario: str
    viewport: str
    status: str
    streak: int = 0
    notified: str = ""
    reminders: int = 0
    notified_at: str = ""
    changed_at: str = ""
    batch_id: str = ""

    @classmethod
    def from_row(cls, row: Any) -> AlertStateRow:
        return cls(**_columns(cls, row))


@dataclass(frozen=True)
class SkippedRow:
    """A firing that did not make a batch: missed, overlapping, crashed or past its deadline."""

    entry: str
    scheduled_at: str
    recorded_at: str
    kind: str
    reason: str = ""

    @classmethod
    def from_row(cls, row: Any) -> SkippedRow:
        return cls(**_columns(cls, row))


@dataclass(frozen=True)
class FleetBatchRow:
    """A batch the fleet runs: its runs are jobs on the queue; the last one to end finishes it."""

    batch_id: str
    created_at: str
    deadline_at: str
    runs: int
    entry: str = ""
    trigger: str = ""
    scheduled_at: str = ""
    load_errors: str = ""  # one a line
    label: str = ""
    finish_deferred_at: str = ""
    finished_at: str = ""
    exit_code: int | None = None

    @classmethod
    def from_row(cls, row: Any) -> FleetBatchRow:
        return cls(**_columns(cls, row))


@dataclass(frozen=True)
class FleetJobRow:
    """One run of a fleet batch as a job on the queue."""

    batch_id: str
    run_id: str
    scenario: str
    viewport: str
    scenario_file: str = ""
    state: str = "queued"  # queued → running → done
    job_id: int | None = None
    attempts: int = 0
    worker: str = ""
    enqueued_at: str = ""
    started_at: str = ""
    finished_at: str = ""
    outcome: str = ""

    @classmethod
    def from_row(cls, row: Any) -> FleetJobRow:
        return cls(**_columns(cls, row))


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
        """Its record's path is relative to the batch folder, so a moved folder still works."""
        path = f"runs/{record.run_id}/record.json"
        return {
            "batch_id": batch.id, "run_id": record.run_id, "scenario": record.scenario,
            "viewport": record.viewport.name, "outcome": record.outcome,
            "started_at": record.started_at or batch.started_at, "duration_ms": record.duration_ms,
            "steps": len(record.steps), "clicks": record.clicks, "keystrokes": record.keystrokes,
            "friction_score": record.friction_score, "reason": record.reason[:2000],
            "failed_step": record.failed_step, "flaky": record.flaky, "record_path": path,
            "trace": record.trace, "scenario_file": record.scenario_file, "attempt": record.attempt,
            "tags": ",".join(t.replace(",", " ") for t in record.tags),
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
    line: int | None = None
    blocked_ms: float | None = None  # how long its page could not paint or answer

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


def step_values(run_pk: int, record: RunRecord) -> list[dict[str, Any]]:
    return [{"run": run_pk, "idx": st.index, "name": st.name, "start_ms": st.start_ms,
             "duration_ms": st.duration_ms, "clicks": st.clicks, "keystrokes": st.keystrokes,
             "url": st.url, "screenshot": st.screenshot, "line": st.line,
             "blocked_ms": st.blocked_ms or None} for st in record.steps]


def action_values(run_pk: int, record: RunRecord) -> list[dict[str, Any]]:
    pairs = ((st, a) for st in record.steps for a in st.actions)
    return [{"run": run_pk, "seq": n, "step": st.index, "kind": a.kind, "at_ms": a.at_ms,
             "selector": a.target.selector, "text": a.target.text[:500], "answer_ms": a.answer_ms}
            for n, (st, a) in enumerate(pairs, start=1)]


def finding_values(run_pk: int, record: RunRecord) -> list[dict[str, Any]]:
    return [{"run": run_pk, "fingerprint": f.fingerprint, "rule": f.rule, "severity": f.severity,
             "step": f.step, "step_name": f.step_name, "title": f.title,
             "wasted_clicks": f.effort.clicks, "wasted_seconds": f.effort.seconds,
             "detail": f.detail[:2000], "cause": f.cause[:1000], "evidence_text": f.evidence.text[:1000],
             "screenshot": f.evidence.screenshot, **_box(f.evidence.picture_box)} for f in record.findings]


BOX_COLUMNS = ("box_x", "box_y", "box_w", "box_h")


def _box(rect: Rect | None) -> dict[str, float | None]:
    """Where a finding's element is in its picture (its pixels), for the email's crop."""
    values = (rect.x, rect.y, rect.width, rect.height) if rect is not None else (None,) * 4
    return dict(zip(BOX_COLUMNS, values, strict=True))


@dataclass(frozen=True)
class BatchRows:
    """One batch as the store would hand it back, built from its records without a database."""

    batch: BatchRow
    runs: list[RunRow]
    steps: list[StepRow]
    actions: list[ActionRow]
    findings: list[FindingRow]


def rows_of(batch: BatchRow, records: list[RunRecord]) -> BatchRows:
    runs, steps, actions, findings = [], [], [], []
    for pk, record in enumerate(records, start=1):
        runs.append(RunRow(id=pk, **RunRow.values_of(batch, record)))
        steps += [StepRow(**v) for v in step_values(pk, record)]
        actions += [ActionRow(**v) for v in action_values(pk, record)]
        findings += [FindingRow(scenario=record.scenario, viewport=record.viewport.name, **v)
                     for v in finding_values(pk, record)]
    return BatchRows(batch, runs, steps, actions, findings)
