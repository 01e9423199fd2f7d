"""Soak the scheduler: N firings of a real batch entry against the demo shop; RSS and firing delay.

Each firing is a child ``uxmon run`` (Chromium, the demo shop's home page, desktop); the
scheduler's own process must stay flat however many children come and go. Prints the
scheduler's RSS at start and end, and the firing delay (scheduled fire time to child start).

    .venv/bin/python bench/schedule_soak.py --firings 200   # about 15 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from pathlib import Path

import psutil

import uxmon.cli  # noqa: F401 - registers the sections and the alert hook
from uxmon.config import load_config
from uxmon.demo import DemoShop
from uxmon.schedule.jobs import prepare
from uxmon.schedule.service import Service
from uxmon.schedule.settings import entries, scheduler_settings

QUICK = '''import uxmon

@uxmon.scenario("Home page", tags=["quick"])
def home(journey: uxmon.Journey) -> None:
    with journey.step("Home"):
        journey.page.goto("/")
'''


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firings", type=int, default=200)
    parser.add_argument("--every", default="12s", help="shorter than a batch: firings overlap")
    args = parser.parse_args()
    for name in ("uxmon.schedule", "apscheduler"):
        logging.getLogger(name).setLevel(logging.ERROR)
    me = psutil.Process()
    with tempfile.TemporaryDirectory() as tmp, DemoShop() as shop:
        root = Path(tmp)
        (root / "quick.py").write_text(QUICK)
        (root / "uxmon.toml").write_text(
            f'base_url = "{shop.url}"\nscenarios = ["quick.py"]\nviewports = ["desktop"]\ntrace = "off"\n'
            f'screenshots = false\n[[schedule]]\nname = "soak"\ntags = ["quick"]\nevery = "{args.every}"\n')
        config = load_config(root / "uxmon.toml", environ={})
        service = Service(config, prepare(config, entries(config)), scheduler_settings(config))
        service.start()
        start_rss = me.memory_info().rss
        t0 = time.monotonic()
        samples = []
        while len(service.done) < args.firings:
            time.sleep(1)
            samples.append(me.memory_info().rss)
        service.stop(grace_s=60)
        end_rss = me.memory_info().rss
        delays = [f.delay_s for f in service.done]
        made = sum(f.made_batch for f in service.done)
        skipped = sum(service.metrics.missed.values())
    mib = 1024 * 1024
    print(f"firings: {len(delays)} ({made} batches, {skipped} skipped as overlap/missed) "
          f"in {time.monotonic() - t0:.0f} s, every {args.every}")
    print(f"scheduler RSS: start {start_rss / mib:.1f} MiB, end {end_rss / mib:.1f} MiB, "
          f"max {max(samples or [end_rss]) / mib:.1f} MiB")
    print(f"firing delay (scheduled → child started): median {statistics.median(delays) * 1000:.0f} ms, "
          f"max {max(delays) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
