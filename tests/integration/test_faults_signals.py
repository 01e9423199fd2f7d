"""Stopping a batch loses no finished run: SIGTERM, Ctrl-C, a second signal, and kill -9 (then the
batch folder is imported into the history by `uxmon report --import` or by the next run)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from uxmon.cli import main
from uxmon.demo import DemoShop
from uxmon.history import HistoryStore

from .conftest import BUNDLED, write_scenario

SLOW = '''
import time
import uxmon

@uxmon.scenario("Slow one", viewports=["desktop"])
def slow(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Think"):
        time.sleep(90)
'''


def start(tmp_path: Path, shop: DemoShop, grace: float) -> tuple[subprocess.Popen[str], Path]:
    """`uxmon run` of the support journey (quick) then a slow one, in a session of its own."""
    write_scenario(tmp_path / "s", "b_slow.py", SLOW)
    (tmp_path / "s" / "a_support.py").write_text((BUNDLED / "support.py").read_text())
    (tmp_path / "uxmon.toml").write_text(f"[timeouts]\ngrace = {grace}\nrun = 120\n")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "uxmon", "run", "s", "--base-url", shop.url, "-v", "desktop", "-w", "1",
         "-o", str(out)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    return proc, out


def wait_for_first_run(out: Path, proc: subprocess.Popen[str], timeout: float = 90) -> Path:
    """The batch folder, once its summary lists a finished run and the slow one has begun."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        for summary in out.glob("2*/batch.json"):
            if json.loads(summary.read_text())["runs"]:
                time.sleep(2.0)  # the slow run is now under way
                return summary.parent
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    raise AssertionError("no run finished in time")


def test_sigterm_stops_new_runs_gives_the_running_one_its_grace_and_keeps_what_finished(
        tmp_path: Path, shop: DemoShop) -> None:
    proc, out = start(tmp_path, shop, grace=2)
    folder = wait_for_first_run(out, proc)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stdout + stderr
    assert time.monotonic() - sent < 30  # the grace, not the 90 s the scenario wanted
    assert "Stopped early: SIGTERM" in stdout and "What finished is kept." in stdout
    summary = json.loads((folder / "batch.json").read_text())
    assert summary["complete"] is False and summary["stopped"] == "SIGTERM"
    runs = {r["scenario"]: (r["outcome"], r["reason"]) for r in summary["runs"]}
    assert runs["Reach a human"] == ("passed", "")
    assert runs["Slow one"] == ("error", "not finished: uxmon was stopped (SIGTERM) while this run was going")
    assert (folder / "index.html").is_file() and (folder / "junit.xml").is_file()
    assert "Traceback" not in stderr


def test_ctrl_c_reaches_the_batch_only_and_a_second_one_stops_it_at_once(
        tmp_path: Path, shop: DemoShop) -> None:
    proc, out = start(tmp_path, shop, grace=60)
    folder = wait_for_first_run(out, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole foreground group
    time.sleep(1.0)
    assert proc.poll() is None  # waiting out the grace for the run in flight
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout + stderr
    assert time.monotonic() - sent < 20
    summary = json.loads((folder / "batch.json").read_text())
    assert [r["outcome"] for r in summary["runs"]] == ["passed", "error"]
    assert "Traceback" not in stderr


def test_kill_9_keeps_finished_runs_for_import_and_leaves_no_browser(tmp_path: Path, shop: DemoShop,
                                                                      capsys) -> None:  # type: ignore[no-untyped-def]
    proc, out = start(tmp_path, shop, grace=2)
    folder = wait_for_first_run(out, proc)
    family = psutil.Process(proc.pid).children(recursive=True)  # its workers and their browsers
    assert any(p.name().startswith("chrom") for p in family)
    proc.kill()
    proc.communicate(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=30)
    assert not alive  # workers notice the batch is gone and take their browser with them
    records = list(folder.glob("runs/*/record.json"))
    assert [p.parent.name for p in records] == ["reach-a-human--desktop"]
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        assert not store.has_batch(folder.name)
    assert main(["report", "-o", str(out), "--import", str(folder)]) == 0
    assert f"Imported batch {folder.name}: 1 run(s)" in capsys.readouterr().out
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        assert [r.scenario for r in store.runs_of_batch(folder.name)] == ["Reach a human"]
    assert (folder / "results.json").is_file()


def test_the_next_run_adds_a_batch_that_never_reached_the_history(tmp_path: Path, shop: DemoShop,
                                                                   capsys) -> None:  # type: ignore[no-untyped-def]
    proc, out = start(tmp_path, shop, grace=2)
    folder = wait_for_first_run(out, proc)
    proc.kill()
    proc.communicate(timeout=30)
    code = main(["run", str(BUNDLED / "support.py"), "--base-url", shop.url, "-v", "desktop",
                 "-o", str(out)])
    assert code == 0
    assert f"added 1 earlier batch(es) that had not reached the history: {folder.name}" in \
        capsys.readouterr().out.replace("\n", " ")
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        assert store.has_batch(folder.name) and len(store.batches()) == 2


def test_a_batch_another_run_is_still_writing_is_left_to_it(
        tmp_path: Path, shop: DemoShop, capsys: pytest.CaptureFixture[str]) -> None:
    """Two batches at once (two schedule entries, two cron jobs): the one that ends first does not
    take the other's half-written folder into the history as a batch that "never reached" it."""
    proc, out = start(tmp_path, shop, grace=2)
    folder = wait_for_first_run(out, proc)
    code = main(["run", str(BUNDLED / "support.py"), "--base-url", shop.url, "-v", "desktop",
                 "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and "had not reached the history" not in printed, printed
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        assert not store.has_batch(folder.name)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stdout + stderr
    with HistoryStore(f"sqlite:///{out / 'history.sqlite'}") as store:
        assert sorted(r.scenario for r in store.runs_of_batch(folder.name)) == ["Reach a human", "Slow one"]
