"""``uxmon merge``: shard bundles (their batch folders) back into one batch, as one run would have made it.

Each bundle's runs, with their pictures and traces, are copied into one batch folder of the
output folder; then the batch goes through the end of the one pipeline: the cross-viewport
rules over all its runs, its files, the history (runs added by run id, so merging a bundle
twice, or a bundle whose runs a shard already wrote to a shared history, counts nothing
twice), the report, the after-batch hooks. A run found in two bundles is kept once: the
newer one.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..authoring.scenarios import LoadError
from ..config import Config
from ..history.rows import Origin
from ..records import RunRecord
from ..run.keep import read_folder, read_summary
from ..run.output import BATCH_NAME, RECORD_NAME, batch_id_problem, new_batch_id, prepare_batch_dir, run_dir
from ..run.pipeline import BatchResult, finish_batch
from ..run.writing import FolderLock

BUILD_KEYS = ("label", "git_sha", "git_ref", "environment")
_WHERE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.*)$", re.S)


class MergeError(ValueError):
    """Bundles that cannot be merged; the message names the folder and what is wrong."""


@dataclass
class Bundle:
    folder: Path
    batch_id: str
    records: list[RunRecord]
    summary: dict[str, Any] = field(default_factory=dict)


def is_batch_folder(folder: Path) -> bool:
    return (folder / BATCH_NAME).is_file() or any((folder / "runs").glob(f"*/{RECORD_NAME}"))


def find_bundles(paths: Sequence[Path]) -> list[Path]:
    """The batch folders given: a batch folder itself, or the batch folders one level inside
    (a downloaded artifact, an output folder); each folder once, however it was reached."""
    found: dict[Path, Path] = {}
    for path in paths:
        if not path.is_dir():
            raise MergeError(f"{path}: not a folder (give the shards' batch folders, or the folders "
                             "holding them)")
        inside = [path] if is_batch_folder(path) else sorted(
            p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".") and is_batch_folder(p))
        if not inside:
            raise MergeError(f"{path}: no uxmon batch folder here (no batch.json and no runs/*/record.json)")
        for folder in inside:
            found.setdefault(folder.resolve(), folder)
    return list(found.values())


def read_bundles(folders: Sequence[Path]) -> list[Bundle]:
    bundles = []
    for folder in folders:
        row, records = read_folder(folder)
        bundles.append(Bundle(folder, row.id, records, read_summary(folder)))
    return bundles


def merged_id(bundles: Sequence[Bundle], given: str = "") -> str:
    """The batch id given, else the one every bundle shares (shards run with --batch-id), else a new one."""
    if given:
        if batch_id_problem(given):
            raise MergeError(batch_id_problem(given))
        return given
    ids = {b.batch_id for b in bundles}
    return ids.pop() if len(ids) == 1 else new_batch_id()


def chosen_runs(bundles: Sequence[Bundle]) -> tuple[dict[str, tuple[Bundle, RunRecord]], list[str]]:
    """Each run id once (the newer record when two bundles have it), and what was said about it."""
    chosen: dict[str, tuple[Bundle, RunRecord]] = {}
    notes = []
    for bundle in bundles:
        for record in bundle.records:
            before = chosen.get(record.run_id)
            if before is None:
                chosen[record.run_id] = (bundle, record)
                continue
            keep = (bundle, record) if record.started_at >= before[1].started_at else before
            if before[0].folder != bundle.folder:
                notes.append(f"run {record.run_id} is in {before[0].folder} and in {bundle.folder}: "
                             f"kept the newer one, from {keep[0].folder}")
            chosen[record.run_id] = keep
    return chosen, notes


def copy_runs(chosen: dict[str, tuple[Bundle, RunRecord]], target: Path) -> None:
    """Each run's folder (record, pictures, trace) into the merged batch folder."""
    for run_id, (bundle, _) in sorted(chosen.items()):
        source, dest = run_dir(bundle.folder, run_id), run_dir(target, run_id)
        if source.resolve() == dest.resolve() or not source.is_dir():
            continue
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(source, dest)


def merge(config: Config, paths: Sequence[Path], batch_id: str = "") -> tuple[BatchResult, list[Bundle]]:
    """Merge the bundles under ``paths`` into one batch of the config's output folder."""
    bundles = read_bundles(find_bundles(paths))
    if not config.base_url:  # what the report and alerts name as the site (masked as the shards wrote it)
        config = replace(config, base_url=next((str(b.summary["base_url"]) for b in bundles
                                                if b.summary.get("base_url")), ""))
    output = config.path(config.output)
    output.mkdir(parents=True, exist_ok=True)
    merged = merged_id(bundles, batch_id)
    target = prepare_batch_dir(output, merged, shared=True)
    hold = FolderLock(target)  # no other run's catch-up takes the runs before the batch is kept
    chosen, notes = chosen_runs(bundles)
    copy_runs(chosen, target)
    _, records = read_folder(target)  # with the runs of an earlier merge into the same batch
    for record in records:
        record.batch_id = merged
    result = _result(merged, target, records, bundles, config)
    result.hold = hold
    result.warnings += notes + _other_sites(bundles)
    return finish_batch(config, result, join=True), bundles


def _result(batch_id: str, folder: Path, records: list[RunRecord], bundles: Sequence[Bundle],
            config: Config) -> BatchResult:
    summaries = [b.summary for b in bundles]
    errors = sorted({str(e) for s in summaries for e in s.get("load_errors", [])})
    ran = {r.run_id for r in records}
    build = {key: next((str(s[key]) for s in summaries if s.get(key)), "") for key in BUILD_KEYS}
    started = min([str(s["started_at"]) for s in summaries if s.get("started_at")]
                  + [r.started_at for r in records if r.started_at], default="")
    result = BatchResult(batch_id, folder, sorted(records, key=lambda r: r.run_id),
                         [load_error(e) for e in errors], started,
                         duration_s=max((float(s.get("duration_s") or 0) for s in summaries), default=0.0),
                         scenarios=len({r.scenario for r in records}), origin=Origin(), build=build)
    result.stopped = "; ".join(sorted({str(s["stopped"]) for s in summaries if s.get("stopped")}))
    result.not_started = sorted({str(i) for s in summaries for i in s.get("not_started", [])} - ran)
    return result


def load_error(text: str) -> LoadError:
    """A scenario file that did not load, as a shard's batch.json wrote it (``file[:line]: message``)."""
    match = _WHERE.match(text)
    if match:
        return LoadError(match["file"], int(match["line"]), match["message"])
    file, _, message = text.partition(": ")
    return LoadError(file, 0, message)


def _other_sites(bundles: Sequence[Bundle]) -> list[str]:
    sites = sorted({str(b.summary.get("base_url") or "") for b in bundles} - {""})
    if len(sites) < 2:
        return []
    return [f"the bundles tested different sites ({', '.join(sites)}): they are one batch now all the same"]
