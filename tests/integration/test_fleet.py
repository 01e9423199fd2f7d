"""The worker fleet on a real PostgreSQL (UXMON_TEST_PG; .ci/run starts one): a scheduler and two
worker processes run a batch of 8 jobs against the demo shop; one worker is killed with SIGKILL
in the middle of a run. The batch completes, with every run exactly once in the history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from uxmon.demo import DemoShop
from uxmon.history import HistoryStore
from uxmon.history.fleet import fleet_batches, fleet_jobs

from ..unit.test_history_store import PG, fresh_pg_schema
from .conftest import ROOT

pytestmark = pytest.mark.skipif(not PG, reason="UXMON_TEST_PG not set (.ci/run starts a PostgreSQL)")
pytest.importorskip("procrastinate")

SCENARIO = '''
import uxmon
from playwright.sync_api import expect


@uxmon.scenario("Browse {n}", viewports={viewports})
def browse(journey: uxmon.Journey) -> None:
    page = journey.page
    with journey.step("Home"):
        page.goto("/")
        expect(page.get_by_role("heading", name="Homeware for every day")).to_be_visible()
    with journey.step("Linger"):
        page.wait_for_timeout({linger})  # long enough to be killed (or stopped) in the middle of
        page.get_by_role("link", name="Blue Mug").click()
        expect(page.get_by_role("heading", name="Blue Mug")).to_be_visible()
'''


def wait_for(what: str, check: Callable[[], Any], timeout: float,
             procs: list[subprocess.Popen[bytes]]) -> Any:
    """Poll until ``check`` answers (generous: the machine may be busy); fail naming what never came."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        found = check()
        if found:
            return found
        dead = [p.args for p in procs if p.poll() is not None]
        assert not dead, f"a process ended while waiting for {what}: {dead}"
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {timeout:g} s")


def scenario(n: int, viewports: str = '["desktop", "mobile"]', linger: int = 2500) -> str:
    return SCENARIO.replace("{n}", str(n)).replace("{viewports}", viewports).replace("{linger}", str(linger))


