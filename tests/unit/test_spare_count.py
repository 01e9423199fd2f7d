"""How many spare workers a command line is worth starting before the command line loads."""

from __future__ import annotations

import os

import pytest

from uxmon.run import spare


@pytest.mark.parametrize(("argv", "count"), [
    (["run", "scenarios"], 1),
    (["run", "-w", "2", "scenarios"], 2),
    (["check", "--workers=2"], 2),
    (["demo", "-w2"], 2),
    (["run", "-w", "64"], min(spare.MAX_SPARES, os.cpu_count() or 1)),
    (["run", "--help"], 0),
    (["report", "out"], 0),
    ([], 0),
])
def test_a_command_line_asks_for_as_many_spares_as_its_workers(argv: list[str], count: int) -> None:
    assert spare.wanted(argv, {}) == min(count, os.cpu_count() or 1)


def test_the_workers_variable_counts_when_the_command_line_says_nothing() -> None:
    cores = os.cpu_count() or 1
    assert spare.wanted(["run"], {"UXMON_WORKERS": "2"}) == min(2, cores)
    assert spare.wanted(["run", "-w", "1"], {"UXMON_WORKERS": "2"}) == 1
    assert spare.wanted(["run"], {"UXMON_WORKERS": "many"}) == 1
