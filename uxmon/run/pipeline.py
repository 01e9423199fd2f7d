"""The one flow every front door uses: discover → plan → run → write → report → exit code."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..authoring.scenarios import LoadError, Scenario, discover, select
from ..config import Config
from ..friction import analyse_batch, settings_for
from ..history import BatchHistory
from ..records import RunRecord
from ..report.render import BatchView, render_batch_index
from .execute import RunSettings
from .keep import keep_batch
from .output import new_batch_id, point_latest, prepare_batch_dir, write_batch_file, write_records
from .plan import Job, plan_jobs
from .runner import Hooks, run_jobs

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_MEASURED = 3


@dataclass
class BatchOptions:
    """What this batch should run, on top of the config (the command line's choices)."""

    paths: Sequence[str] = ()
    names: Sequence[str] = ()
    tags: Sequence[str] = ()
    viewports: Sequence[str] | None = None
    repeat: int = 1
    headed: bool = False
    label: str = ""          # names the build measured, e.g. "main": a gate's baseline later
    git_sha: str = ""
    git_ref: str = ""
    environment: str = ""

    def build(self) -> dict[str, str]:
        """What the history keeps about the measured build."""
        return {"label": self.label, "git_sha": self.git_sha, "git_ref": self.git_ref,
                "environment": self.environment}


@dataclass
class BatchResult:
    batch_id: str
    folder: Path
    records: list[RunRecord]
    load_errors: list[LoadError] = field(default_factory=list)
    started_at: str = ""
    duration_s: float = 0.0
    scenarios: int = 0
    history: BatchHistory | None = None
    history_warning: str = ""

    @property
    def exit_code(self) -> int:
        """0 all passed · 1 a run failed · 3 nothing failed but something was not measured."""
        if any(r.outcome == "failed" for r in self.records):
            return EXIT_FAILED
        if self.load_errors or not self.records or any(r.outcome == "error" for r in self.records):
            return EXIT_NOT_MEASURED
        return EXIT_OK


class NothingToRun(ValueError):
    """No scenario matched: a usage problem, reported before any browser starts."""


def find_scenarios(config: Config, options: BatchOptions) -> tuple[list[Scenario], list[LoadError]]:
    paths = list(options.paths) or [str(config.path(p)) for p in config.scenarios]
    found = discover(paths)
    tags = list(options.tags) or list(config.tags)
    return select(found.scenarios, tags=tags, names=options.names), found.errors


def playwright_devices() -> Mapping[str, Mapping[str, Any]]:
    """Playwright's device descriptors; raises BrowserNotFound when no browser could run them."""
    from ..capture.devices import load_devices

    return load_devices()


@dataclass
class Plan:
    jobs: list[Job]
    load_errors: list[LoadError]
    scenarios: int


def plan_batch(config: Config, options: BatchOptions) -> Plan:
    """The runs to do; raises ConfigError, NothingToRun or BrowserNotFound before anything starts."""
    scenarios, errors = find_scenarios(config, options)
    if not scenarios and not errors:
        where = ", ".join(options.paths) or ", ".join(config.scenarios)
        raise NothingToRun(f"no scenarios found in {where}"
                           + (" matching the given filters" if options.names or options.tags else ""))
    jobs = plan_jobs(scenarios, config, playwright_devices(), chosen_viewports=options.viewports,
                     repeat=options.repeat) if scenarios else []
    return Plan(jobs, errors, len(scenarios))


def run_batch(config: Config, options: BatchOptions, hooks: Hooks | None = None,
              plan: Plan | None = None) -> BatchResult:
    """Run everything the config and options select, write the batch folder, and say how it went."""
    plan = plan or plan_batch(config, options)
    jobs, errors, count = plan.jobs, plan.load_errors, plan.scenarios
    output = config.path(config.output)
    output.mkdir(parents=True, exist_ok=True)
    batch_id = new_batch_id()
    folder = prepare_batch_dir(output, batch_id)
    started = dt.datetime.now(dt.UTC)
    t0 = time.monotonic()
    settings = RunSettings(
        batch_id=batch_id, batch_dir=folder, base_url=config.base_url,
        action_timeout_s=config.timeouts.action, navigation_timeout_s=config.timeouts.navigation,
        screenshots=config.screenshots, trace=config.trace,
        trace_snapshots=config.trace_snapshots,
        friction={job.scenario.name: settings_for(config, job.scenario.name) for job in jobs},
    )
    records = run_jobs(jobs, settings, config.workers, hooks, headless=not options.headed)
    analyse_batch(records, settings.friction)
    result = BatchResult(batch_id, folder, records, errors, started.isoformat(timespec="seconds"),
                         round(time.monotonic() - t0, 2), count)
    publish(result, config, options)
    point_latest(output, folder)
    result.history, result.history_warning = keep_batch(
        config.db, output, batch_id, result.started_at, config.base_url, folder, records,
        options.build())
    return result


def publish(result: BatchResult, config: Config, options: BatchOptions | None = None) -> None:
    """Write the records, the batch summary and the index page."""
    write_records(result.folder, result.records)
    write_batch_file(result.folder, {**batch_summary(result, config), **(options or BatchOptions()).build()})
    view = BatchView(result.batch_id, result.started_at, result.duration_s, config.base_url,
                     result.records, result.load_errors)
    (result.folder / "index.html").write_text(render_batch_index(view), encoding="utf-8")


def batch_summary(result: BatchResult, config: Config) -> dict[str, Any]:
    return {
        "batch_id": result.batch_id,
        "started_at": result.started_at,
        "duration_s": result.duration_s,
        "base_url": config.base_url,
        "exit_code": result.exit_code,
        "load_errors": [str(e) for e in result.load_errors],
        "runs": [
            {"run_id": r.run_id, "scenario": r.scenario, "viewport": r.viewport.name,
             "outcome": r.outcome, "flaky": r.flaky, "reason": r.reason,
             "record": f"runs/{r.run_id}/record.json", **r.summary()}
            for r in result.records
        ],
    }
