"""Spare workers: started before the command line loads, taken by the batch, gone after it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from uxmon.demo import DemoShop
from uxmon.run import spare

from .conftest import batch


@pytest.fixture
def no_spares() -> Iterator[None]:
    yield
    spare.release()


def tagged(tag: str) -> list[psutil.Process]:
    """Processes started with UXMON_TEST_TAG=tag in their environment (workers, drivers, browsers)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get("UXMON_TEST_TAG") == tag:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def test_the_batch_takes_the_spare_and_reaps_it(tmp_path: Path, shop: DemoShop, no_spares: None) -> None:
    spare.start(1)
    assert len(spare._spares) == 1
    started = spare._spares[0]
    result = batch(tmp_path, shop.url, names=["Reach a human"], viewports=["desktop"], workers=1)
    assert [r.outcome for r in result.records] == ["passed"]
    assert spare._spares == []  # taken, not left behind
    assert started.poll() is not None  # and waited for once the batch was written


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    until = time.monotonic() + seconds
    while not check() and time.monotonic() < until:
        time.sleep(0.2)
    return check()


def test_a_spare_nobody_takes_exits_with_its_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    tag = uuid.uuid4().hex
    monkeypatch.setenv("UXMON_TEST_TAG", tag)
    spare.start(1)

    def browser_up() -> bool:
        return any("--uxmon-worker=" in " ".join(p.cmdline()) for p in tagged(tag))

    assert wait_until(browser_up, 90), "the spare did not launch its browser"
    spare.release()  # what this process's exit does: the spare reads the end of its pipe
    assert wait_until(lambda: not tagged(tag), 60), [p.cmdline()[:3] for p in tagged(tag)]
    spare.release()  # and it is reaped


def test_a_usage_error_with_a_spare_started_ends_cleanly(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex
    env = {**os.environ, "UXMON_TEST_TAG": tag, "UXMON_SPARE_WORKERS": ""}
    done = subprocess.run([sys.executable, "-m", "uxmon", "run", "--no-such-option"], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert "Error: No such option '--no-such-option'." in done.stderr
    assert "Traceback" not in done.stderr
    assert wait_until(lambda: not tagged(tag), 60), [p.cmdline()[:3] for p in tagged(tag)]
