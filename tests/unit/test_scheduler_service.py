"""The service with a real APScheduler and real child processes, no browser.

Digest entries fire a stand-in executable in place of ``python`` (the real ``uxmon digest``
lives in the email branch): it records the command line it was given, sleeps or crashes on
request. Batch entries with a browser are in tests/integration/test_schedule.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from standardwebhooks import Webhook

import uxmon.cli  # noqa: F401 - registers the sections
from tests.receiver import receiver
from uxmon.config import load_config
from uxmon.history.scheduling import skipped
from uxmon.history.store import HistoryStore, database_url
from uxmon.notify.signing import new_secret
from uxmon.schedule.firing import iso
from uxmon.schedule.health import HealthServer
from uxmon.schedule.jobs import prepare
from uxmon.schedule.serve import probes
from uxmon.schedule.service import Service
from uxmon.schedule.settings import entries, scheduler_settings

STAND_IN = """#!{python}
import json, os, subprocess, sys, time
with open(os.environ["STAND_IN_LOG"], "a") as f:
    f.write(json.dumps({{"argv": sys.argv[1:], "at": time.time()}}) + "\\n")
if os.environ.get("STAND_IN_CHILD"):
    with open(os.environ["STAND_IN_CHILD"], "w") as f:
        f.write(str(subprocess.Popen(["sleep", "60"]).pid))
