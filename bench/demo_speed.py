"""`uxmon demo` end to end, and 8 runs with --workers 1 against --workers 2.

Targets (issue 2): the demo in <= 60 s on a 2-core machine; --workers 2 at most 0.7x the wall
time of --workers 1 for 8 runs (2 journeys x 2 viewports x --repeat 2).

    python bench/demo_speed.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time


def timed(args: list[str]) -> float:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "uxmon", *args, "-o", out],
                              capture_output=True, text=True)
        took = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"uxmon {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    demo = [timed(["demo"]) for _ in range(args.rounds)]
    one, two = [], []
    for _ in range(args.rounds):
        one.append(timed(["demo", "--repeat", "2", "--workers", "1"]))
        two.append(timed(["demo", "--repeat", "2", "--workers", "2"]))
    print(f"uxmon demo (4 runs, 1 worker) end to end: median {statistics.median(demo):.1f} s "
          f"(all: {', '.join(f'{t:.1f}' for t in demo)})   target <= 60 s")
    w1, w2 = statistics.median(one), statistics.median(two)
    print(f"8 runs, --workers 1: median {w1:.1f} s   --workers 2: median {w2:.1f} s")
    print(f"ratio workers 2 / workers 1: {w2 / w1:.2f}   target <= 0.70")


if __name__ == "__main__":
    main()
