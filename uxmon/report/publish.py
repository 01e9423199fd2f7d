"""Write the full report of a batch from the history store: overview, journey pages, twins."""

from __future__ import annotations

import json
from pathlib import Path

from ..history import BatchHistory, HistoryStore
from .machine import junit_xml, results_json
from .model import Overview, build_overview, slug
from .render import render_journey, render_overview


def load_overview(store: HistoryStore, history: BatchHistory) -> Overview:
    ids = [r.id for r in history.runs]
    return build_overview(history, store.steps_of_runs(ids), store.actions_of_runs(ids),
                          store.findings_of_runs(ids))


def redraw(store: HistoryStore, output: Path, batch_id: str | None = None) -> Path | None:
    """`uxmon report`: draw a batch (default: the newest) again from the store alone."""
    from ..history import batch_history

    history = batch_history(store, batch_id)
    if history is None:
        return None
    folder = Path(history.batch.folder) if history.batch.folder else output / history.batch.id
    newest = store.batches(1)[0].id == history.batch.id
    return write_report(store, history, folder, output if newest else None)


def write_report(store: HistoryStore, history: BatchHistory, folder: Path, output: Path | None) -> Path:
    """Pages into the batch folder; with ``output``, also ``output/index.html`` for the newest."""
    overview = load_overview(store, history)
    overview.load_errors = _load_errors(folder)
    pages = folder / "journeys"
    pages.mkdir(parents=True, exist_ok=True)
    for scenario in overview.scenarios:
        (pages / f"{slug(scenario)}.html").write_text(render_journey(overview, scenario), encoding="utf-8")
    (folder / "results.json").write_text(results_json(overview), encoding="utf-8")
    (folder / "junit.xml").write_text(junit_xml(overview), encoding="utf-8")
    index = folder / "index.html"
    index.write_text(render_overview(overview), encoding="utf-8")
    if output is not None:
        (output / "index.html").write_text(render_overview(overview, f"{folder.name}/"), encoding="utf-8")
    return index


def _load_errors(folder: Path) -> list[str]:
    """Scenario files that did not load are not runs; the batch file keeps them."""
    try:
        data = json.loads((folder / "batch.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(e) for e in data.get("load_errors", [])]
