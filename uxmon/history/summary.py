"""Everything the report and the console say about one batch in the light of its history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .rows import BatchRow, BatchRows, RunRow
from .trends import WINDOW, FindingStatus, JourneyTrend, finding_status, journey_trend

if TYPE_CHECKING:
    from .store import HistoryStore

HISTORY_RUNS = 50


@dataclass(frozen=True)
class BatchHistory:
    batch: BatchRow
    previous: BatchRow | None
    runs: list[RunRow]
    trends: dict[tuple[str, str], JourneyTrend]
    findings: FindingStatus

    @property
    def regressions(self) -> list[JourneyTrend]:
        return [t for t in self.trends.values() if t.regression]


def batch_history(store: HistoryStore, batch_id: str | None = None, *,
                  window: int = WINDOW, history_runs: int = HISTORY_RUNS) -> BatchHistory | None:
    """The given batch (default: the newest) with trends, baselines and new/still/fixed findings."""
    batches = store.batches()
    index = next((i for i, b in enumerate(batches) if b.id == batch_id), None) if batch_id else 0
    if not batches or index is None:
        return None
    batch = batches[index]
    previous = batches[index + 1] if index + 1 < len(batches) else None
    runs = store.runs_of_batch(batch.id)
    journeys = {(r.scenario, r.viewport) for r in runs}
    trends: dict[tuple[str, str], JourneyTrend] = {}
    seen: set[str] = set()
    for scenario, viewport in sorted(journeys):
        mine = [r for r in runs if (r.scenario, r.viewport) == (scenario, viewport)]
        until = max(r.started_at for r in mine)
        history = [r for r in store.journey_runs(scenario, viewport, history_runs + len(mine))
                   if r.started_at <= until or r.batch_id == batch.id]
        trends[(scenario, viewport)] = journey_trend(history, mine, window=window)
        seen |= store.fingerprints_before(scenario, viewport, min(r.started_at for r in mine))
    current = store.findings_of_runs(r.id for r in runs)
    earlier = store.findings_of_runs(r.id for r in store.runs_of_batch(previous.id)) if previous else []
    return BatchHistory(batch, previous, runs, trends, finding_status(current, seen, earlier, journeys))


def batch_alone(rows: BatchRows) -> BatchHistory:
    """A batch seen without its history (the store was unavailable): nothing to compare with."""
    journeys = {(r.scenario, r.viewport) for r in rows.runs}
    trends = {j: journey_trend([r for r in rows.runs if r.journey == j],
                               [r for r in rows.runs if r.journey == j]) for j in sorted(journeys)}
    return BatchHistory(rows.batch, None, rows.runs, trends,
                        finding_status(rows.findings, set(), [], journeys))
