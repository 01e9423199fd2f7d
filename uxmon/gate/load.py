"""Read what the gate judges from the history store: the batch, its journeys, and the baseline.

Baselines, first match wins: ``--baseline FILE`` (from ``uxmon baseline export``), then
``--baseline-label NAME`` (the newest batch with that label), then ``--baseline previous``
(the newest earlier batch with the same label and environment), else none (budgets only).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..history.rows import BatchRow
from ..history.store import HistoryStore, batch_folder
from ..records import RunRecord
from .baseline import Baseline, BaselineError, baseline_of, from_json
from .journeys import JudgedJourney, group_journeys
from .settings import GateSettings
from .verdict import Verdict, judge


class GateInputError(ValueError):
    """The batch to judge is not there: a usage problem (exit 2)."""


@dataclass(frozen=True)
class BaselineChoice:
    file: str = ""
    label: str = ""
    previous: bool = False

    @classmethod
    def of(cls, baseline: str | None, label: str | None) -> BaselineChoice:
        """``--baseline`` is a file or the word ``previous``; ``--baseline-label`` a label."""
        value = (baseline or "").strip()
        return cls(file="" if value == "previous" else value, label=(label or "").strip(),
                   previous=value == "previous")


def load_batch(store: HistoryStore, batch_id: str) -> tuple[BatchRow, list[JudgedJourney]]:
    batch = store.batch(batch_id)
    if batch is None:
        newest = [b.id for b in store.batches(3)]
        hint = f"; the newest are {', '.join(newest)}" if newest else "; the history is empty"
        raise GateInputError(f"no batch {batch_id!r} in the history at {store.url}{hint}")
    runs = store.runs_of_batch(batch.id)
    ids = [r.id for r in runs]
    return batch, group_journeys(runs, store.steps_of_runs(ids), store.findings_of_runs(ids))


def read_baseline_file(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found "
                            "(make one with `uxmon baseline export`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline file: {exc}") from None
    return from_json(text, str(path))


def stored_baseline(store: HistoryStore, batch: BatchRow, source: str) -> Baseline:
    runs = store.runs_of_batch(batch.id)
    return baseline_of(batch, runs, store.findings_of_runs(r.id for r in runs), source)


def resolve_baseline(store: HistoryStore, judged: BatchRow,
                     choice: BaselineChoice) -> tuple[Baseline | None, str]:
    """(the baseline, '') or (None, why there is none, for the reader)."""
    if choice.file:
        return read_baseline_file(Path(choice.file)), ""
    if choice.label:
        found = store.newest_batch(label=choice.label, before=judged)
        if found is not None:
            return stored_baseline(store, found, f"label {choice.label}"), ""
        labels = store.labels()
        known = f"labels there: {', '.join(labels)}" if labels else "no batch there has a label yet"
        return None, (f"no earlier batch labelled {choice.label!r} in the history at {store.url} ({known}); "
                      f"run `uxmon check --label {choice.label}` on {choice.label}, or pass a file from "
                      "`uxmon baseline export` with --baseline")
    if choice.previous:
        found = store.newest_batch(label=judged.label, environment=judged.environment, before=judged)
        if found is not None:
            return stored_baseline(store, found, "the previous batch"), ""
        return None, "no earlier batch with the same label and environment in the history"
    return None, "none was asked for (--baseline FILE, --baseline-label NAME or --baseline previous)"


def verdict_for(store: HistoryStore, batch_id: str, settings: GateSettings, choice: BaselineChoice, *,
                allow_unmeasured: bool = False, output: Path | None = None) -> Verdict:
    """Judge a stored batch; raises GateInputError or BaselineError for what cannot be used.

    ``output`` is the output folder the batch's (relative) folder lives in.
    """
    batch, journeys = load_batch(store, batch_id)
    baseline, note = resolve_baseline(store, batch, choice)
    folder = batch_folder(output, batch) if output is not None else Path(batch.folder)
    return judge(batch, journeys, baseline, settings, note=note,
                 load_errors=load_errors(str(folder or batch.folder)), allow_unmeasured=allow_unmeasured)


def load_errors(folder: str) -> list[str]:
    """Scenario files that did not load are not runs: the batch file keeps them."""
    if not folder:
        return []
    try:
        data = json.loads((Path(folder) / "batch.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(e) for e in data.get("load_errors", [])] if isinstance(data, dict) else []


@contextmanager
def scratch_store(batch: BatchRow, records: Sequence[RunRecord]) -> Iterator[HistoryStore]:
    """A throwaway store holding one batch, for a gate whose history database failed."""
    with tempfile.TemporaryDirectory(prefix="uxmon-gate-") as folder:
        store = HistoryStore(f"sqlite:///{Path(folder) / 'gate.sqlite'}")
        try:
            store.save_batch(batch, records)
            yield store
        finally:
            store.close()
