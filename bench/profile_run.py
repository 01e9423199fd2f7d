"""Where one run's time goes: start-up, per-action recording, pictures, analysis, writing.

Three parts, printed as the table in docs/recording.md ("Where the time goes"):

1. start-up: importing the command line, starting Playwright's driver, launching the browser;
2. one run in-process, against the same Playwright calls bare (bench/overhead.py), alternating
   configurations in one browser: all on, pictures off, trace off, both off; the run phase by
   phase beside its bare counterpart (context, page, the journey, the end), and the journey's
   own Playwright calls by kind on each side (through Playwright's client instrumentation, the
   hook its test runner uses);
3. the batch around the runs (``uxmon run`` of one journey): planning, worker start, the run,
   and the end (cross-viewport rules, results.json, junit.xml, history, report).

    python bench/profile_run.py [--rounds 7] [--viewport desktop]

Robot pace throughout (the same work as the bare calls); the human pace's pauses are
bench/overhead.py --pace human.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from overhead import bare_purchase  # noqa: E402

import uxmon.capture.recorder as recorder_module  # noqa: E402
import uxmon.run.execute as execute_module  # noqa: E402
import uxmon.run.pipeline as pipeline_module  # noqa: E402
import uxmon.run.runner as runner_module  # noqa: E402
from uxmon.authoring.scenarios import discover  # noqa: E402
from uxmon.capture.browser import find_browser, launch  # noqa: E402
from uxmon.capture.viewports import context_options  # noqa: E402
from uxmon.config import Config  # noqa: E402
from uxmon.demo import DemoShop  # noqa: E402
from uxmon.records.serial import save_record  # noqa: E402
from uxmon.run.execute import RunSettings, execute  # noqa: E402
from uxmon.run.pipeline import BatchOptions, run_batch  # noqa: E402
from uxmon.run.plan import plan_jobs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PHASES: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
COUNTING: list[str | None] = [None]  # the configuration whose phases are being counted
CONFIGS: dict[str, dict[str, Any]] = {
    "all on": {}, "pictures off": {"screenshots": False}, "trace off": {"trace": "off"},
    "both off": {"screenshots": False, "trace": "off"}}


def timing(owner: Any, name: str, label: str) -> None:
    """Wrap ``owner.name`` so each call's wall time is added to PHASES[label]."""
    original: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            if COUNTING[0]:
                PHASES[COUNTING[0]][label].append((time.perf_counter() - t0) * 1000)

    setattr(owner, name, timed)


class CallClock:
    """Each Playwright call the journey makes, timed by method, for the side being counted.

    A listener of Playwright's client instrumentation: it hears the scenario's calls, not
    uxmon's internal ones (acknowledgements, background reads).
    """

    def __init__(self) -> None:
        self.runs: dict[str, list[dict[str, float]]] = defaultdict(list)
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._open: dict[int, tuple[str, float]] = {}
        self.side: str | None = None

    def begin_run(self, side: str | None) -> None:
        self.side = side
        if side:
            self.runs[side].append(defaultdict(float))

    def on_api_call_begin(self, api_zone: Any, channel: dict[str, Any]) -> None:
        if self.side:
            self._open[id(api_zone)] = (str(channel.get("method")), time.perf_counter())

    def on_api_call_end(self, api_zone: Any) -> None:
        method, t0 = self._open.pop(id(api_zone), ("", 0.0))
        if method and self.side:
            self.runs[self.side][-1][method] += (time.perf_counter() - t0) * 1000
            if len(self.runs[self.side]) == 1:
                self.counts[self.side][method] += 1

    def medians(self, side: str) -> dict[str, float]:
        runs = self.runs[side]
        methods = {m for run in runs for m in run}
        return {m: statistics.median(run.get(m, 0.0) for run in runs) for m in methods}


