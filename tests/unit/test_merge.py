"""Runs added to a batch by run id, and shard bundles merged into one batch, on recorded runs:
in a real SQLite file, and in a real PostgreSQL when UXMON_TEST_PG is set."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from uxmon.config import Config
from uxmon.fleet.merge import MergeError, find_bundles, merge
from uxmon.history import BatchRow, HistoryStore
from uxmon.records import RunRecord
from uxmon.records.serial import load_record, save_record

from .test_history_store import BACKENDS, fresh_pg_schema, recorded

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'merged.sqlite'}" if request.param == "sqlite" else fresh_pg_schema()


def row(batch_id: str, records: list[RunRecord], started: str = "2026-11-01T10:00:00+00:00",
        **build: str) -> BatchRow:
    return BatchRow.of(batch_id, started, "http://shop", batch_id, records, **build)


def test_runs_added_to_a_batch_count_once_and_the_counts_follow(db_url: str) -> None:
    a = recorded("late-stock--buy-a-mug--desktop", "2026-11-01T10:00:05+00:00")
    b = recorded("clean--buy-a-mug--mobile", "2026-11-01T10:00:06+00:00")
    c = recorded("clean--reach-a-human--desktop", "2026-11-01T09:59:00+00:00")
    with HistoryStore(db_url) as store:
        first = store.add_runs(row("gh-1", [a, b]), [a, b])
        assert (first.runs, first.passed, first.failed) == (2, 1, 1)
        again = store.add_runs(row("gh-1", [a]), [a])  # a retried job, a bundle merged twice
        assert (again.runs, again.failed) == (2, 1)
        late = row("gh-1", [c], started="2026-11-01T09:59:00+00:00", label="main", git_sha="abc")
        third = store.add_runs(late, [c])
        assert (third.runs, third.passed, third.failed) == (3, 2, 1)
        assert third.started_at == "2026-11-01T09:59:00+00:00"  # the earliest shard's start
        assert (third.label, third.git_sha, third.folder) == ("main", "abc", "gh-1")
        assert sorted(r.run_id for r in store.runs_of_batch("gh-1")) == [
            "buy-a-mug--desktop", "buy-a-mug--mobile", "reach-a-human--desktop"]
        findings = store.findings_of_runs(r.id for r in store.runs_of_batch("gh-1"))
        every = a.findings + b.findings + c.findings
        assert sorted(f.rule for f in findings) == sorted(f.rule for f in every)
        assert store.count_runs() == 3


def bundle(folder: Path, batch_id: str, records: list[RunRecord], **summary: object) -> Path:
    """A shard's batch folder as `uxmon run` leaves it: records, a picture, batch.json."""
    for record in records:
        record.batch_id = batch_id
        run = folder / "runs" / record.run_id
        save_record(record, run / "record.json")
        (run / "step-1.png").write_bytes(b"\x89PNG picture of " + record.run_id.encode())
    data = {"batch_id": batch_id, "started_at": min(r.started_at for r in records), "duration_s": 12.5,
            "base_url": "http://shop", "load_errors": [], **summary}
    (folder / "batch.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_two_bundles_make_one_batch_with_the_cross_viewport_findings_and_merging_again_changes_nothing(
        tmp_path: Path, db_url: str) -> None:
    desktop = recorded("clean--buy-a-mug--desktop", "2026-11-01T10:00:01+00:00")
    mobile = recorded("late-stock--buy-a-mug--mobile", "2026-11-01T10:00:02+00:00")
    help_desk = recorded("clean--reach-a-human--desktop", "2026-11-01T10:00:03+00:00")
    one = bundle(tmp_path / "bundles" / "uxmon-bundle-1", "gh-7-1", [desktop],
                 label="main", load_errors=["scenarios/broken.py:3: NameError: name 'x' is not defined"])
    two = bundle(tmp_path / "bundles" / "uxmon-bundle-2", "gh-7-1", [mobile, help_desk])
    config = Config(output=str(tmp_path / "reports"), db=db_url, root=str(tmp_path))
    result, found = merge(config, [tmp_path / "bundles"])
    assert [b.folder.name for b in found] == ["uxmon-bundle-1", "uxmon-bundle-2"]
    assert result.batch_id == "gh-7-1" and result.folder == tmp_path / "reports" / "gh-7-1"
    assert [r.run_id for r in result.records] == ["buy-a-mug--desktop", "buy-a-mug--mobile",
                                                  "reach-a-human--desktop"]
    parity = [f for r in result.records for f in r.findings if f.rule == "viewport-parity"]
    assert [f.title.split(" at ")[0] for f in parity] == ["Works on desktop, fails on mobile"]
    folder = result.folder
    assert (folder / "runs" / "buy-a-mug--mobile" / "step-1.png").read_bytes().endswith(b"buy-a-mug--mobile")
    assert load_record(folder / "runs" / "buy-a-mug--mobile" / "record.json").batch_id == "gh-7-1"
    summary = json.loads((folder / "batch.json").read_text())
    assert [r["run_id"] for r in summary["runs"]] == [r.run_id for r in result.records]
    assert summary["label"] == "main" and summary["exit_code"] == 1
    assert summary["load_errors"] == ["scenarios/broken.py:3: NameError: name 'x' is not defined"]
    results = json.loads((folder / "results.json").read_text())
    assert len(results["journeys"]) == 3 and results["batch"]["id"] == "gh-7-1"
    assert (folder / "junit.xml").read_text().count("<testcase") == 3
    assert (tmp_path / "reports" / "latest").resolve() == folder.resolve()
    with HistoryStore(db_url) as store:
        stored = store.batch("gh-7-1")
        assert stored is not None and (stored.runs, stored.passed, stored.failed) == (3, 2, 1)
        assert stored.label == "main"
        before = sorted((f.rule, f.fingerprint) for f in store.findings_of_runs(
            r.id for r in store.runs_of_batch("gh-7-1")))
    again, _ = merge(config, [one, two])
    assert [r.run_id for r in again.records] == [r.run_id for r in result.records]
    with HistoryStore(db_url) as store:
        assert store.count_runs() == 3 and len(store.batches()) == 1
        after = sorted((f.rule, f.fingerprint) for f in store.findings_of_runs(
            r.id for r in store.runs_of_batch("gh-7-1")))
    assert after == before and ("viewport-parity", parity[0].fingerprint) in after


