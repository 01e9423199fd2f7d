"""How long the friction rules take over one recorded run of 20 steps.

Target (issue 3): under 50 ms per run, so analysis never makes a run slow. The run is built
from real recordings of the demo shop (tests/fixtures/runs): the late-fee and late-stock
purchase journeys, their steps repeated and renumbered to 20 steps, with all their actions,
requests, signals and page text.

    python bench/analysis_speed.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from pathlib import Path

from uxmon.friction import analyse_run
from uxmon.friction.money import labelled_amounts
from uxmon.records import RunRecord, Step
from uxmon.records.serial import load_record

RUNS = Path(__file__).parents[1] / "tests" / "fixtures" / "runs"


def twenty_steps() -> RunRecord:
    sources = [load_record(RUNS / f"{name}--buy-a-mug--mobile.json") for name in ("late-fee", "late-stock")]
    run = copy.deepcopy(sources[0])
    pool: list[Step] = [s for r in sources for s in r.steps]
    steps: list[Step] = []
    offset = 0.0
    while len(steps) < 20:
        step = copy.deepcopy(pool[len(steps) % len(pool)])
        shift = offset - step.start_ms
        step.index, step.start_ms = len(steps) + 1, offset
        for item in (*step.actions, *step.requests, *step.console, *step.errors, *step.shifts,
                     *step.navigations, *step.alerts, *step.overlays, *step.prices, *step.goals):
            item.at_ms += shift
        offset += step.duration_ms
        steps.append(step)
    run.steps, run.duration_ms = steps, offset
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    run = twenty_steps()
    analyse_run(run)  # warm up: imports, compiled patterns
    times = []
    for _ in range(rounds):
        labelled_amounts.cache_clear()  # a new run's page texts have never been parsed
        t0 = time.perf_counter()
        findings = analyse_run(run)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"run: {len(run.steps)} steps, {len(run.actions)} actions, "
          f"{sum(len(s.requests) for s in run.steps)} requests, {sum(len(s.text) for s in run.steps)} "
          f"chars of page text -> {len(findings)} findings")
    print(f"analysis over {rounds} rounds: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