def median_ms(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def startup() -> list[tuple[str, float]]:
    def cold(code: str) -> float:
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            runs.append((time.perf_counter() - t0) * 1000)
        return statistics.median(runs)

    rows = [("python start-up (nothing imported)", cold("pass")),
            ("import the command line (uxmon.cli)", cold("import uxmon.cli")),
            ("import a worker process (uxmon.run.child)", cold("import uxmon.run.child"))]
    t0 = time.perf_counter()
    with sync_playwright() as pw:
        t1 = time.perf_counter()
        browser = launch(pw, find_browser(pw))
        t2 = time.perf_counter()
        browser.close()
    rows += [("start Playwright's driver", (t1 - t0) * 1000), ("launch Chromium", (t2 - t1) * 1000)]
    return rows


def one_run(rounds: int, viewport: str, calls: CallClock) -> dict[str, float]:
    timing(execute_module, "_new_context", "context (and the trace started)")
    timing(recorder_module.Recorder, "attach", "open the wired page (probe, CDP, screencast)")
    timing(recorder_module.Recorder, "finish", "read the final state and screen")
    timing(execute_module, "_assemble", "cut steps, write step pictures")
    timing(execute_module, "score_run", "friction rules")
    timing(execute_module, "draw_evidence", "evidence pictures")
    timing(execute_module, "_close", "stop the trace, close the context")
    found = next(s for s in discover([ROOT / "scenarios"]).scenarios if s.name == "Buy a mug")
    journey = found.func

    def timed_journey(j: Any) -> None:
        calls.begin_run(COUNTING[0] if COUNTING[0] in ("all on", "pictures off") else None)
        t0 = time.perf_counter()
        try:
            journey(j)
        finally:
            calls.begin_run(None)
            if COUNTING[0]:
                PHASES[COUNTING[0]]["the journey"].append((time.perf_counter() - t0) * 1000)

    scenario = dataclasses.replace(found, func=timed_journey)
    out = Path(tempfile.mkdtemp(prefix="uxmon-profile-"))
    walls: dict[str, list[float]] = defaultdict(list)
    with DemoShop() as shop, sync_playwright() as pw:
        job = plan_jobs([scenario], Config(), pw.devices, chosen_viewports=[viewport])[0]
        browser = launch(pw, find_browser(pw))
        browser._impl_obj._connection._instrumentation.add_listener(calls)
        for i in range(rounds + 1):
            bare_run(browser, shop.url, job, calls, "bare Playwright" if i else None)
            if i:
                walls["bare Playwright"].append(sum(PHASES["bare Playwright"][k][-1] for k in BARE_PHASES))
            for name, extra in CONFIGS.items():
                settings = RunSettings("profile", out, shop.url, pace="robot", **extra)
                COUNTING[0] = name if i else None
                t0 = time.perf_counter()
                record = execute(job, browser, settings)
                if i:
                    walls[name].append((time.perf_counter() - t0) * 1000)
                if record.outcome != "passed":
                    raise SystemExit(f"the run did not pass: {record.reason}")
                t0 = time.perf_counter()
                save_record(record, out / "record.json")
                if COUNTING[0]:
                    PHASES[name]["write the record (JSON)"].append((time.perf_counter() - t0) * 1000)
                COUNTING[0] = None
        browser.close()
    return {k: median_ms(v) for k, v in walls.items()}


BARE_PHASES = ("context (and the trace started)", "open the wired page (probe, CDP, screencast)",
               "the journey", "stop the trace, close the context")


def bare_run(browser: Any, url: str, job: Any, calls: CallClock, side: str | None) -> None:
    """The same calls bare, timed by the same phases as a recorded run (``side`` None: warm-up)."""
    marks = [time.perf_counter()]
    context = browser.new_context(base_url=url, **context_options(job.viewport))
    marks.append(time.perf_counter())
    page = context.new_page()
    marks.append(time.perf_counter())
    calls.begin_run(side)
    bare_purchase(page)
    calls.begin_run(None)
    marks.append(time.perf_counter())
    context.close()
    marks.append(time.perf_counter())
    if side:
        for label, t0, t1 in zip(BARE_PHASES, marks, marks[1:], strict=False):
            PHASES[side][label].append((t1 - t0) * 1000)


def batch(viewport: str) -> list[tuple[str, float]]:
    marks: dict[str, float] = {}
    t_start = time.perf_counter()

    def wrap(name: str) -> None:
        original = getattr(pipeline_module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            marks[f"{name} start"] = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                marks[f"{name} end"] = time.perf_counter()

        setattr(pipeline_module, name, timed)

    for name in ("plan_batch", "run_jobs", "finish_batch"):
        wrap(name)
    handle = runner_module._Batch._handle

    def seen(self: Any, worker: Any, message: tuple[Any, ...]) -> None:
        marks.setdefault(f"first {message[0]}", time.perf_counter())
        handle(self, worker, message)

    runner_module._Batch._handle = seen  # type: ignore[method-assign]
    out = Path(tempfile.mkdtemp(prefix="uxmon-profile-batch-"))
    with DemoShop() as shop:
        t_start = time.perf_counter()
        config = Config(base_url=shop.url, output=str(out / "reports"), root=str(out), pace="robot")
        run_batch(config, BatchOptions(paths=[str(ROOT / "scenarios")], names=["Buy a mug"],
                                       viewports=[viewport]))
        t_end = time.perf_counter()
    ms = {k: (v - t_start) * 1000 for k, v in marks.items()}
    return [("plan the batch (scenarios, viewports)", ms["plan_batch end"] - ms["plan_batch start"]),
            ("start a worker process (to its first word)", ms["first attempt"] - ms["run_jobs start"]),
            ("the run in the worker (browser launch included)", ms["first done"] - ms["first attempt"]),
            ("the runner returns (the worker closes its browser meanwhile)",
             ms["run_jobs end"] - ms["first done"]),
            ("end of batch: results, junit, history, report",
             ms["finish_batch end"] - ms["finish_batch start"]),
            ("whole batch", (t_end - t_start) * 1000)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--viewport", default="desktop")
    args = parser.parse_args()
    rows = startup()
    calls = CallClock()
    walls = one_run(args.rounds, args.viewport, calls)
    phases = {side: {k: median_ms(v) for k, v in labels.items()} for side, labels in PHASES.items()}
    batch_rows = batch(args.viewport)
    bare = walls["bare Playwright"]
    print("## Start-up (median of 3)\n| what | ms |\n|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value:.0f} |")
    print(f"\n## One run, {args.viewport}, median of {args.rounds} (bare Playwright {bare:.0f} ms)")
    print("| configuration | ms | over bare |\n|---|---:|---:|")
    for name, value in walls.items():
        print(f"| {name} | {value:.0f} | {value - bare:+.0f} ({value / bare:.2f}×) |")
    on = walls["all on"]
    print("\n| cost inside a run (all on) | ms |\n|---|---:|")
    print(f"| pictures (screencast and final capture) | {on - walls['pictures off']:.0f} |")
    print(f"| trace kept for failures | {on - walls['trace off']:.0f} |")
    print(f"| probe, CDP listeners, steps and rules (both off vs bare) | {walls['both off'] - bare:.0f} |")
    print_phases(phases)
    print_calls(calls)
    print("\n## One batch of one run (`uxmon run` without the command line)\n| what | ms |\n|---|---:|")
    for name, value in batch_rows:
        print(f"| {name} | {value:.0f} |")


def print_phases(phases: dict[str, dict[str, float]]) -> None:
    """The run phase by phase beside the bare test's phases, with pictures on and off."""
    bare, on, off = phases["bare Playwright"], phases["all on"], phases["pictures off"]
    print("\n| phase | bare | all on | extra | pictures off | extra |\n|---|---:|---:|---:|---:|---:|")
    for label in on:
        b = bare.get(label)
        cells = [f"{b:.0f}" if b is not None else "–"]
        for side in (on, off):
            value = side.get(label, 0.0)
            cells += [f"{value:.0f}", f"{value - (b or 0.0):+.0f}"]
        print(f"| {label} | " + " | ".join(cells) + " |")


def print_calls(calls: CallClock) -> None:
    """The journey's Playwright calls by method: which of them recording makes slower."""
    bare, on, off = (calls.medians(s) for s in ("bare Playwright", "all on", "pictures off"))
    count = calls.counts["bare Playwright"]
    print("\n| the journey's calls (ms a run) | calls | bare | all on | extra | pictures off | extra |"
          "\n|---|---:|---:|---:|---:|---:|---:|")
    for method in sorted(on, key=lambda m: -(on[m] - bare.get(m, 0.0))):
        b = bare.get(method, 0.0)
        print(f"| {method} | {count.get(method, 0)} | {b:.0f} | {on[method]:.0f} | {on[method] - b:+.0f} | "
              f"{off.get(method, 0.0):.0f} | {off.get(method, 0.0) - b:+.0f} |")


if __name__ == "__main__":
    main()