@pytest.fixture
def fleet_dir(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    db = fresh_pg_schema()
    with DemoShop() as shop:
        for n in range(1, 5):
            (tmp_path / "scenarios").mkdir(exist_ok=True)
            (tmp_path / "scenarios" / f"browse_{n}.py").write_text(scenario(n))
        (tmp_path / "uxmon.toml").write_text(f'''
base_url = "{shop.url}"
scenarios = ["scenarios"]
db = "{db}"

[timeouts]
run = 90

[fleet]
heartbeat = "1s"
stalled_after = "4s"
sweep_every = "2s"

[[schedule]]
name = "browse"
paths = ["scenarios"]
every = "10s"
''')
        yield tmp_path, db


def start(folder: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (folder / f"{args[0]}-{args[-1]}.log").open("wb") as log:  # the child keeps its own copy
        return subprocess.Popen([sys.executable, "-m", "uxmon", *args], cwd=folder, env=env, stdout=log,
                                stderr=subprocess.STDOUT)


def test_a_worker_killed_mid_run_loses_nothing_and_counts_nothing_twice(fleet_dir: tuple[Path, str]) -> None:
    folder, db = fleet_dir
    workers = [start(folder, "worker", "-o", f"out{k}") for k in (1, 2)]
    scheduler = start(folder, "schedule", "--queue", "--health-addr", "off")
    procs = [*workers, scheduler]
    try:
        with HistoryStore(db) as store:
            [batch] = wait_for("the first firing", lambda: fleet_batches(store), 60, procs)
            scheduler.send_signal(signal.SIGTERM)  # one batch is enough; the service stops cleanly
            assert scheduler.wait(60) == 0
            procs.remove(scheduler)
            assert batch.runs == 8 and batch.entry == "browse"
            victim = workers[0]
            name = f":{victim.pid}"

            def running_on_victim() -> Any:
                return [j for j in fleet_jobs(store, batch.batch_id) if j.state == "running"
                        and j.worker.endswith(name)]

            [killed] = wait_for("a run on the first worker", running_on_victim, 120, procs)
            time.sleep(1.0)  # in the middle of its run (each lingers 2.5 s on a page)
            victim.send_signal(signal.SIGKILL)
            victim.wait(30)
            procs.remove(victim)

            def finished() -> Any:
                row = next(b for b in fleet_batches(store) if b.batch_id == batch.batch_id)
                return row if row.finished_at else None

            done = wait_for("the batch's end", finished, 240, procs)
            jobs = {j.run_id: j for j in fleet_jobs(store, batch.batch_id)}
            assert len(jobs) == 8 and {j.state for j in jobs.values()} == {"done"}
            again = jobs[killed.run_id]
            assert again.attempts == 2 and again.worker.endswith(f":{workers[1].pid}")
            assert again.outcome == "passed"
            runs = store.runs_of_batch(batch.batch_id)
            assert sorted(r.run_id for r in runs) == sorted(jobs)  # every run exactly once
            assert {r.outcome for r in runs} == {"passed"} and done.exit_code == 0
            stored = store.batch(batch.batch_id)
            assert stored is not None and (stored.runs, stored.passed, stored.entry) == (8, 8, "browse")
            with store.engine.connect() as conn:
                counts = conn.execute(text("SELECT run_id, count(*) FROM runs GROUP BY run_id")).all()
            assert {c for _, c in counts} == {1}
        survivor = workers[1]
        report = folder / "out2" / batch.batch_id / "index.html"
        assert report.is_file() and (folder / "out2" / batch.batch_id / "junit.xml").read_text().count(
            "<testcase") == 8
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(150) == 0
        procs.remove(survivor)
        log = (folder / "worker-out2.log").read_text()
        assert f"run {killed.run_id} of batch {batch.batch_id}: passed (attempt 2)" in log
        assert f"batch {batch.batch_id} finished: 8 runs, exit code 0" in log
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_sigterm_lets_the_run_in_flight_finish_then_the_worker_leaves(tmp_path: Path) -> None:
    from uxmon.config import load_config
    from uxmon.fleet.enqueue import enqueue_batch
    from uxmon.fleet.queue import build_app, install_schema
    from uxmon.fleet.settings import fleet_settings
    from uxmon.run.pipeline import BatchOptions

    db = fresh_pg_schema()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "browse.py").write_text(scenario(1, '["desktop"]', linger=4000))
    with DemoShop() as shop:
        (tmp_path / "uxmon.toml").write_text(f'base_url = "{shop.url}"\nscenarios = ["scenarios"]\n'
                                             f'db = "{db}"\n[fleet]\nheartbeat = "1s"\n')
        config = load_config(tmp_path / "uxmon.toml", environ={})
        install_schema(config)
        worker = start(tmp_path, "worker", "-o", "out")
        procs = [worker]
        try:
            with HistoryStore(db) as store:
                app = build_app(config, fleet_settings(config))
                app.open()
                try:
                    queued = enqueue_batch(config, app, store, BatchOptions(), deadline_s=600)
                finally:
                    app.close()
                assert queued.runs == 1
                wait_for("the run to start", lambda: [j for j in fleet_jobs(store, queued.batch_id)
                                                      if j.state == "running"], 120, procs)
                time.sleep(1.0)
                worker.send_signal(signal.SIGTERM)
                assert worker.wait(150) == 0  # it waited for the run, then left
                procs.clear()
                [job] = fleet_jobs(store, queued.batch_id)
                assert (job.state, job.outcome, job.attempts) == ("done", "passed", 1)
                [run] = store.runs_of_batch(queued.batch_id)
                assert run.outcome == "passed" and run.steps == 2
        finally:
            for proc in procs:
                proc.kill()
                proc.wait()
    log = (tmp_path / "worker-out.log").read_text()
    assert "got SIGTERM: no new job; the run in flight has 120 s to finish" in log
    assert f"run browse-1--desktop of batch {queued.batch_id}: passed (attempt 1)" in log
