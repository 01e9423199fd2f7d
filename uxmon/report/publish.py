"""Write the full report of a batch (overview, journey pages, results.json, junit.xml) from the
history store, or from the batch's own rows when the store cannot be used."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..history import BatchHistory, HistoryStore
from ..history.rows import BatchRows, FindingRow, RunRow, StepRow
from ..history.store import batch_folder
from ..history.summary import batch_alone
from ..records.files import write_text
from .machine import junit_xml, results_json
from .model import Overview, build_overview, slug
from .render import render_journey, render_overview


def load_overview(store: HistoryStore, history: BatchHistory, folder: Path | None = None) -> Overview:
    ids = [r.id for r in history.runs]
    steps, findings = store.steps_of_runs(ids), store.findings_of_runs(ids)
    return build_overview(history, steps, store.actions_of_runs(ids), findings,
                          **from_folder(folder, history.runs, steps, findings))


def from_folder(folder: Path | None, runs: Sequence[RunRow], steps: Sequence[StepRow],
                findings: Sequence[FindingRow]) -> dict[str, Any]:
    """What the store does not keep and the batch folder does: each passed run's time to goal
    (from its record) and which of its pictures are gone. Nothing when the folder is gone."""
    if folder is None or not folder.is_dir():
        return {}
    goals: dict[int, float] = {}
    absent: dict[int, frozenset[str]] = {}
    for run in runs:
        files = {st.screenshot for st in steps if st.run == run.id} | \
                {f.screenshot for f in findings if f.run == run.id}
        here = folder / "runs" / run.run_id
        absent[run.id] = frozenset(f for f in files if f and not (here / f).is_file())
        goal = _goal_ms(folder / run.record_path, run.duration_ms) if run.outcome == "passed" else None
        if goal is not None:
            goals[run.id] = goal
    return {"goals": goals, "absent": absent}


def _goal_ms(record: Path, run_ms: float) -> float | None:
    """The moment of the run's last goal, from its record.json: the run's end when the scenario
    marks none (the whole run was the task), None when the record cannot be read."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        moments = [float(g["at_ms"]) for st in data["steps"] for g in st.get("goals", [])]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return moments[-1] if moments else run_ms


def write_report_alone(rows: BatchRows, folder: Path) -> Path:
    """The batch's pages drawn from its own rows, when the history store cannot be used."""
    overview = build_overview(batch_alone(rows), rows.steps, rows.actions, rows.findings,
                              **from_folder(folder, rows.runs, rows.steps, rows.findings))
    overview.notice = ("The history database could not be used, so this report shows this batch "
                       "alone: nothing is compared with earlier checks.")
    return _write_pages(overview, folder, None)


def redraw(store: HistoryStore, output: Path, batch_id: str | None = None) -> Path | None:
    """`uxmon report`: draw a batch (default: the newest) again from the store alone."""
    from ..history import batch_history

    history = batch_history(store, batch_id)
    if history is None:
        return None
    folder = batch_folder(output, history.batch) or Path(history.batch.folder)
    newest = store.batches(1)[0].id == history.batch.id
    return write_report(store, history, folder, output if newest else None)


def write_report(store: HistoryStore, history: BatchHistory, folder: Path, output: Path | None) -> Path:
    """Pages into the batch folder; with ``output``, also ``output/index.html`` for the newest."""
    return _write_pages(load_overview(store, history, folder), folder, output)


def _write_pages(overview: Overview, folder: Path, output: Path | None) -> Path:
    overview.load_errors = _load_errors(folder)
    pages = folder / "journeys"
    pages.mkdir(parents=True, exist_ok=True)
    for scenario in overview.scenarios:
        write_text(pages / f"{slug(scenario)}.html", render_journey(overview, scenario))
    write_text(folder / "results.json", results_json(overview))
    write_text(folder / "junit.xml", junit_xml(overview))
    index = folder / "index.html"
    write_text(index, render_overview(overview))
    if output is not None:
        write_text(output / "index.html", render_overview(overview, f"{folder.name}/"))
    return index


def _load_errors(folder: Path) -> list[str]:
    """Scenario files that did not load are not runs; the batch file keeps them."""
    try:
        data = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(e) for e in data.get("load_errors", [])]
