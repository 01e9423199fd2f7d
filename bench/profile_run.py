"""Where one run's time goes: start-up, per-action recording, pictures, analysis, writing.

Three parts, printed as the table in docs/recording.md ("Where the time goes"):

1. start-up: importing the command line, starting Playwright's driver, launching the browser;
2. one run in-process, against the same Playwright calls bare (bench/overhead.py), alternating
   configurations in one browser: all on, pictures off, trace off, both off; and the run's own
   phases (opening the wired page, reading the final state, cutting steps, rules, evidence
   pictures, the record written);
3. the batch around the runs (``uxmon run`` of one journey): planning, worker start, the run,
   and the end (cross-viewport rules, results.json, junit.xml, history, report).

    python bench/profile_run.py [--rounds 7] [--viewport desktop]

Robot pace throughout (the same work as the bare calls); the human pace's pauses are
bench/overhead.py --pace human.
"""

from __future__ import annotations

import argparse
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
PHASES: dict[str, list[float]] = defaultdict(list)
COUNTING = [False]  # phases are counted in the all-on runs only
CONFIGS = {"all on": {}, "pictures off": {"screenshots": False}, "trace off": {"trace": "off"},
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
                PHASES[label].append((time.perf_counter() - t0) * 1000)

    setattr(owner, name, timed)


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


def one_run(rounds: int, viewport: str) -> tuple[dict[str, float], dict[str, float]]:
    timing(recorder_module.Recorder, "attach", "open the wired page (probe, CDP, screencast)")
    timing(recorder_module.Recorder, "finish", "read the final state and screen")
    timing(execute_module, "_assemble", "cut steps, write step pictures")
    timing(execute_module, "score_run", "friction rules")
    timing(execute_module, "draw_evidence", "evidence pictures")
    timing(execute_module, "_close", "stop the trace, close the context")
    scenario = next(s for s in discover([ROOT / "scenarios"]).scenarios if s.name == "Buy a mug")
    out = Path(tempfile.mkdtemp(prefix="uxmon-profile-"))
    walls: dict[str, list[float]] = defaultdict(list)
    with DemoShop() as shop, sync_playwright() as pw:
        job = plan_jobs([scenario], Config(), pw.devices, chosen_viewports=[viewport])[0]
        browser = launch(pw, find_browser(pw))
        for i in range(rounds + 1):
            t0 = time.perf_counter()
            context = browser.new_context(base_url=shop.url, **context_options(job.viewport))
            bare_purchase(context.new_page())
            context.close()
            if i:
                walls["bare Playwright"].append((time.perf_counter() - t0) * 1000)
            for name, extra in CONFIGS.items():
                settings = RunSettings("profile", out, shop.url, pace="robot", **extra)
                COUNTING[0] = name == "all on" and i > 0
                t0 = time.perf_counter()
                record = execute(job, browser, settings)
                if i:
                    walls[name].append((time.perf_counter() - t0) * 1000)
                if record.outcome != "passed":
                    raise SystemExit(f"the run did not pass: {record.reason}")
                t0 = time.perf_counter()
                save_record(record, out / "record.json")
                if COUNTING[0]:
                    PHASES["write the record (JSON)"].append((time.perf_counter() - t0) * 1000)
                COUNTING[0] = False
        browser.close()
    return ({k: median_ms(v) for k, v in walls.items()}, {k: median_ms(v) for k, v in PHASES.items()})


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
    walls, phases = one_run(args.rounds, args.viewport)
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
    for name, value in phases.items():
        print(f"| phase: {name} | {value:.1f} |")
    print("\n## One batch of one run (`uxmon run` without the command line)\n| what | ms |\n|---|---:|")
    for name, value in batch_rows:
        print(f"| {name} | {value:.0f} |")


if __name__ == "__main__":
    main()
