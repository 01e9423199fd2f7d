"""A run's verdict and a batch's end hold whatever the scenario does: a dead browser, a scenario
stuck outside the browser, KeyboardInterrupt and SystemExit, the batch deadline."""

from __future__ import annotations

from pathlib import Path

from uxmon.config import Timeouts
from uxmon.demo import DemoShop

from .conftest import BUNDLED, batch, write_scenario

KILLED_WHILE_WAITING = '''
import os, threading, time
import psutil
from playwright.sync_api import expect
import uxmon

TRIES = []

def kill_browser_soon():
    time.sleep(1.0)
    for proc in psutil.Process(os.getpid()).children(recursive=True):
        try:
            cmd = proc.cmdline()
            ours = any(a.startswith("--uxmon-worker=") for a in cmd)
            if ours and not any(a.startswith("--type=") for a in cmd):
                proc.kill()
        except psutil.Error:
            pass

@uxmon.scenario("Browser dies in expect")
def dies(journey):
    TRIES.append(1)
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Wait for payment"):
        if len(TRIES) <= KILLS:
            threading.Thread(target=kill_browser_soon, daemon=True).start()
            expect(journey.page.get_by_text("Payment received")).to_be_visible(timeout=20000)
'''


def test_a_browser_killed_during_expect_is_an_error_retried_and_never_judged(
        tmp_path: Path, shop: DemoShop) -> None:
    once = write_scenario(tmp_path / "once", "dies.py", KILLED_WHILE_WAITING.replace("KILLS", "1"))
    always = write_scenario(tmp_path / "always", "dies.py", KILLED_WHILE_WAITING.replace("KILLS", "9"))
    retried = batch(tmp_path / "a", shop.url, [once], viewports=["desktop"], retries=1)
    (run,) = retried.records
    assert (run.outcome, run.flaky, run.attempt) == ("passed", True, 2)
    assert [(a.outcome, a.error_kind) for a in run.earlier] == [("error", "browser_crash")]
    result = batch(tmp_path / "b", shop.url, [always], viewports=["desktop", "mobile"], retries=0)
    for run in result.records:
        assert (run.outcome, run.error_kind) == ("error", "browser_crash"), run.reason
        assert run.reason == "the browser crashed or was closed during the run"
        assert run.findings == []  # not the customer's problem: no rule judges it
    assert result.exit_code == 3


STUCK = '''
import socket, time
import uxmon

@uxmon.scenario("Sleeps forever", timeout=4)
def sleeps(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Nap"):
        while True:
            time.sleep(1)

@uxmon.scenario("Spins forever", timeout=4)
def spins(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Spin"):
        n = 0
        while True:
            n += 1

@uxmon.scenario("Reads forever", timeout=4)
def reads(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Ask a silent server"):
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        client = socket.create_connection(server.getsockname())
        client.recv(1)  # blocks: nobody ever sends

@uxmon.scenario("Raises KeyboardInterrupt")
def interrupts(journey):
    journey.page.goto("/")
    raise KeyboardInterrupt

@uxmon.scenario("Calls sys.exit")
def exits(journey):
    import sys
    journey.page.goto("/")
    sys.exit(4)
'''


def test_the_run_timeout_holds_whatever_the_scenario_does_and_the_batch_goes_on(
        tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "stuck.py", STUCK)
    result = batch(tmp_path, shop.url, [path, BUNDLED / "support.py"], viewports=["desktop"],
                   workers=2, timeouts=Timeouts(run=60, action=5, navigation=10))
    runs = {r.scenario: r for r in result.records}
    assert set(runs) == {"Sleeps forever", "Spins forever", "Reads forever", "Raises KeyboardInterrupt",
                         "Calls sys.exit", "Reach a human"}
    for name, step in (("Sleeps forever", "Nap"), ("Spins forever", "Spin"),
                       ("Reads forever", "Ask a silent server")):
        run = runs[name]
        assert (run.outcome, run.error_kind) == ("failed", "run_timeout"), (name, run.reason)
        assert run.reason == "the journey did not finish within 4 s; uxmon stopped it"
        assert run.step_at_failure is not None and run.step_at_failure.name == step, name
        assert [s.name for s in run.steps][:1] == ["Home"]  # what was recorded so far is kept
    assert (runs["Raises KeyboardInterrupt"].outcome, runs["Raises KeyboardInterrupt"].reason[:39]) == (
        "error", "the scenario raised KeyboardInterrupt (")
    assert runs["Calls sys.exit"].reason.startswith("the scenario called sys.exit(4) (")
    assert runs["Reach a human"].outcome == "passed"
    assert result.exit_code == 1


SLOW = '''
import time
import uxmon

@uxmon.scenario("Slow one")
def slow(journey):
    with journey.step("Home"):
        journey.page.goto("/")
    with journey.step("Think"):
        time.sleep(30)
'''


def test_the_batch_deadline_stops_the_batch_and_keeps_what_finished(tmp_path: Path, shop: DemoShop) -> None:
    path = write_scenario(tmp_path / "s", "slow.py", SLOW)
    result = batch(tmp_path, shop.url, [BUNDLED / "support.py", path], viewports=["desktop", "mobile"],
                   workers=1, timeouts=Timeouts(run=60, action=5, navigation=10, batch=20, grace=1))
    assert result.stopped == "the batch deadline of 20 s passed"
    by_kind = {(r.scenario, r.outcome, r.error_kind) for r in result.records}
    assert ("Reach a human", "passed", "") in by_kind  # what finished is kept
    assert ("Slow one", "error", "interrupted") in by_kind  # the run in flight says why it stopped
    assert not any(r.scenario == "Slow one" and r.outcome == "passed" for r in result.records)
    [cut] = [r for r in result.records if r.error_kind == "interrupted"]
    assert cut.reason == ("not finished: uxmon was stopped (the batch deadline of 20 s passed) "
                          "while this run was going")
    assert len(result.records) + len(result.not_started) == 4 and result.not_started
    assert result.exit_code == 3
    summary = (result.folder / "batch.json").read_text()
    assert '"complete": false' in summary and '"stopped": "the batch deadline of 20 s passed"' in summary
