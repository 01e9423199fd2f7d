"""How low the recording can go: uxmon with parts of it taken away, beside the bare journey.

Issue 15 asks for uxmon / bare <= 1.10 with pictures, probe and analysis on. This bench
measures the floor of that ratio on this machine by removing what uxmon records, one part at
a time, in one browser, alternating, medians of ``--rounds``:

- ``all on``: uxmon as it ships (step pictures from the screencast, probe, trace for failures);
- ``pictures off``: no screencast, no final capture (``screenshots = false``);
- ``pictures off, trace off``: also no Playwright trace kept for failures;
- ``pictures off, probe off``: also no in-page probe (an empty script instead; nothing of
  what the customer does or how the page answers is recorded: not a mode uxmon offers);
- ``one capture a press``: pictures off, plus one ``Page.captureScreenshot`` sent as each
  press (click, check, select, key) begins. The fewest pictures a step needs (one before its
  last press), by the cheapest capture Chromium has; not a mode uxmon offers either: the
  capture carries no paint time, so it cannot be told from a picture taken after the press.

    python bench/floor.py [--rounds 9] [--viewport desktop]

Robot pace throughout (the same work as the bare calls).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from overhead import bare_purchase  # noqa: E402

import uxmon.capture.recorder as recorder_module  # noqa: E402
from uxmon.authoring.scenarios import discover  # noqa: E402
from uxmon.capture.browser import find_browser, launch  # noqa: E402
from uxmon.capture.frames import QUALITY, screencast_params  # noqa: E402
from uxmon.capture.viewports import context_options  # noqa: E402
from uxmon.config import Config  # noqa: E402
from uxmon.demo import DemoShop  # noqa: E402
from uxmon.records import Viewport  # noqa: E402
from uxmon.run.execute import RunSettings, execute  # noqa: E402
from uxmon.run.plan import plan_jobs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PRESSES = frozenset({"click", "dblclick", "tap", "check", "uncheck", "selectOption", "press"})


def shot_params(viewport: Viewport) -> dict[str, Any]:
    """A capture the size of a screencast frame (``capture.frames.screencast_params``): CSS
    pixels on a phone (not its 2–3× device pixels), at most 683 px wide on a desktop."""
    size = screencast_params(viewport)  # the clip's scale multiplies CSS pixels
    scale = min(size["maxWidth"] / viewport.width, size["maxHeight"] / viewport.height, 1.0)
    clip = {"x": 0, "y": 0, "width": viewport.width, "height": viewport.height, "scale": scale}
    return {"format": "jpeg", "quality": QUALITY, "optimizeForSpeed": True, "clip": clip}


class PressCapture:
    """Sends one screenshot command as each press call begins (Playwright's client
    instrumentation, as ``capture.typing_pause`` listens); the answers are not kept."""

    def __init__(self, recorder: Any, cdp: Any) -> None:
        self.recorder, self.cdp = recorder, cdp
        self.params = shot_params(recorder.viewport)

    def on_api_call_begin(self, api_zone: Any, channel: dict[str, Any]) -> None:
        if channel.get("method") in PRESSES:
            self.recorder.background.send_cdp_first(self.cdp, "Page.captureScreenshot", self.params)

    def on_api_call_end(self, api_zone: Any) -> None:
        pass


@contextmanager
def probe_off() -> Iterator[None]:
    original = recorder_module.probe_source
    recorder_module.probe_source = lambda: ""
    try:
        yield
    finally:
        recorder_module.probe_source = original


@contextmanager
def capture_at_presses() -> Iterator[None]:
    original = recorder_module.Recorder._wire
    listeners: list[tuple[Any, PressCapture]] = []

    def wire(self: Any, cdp: Any, *, screencast: bool) -> None:
        original(self, cdp, screencast=screencast)
        if not listeners:  # the journey's first page: the one the presses act on
            instrumentation = self.context._impl_obj._connection._instrumentation
            listener = PressCapture(self, cdp)
            instrumentation.add_listener(listener)
            listeners.append((instrumentation, listener))

    recorder_module.Recorder._wire = wire  # type: ignore[method-assign]
    try:
        yield
    finally:
        recorder_module.Recorder._wire = original  # type: ignore[method-assign]
        for instrumentation, listener in listeners:
            instrumentation.remove_listener(listener)


# name: (RunSettings overrides, what is changed around the run)
VARIANTS: dict[str, tuple[dict[str, Any], Callable[[], Any]]] = {
    "all on": ({}, nullcontext),
    "pictures off": ({"screenshots": False}, nullcontext),
    "pictures off, trace off": ({"screenshots": False, "trace": "off"}, nullcontext),
    "pictures off, probe off": ({"screenshots": False}, probe_off),
    "one capture a press": ({"screenshots": False}, capture_at_presses),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--viewport", default="desktop")
    args = parser.parse_args()

    scenario = next(s for s in discover([ROOT / "scenarios"]).scenarios if s.name == "Buy a mug")
    out = Path(tempfile.mkdtemp(prefix="uxmon-floor-"))
    times: dict[str, list[float]] = {"bare Playwright": [], **{name: [] for name in VARIANTS}}
    with DemoShop() as shop, sync_playwright() as pw:
        job = plan_jobs([scenario], Config(), pw.devices, chosen_viewports=[args.viewport])[0]
        browser = launch(pw, find_browser(pw))
        for i in range(args.rounds + 1):  # the first round warms caches and is not counted
            t0 = time.perf_counter()
            context = browser.new_context(base_url=shop.url, **context_options(job.viewport))
            bare_purchase(context.new_page())
            context.close()
            if i:
                times["bare Playwright"].append(time.perf_counter() - t0)
            for name, (overrides, around) in VARIANTS.items():
                settings = RunSettings("bench", out, shop.url, pace="robot", **overrides)
                with around():
                    t0 = time.perf_counter()
                    record = execute(job, browser, settings)
                    spent = time.perf_counter() - t0
                if record.outcome != "passed":
                    raise SystemExit(f"{name}: the uxmon run did not pass: {record.reason}")
                if i:
                    times[name].append(spent)
        browser.close()
    print_table(times, args.viewport, args.rounds)


def print_table(times: dict[str, list[float]], viewport: str, rounds: int) -> None:
    bare = statistics.median(times["bare Playwright"])
    print(f"## The floor, {viewport}, median of {rounds}")
    print("| configuration | ms | over bare | ratio |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        ms = statistics.median(values)
        print(f"| {name} | {ms * 1000:.0f} | {(ms - bare) * 1000:+.0f} | {ms / bare:.3f} |")


if __name__ == "__main__":
    main()