def test_a_bundle_merged_later_joins_the_batch_and_a_run_in_two_bundles_is_kept_once(tmp_path: Path) -> None:
    old = recorded("late-stock--buy-a-mug--desktop", "2026-11-01T10:00:01+00:00")
    rerun = recorded("clean--buy-a-mug--desktop", "2026-11-01T10:30:00+00:00")
    other = recorded("clean--buy-a-mug--mobile", "2026-11-01T10:00:02+00:00")
    config = Config(output=str(tmp_path / "reports"), root=str(tmp_path))
    first, _ = merge(config, [bundle(tmp_path / "a", "b-1", [old])], batch_id="merged-1")
    assert [r.outcome for r in first.records] == ["failed"]
    second, _ = merge(config, [bundle(tmp_path / "b", "b-2", [rerun, other]),
                               bundle(tmp_path / "c", "b-3", [recorded("late-stock--buy-a-mug--desktop",
                                                                       "2026-11-01T09:00:00+00:00")])],
                      batch_id="merged-1")
    assert [(r.run_id, r.outcome) for r in second.records] == [("buy-a-mug--desktop", "passed"),
                                                                ("buy-a-mug--mobile", "passed")]
    assert any("is in" in w and "kept the newer one" in w for w in second.warnings)
    with HistoryStore(f"sqlite:///{tmp_path / 'reports' / 'history.sqlite'}") as store:
        [batch] = store.batches()
        assert (batch.id, batch.runs, batch.passed, batch.failed) == ("merged-1", 2, 2, 0)


def test_bundles_that_are_not_batch_folders_are_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(MergeError, match="empty: no uxmon batch folder here"):
        find_bundles([tmp_path / "empty"])
    with pytest.raises(MergeError, match="not a folder"):
        find_bundles([tmp_path / "missing"])
    config = Config(output=str(tmp_path / "reports"), root=str(tmp_path))
    one = bundle(tmp_path / "one", "x", [recorded("clean--buy-a-mug--desktop", "2026-11-01T10:00:00+00:00")])
    with pytest.raises(MergeError, match="cannot name a batch"):
        merge(config, [one], batch_id="../etc")
