"""The one flow every front door uses: discover → plan → run → analyse → write → keep → exit code.

Results are written as they come: each run's record when it finishes (by its worker), the
batch summary after every run, so a batch killed midway keeps what finished and can be
imported into the history later (``uxmon report --import``, or the next run does it).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from ..authoring.scenarios import LoadError, Scenario, discover, select
from ..config import Config
from ..friction import analyse_batch, settings_for
from ..history.rows import Origin
from ..records import RunRecord
from ..records.files import disk_full_message, is_disk_full
from ..records.redact import url_secrets
from .after import after_batch, register_after_batch
from .capacity import worker_count
from .execute import RunSettings
from .keep import keep_batch
from .output import new_batch_id, point_latest, prepare_batch_dir, publish, write_progress
from .plan import Job, JobFilter, plan_jobs
from .result import EXIT_FAILED, EXIT_NOT_MEASURED, EXIT_OK, EXIT_USAGE, BatchResult
from .runner import Hooks, run_jobs
from .writing import FolderLock

__all__ = ["EXIT_FAILED", "EXIT_NOT_MEASURED", "EXIT_OK", "EXIT_USAGE", "BatchOptions", "BatchResult",
           "NothingToRun", "Plan", "find_scenarios", "finish_batch", "plan_batch", "register_after_batch",
           "run_batch", "run_planned"]


@dataclass
class BatchOptions:
    """What this batch should run, on top of the config (the command line's choices)."""

    paths: Sequence[str] = ()
    names: Sequence[str] = ()
    tags: Sequence[str] = ()
    viewports: Sequence[str] | None = None
    repeat: int = 1
    headed: bool = False
    origin: Origin = field(default_factory=Origin)  # the schedule entry that asked, if any
    label: str = ""          # names the build measured, e.g. "main": a gate's baseline later
    git_sha: str = ""
    git_ref: str = ""
    environment: str = ""
    part: JobFilter | None = None  # only these of the planned runs: a shard (uxmon.fleet)
    batch_id: str = ""       # join this batch (shards writing into one); '' makes a new one

    def build(self) -> dict[str, str]:
        """What the history keeps about the measured build."""
        return {"label": self.label, "git_sha": self.git_sha, "git_ref": self.git_ref,
                "environment": self.environment}


class NothingToRun(ValueError):
    """No scenario matched: a usage problem, reported before any browser starts."""


def find_scenarios(config: Config, options: BatchOptions) -> tuple[list[Scenario], list[LoadError]]:
    scenarios, errors, _ = _discover(config, options)
    return scenarios, errors


def _discover(config: Config, options: BatchOptions) -> tuple[list[Scenario], list[LoadError], list[str]]:
    paths = list(options.paths) or [str(config.path(p)) for p in config.scenarios]
    found = discover(paths)
    tags = list(options.tags) or list(config.tags)
    return (select(found.scenarios, tags=tags, names=options.names), found.errors,
            _unknown_sections(config, [s.name for s in found.scenarios]))


def _unknown_sections(config: Config, names: list[str]) -> list[str]:
    """A ``[scenario."Name"]`` table that names no scenario is most likely a typo."""
    warnings = []
    for section in config.scenario_overrides:
        if section not in names:
            close = difflib.get_close_matches(section, names, n=1, cutoff=0.5)
            hint = f" (did you mean \"{close[0]}\"?)" if close else ""
            warnings.append(f"{config.source or 'config'}: [scenario.\"{section}\"] names no scenario "
                            f"that was found{hint}; its settings are not used")
    return warnings


def playwright_devices() -> Mapping[str, Mapping[str, Any]]:
    """Playwright's device descriptors; raises BrowserNotFound when no browser could run them."""
    from ..capture.devices import load_devices

    return load_devices()


@dataclass
class Plan:
    jobs: list[Job]
    load_errors: list[LoadError]
    scenarios: int
    warnings: list[str]
    part: str = ""  # which part of the planned runs this batch runs ("shard 2/4: 5 of 18 runs")


def plan_batch(config: Config, options: BatchOptions) -> Plan:
    """The runs to do; raises ConfigError, NothingToRun or BrowserNotFound before anything starts."""
    scenarios, errors, warnings = _discover(config, options)
    if not scenarios and not errors:
        where = ", ".join(options.paths) or ", ".join(config.scenarios)
        raise NothingToRun(f"no scenarios found in {where}"
                           + (" matching the given filters" if options.names or options.tags else ""))
    jobs = plan_jobs(scenarios, config, playwright_devices(), chosen_viewports=options.viewports,
                     repeat=options.repeat, problems=errors) if scenarios else []
    part = ""
    if options.part is not None:
        jobs, part = options.part(jobs)
    workers, capped = worker_count(config.workers, config.cap_workers)
    if capped:
        warnings.append(capped)
    if urlsplit(config.base_url).username:
        warnings.append("the base URL carries a user name and password: Chromium does not send them "
                        "with the page's own relative requests; set [http_credentials] in uxmon.toml "
                        "instead (the password is masked in everything uxmon writes)")
    return Plan(jobs, errors, len(scenarios), warnings, part)


def run_batch(config: Config, options: BatchOptions, hooks: Hooks | None = None,
              plan: Plan | None = None) -> BatchResult:
    """Run everything the config and options select, write the batch folder, and say how it went."""
    result = run_planned(config, options, hooks, plan)
    return finish_batch(config, result, join=bool(options.batch_id))


def run_planned(config: Config, options: BatchOptions, hooks: Hooks | None = None,
                plan: Plan | None = None, should_stop: Callable[[], str] | None = None) -> BatchResult:
    """The runs of a batch, each record on disk as it finishes; nothing analysed or kept yet.

    ``should_stop`` is asked as the runs go: a reason ends the batch at once (a queue worker's
    stop, which runs this off the main thread, where signals cannot reach the runner).
    """
    plan = plan or plan_batch(config, options)
    output = config.path(config.output)
    output.mkdir(parents=True, exist_ok=True)
    batch_id = options.batch_id or new_batch_id()
    folder = prepare_batch_dir(output, batch_id, shared=bool(options.batch_id))
    result = BatchResult(batch_id, folder, [], plan.load_errors,
                         dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                         scenarios=plan.scenarios, warnings=list(plan.warnings), origin=options.origin,
                         build=options.build(), hold=FolderLock(folder))
    settings = run_settings(config, batch_id, folder, plan.jobs)
    t0 = time.monotonic()
    workers, _ = worker_count(config.workers, config.cap_workers)
    ran = run_jobs(plan.jobs, settings, workers, _writing(hooks or Hooks(), result, config),
                   headless=not options.headed, grace_s=0 if should_stop else config.timeouts.grace,
                   deadline_s=batch_deadline(config, plan.jobs, workers), should_stop=should_stop,
                   reap_later=True)
    result.records, result.stopped, result.signal = ran.records, ran.stopped, ran.signal
    result.workers_done = ran.reap
    result.not_started = ran.not_started
    result.duration_s = round(time.monotonic() - t0, 2)
    return result


def finish_batch(config: Config, result: BatchResult, join: bool = False) -> BatchResult:
    """Cross-viewport rules, the batch's files, the history and its report, the after-batch hooks.

    ``join``: add the runs to the batch in the history (made if new, runs with the same id
    replaced) instead of writing the batch whole: shards, merged bundles and queued jobs
    that all make one batch.
    """
    hold, result.hold = result.hold or FolderLock(result.folder), None
    try:
        with hold:  # another run's catch-up leaves the folder alone until the batch is kept
            if not _write_and_keep(config, result, join):
                return result
    finally:
        workers_done, result.workers_done = result.workers_done, None
        if workers_done is not None:
            workers_done()  # they closed their browsers while the batch was written
    after_batch(result, config)
    return result


def _write_and_keep(config: Config, result: BatchResult, join: bool) -> bool:
    """Analyse, write the batch's files and keep it; False when the disk was full (said in
    ``result.storage_error``), so that nothing after it runs."""
    output = config.path(config.output)
    analyse_batch(result.records, {r.scenario: settings_for(config, r.scenario) for r in result.records})
    try:
        publish(result, config)
        point_latest(output, result.folder)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        result.storage_error = disk_full_message(result.folder, exc)
        return False
    result.history, result.history_warning = keep_batch(config, output, result, join=join)
    return True


def run_settings(config: Config, batch_id: str, folder: Any, jobs: Sequence[Job]) -> RunSettings:
    return RunSettings(
        batch_id=batch_id, batch_dir=folder, base_url=config.base_url,
        action_timeout_s=config.timeouts.action, navigation_timeout_s=config.timeouts.navigation,
        screenshots=config.screenshots, trace=config.trace, trace_snapshots=config.trace_snapshots,
        pace=config.pace,
        friction={job.scenario.name: settings_for(config, job.scenario.name) for job in jobs},
        secrets=tuple(url_secrets(config.base_url)
                      + [v for v in [config.http_credentials.get("password", "")] if v]),
        http_credentials=config.http_credentials,
    )


def batch_deadline(config: Config, jobs: Sequence[Job], workers: int) -> float:
    """``timeouts.batch``, or room for every run to use its whole timeout (and its retries)."""
    if config.timeouts.batch:
        return config.timeouts.batch
    slots = sum(job.retries + 1 for job in jobs)
    longest = max((job.timeout_s for job in jobs), default=config.timeouts.run)
    return math.ceil(slots / max(1, workers)) * (longest + 60) + 120


def _writing(hooks: Hooks, result: BatchResult, config: Config) -> Hooks:
    """The caller's hooks, plus the batch summary rewritten each time a run finishes."""
    done: list[RunRecord] = []

    def on_done(record: RunRecord) -> None:
        done.append(record)
        try:
            write_progress(replace(result, records=list(done)), config)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            result.storage_error = disk_full_message(result.folder, exc)
        hooks.on_done(record)

    return replace(hooks, on_done=on_done)
