"""`uxmon report` with 10,000 runs in the history (targets, issue 4): the overview drawn in
under 2 s, and an overview page under 1.5 MB (pictures are separate files, loaded lazily).

The store is filled with real recorded runs (tests/fixtures/runs: 2 journeys x 2 viewports,
with their steps, actions and findings) repeated over 2,500 batches, one every hour.

    python bench/report_speed.py [--runs 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from uxmon.friction import score_run
from uxmon.history import BatchRow, HistoryStore
from uxmon.records.serial import load_record
from uxmon.report.publish import redraw

RUNS = Path(__file__).parents[1] / "tests" / "fixtures" / "runs"
NAMES = ("late-fee--buy-a-mug--desktop", "mobile-overflow--buy-a-mug--mobile",
         "clean--reach-a-human--desktop", "slow-chat--reach-a-human--mobile")


def fill(store: HistoryStore, runs: int) -> None:
    records = [load_record(RUNS / f"{n}.json") for n in NAMES]
    for r in records:
        score_run(r)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for b in range(runs // len(records)):
        at = (start + timedelta(hours=b)).isoformat(timespec="seconds")
        batch = [replace(r, started_at=at, duration_ms=r.duration_ms * (0.9 + (b % 7) / 30)) for r in records]
        store.save_batch(BatchRow.of(f"b{b:05d}", at, "http://shop", "", batch), batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, HistoryStore(f"sqlite:///{folder}/h.sqlite") as store:
        t0 = time.perf_counter()
        fill(store, args.runs)
        print(f"filled {store.count_runs()} runs in {time.perf_counter() - t0:.0f} s")
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            page = redraw(store, Path(folder))
            times.append(time.perf_counter() - t0)
        assert page is not None
        size = page.stat().st_size
        pages = sum(p.stat().st_size for p in page.parent.glob("journeys/*.html"))
    print(f"report over {args.rounds} rounds: median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s "
          f"(target < 2 s); overview page {size / 1024:.0f} KiB (target < 1.5 MB), journey pages "
          f"{pages / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
