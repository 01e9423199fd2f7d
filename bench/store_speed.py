"""How long storing one recorded run takes in the SQLite history (target, issue 4: < 20 ms).

Each round writes one batch holding one real recorded run (tests/fixtures/runs, the late-fee
purchase on mobile: 7 steps, its actions and findings) in its own transaction, the way
`uxmon run` does, into a file that keeps growing.

    python bench/store_speed.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from uxmon.friction import score_run
from uxmon.history import BatchRow, HistoryStore
from uxmon.records.serial import load_record

RUN = Path(__file__).parents[1] / "tests" / "fixtures" / "runs" / "late-fee--buy-a-mug--mobile.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    record = load_record(RUN)
    score_run(record)
    times = []
    with tempfile.TemporaryDirectory() as folder, HistoryStore(f"sqlite:///{folder}/h.sqlite") as store:
        for i in range(rounds):
            started = f"2026-11-{1 + i // 1440:02d}T{i // 60 % 24:02d}:{i % 60:02d}:00+00:00"
            run = replace(record, started_at=started)
            batch = BatchRow.of(f"b{i:05d}", started, record.base_url, "", [run])
            t0 = time.perf_counter()
            store.save_batch(batch, [run])
            times.append((time.perf_counter() - t0) * 1000)
        size = Path(folder, "h.sqlite").stat().st_size
    times.sort()
    print(f"one run: {len(record.steps)} steps, {len(record.actions)} actions, "
          f"{len(record.findings)} findings")
    print(f"store over {rounds} rounds: median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms (target < 20 ms); "
          f"database {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
