"""Precision: the clean demo shop, ten times in a row on desktop and mobile, must give zero
findings of medium or higher severity (issue 3). Prints every finding it does get.

    python bench/precision.py [--rounds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from uxmon.config import Config
from uxmon.demo import DemoShop
from uxmon.run.pipeline import BatchOptions, run_batch

SCENARIOS = Path(__file__).parents[1] / "scenarios"
SERIOUS = ("medium", "high", "critical")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    t0 = time.perf_counter()
    with DemoShop() as shop, tempfile.TemporaryDirectory() as out:
        config = Config(base_url=shop.url, output=out, workers=args.workers)
        result = run_batch(config, BatchOptions(paths=[str(SCENARIOS)], repeat=args.rounds))
    outcomes = Counter(r.outcome for r in result.records)
    by_severity = Counter(f.severity for r in result.records for f in r.findings)
    serious = [(r.run_id, f) for r in result.records for f in r.findings if f.severity in SERIOUS]
    print(f"{len(result.records)} clean runs ({args.rounds} rounds x 2 journeys x 2 viewports) "
          f"in {time.perf_counter() - t0:.0f} s: {dict(outcomes)}")
    print(f"findings by severity: {dict(by_severity) or 'none'}")
    for run_id, f in serious:
        print(f"  {run_id}: {f.severity} {f.rule} at step {f.step}: {f.title}")
    for run_id, f in [(r.run_id, f) for r in result.records for f in r.findings if f.severity not in SERIOUS]:
        print(f"  (minor) {run_id}: {f.severity} {f.rule}: {f.title}")
    print(f"medium or higher: {len(serious)} (target 0)")
    raise SystemExit(1 if serious or outcomes.get("passed", 0) != len(result.records) else 0)


if __name__ == "__main__":
    main()
