"""Keep a finished batch in the history store and draw its report; bring in batches that missed it.

The batch's files are already on disk when this runs. A database that is down, locked, damaged
or from a newer uxmon gives a warning that says so, the exit code stays the same, and the
report (pages, results.json, junit.xml) is drawn from the batch alone. A batch folder that never
reached the history (killed midway, or the database was unavailable) is added by the next run
that finds the store working, or by ``uxmon report --import FOLDER``; a folder another live run
is still writing is left to that run (``writing.py``).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..friction import analyse_batch, settings_for
from ..history.rows import BatchRow, rows_of
from ..history.store import HistoryError, HistoryStore, database_url
from ..history.summary import BatchHistory, batch_history
from ..records import RunRecord
from ..records.files import is_disk_full
from ..records.serial import RecordFormatError, load_record
from ..report.publish import write_report, write_report_alone
from .output import BATCH_NAME, RECORD_NAME
from .writing import being_written

if TYPE_CHECKING:
    from ..config import Config
    from .result import BatchResult

BATCH_FOLDER = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")
CATCH_UP_DAYS = 7
CATCH_UP_MAX = 20


def keep_batch(config: Config, output: Path, result: BatchResult,
               join: bool = False) -> tuple[BatchHistory | None, str]:
    """(the batch in the light of its history, '') or (None, the warning to show).

    ``join``: add the runs to the stored batch (idempotent by run id) instead of replacing it.
    """
    row = BatchRow.of(result.batch_id, result.started_at, result.records[0].base_url if result.records
                      else "", result.folder.name, list(result.records), result.origin, **result.build)
    try:
        with HistoryStore(database_url(config.db, output)) as store:
            if join:
                store.add_runs(row, result.records)
            else:
                store.save_batch(row, result.records)
            caught_up = catch_up(store, config, output, skip={result.batch_id})
            if caught_up:
                result.warnings.append(f"added {len(caught_up)} earlier batch(es) that had not reached "
                                       f"the history: {', '.join(caught_up)}")
            history = batch_history(store, result.batch_id)
            if history is not None:
                write_report(store, history, result.folder, output)
            return history, ""
    except HistoryError as exc:
        return None, _alone(row, result, f"history not updated: {exc}")
    except Exception as exc:  # noqa: BLE001 - the batch's files are safe; say what broke
        if is_disk_full(exc):
            return None, f"the report could not be written: no space left in {result.folder}"
        return None, _alone(row, result, f"the full report could not be drawn: {type(exc).__name__}: {exc}")


def _alone(row: BatchRow, result: BatchResult, warning: str) -> str:
    """The report from the batch's own records, so CI still gets its results.json and junit.xml."""
    try:
        write_report_alone(rows_of(row, list(result.records)), result.folder)
    except OSError as exc:
        return f"{warning}; the report could not be written either ({exc})"
    return f"{warning} (the report in {result.folder} shows this batch alone)"


def read_summary(folder: Path) -> dict[str, Any]:
    """The folder's batch.json, or {} when it is missing or damaged."""
    try:
        summary = json.loads((folder / BATCH_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return summary if isinstance(summary, dict) else {}


def read_folder(folder: Path) -> tuple[BatchRow, list[RunRecord]]:
    """A batch folder as the store would keep it: its summary and every record that was written."""
    summary = read_summary(folder)
    records = []
    for path in sorted((folder / "runs").glob(f"*/{RECORD_NAME}")):
        try:
            records.append(load_record(path))
        except (OSError, RecordFormatError):
            continue
    if not records and not summary:
        raise HistoryError(f"{folder} is not a uxmon batch folder: no batch.json and no runs/*/record.json")
    batch_id = str(summary.get("batch_id") or folder.name)
    started = str(summary.get("started_at") or min((r.started_at for r in records), default=""))
    base_url = str(summary.get("base_url") or (records[0].base_url if records else ""))
    return BatchRow.of(batch_id, started, base_url, folder.name, records), records


class FolderBusy(HistoryError):
    """A batch folder a live uxmon process is still writing: taken now, half a batch would be kept
    (and its writer would then replace it)."""


def import_folder(store: HistoryStore, config: Config, output: Path, folder: Path) -> BatchRow:
    """Add one batch folder to the history (again: the same batch replaces itself) and draw it."""
    if being_written(folder):
        raise FolderBusy(f"{folder} is still being written by a uxmon run that is going on; that run "
                         "adds it to the history when it ends (import it afterwards if it does not)")
    row, records = read_folder(folder)
    analyse_batch(records, {r.scenario: settings_for(config, r.scenario) for r in records})
    if folder.resolve().parent != output.resolve():
        row = BatchRow.of(row.id, row.started_at, row.base_url, str(folder.resolve()), records)
    store.save_batch(row, records)
    history = batch_history(store, row.id)
    if history is not None:
        newest = store.batches(1)[0].id == row.id
        write_report(store, history, folder, output if newest else None)
    return row


def catch_up(store: HistoryStore, config: Config, output: Path, skip: set[str]) -> list[str]:
    """Batch folders of the last days that are not in the history yet, added oldest first."""
    since = (datetime.now(UTC) - timedelta(days=CATCH_UP_DAYS)).strftime("%Y%m%d-%H%M%S")
    found = sorted(p for p in output.iterdir() if p.is_dir() and BATCH_FOLDER.match(p.name)
                   and p.name >= since and p.name not in skip)
    added = []
    for folder in found[-CATCH_UP_MAX:]:
        if store.has_batch(folder.name) or not any((folder / "runs").glob(f"*/{RECORD_NAME}")):
            continue  # kept already, or nothing to keep
        try:
            added.append(import_folder(store, config, output, folder).id)
        except HistoryError:  # FolderBusy too: a live run is still writing it and keeps it itself
            continue
    return added
