"""Cron mode without a browser: the lock, and pings for a run that cannot start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.receiver import Answer, receiver
from uxmon.cli import main
from uxmon.schedule.cron import LockBusy, lock_path, ping, run_lock

HOLD = ("import fcntl, os, sys, time\nfd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\nos.write(fd, b'4242')\nprint('held', flush=True)\ntime.sleep(60)\n")


@pytest.fixture
def held_lock(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "reports" / ".uxmon.lock"
    path.parent.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield path
    holder.kill()
    holder.wait()
    holder.stdout.close()


def test_a_held_lock_skips_the_run_with_one_line_and_exit_0(tmp_path: Path, held_lock: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["run", "--quiet", "--lock", "auto", "-o", str(tmp_path / "reports"), str(tmp_path)]
    assert main(argv) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.strip() == f"uxmon: another uxmon run holds {held_lock} (pid 4242); skipping this run"
    assert main([*argv, "--lock-busy-exit", "75"]) == 75


def test_the_lock_is_free_again_once_its_holder_is_gone(tmp_path: Path) -> None:
    path = lock_path("auto", tmp_path)
    assert path == tmp_path / ".uxmon.lock"
    with run_lock(path):
        with pytest.raises(LockBusy), run_lock(path):
            pass
    with run_lock(path):
        pass


def test_pings_start_and_the_exit_code_even_when_the_run_cannot_start(tmp_path: Path) -> None:
    empty = tmp_path / "no-scenarios"
    empty.mkdir()
    with receiver() as hc:
        code = main(["run", "--quiet", "--ping-url", f"{hc.url}/ping/abc-123", "-o", str(tmp_path / "r"),
                     str(empty)])
        got = hc.wait_for(2)
    assert code == 2
    assert [r.path for r in got] == ["/ping/abc-123/start", "/ping/abc-123/2"]
    assert got[1].body.decode().startswith("uxmon: no scenarios found in ")


def test_a_failing_ping_is_retried_then_reported_never_raised() -> None:
    waits: list[float] = []
    with receiver([Answer(500), Answer(502), Answer(503)]) as hc:
        problem = ping(f"{hc.url}/p/SECRET-UUID", "0", "all good", sleep=waits.append)
        assert len(hc.requests) == 3
    assert problem == "ping 0 to http://127.0.0.1/… failed after 3 tries: HTTP 503"
    assert waits == [2.0, 4.0]
