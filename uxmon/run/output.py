"""Where a batch's files go: ``reports/<batch>/``, one folder per run, and ``reports/latest``."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import RunRecord
from ..records.files import write_text
from ..records.redact import mask_url
from ..records.serial import save_record
from ..report.render import BatchView, render_batch_index

if TYPE_CHECKING:
    from ..config import Config
    from .result import BatchResult

RECORD_NAME = "record.json"
BATCH_NAME = "batch.json"
LATEST = "latest"
# A batch id names a folder and a database key (40 characters): letters, digits, "._-".
BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def new_batch_id(now: dt.datetime | None = None) -> str:
    """Sortable and safe in file names: ``20261122-213805-a1b2``."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


def batch_id_problem(batch_id: str) -> str:
    """Why ``batch_id`` cannot name a batch ('' when it can)."""
    if BATCH_ID.match(batch_id) and batch_id not in (LATEST, "schedule"):
        return ""
    return (f"{batch_id!r} cannot name a batch: use up to 40 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (e.g. gh-${{ github.run_id }}-${{ github.run_attempt }})")


def prepare_batch_dir(output: Path, batch_id: str, shared: bool = False) -> Path:
    """The batch's folder; ``shared``: a batch id given by the user, which several shards (or a
    rerun) may write into, so the folder may exist already."""
    folder = output / batch_id
    folder.mkdir(parents=True, exist_ok=shared)
    return folder


def run_dir(batch_dir: Path, run_id: str) -> Path:
    return batch_dir / "runs" / run_id


def write_records(batch_dir: Path, records: Sequence[RunRecord]) -> None:
    for record in records:
        save_record(record, run_dir(batch_dir, record.run_id) / RECORD_NAME)


def write_batch_file(batch_dir: Path, summary: dict[str, Any]) -> None:
    path = batch_dir / BATCH_NAME
    write_text(path, json.dumps(summary, indent=1, ensure_ascii=False))


def point_latest(output: Path, batch_dir: Path) -> None:
    """Make ``output/latest`` lead to ``batch_dir``: a symlink, or a text file where links fail."""
    link = output / LATEST
    temp = output / f".{LATEST}-{secrets.token_hex(3)}"
    try:
        temp.symlink_to(batch_dir.name, target_is_directory=True)
        os.replace(temp, link)
    except OSError:
        temp.unlink(missing_ok=True)
        if link.is_symlink() or link.is_file():
            link.unlink()
        (output / f"{LATEST}.txt").write_text(batch_dir.name + "\n", encoding="utf-8")


def latest_batch(output: Path) -> Path | None:
    link = output / LATEST
    if link.exists():
        return link.resolve()
    pointer = output / f"{LATEST}.txt"
    if pointer.is_file():
        folder = output / pointer.read_text(encoding="utf-8").strip()
        return folder if folder.is_dir() else None
    return None


def publish(result: BatchResult, config: Config) -> None:
    """Write the records (with the batch's cross-viewport findings), the summary and the index."""
    write_records(result.folder, result.records)
    write_progress(result, config)
    view = BatchView(result.batch_id, result.started_at, result.duration_s, mask_url(config.base_url),
                     result.records, result.load_errors)
    write_text(result.folder / "index.html", render_batch_index(view))


def write_progress(result: BatchResult, config: Config) -> None:
    """The batch summary as it stands: rewritten after every run, so a killed batch keeps it."""
    write_batch_file(result.folder, batch_summary(result, config))


def batch_summary(result: BatchResult, config: Config) -> dict[str, Any]:
    return {
        "batch_id": result.batch_id,
        "started_at": result.started_at,
        "duration_s": result.duration_s,
        "base_url": mask_url(config.base_url),
        "complete": bool(result.duration_s) and result.complete,
        "stopped": result.stopped,
        "not_started": result.not_started,
        "exit_code": result.exit_code,
        **result.build,
        "load_errors": [str(e) for e in result.load_errors],
        "runs": [
            {"run_id": r.run_id, "scenario": r.scenario, "viewport": r.viewport.name,
             "outcome": r.outcome, "flaky": r.flaky, "reason": r.reason,
             "record": f"runs/{r.run_id}/record.json", **r.summary()}
            for r in result.records
        ],
    }
