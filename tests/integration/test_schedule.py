"""``uxmon schedule`` and cron-mode ``uxmon run`` for real: child processes, Chromium, the demo shop.

The service test runs two entries (every 2 s and every 3 s) for about 15 s, checks the
history, the health endpoints and a clean stop on SIGTERM, then restarts for the catch-up.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import BUNDLED, write_scenario
from tests.receiver import receiver
from uxmon.cli import main
from uxmon.demo import DemoShop, parse
from uxmon.history.scheduling import batches_of_entry, skipped
from uxmon.history.store import HistoryStore, database_url

QUICK = '''
import uxmon

@uxmon.scenario("Home page", tags=["quick"])
def home(journey: uxmon.Journey) -> None:
    with journey.step("Home"):
        journey.page.goto("/")
        journey.page.get_by_role("heading", name="Homeware for every day").wait_for()
'''


_STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_service_left() -> Iterator[None]:
    """A test that fails half-way still ends the services it started (and only those)."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def start_service(config: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uxmon", "schedule", "-c", str(config),
                                 "--health-addr", "127.0.0.1:0"], stdout=out, stderr=subprocess.STDOUT)
    _STARTED.append(proc)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        found = re.search(r"health on (http://127\.0\.0\.1:\d+)", log.read_text())
        if found:
            return proc, found.group(1)
        assert proc.poll() is None, log.read_text()
        time.sleep(0.1)
    raise AssertionError(log.read_text())


def stop(proc: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, float]:
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=timeout)
    return code, time.monotonic() - t0


def until_batches(folder: Path, wanted: dict[str, int], timeout: float) -> bool:
    """Wait until each schedule entry has kept at least its number of batches."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with HistoryStore(database_url("", folder / "reports")) as store:
            if all(len(batches_of_entry(store, e)) >= n for e, n in wanted.items()):
                return True
        time.sleep(0.5)
    return False


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_two_entries_for_fifteen_seconds_then_a_clean_stop_and_a_catch_up(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    write_scenario(scenarios, "quick.py", QUICK)
    with DemoShop() as shop:
        config = tmp_path / "uxmon.toml"
        config.write_text(f'base_url = "{shop.url}"\nscenarios = ["scenarios"]\nviewports = ["desktop"]\n'
                          'trace = "off"\n[scheduler]\nstop_grace = "60s"\n'
                          '[[schedule]]\nname = "fast"\ntags = ["quick"]\nevery = "2s"\n'
                          '[[schedule]]\nname = "slower"\npaths = ["scenarios/quick.py"]\nevery = "3s"\n')
        proc, health = start_service(config, tmp_path / "service.log")
        # Until each entry has fired twice (about 15 s on a quiet machine): a loaded one is slower.
        assert until_batches(tmp_path, {"fast": 2, "slower": 2}, timeout=180), \
            (tmp_path / "service.log").read_text()
        assert get(f"{health}/livez") == (200, "ok\n")
        ready = get(f"{health}/readyz?verbose")
        assert ready[0] == 200 and "[+]history ok" in ready[1] and "[+]browser ok" in ready[1], ready
        metrics = get(f"{health}/metrics")[1]
        sample = r'uxmon_runs_total\{scenario="Home page",viewport="desktop",outcome="passed"\} \d'
        assert re.search(sample, metrics)
        status = json.loads(get(f"{health}/status")[1])
        assert [e["name"] for e in status["entries"]] == ["fast", "slower"]
        code, took = stop(proc)
        log = (tmp_path / "service.log").read_text()
        assert code == 0 and took < 60, log
        with HistoryStore(database_url("", tmp_path / "reports")) as store:
            fast, slower = batches_of_entry(store, "fast"), batches_of_entry(store, "slower")
            missed = skipped(store)
            runs = {b.id: store.runs_of_batch(b.id) for b in fast + slower}
        assert len(fast) >= 2 and len(slower) >= 2, log
        assert all(b.trigger == "schedule" and b.passed == 1 for b in fast + slower)
        assert {r.kind for r in missed} <= {"overlap", "missed"}
        for entry in (fast, slower):  # one instance per entry: a batch starts after the previous ended
            spans = [(b.started_at, max(r.started_at for r in runs[b.id])) for b in entry]
            assert all(later[0] >= earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))

        time.sleep(3.5)  # both entries are now overdue: one catch-up each on start, not a flood
        proc, health = start_service(config, tmp_path / "again.log")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with HistoryStore(database_url("", tmp_path / "reports")) as store:
                caught = [b for e in ("fast", "slower") for b in batches_of_entry(store, e)
                          if b.trigger == "catch-up"]
            if len(caught) == 2:
                break
            time.sleep(0.5)
        code, _ = stop(proc)
    children = sorted((tmp_path / "reports" / "schedule").glob("*.log"))
    logs = "\n".join(p.read_text() for p in [tmp_path / "again.log", *children])
    assert code == 0, logs
    assert sorted(b.entry for b in caught) == ["fast", "slower"], logs


def test_sigterm_in_the_middle_of_a_batch_waits_for_it_and_keeps_it(tmp_path: Path) -> None:
    with DemoShop(friction="slow:home:6000") as shop:
        config = tmp_path / "uxmon.toml"
        config.write_text(f'base_url = "{shop.url}"\nviewports = ["desktop"]\ntrace = "off"\n'
                          '[[schedule]]\nname = "slow"\ntags = ["support"]\nevery = "1s"\n'
                          f'paths = ["{BUNDLED}"]\n')
        proc, health = start_service(config, tmp_path / "service.log")
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if json.loads(get(f"{health}/status")[1])["entries"][0]["running_since"]:
                break
            time.sleep(0.2)
        time.sleep(1)
        code, took = stop(proc)
    log = (tmp_path / "service.log").read_text()
    assert code == 0, log
    assert "waiting up to 90 s for running batches" in log
    with HistoryStore(database_url("", tmp_path / "reports")) as store:
        kept = batches_of_entry(store, "slow")
    assert len(kept) == 1 and kept[0].runs == 1, log  # the batch in flight finished and was kept


def test_cron_mode_is_silent_when_all_is_well_and_short_when_not(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with DemoShop() as shop, receiver() as hc:
        argv = ["run", "--quiet", "--lock", "auto", "--ping-url", f"{hc.url}/abc", "--base-url", shop.url,
                "-v", "desktop", "-o", str(tmp_path / "reports"), "--trace", "off",
                str(BUNDLED / "purchase.py")]
        assert main(argv) == 0
        clean = capsys.readouterr()
        shop.friction = parse("late-stock")
        assert main(argv) == 1
        broken = capsys.readouterr()
        got = hc.wait_for(4)
    assert clean.out == "" and clean.err == ""
    assert [r.path for r in got] == ["/abc/start", "/abc/0", "/abc/start", "/abc/1"]
    assert got[1].body.decode().startswith("uxmon: 1 of 1 runs passed, 0 failed")
    lines = broken.out.splitlines()
    assert lines[0].startswith("uxmon: 0 of 1 runs passed, 1 failed, 0 could not be measured")
    assert lines[1].startswith("  failed: Buy a mug · desktop at step ")
    assert lines[-1].startswith("Report: ") and lines[-1].endswith("index.html")
    assert got[3].body.decode() == broken.out.rstrip("\n")
