"""Read what a digest needs from the history store: a period's batches, or one batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path

from ...history.rows import BatchRow, FindingRow, RunRow
from ...history.store import HistoryStore, batch_folder
from .digest import DigestInput
from .model import Slice
from .period import Period, at, day, parse_time, stamp


def slice_of(store: HistoryStore, batches: Sequence[BatchRow], tag: str = "",
             output: Path | None = None) -> Slice:
    """The batches' runs and findings; each run's record path made absolute (it is stored
    relative to its batch folder, and the batch folder relative to ``output``)."""
    runs: list[RunRow] = []
    for batch in batches:
        folder = batch_folder(output, batch) if output is not None else None
        folder = folder or Path(batch.folder or batch.id)
        runs += [replace(r, record_path=str(folder / r.record_path)) if r.record_path else r
                 for r in store.runs_of_batch(batch.id) if not tag or tag in r.tag_list]
    return Slice(list(batches), runs, store.findings_of_runs(r.id for r in runs))


def _between(batches: Sequence[BatchRow], start: datetime, end: datetime) -> list[BatchRow]:
    low, high = stamp(start), stamp(end)
    return [b for b in batches if low <= _stamp(b.started_at) < high]


def _stamp(started_at: str) -> str:
    try:
        return stamp(parse_time(started_at))
    except ValueError:
        return started_at


def state_before(store: HistoryStore, journeys: Sequence[tuple[str, str]],
                 moment: str) -> tuple[list[FindingRow], frozenset[str]]:
    """Each journey's findings in its last batch before ``moment``, and every fingerprint seen."""
    latest: list[RunRow] = []
    seen: set[str] = set()
    for scenario, viewport in journeys:
        earlier = store.journey_runs(scenario, viewport, limit=20, before=moment)
        if earlier:
            last = earlier[-1].batch_id
            latest += [r for r in earlier if r.batch_id == last]
            seen |= store.fingerprints_before(scenario, viewport, moment)
    return store.findings_of_runs(r.id for r in latest), frozenset(seen)


def period_input(store: HistoryStore, period: Period, *, tag: str = "", prefix: str = "uxmon",
                 output: Path | None = None) -> DigestInput:
    batches = store.batches()
    now = slice_of(store, _between(batches, period.start, period.end), tag, output)
    before = slice_of(store, _between(batches, *period.previous), tag, output)
    open_before, seen = state_before(store, now.journeys, stamp(period.changes_since))
    return DigestInput(period.kind, period.describe(), day(period.changes_since, period.zone), now, before,
                       open_before, seen, prefix, f"journeys tagged {tag}" if tag else "")


def batch_input(store: HistoryStore, batch_id: str | None, zone: tzinfo, *,
                prefix: str = "uxmon", output: Path | None = None) -> DigestInput | None:
    """One batch (default: the newest) against the one before it."""
    batches = store.batches()
    index = next((i for i, b in enumerate(batches) if b.id == batch_id), None) if batch_id else 0
    if not batches or index is None:
        return None
    batch = batches[index]
    previous = batches[index + 1] if index + 1 < len(batches) else None
    now = slice_of(store, [batch], output=output)
    before = slice_of(store, [previous], output=output) if previous else Slice()
    open_before, seen = state_before(store, now.journeys, batch.started_at)
    started = parse_time(batch.started_at)
    since = at(parse_time(previous.started_at), zone) if previous else "the first batch"
    period = f"batch {batch.id}, {at(started, zone)}"
    return DigestInput("report", period, since, now, before, open_before, seen, prefix)
