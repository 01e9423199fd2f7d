"""Keep a finished batch in the history store and draw its report from there.

The batch's files are already on disk when this runs; a database that is down, locked or
from a newer uxmon gives a warning that says so, and the run's exit code stays the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..history.rows import BatchRow
from ..history.store import HistoryError, HistoryStore, database_url
from ..history.summary import BatchHistory, batch_history
from ..records import RunRecord
from ..report.publish import write_report


def keep_batch(db: str, output: Path, batch_id: str, started_at: str, base_url: str, folder: Path,
               records: Sequence[RunRecord], build: Mapping[str, str] | None = None
               ) -> tuple[BatchHistory | None, str]:
    """(the batch in the light of its history, '') or (None, the warning to show).

    ``build`` is the measured build's ``label``, ``git_sha``, ``git_ref`` and ``environment``.
    """
    try:
        with HistoryStore(database_url(db, output)) as store:
            row = BatchRow.of(batch_id, started_at, base_url, str(folder.resolve()), list(records),
                              **(build or {}))
            store.save_batch(row, records)
            history = batch_history(store, batch_id)
            if history is not None:
                write_report(store, history, folder, output)
            return history, ""
    except HistoryError as exc:
        return None, f"history not updated: {exc} (the results are in {folder})"
    except Exception as exc:  # noqa: BLE001 - the batch's files are safe; say what broke
        return None, f"the full report could not be drawn: {type(exc).__name__}: {exc} " \
                     f"(the results are in {folder})"
