"""How long a weekly digest takes to build, render and wrap in MIME, and how big it gets.

A history of recorded demo runs (tests/fixtures/runs) is made with ``--journeys`` journeys
(the recorded ones renamed "Journey NN"), each run once a day for two weeks, with evidence
pictures on disk; then the digest of the last week is gathered from the store, built, rendered
(HTML inlined by css-inline, and text) and made into a message with its pictures.

    python bench/email_speed.py [--journeys 12] [--rounds 5] [--changing 6]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.digests import PERIOD_END, save  # noqa: E402
from uxmon.history import HistoryStore  # noqa: E402
from uxmon.notify.email.digest import build_digest  # noqa: E402
from uxmon.notify.email.gather import period_input  # noqa: E402
from uxmon.notify.email.message import attach_pictures, build_message  # noqa: E402
from uxmon.notify.email.period import Period  # noqa: E402

SOURCES = ["late-stock--buy-a-mug--desktop", "mobile-overflow--buy-a-mug--mobile",
           "slow--buy-a-mug--mobile", "buried-contact--reach-a-human--mobile",
           "clean--reach-a-human--desktop", "late-fee--buy-a-mug--desktop"]


def renamer(counter: Iterator[int]) -> Callable[[Any], None]:
    def rename(run: Any) -> None:
        run.scenario = f"Journey {next(counter):02d}"
        run.run_id = f"{run.scenario}--{run.viewport.name}".replace(" ", "-")

    return rename


def fill(root: Path, journeys: int, changing: int) -> HistoryStore:
    (root / "reports").mkdir()
    store = HistoryStore(f"sqlite:///{root / 'reports' / 'history.sqlite'}")
    for day in range(14, 0, -1):
        started = (PERIOD_END - timedelta(days=day, hours=-1)).isoformat(timespec="seconds")
        names = [SOURCES[(j + day) % len(SOURCES)] if j < changing else "clean--reach-a-human--desktop"
                 for j in range(journeys)]
        save(store, root, f"day-{day:02d}", started, names, renamer(iter(range(journeys))))
    return store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--journeys", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--changing", type=int, default=None,
                        help="journeys whose results change day by day (default: all); the others run clean")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = fill(Path(folder), args.journeys,
                     args.journeys if args.changing is None else args.changing)
        times: dict[str, list[float]] = {"gather": [], "build": [], "pictures + MIME": []}
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            data = period_input(store, Period.ending(PERIOD_END, timedelta(days=7)))
            t1 = time.perf_counter()
            digest = build_digest(data)
            t2 = time.perf_counter()
            message = build_message(digest, "uxmon@example.com", ["cx@example.com"],
                                    pictures=attach_pictures(digest))
            t3 = time.perf_counter()
            for name, value in zip(times, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                times[name].append(value * 1000)
        store.close()
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    cut = re.search(r"And (\d+) more journeys", html)
    print(f"{args.journeys} journeys × 14 daily batches; digest of the last 7 ({digest.runs} runs)")
    for name, values in times.items():
        print(f"  {name:<16} median {statistics.median(values):7.1f} ms")
    print(f"  HTML {len(html.encode()):,} bytes (limit 90,000), message {len(message.as_bytes()):,} bytes, "
          f"{sum(p.get_content_type() == 'image/jpeg' for p in message.walk())} pictures, "
          f"{cut.group(1) if cut else 0} of {len(digest.journeys)} journeys left out to fit")


if __name__ == "__main__":
    main()
