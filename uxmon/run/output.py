"""Where a batch's files go: ``reports/<batch>/``, one folder per run, and ``reports/latest``."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..records import RunRecord
from ..records.serial import save_record

RECORD_NAME = "record.json"
BATCH_NAME = "batch.json"
LATEST = "latest"


def new_batch_id(now: dt.datetime | None = None) -> str:
    """Sortable and safe in file names: ``20261122-213805-a1b2``."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


def prepare_batch_dir(output: Path, batch_id: str) -> Path:
    folder = output / batch_id
    folder.mkdir(parents=True, exist_ok=False)
    return folder


def run_dir(batch_dir: Path, run_id: str) -> Path:
    return batch_dir / "runs" / run_id


def write_records(batch_dir: Path, records: Sequence[RunRecord]) -> None:
    for record in records:
        save_record(record, run_dir(batch_dir, record.run_id) / RECORD_NAME)


def write_batch_file(batch_dir: Path, summary: dict[str, Any]) -> None:
    path = batch_dir / BATCH_NAME
    path.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")


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
