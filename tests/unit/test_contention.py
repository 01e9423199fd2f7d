"""The monitoring machine's own load: sampled from Linux's CPU pressure file, turned into shares
of the run's time, and read by the timing rules so a busy CI runner does not blame the site."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from uxmon.capture.host import HostSampler, read_stall_ms
from uxmon.friction import analyse_run
from uxmon.records import Contention, Navigation, RunRecord
from uxmon.records.contention import contention_between, contention_series
from uxmon.records.serial import record_from_json, record_to_json

from .test_rules_recorded import by_rule, recorded

PSI = ("some avg10=12.50 avg60=3.10 avg300=0.90 total=7726396597\n"
       "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")


def test_the_stall_counter_is_read_from_the_some_line(tmp_path: Path) -> None:
    path = tmp_path / "cpu"
    path.write_text(PSI)
    assert read_stall_ms(path) == 7726396.597
    path.write_text("some avg10=0.00 total=not-a-number\n")
    assert read_stall_ms(path) is None
    assert read_stall_ms(tmp_path / "missing") is None


def test_a_machine_without_the_pressure_file_samples_nothing(tmp_path: Path) -> None:
    sampler = HostSampler(tmp_path / "missing", every_s=0.01)
    sampler.start()
    assert sampler.stop() == []


def test_the_sampler_follows_the_counter_until_stopped(tmp_path: Path) -> None:
    path = tmp_path / "cpu"
    path.write_text("some total=1000000\n")
    sampler = HostSampler(path, every_s=0.01)
    sampler.start()
    time.sleep(0.05)
    path.write_text("some total=3000000\n")
    time.sleep(0.05)
    samples = sampler.stop()
    assert len(samples) >= 2  # the first and the last (a busy machine may delay the others)
    assert samples[0][1] == 1000.0 and samples[-1][1] == 3000.0
    assert [t for t, _ in samples] == sorted(t for t, _ in samples)


def test_samples_become_shares_of_the_run_clock() -> None:
    start = 10_000.0
    samples = [(start, 500.0), (start + 200, 600.0), (start + 400, 600.0), (start + 600, 900.0)]
    series = contention_series(samples, start)
    assert series == [Contention(200.0, 200.0, 0.5), Contention(400.0, 200.0, 0.0),
                      Contention(600.0, 200.0, 1.0)]
    assert contention_between(series, 0, 400) == 0.25
    assert contention_between(series, 300, 600) == pytest.approx(0.667, abs=0.001)
    assert contention_between(series, 450, 450) == 1.0
    assert contention_between(series, 700, 900) is None
    assert contention_between([], 0, 100) is None


def test_the_contention_survives_the_record_json() -> None:
    run = recorded("clean", "buy-a-mug", "desktop")
    run.contention = [Contention(200.0, 200.0, 0.5)]
    again = record_from_json(record_to_json(run))
    assert again.contention == run.contention and again.busy_between(0, 200) == 0.5


def _slow_click(run: RunRecord, answer_ms: float) -> float:
    """Make the first click of a clean run answer after ``answer_ms``; its moment is returned."""
    click = next(a for a in run.actions if a.kind in ("click", "tap") and a.answer_ms is not None)
    click.answer_ms = answer_ms
    return click.at_ms


def _busy(run: RunRecord, share: float) -> None:
    run.contention = [Contention(at, 100.0, share) for at in range(100, int(run.duration_ms) + 200, 100)]


def test_a_slow_answer_on_a_busy_machine_with_quick_requests_is_only_a_low_note() -> None:
    run = recorded("clean", "buy-a-mug", "desktop")
    _slow_click(run, 1100)
    _busy(run, 0.85)
    [slow] = by_rule(analyse_run(run), "slow-answer")
    assert slow.severity == "low"
    assert slow.title.endswith("customers wait 1.1 s for an answer")
    assert slow.detail.startswith("The machine running uxmon was busy during this wait "
                                  "(its CPU was contended 85% of the time)")


def test_a_slow_answer_on_a_quiet_machine_stays_medium() -> None:
    run = recorded("clean", "buy-a-mug", "desktop")
    _slow_click(run, 1100)
    _busy(run, 0.2)
    [slow] = by_rule(analyse_run(run), "slow-answer")
    assert slow.severity == "medium" and "people start to doubt" in slow.detail


def test_a_slow_request_is_the_sites_however_busy_the_machine() -> None:
    run = recorded("slow", "buy-a-mug", "desktop")
    _busy(run, 1.0)
    [slow] = by_rule(analyse_run(run), "slow-answer")
    assert slow.severity == "medium" and "/checkout/payment took 1.5 s" in slow.cause
    assert "busy" not in slow.detail


def test_a_slow_page_on_a_busy_machine_is_low_unless_the_server_was_slow() -> None:
    run = recorded("clean", "buy-a-mug", "desktop")
    step = run.steps[1]
    step.navigations = [Navigation(at_ms=step.start_ms, url="http://shop.test/p/1", ttfb_ms=40,
                                   lcp_ms=2900)]
    _busy(run, 0.9)
    [page] = by_rule(analyse_run(run), "slow-page")
    assert page.severity == "low" and "contended 90%" in page.detail
    step.navigations[0].ttfb_ms = 1200
    [page] = by_rule(analyse_run(run), "slow-page")
    assert page.severity == "medium" and page.cause == "the server took 1.2 s to start answering"
