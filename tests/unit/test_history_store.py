"""The history store on a real SQLite file, and on a real PostgreSQL when UXMON_TEST_PG is set
(.ci/run starts one): batches in and out, migrations, concurrent writers, pruning."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from uxmon.friction import score_run
from uxmon.history import BatchRow, HistoryError, HistoryStore, batch_history
from uxmon.history import schema as s
from uxmon.records import Finding, RunRecord
from uxmon.records.serial import load_record

RUNS = Path(__file__).parents[1] / "fixtures" / "runs"
PG = os.environ.get("UXMON_TEST_PG", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG, reason="UXMON_TEST_PG not set (.ci/run starts a PostgreSQL)"))]


def recorded(name: str, started_at: str, duration_ms: float | None = None) -> RunRecord:
    run = load_record(RUNS / f"{name}.json")
    score_run(run)
    run.started_at = started_at
    if duration_ms is not None:
        run.duration_ms = duration_ms
    return run


def fresh_pg_schema(server: str = "") -> str:
    """A schema of its own per test (or bench), so users of a shared server never see each other."""
    server = server or PG
    name = f"t_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    engine.dispose()
    return f"{server}?options=-csearch_path%3D{name}"


def at_once(target: Callable[..., None], *arguments: tuple[Any, ...]) -> list[int | None]:
    """Run ``target`` in one fresh process per argument tuple, all at once; their exit codes."""
    ctx = multiprocessing.get_context("spawn")
    processes = [ctx.Process(target=target, args=args) for args in arguments]
    for p in processes:
        p.start()
    for p in processes:
        p.join(120)
    return [p.exitcode for p in processes]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.sqlite'}"
    else:
        yield fresh_pg_schema()


def batch_of(batch_id: str, started_at: str, records: list[RunRecord], folder: str = "") -> BatchRow:
    return BatchRow.of(batch_id, started_at, "http://shop", folder, records)


def test_a_batch_goes_in_and_comes_back(db_url: str) -> None:
    runs = [recorded("late-stock--buy-a-mug--desktop", "2026-11-01T10:00:00+00:00"),
            recorded("clean--buy-a-mug--mobile", "2026-11-01T10:00:05+00:00")]
    with HistoryStore(db_url) as store:
        store.save_batch(batch_of("b1", "2026-11-01T10:00:00+00:00", runs), runs)
        store.save_batch(batch_of("b1", "2026-11-01T10:00:00+00:00", runs), runs)  # again: replaced
        assert [b.id for b in store.batches()] == ["b1"]
        [batch] = store.batches()
        assert (batch.runs, batch.passed, batch.failed) == (2, 1, 1)
        rows = store.runs_of_batch("b1")
        assert [(r.scenario, r.viewport, r.outcome, r.steps) for r in rows] == [
            ("Buy a mug", "desktop", "failed", 7), ("Buy a mug", "mobile", "passed", 7)]
        assert rows[0].clicks == runs[0].clicks and rows[0].friction_score == runs[0].friction_score
        findings = store.findings_of_runs([rows[0].id])
        assert {f.rule for f in findings} == {f.rule for f in runs[0].findings}
        blocker = next(f for f in findings if f.rule == "late-blocker")
        assert "HTTP 409" in blocker.cause and blocker.evidence_text.startswith("Sorry, Blue Mug")
        steps = store.steps_of_runs([rows[0].id])
        assert [st.name for st in steps][:3] == ["Home", "Product", "Cart"]
        assert len(store.actions_of_runs([rows[0].id])) == len(runs[0].actions)
        assert store.count_runs() == 2


def test_the_first_schema_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # what uxmon's first schema version left behind
        s.MIGRATIONS[1](conn)
        s.set_version(conn, 1)
        conn.execute(s.batches.insert().values(id="old", started_at="2026-01-01T00:00:00+00:00"))
    engine.dispose()
    with HistoryStore(url) as store:
        assert store.version() == s.SCHEMA_VERSION == 8
        assert [(b.id, b.label, b.git_sha) for b in store.batches()] == [("old", "", "")]
        assert store.batches()[0].entry == "" and store.batches()[0].trigger == ""
        assert inspect(store.engine).has_table("alert_states")
        assert inspect(store.engine).has_table("actions") and inspect(store.engine).has_table("digests")
        fleet = ("fleet_firings", "fleet_batches", "fleet_jobs")
        assert all(inspect(store.engine).has_table(t) for t in fleet)
        assert {"cause", "box_w"} <= {c["name"] for c in inspect(store.engine).get_columns("findings")}
        assert "tags" in {c["name"] for c in inspect(store.engine).get_columns("runs")}
        assert {"line", "blocked_ms"} <= {c["name"] for c in inspect(store.engine).get_columns("steps")}
        run = recorded("clean--buy-a-mug--desktop", "2026-11-01T10:00:00+00:00")
        lines = [s.line for s in run.steps]  # the scenario lines of its journey.step() calls
        run.steps[2].line = 33
        new = replace(batch_of("new", "2026-11-01T10:00:00+00:00", [run]), label="main", git_sha="abc123")
        store.save_batch(new, [run])
        assert [b.id for b in store.batches()] == ["new", "old"]
        assert store.newest_batch(label="main") == new and store.newest_batch(label="pr") is None
        assert store.newest_batch(before=new) is not None and store.newest_batch(before=new).id == "old"
        [row] = store.runs_of_batch("new")
        assert (row.scenario_file, row.attempt) == (run.scenario_file, 1)
        assert [st.line for st in store.steps_of_runs([row.id])][1:4] == [lines[1], 33, lines[3]]


def test_a_database_from_a_newer_uxmon_is_refused_clearly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'future.sqlite'}"
    HistoryStore(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        s.set_version(conn, 99)
    engine.dispose()
    with pytest.raises(HistoryError, match="newer uxmon .schema 99.*upgrade uxmon"):
        HistoryStore(url)


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://x/y"])
def test_a_bad_url_is_a_clear_error(url: str) -> None:
    with pytest.raises(HistoryError, match="history database"):
        HistoryStore(url)


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(HistoryError, match="cannot open history database postgresql"):
        HistoryStore("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")


def _writer(url: str, prefix: str, count: int) -> None:
    run = recorded("late-fee--buy-a-mug--mobile", "2026-11-02T00:00:00+00:00")
    with HistoryStore(url) as store:
        for i in range(count):
            started = f"2026-11-02T00:{i:02d}:00+00:00"
            store.save_batch(batch_of(f"{prefix}-{i}", started, [run]), [replace(run, started_at=started)])


def test_two_processes_writing_at_once_lose_nothing(db_url: str) -> None:
    HistoryStore(db_url).close()
    assert at_once(_writer, (db_url, "cron", 15), (db_url, "ci", 15)) == [0, 0]
    with HistoryStore(db_url) as store:
        assert len(store.batches()) == 30 and store.count_runs() == 30


def _opener(url: str, start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))  # all at the same moment, interpreters started
    HistoryStore(url).close()


def test_processes_opening_a_new_history_at_once_migrate_it_once(tmp_path: Path) -> None:
    """Two cron runs (or the scheduler and its child) starting at once on a new history file."""
    for attempt in range(3):
        url = f"sqlite:///{tmp_path / f'history-{attempt}.sqlite'}"
        start_at = time.time() + 3.0
        assert at_once(_opener, *[(url, start_at)] * 4) == [0, 0, 0, 0]
        with HistoryStore(url) as store:
            assert store.version() == s.SCHEMA_VERSION and store.batches() == []


def _batch_folder(output: Path, batch_id: str) -> Path:
    folder = output / batch_id
    (folder / "runs").mkdir(parents=True)
    (folder / "batch.json").write_text(json.dumps({"batch_id": batch_id}))
    return folder


def test_prune_removes_old_batches_and_their_folders(db_url: str, tmp_path: Path) -> None:
    output = tmp_path / "reports"
    old_folder, new_folder = _batch_folder(output, "old"), _batch_folder(output, "new")
    old = recorded("clean--buy-a-mug--desktop", "2026-10-01T00:00:00+00:00")
    new = recorded("clean--buy-a-mug--desktop", "2026-11-20T00:00:00+00:00")
    with HistoryStore(db_url) as store:
        store.save_batch(batch_of("old", old.started_at, [old], "old"), [old])
        store.save_batch(batch_of("new", new.started_at, [new], "new"), [new])
        gone = store.prune(30, output, now=datetime(2026, 11, 22, tzinfo=UTC))
        assert [b.id for b in gone] == ["old"]
        assert [b.id for b in store.batches()] == ["new"] and store.count_runs() == 1
    assert not old_folder.exists() and new_folder.exists()


def test_prune_takes_the_fleets_bookkeeping_of_old_batches_with_them(db_url: str, tmp_path: Path) -> None:
    from uxmon.history.fleet import claim_firing, create_batch, fleet_batches, fleet_jobs
    from uxmon.history.rows import FleetBatchRow, FleetJobRow

    old = recorded("clean--buy-a-mug--desktop", "2026-10-01T00:00:00+00:00")
    with HistoryStore(db_url) as store:
        store.save_batch(batch_of("old", old.started_at, [old]), [old])
        for batch_id, created in (("old", "2026-10-01T00:00:00.000+00:00"),  # made a batch
                                  ("lost", "2026-10-02T00:00:00.000+00:00"),  # never did
                                  ("new", "2026-11-21T00:00:00.000+00:00")):
            create_batch(store, FleetBatchRow(batch_id, created, created, 1),
                         [FleetJobRow(batch_id, f"{batch_id}-run", "Buy a mug", "desktop")])
        assert claim_firing(store, "nightly", "2026-10-01T00:00:00.000+00:00", "me")
        assert claim_firing(store, "nightly", "2026-11-21T00:00:00.000+00:00", "me")
        store.prune(30, tmp_path / "reports", now=datetime(2026, 11, 22, tzinfo=UTC))
        assert [b.batch_id for b in fleet_batches(store)] == ["new"]
        assert fleet_jobs(store, "old") == [] and fleet_jobs(store, "lost") == []
        assert [j.run_id for j in fleet_jobs(store, "new")] == ["new-run"]
        with store.engine.connect() as conn:
            firings = [r.scheduled_at for r in conn.execute(s.fleet_firings.select())]
        assert firings == ["2026-11-21T00:00:00.000+00:00"]  # an old claim could never fire again


def test_prune_deletes_only_its_own_batch_folders(db_url: str, tmp_path: Path) -> None:
    """A copied reports folder whose rows name the original's folders, a row naming any other
    directory, a folder holding another batch: none of them is deleted."""
    original = tmp_path / "original"
    theirs = _batch_folder(original, "b1")
    elsewhere = tmp_path / "precious"
    (elsewhere / "data").mkdir(parents=True)
    copy = tmp_path / "copy"
    other = _batch_folder(copy, "b3")
    (other / "batch.json").write_text(json.dumps({"batch_id": "someone-else"}))
    runs = {i: recorded("clean--buy-a-mug--desktop", f"2026-10-0{i}T00:00:00+00:00") for i in (1, 2, 3)}
    with HistoryStore(db_url) as store:
        store.save_batch(batch_of("b1", runs[1].started_at, [runs[1]], str(theirs)), [runs[1]])
        store.save_batch(batch_of("b2", runs[2].started_at, [runs[2]], str(elsewhere)), [runs[2]])
        store.save_batch(batch_of("b3", runs[3].started_at, [runs[3]], "b3"), [runs[3]])
        gone = store.prune(30, copy, now=datetime(2026, 11, 22, tzinfo=UTC))
    assert sorted(b.id for b in gone) == ["b1", "b2", "b3"]  # the rows go
    assert theirs.is_dir() and (elsewhere / "data").is_dir() and other.is_dir()  # the folders stay


def test_findings_are_new_still_or_fixed_across_batches(db_url: str) -> None:
    first = [recorded("late-fee--buy-a-mug--desktop", "2026-11-01T00:00:00+00:00")]
    second = [recorded("late-fee--buy-a-mug--desktop", "2026-11-02T00:00:00+00:00"),
              recorded("popup--buy-a-mug--mobile", "2026-11-02T00:00:01+00:00")]
    third = [recorded("clean--buy-a-mug--desktop", "2026-11-03T00:00:00+00:00")]
    with HistoryStore(db_url) as store:
        for i, runs in enumerate((first, second, third), start=1):
            store.save_batch(batch_of(f"b{i}", runs[0].started_at, runs), runs)
        two = batch_history(store, "b2")
        three = batch_history(store, "b3")
    assert two is not None and three is not None
    assert {f.rule for f in two.findings.still} == {"late-cost", "growing-total"}
    assert {f.rule for f in two.findings.new} == {"interruption"}
    assert two.findings.fixed == []
    # Desktop ran clean: its findings are fixed; mobile did not run, so nothing of it is fixed.
    assert {(f.rule, f.viewport) for f in three.findings.fixed} == {
        ("late-cost", "desktop"), ("growing-total", "desktop")}
    assert three.findings.new == [] and three.previous is not None and three.previous.id == "b2"


def test_tags_picture_boxes_and_digests_sent_are_kept(db_url: str) -> None:
    from uxmon.history.sent import SentDigest, digest_sent, last_digest, record_digest
    from uxmon.records import Rect

    run = recorded("buried-contact--reach-a-human--mobile", "2026-11-01T10:00:00+00:00")
    run.findings[0].evidence.picture_box = Rect(12.5, 40.0, 300.0, 26.0)
    run.findings.append(Finding("journey-length", "low", "The journey takes 12 steps"))  # no element
    with HistoryStore(db_url) as store:
        store.save_batch(batch_of("b1", run.started_at, [run]), [run])
        [row] = store.runs_of_batch("b1")
        assert row.tag_list == ["support"]
        boxes = {f.rule: f.box for f in store.findings_of_runs([row.id])}
        assert boxes[run.findings[0].rule] == (12.5, 40.0, 300.0, 26.0)
        assert None in boxes.values()  # a finding without an element has no box
        end = "2026-11-02T08:00:00+00:00"
        assert digest_sent(store, "weekly", end) is None
        record_digest(store, SentDigest("weekly", end, "2026-11-02T08:00:05+00:00", "sent", "uxmon weekly",
                                        "a@example.com", "<1@example.com>"))
        sent = digest_sent(store, "weekly", end)
        assert sent is not None and (sent.status, sent.recipients) == ("sent", "a@example.com")
        assert digest_sent(store, "daily", end) is None
        assert last_digest(store, "weekly", "2026-11-09T08:00:00+00:00") == sent
        assert last_digest(store, "weekly", end) is None
