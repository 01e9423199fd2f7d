"""The fleet without a browser: what needs PostgreSQL says so, [fleet] settings, the retry rule,
batches ended by their last run (on recorded runs), and on a real PostgreSQL with procrastinate
(UXMON_TEST_PG): two schedulers make a firing once, a journey still waiting is not queued again."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

import uxmon.cli  # noqa: F401 - registers the sections
from uxmon.cli import main
from uxmon.config import ConfigError, load_config
from uxmon.fleet.queue import FleetError, queue_dsn
from uxmon.fleet.settings import fleet_settings, sweep_cron
from uxmon.fleet.tasks import RunSpec, end_batch, tried_again
from uxmon.history import HistoryStore
from uxmon.history.fleet import claim_firing, create_batch, fleet_batch, job_done, job_records
from uxmon.history.rows import FleetBatchRow, FleetJobRow
from uxmon.records import RunRecord
from uxmon.records.serial import record_to_json

from .test_history_store import PG, fresh_pg_schema, recorded

SQLITE_MESSAGE = "a fleet needs PostgreSQL"


@pytest.mark.parametrize("db", ["", "sqlite:///reports/history.sqlite"])
def test_a_fleet_on_sqlite_says_it_needs_postgresql(db: str) -> None:
    with pytest.raises(FleetError, match=SQLITE_MESSAGE) as caught:
        queue_dsn(db)
    assert "UXMON_DB" in str(caught.value) and "without --queue" in str(caught.value)


@pytest.mark.parametrize("db", ["mysql+pymysql://uxmon:hunter22@db/uxmon", "not a url hunter22"])
def test_a_url_that_cannot_carry_a_fleet_is_refused_without_its_password(db: str) -> None:
    with pytest.raises(FleetError) as caught:
        queue_dsn(db)
    assert "hunter22" not in str(caught.value)


def test_the_history_url_becomes_the_queues_connection_string() -> None:
    url = "postgresql+psycopg://uxmon:s3cret@db.example:5433/uxmon?options=-csearch_path%3Dmine"
    assert queue_dsn(url) == "postgresql://uxmon:s3cret@db.example:5433/uxmon?options=-csearch_path%3Dmine"


@pytest.mark.parametrize("command", [["worker"], ["schedule", "--queue"]])
def test_worker_and_schedule_queue_refuse_sqlite_with_exit_2(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("UXMON_DB", raising=False)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "s.py").write_text(
        "import uxmon\n\n@uxmon.scenario('Home')\ndef home(journey):\n    journey.page.goto('/')\n")
    (tmp_path / "uxmon.toml").write_text('base_url = "http://127.0.0.1:9"\n[[schedule]]\nname = "home"\n'
                                         'paths = ["scenarios"]\nevery = "10m"\n')
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert SQLITE_MESSAGE in err and "Traceback" not in err


def test_fleet_settings_have_defaults_and_bad_values_name_the_file_and_key(tmp_path: Path) -> None:
    assert fleet_settings(load_config(None, environ={}, search_from=tmp_path)).stop_grace_s == 120
    path = tmp_path / "uxmon.toml"
    path.write_text('[fleet]\nheartbeat = "2s"\nstalled_after = "20s"\nsweep_every = "15s"\n')
    settings = fleet_settings(load_config(path, environ={}))
    assert (settings.heartbeat_s, settings.stalled_after_s, settings.sweep_every_s) == (2, 20, 15)
    path.write_text('[fleet]\nsweep_every = "7s"\n')
    with pytest.raises(ConfigError, match=r"uxmon.toml.*sweep_every.*divide a minute or an hour"):
        load_config(path, environ={})
    path.write_text('[fleet]\nheartbeats = "2s"\n')
    with pytest.raises(ConfigError, match="unknown key 'heartbeats'.*did you mean 'heartbeat'"):
        load_config(path, environ={})


@pytest.mark.parametrize(("seconds", "cron"), [
    (2, "* * * * * */2"), (30, "* * * * * */30"), (60, "* * * * *"), (600, "*/10 * * * *"),
    (7, ""), (90, ""), (420, ""), (1.5, "")])
def test_the_sweep_period_as_cron(seconds: float, cron: str) -> None:
    assert sweep_cron(seconds) == cron


def record(kind: str, outcome: str = "error") -> RunRecord:
    return RunRecord(run_id="r", batch_id="b", scenario="S", viewport=recorded(
        "clean--buy-a-mug--desktop", "2026-11-01T10:00:00+00:00").viewport, outcome=outcome, error_kind=kind)


@pytest.mark.parametrize(("kind", "outcome", "attempt", "again"), [
    ("browser_crash", "error", 1, True), ("worker_died", "error", 1, True), ("interrupted", "error", 1, True),
    ("browser_crash", "error", 2, False),  # once only
    ("", "failed", 1, False), ("site_down", "failed", 1, False),  # the customer's trouble: a result
    ("unreachable", "error", 1, False), ("scenario_error", "error", 1, False), ("", "passed", 1, False)])
def test_only_uxmons_own_trouble_is_tried_again_and_only_once(kind: str, outcome: str, attempt: int,
                                                              again: bool) -> None:
    assert tried_again(record(kind, outcome), attempt) is again


def test_a_run_spec_is_plain_json_and_names_its_journey_lock() -> None:
    spec = RunSpec("b1", "buy--desktop", "Buy", "scenarios/buy.py", "desktop", "nightly", "schedule", "t")
    assert RunSpec.of({**spec.args(), "unknown": 1}) == spec
    assert spec.lock == "journey:Buy@desktop"


def fleet_batch_of(store: HistoryStore, batch_id: str, records: list[RunRecord]) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    create_batch(store, FleetBatchRow(batch_id, now, now, len(records), "nightly", "schedule", now,
                                      label="main"),
                 [FleetJobRow(batch_id, r.run_id, r.scenario, r.viewport.name) for r in records])


def test_the_last_run_done_ends_the_batch_once_with_every_run_judged_together_and_alerted(
        tmp_path: Path) -> None:
    from tests.receiver import receiver

    desktop = recorded("clean--buy-a-mug--desktop", "2026-11-01T10:00:01+00:00")
    mobile = recorded("late-stock--buy-a-mug--mobile", "2026-11-01T10:00:02+00:00")
    db = f"sqlite:///{tmp_path / 'reports.sqlite'}"
    with HistoryStore(db) as store:
        fleet_batch_of(store, "q-1", [desktop, mobile])
        assert job_done(store, "q-1", desktop.run_id, "passed", record_to_json(desktop)) is False
        assert job_done(store, "q-1", mobile.run_id, "failed", record_to_json(mobile)) is True
        assert job_done(store, "q-1", mobile.run_id, "failed", record_to_json(mobile)) is False  # once
        assert len(job_records(store, "q-1")) == 2
    with receiver() as hook:
        path = tmp_path / "uxmon.toml"
        path.write_text(f'output = "reports"\ndb = "{db}"\n[alerting]\nfailing_after = 1\n'
                        f'[[alerts]]\ntype = "webhook"\nurl = "{hook.url}/uxmon"\n')
        config = load_config(path, environ={})
        with HistoryStore(db) as store:
            assert end_batch(config, store, "q-1") == 1  # a journey failed
            row = fleet_batch(store, "q-1")
            assert row is not None and row.finished_at and row.exit_code == 1
            batch = store.batch("q-1")
            assert batch is not None and (batch.runs, batch.failed, batch.entry, batch.label) == (
                2, 1, "nightly", "main")
            findings = store.findings_of_runs(r.id for r in store.runs_of_batch("q-1"))
            assert "viewport-parity" in {f.rule for f in findings}  # desktop and mobile met at the end
            assert end_batch(config, store, "q-1") == 1 and len(store.batches()) == 1  # again: nothing new
        [alert] = hook.wait_for(1)
    body = alert.json()
    assert (body["type"], body["events"], alert.path) == ("uxmon.batch.alert", ["run.failing"], "/uxmon")
    assert (body["batch"]["id"], body["batch"]["entry"]) == ("q-1", "nightly")
    assert [(j["scenario"], j["viewport"]) for j in body["journeys"]] == [("Buy a mug", "mobile")]
    folder = tmp_path / "reports" / "q-1"
    assert (folder / "index.html").is_file() and (folder / "junit.xml").read_text().count("<testcase") == 2


def test_a_fire_time_is_claimed_by_one_scheduler_only(tmp_path: Path) -> None:
    with HistoryStore(f"sqlite:///{tmp_path / 'h.sqlite'}") as store:
        at = "2026-12-01T10:00:00.000+00:00"
        assert claim_firing(store, "nightly", at, "a:1") is True
        assert claim_firing(store, "nightly", at, "b:2") is False
        assert claim_firing(store, "nightly", "2026-12-01T10:10:00.000+00:00", "b:2") is True


needs_queue = pytest.mark.skipif(not PG, reason="UXMON_TEST_PG not set (.ci/run starts a PostgreSQL)")


@needs_queue
def test_two_schedulers_make_a_firing_once_and_a_waiting_journey_is_not_queued_again(tmp_path: Path) -> None:
    pytest.importorskip("procrastinate")
    from sqlalchemy import text

    from uxmon.fleet.launch import QueueLauncher
    from uxmon.fleet.queue import build_app, install_schema
    from uxmon.schedule.firing import Firing
    from uxmon.schedule.jobs import prepare
    from uxmon.schedule.settings import entries

    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "home.py").write_text(
        "import uxmon\n\n@uxmon.scenario('Home', viewports=['desktop', 'mobile'])\n"
        "def home(journey):\n    journey.page.goto('/')\n")
    path = tmp_path / "uxmon.toml"
    path.write_text(f'base_url = "http://127.0.0.1:9"\ndb = "{fresh_pg_schema()}"\n[[schedule]]\n'
                    'name = "home"\npaths = ["scenarios"]\nevery = "10m"\n')
    config = load_config(path, environ={})
    assert install_schema(config) is True and install_schema(config) is False
    [job] = prepare(config, entries(config))
    due = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    notes = []
    with HistoryStore(config.db) as store:
        for _ in range(2):  # two schedulers, the same fire time
            app = build_app(config, fleet_settings(config))
            app.open()
            try:
                firing = Firing("home", due, [], 60, tmp_path / "home.log", due_at=due)
                QueueLauncher(config, app, store)(firing, job, threading.Event())
                notes.append((firing.exit_code, firing.note))
            finally:
                app.close()
        assert notes[0][0] == 0 and notes[0][1].startswith("queued batch ")
        assert notes[0][1].endswith(": 2 run(s)")
        assert notes[1] == (0, "another scheduler has made this firing")
        with store.engine.connect() as conn:
            queued = conn.execute(text("SELECT lock, queueing_lock, status FROM procrastinate_jobs "
                                       "ORDER BY lock")).all()
        assert [tuple(q) for q in queued] == [("journey:Home@desktop", "journey:Home@desktop", "todo"),
                                             ("journey:Home@mobile", "journey:Home@mobile", "todo")]
        app = build_app(config, fleet_settings(config))
        app.open()
        try:  # the next fire time, nobody took the first runs yet: nothing piles up
            later = due + dt.timedelta(minutes=10)
            firing = Firing("home", later, [], 60, tmp_path / "home.log", due_at=later)
            QueueLauncher(config, app, store)(firing, job, threading.Event())
        finally:
            app.close()
        assert "0 run(s); still waiting from an earlier firing, not queued again: Home on desktop, " \
               "Home on mobile" in firing.note
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar_one() == 2
            assert conn.execute(text("SELECT count(*) FROM fleet_jobs")).scalar_one() == 2