print("stand-in: working", flush=True)
time.sleep(float(os.environ.get("STAND_IN_SLEEP", "0")))
sys.exit(int(os.environ.get("STAND_IN_EXIT", "0")))
"""


def until(check, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def stand_in(tmp_path: Path) -> Path:
    import sys

    path = tmp_path / "stand-in"
    path.write_text(STAND_IN.format(python=sys.executable))
    path.chmod(0o755)
    return path


@contextmanager
def service(tmp_path: Path, stand_in: Path, body: str, **env: str) -> Iterator[Service]:
    path = tmp_path / "uxmon.toml"
    path.write_text(f'output = "{tmp_path / "reports"}"\n' + body)
    config = load_config(path, environ={})
    environ = {**os.environ, "STAND_IN_LOG": str(tmp_path / "calls.jsonl"), **env}
    svc = Service(config, prepare(config, entries(config)), scheduler_settings(config), env=environ,
                  python=str(stand_in))
    svc.start()
    try:
        yield svc
    finally:
        svc.stop(grace_s=5)


def calls(tmp_path: Path) -> list[dict]:  # type: ignore[type-arg]
    log = tmp_path / "calls.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def history(tmp_path: Path) -> HistoryStore:
    return HistoryStore(database_url("", tmp_path / "reports"))


DIGEST = ('[[schedule]]\nname = "weekly"\ndigest = true\nevery = "1s"\nsince = "7d"\n'
          'to = ["cx@example.com", "ops@example.com"]\nonly_if_changed = true\n')


def test_a_digest_entry_fires_uxmon_digest_with_its_period_end_and_options(tmp_path: Path,
                                                                           stand_in: Path) -> None:
    with service(tmp_path, stand_in, DIGEST) as svc:
        assert until(lambda: len(calls(tmp_path)) >= 2)
        with _health(svc) as url:
            assert urllib.request.urlopen(f"{url}/livez").read() == b"ok\n"
            assert urllib.request.urlopen(f"{url}/readyz").read() == b"ok\n"
            status = json.loads(urllib.request.urlopen(f"{url}/status").read())
            assert status["entries"][0]["name"] == "weekly" and status["entries"][0]["next_fire_time"]
            until(lambda: "uxmon_firings_total" in svc.metrics.text() and svc.metrics.firings)
            metrics = urllib.request.urlopen(f"{url}/metrics").read().decode()
            assert 'uxmon_firings_total{entry="weekly",result="ok"}' in metrics
    first = calls(tmp_path)[0]["argv"]
    config = str(tmp_path / "uxmon.toml")
    assert first[:8] == ["-m", "uxmon", "digest", "--config", config, "--entry", "weekly", "--period-end"]
    assert first[9:] == ["--since", "7d", "--to", "cx@example.com", "--to", "ops@example.com",
                         "--only-if-changed"]
    end = dt.datetime.fromisoformat(first[8])
    assert end.utcoffset() == dt.timedelta(0)
    assert abs((end - svc.started_at).total_seconds() - 1.0) < 1.0  # the first fire time, one interval in
    fired = list(svc.done)
    assert iso(fired[0].scheduled_at) == first[8] and 0 <= fired[0].delay_s < 5


class _health:
    def __init__(self, svc: Service) -> None:
        self.server = HealthServer("127.0.0.1:0", probes(svc, ""))

    def __enter__(self) -> str:
        return self.server.start().url

    def __exit__(self, *exc: object) -> None:
        self.server.stop()


def test_overlapping_firings_are_skipped_kept_and_alerted_once_after_three(tmp_path: Path,
                                                                           stand_in: Path) -> None:
    secret = new_secret()
    with receiver() as hook:
        body = DIGEST + (f'[[alerts]]\ntype = "webhook"\nurl = "{hook.url}/uxmon"\nsecret = "{secret}"\n'
                         'events = ["scheduler.missed"]\n')
        with service(tmp_path, stand_in, body, STAND_IN_SLEEP="4.5") as svc:
            assert until(lambda: len(svc.book.alerts) >= 1, timeout=30)
            svc.book.drain()
        got = hook.wait_for(1)
    with history(tmp_path) as store:
        rows = skipped(store, "weekly")
    assert len(rows) >= 3 and {r.kind for r in rows} == {"overlap"}
    assert rows[0].reason == "the previous firing of this entry was still running"
    assert len(got) == 1  # once, at the third miss in a row; not again at the fourth
    payload = Webhook(secret).verify(got[0].body.decode(), got[0].headers)
    assert payload["type"] == "uxmon.scheduler.missed" and payload["events"] == ["scheduler.missed"]
    assert payload["scheduler"]["entry"] == "weekly" and payload["scheduler"]["misses"] == 3


def test_a_firing_past_its_deadline_is_ended_with_its_children(tmp_path: Path, stand_in: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    body = DIGEST.replace('every = "1s"', 'every = "1s"\ntimeout = "1s"')
    with service(tmp_path, stand_in, body, STAND_IN_SLEEP="60", STAND_IN_CHILD=str(pid_file)) as svc:
        assert until(lambda: any(f.timed_out for f in svc.done), timeout=30)
        svc.book.drain()
    grandchild = int(pid_file.read_text())
    assert until(lambda: not _alive(grandchild), timeout=5), "the firing's own children must go too"
    with history(tmp_path) as store:
        row = skipped(store, "weekly")[0]
    assert (row.kind, row.reason) == ("deadline", "stopped after its 1 s deadline")


def test_a_crashing_firing_is_recorded_even_while_the_history_is_locked(tmp_path: Path,
                                                                         stand_in: Path) -> None:
    db = tmp_path / "reports" / "history.sqlite"
    HistoryStore(database_url("", tmp_path / "reports")).close()
    blocker = sqlite3.connect(db, timeout=1)
    blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the database for a moment
    with service(tmp_path, stand_in, DIGEST.replace("1s", "2s"), STAND_IN_EXIT="70") as svc:
        assert until(lambda: any(f.exit_code == 70 for f in svc.done), timeout=20)
        time.sleep(0.5)
        blocker.rollback()
        blocker.close()
        svc.book.drain()
        assert svc.scheduler.running  # the crash did not take the scheduler down
    with history(tmp_path) as store:
        row = skipped(store, "weekly")[0]
    assert (row.kind, row.reason) == ("crashed", "exit code 70: stand-in: working")


def test_a_clock_jump_past_the_grace_is_a_missed_firing(tmp_path: Path, stand_in: Path) -> None:
    """The machine slept (or its clock jumped) two hours past a daily fire time: missed, not run."""
    # The daily time half a day away: no fire time of its own falls between the jump and now
    # (a fixed "0 3 * * *" made the test fail when run between 03:00 and 03:05 UTC).
    hour = (dt.datetime.now(dt.UTC).hour + 12) % 24
    body = f'[[schedule]]\nname = "nightly"\ndigest = true\ncron = "0 {hour} * * *"\n'
    with service(tmp_path, stand_in, body) as svc:
        jumped = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
        svc.scheduler.modify_job("nightly", next_run_time=jumped)
        assert until(lambda: svc.metrics.missed.get(("nightly", "missed")) == 1)
        svc.book.drain()
    assert calls(tmp_path) == []
    with history(tmp_path) as store:
        row = skipped(store, "nightly")[0]
    assert row.kind == "missed" and row.reason.startswith("started 72")
    assert "past its 300 s misfire grace" in row.reason


def test_a_paused_clock_makes_one_coalesced_firing_for_the_newest_missed_time(tmp_path: Path,
                                                                              stand_in: Path) -> None:
    with service(tmp_path, stand_in, DIGEST) as svc:
        assert until(lambda: len(svc.done) >= 1)
        svc.scheduler.pause()
        paused = dt.datetime.now(dt.UTC)
        time.sleep(4.2)
        before = len(svc.done)
        count = before
        svc.scheduler.resume()
        assert until(lambda: len(svc.done) > count)
        time.sleep(0.3)
        after_resume = [f for f in svc.done if f.scheduled_at > paused]
    first = after_resume[0]
    assert (first.scheduled_at - paused).total_seconds() > 3  # the newest of the four missed times
    assert len([f for f in after_resume if f.scheduled_at < paused + dt.timedelta(seconds=4)]) == 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie whose parent is gone is not running
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False
