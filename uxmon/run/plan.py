"""Turn scenarios and config into the list of runs to do: scenario × viewport profile × repeat."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..authoring.scenarios import LoadError, Scenario
from ..capture.viewports import resolve
from ..config import Config, ConfigError
from ..records import Viewport


@dataclass(frozen=True)
class Job:
    run_id: str
    scenario: Scenario
    viewport: Viewport
    repeat: int = 1
    timeout_s: float = 180.0
    retries: int = 0


class JobFilter(Protocol):
    """A part of the planned runs (a shard, one queued job): the same flow runs only those."""

    def __call__(self, jobs: Sequence[Job]) -> tuple[list[Job], str]:
        """(the jobs to run, in the planned order; a line that says which part this is)"""
        ...


def slug(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned or "scenario"


def viewports_for(scenario: Scenario, config: Config, chosen: Sequence[str] | None) -> list[str]:
    """Flags/env first, then the scenario's own list (config, then decorator), then the config's."""
    if chosen:
        return list(chosen)
    override = config.for_scenario(scenario.name).get("viewports")
    if override:
        return list(override)
    if scenario.viewports:
        return list(scenario.viewports)
    return list(config.viewports)


def plan_jobs(
    scenarios: Sequence[Scenario],
    config: Config,
    devices: Mapping[str, Mapping[str, Any]],
    *,
    chosen_viewports: Sequence[str] | None = None,
    repeat: int = 1,
    problems: list[LoadError] | None = None,
) -> list[Job]:
    """Every run of the batch.

    An unknown viewport chosen by flag or config is a ConfigError (nothing runs); one named in
    a scenario's own decorator only stops that scenario: it goes into ``problems`` with its file
    and line, and the others run.
    """
    jobs: list[Job] = []
    resolved: dict[str, Viewport] = {}
    for item in scenarios:
        override = config.for_scenario(item.name)
        if override.get("enabled") is False:
            continue
        names = viewports_for(item, config, chosen_viewports)
        try:
            for name in names:
                if name not in resolved:
                    resolved[name] = resolve(name, config.profiles, devices, config.source)
        except ConfigError as exc:
            from_decorator = not chosen_viewports and not override.get("viewports") and item.viewports
            if problems is None or not from_decorator:
                raise
            problems.append(LoadError(item.file, item.line, f"scenario '{item.name}': {exc}"))
            continue
        timeout = float(override.get("timeout") or item.timeout or config.timeouts.run)
        retries = int(override.get("retries", config.retries))
        for name in names:
            for n in range(1, repeat + 1):
                run_id = f"{slug(item.name)}--{slug(name)}" + (f"--{n}" if repeat > 1 else "")
                jobs.append(Job(run_id, item, resolved[name], n, timeout, retries))
    return jobs
