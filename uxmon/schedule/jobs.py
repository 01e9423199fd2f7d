"""From entries to jobs: each entry's trigger, scenarios, deadline and command line.

Checked when the service starts (and by ``--dry-run``): an entry whose paths and tags select
no scenario is a configuration error naming the file and the entry, before anything fires.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger

from ..config import Config, ConfigError, entry_where
from ..run.pipeline import BatchOptions, find_scenarios
from ..run.plan import viewports_for
from .crontab import cron_trigger, dst_warning, interval_trigger, zone
from .firing import batch_command, digest_command
from .settings import Entry

DEADLINE_MARGIN_S = 60.0
DIGEST_DEADLINE_S = 300.0


@dataclass(frozen=True)
class Job:
    entry: Entry
    paths: tuple[str, ...]  # absolute
    runs: int  # scenario × viewport runs one firing makes (0 for a digest)
    deadline_s: float
    warning: str = ""

    def trigger(self, start: dt.datetime | None = None, *, jitter: bool = True) -> BaseTrigger:
        """``jitter=False``: the bare fire times (a fleet's schedulers must agree on them; the
        jitter then delays the queued runs instead)."""
        tz = zone(self.entry.timezone)
        spread = self.entry.jitter_s if jitter else 0
        if self.entry.cron:
            return cron_trigger(self.entry.cron, tz, spread)
        return interval_trigger(self.entry.every_s, tz, spread, start)

    def command(self, config_file: str, scheduled_at: dt.datetime, trigger: str,
                python: str = sys.executable) -> list[str]:
        if self.entry.digest:
            return digest_command(self.entry, config_file, scheduled_at, python)
        return batch_command(self.entry, config_file, list(self.paths), scheduled_at, trigger, python)


def prepare(config: Config, entries: list[Entry]) -> list[Job]:
    """A job per entry; raises ConfigError for an entry that names no scenario."""
    jobs = []
    for entry in entries:
        warning = dst_warning(entry.cron, zone(entry.timezone), entry.timezone) if entry.cron else ""
        if entry.digest:
            jobs.append(Job(entry, (), 0, entry.timeout_s or DIGEST_DEADLINE_S, warning))
            continue
        paths = tuple(str(config.path(p).resolve()) for p in entry.paths)
        scenarios, errors = find_scenarios(config, BatchOptions(paths=paths, tags=entry.tags))
        where = entry_where(config.source or "config", "schedule", entry.index, config.entries("schedule"))
        if not scenarios:
            looked = ", ".join(entry.paths) or ", ".join(config.scenarios)
            tags = f" with tags {', '.join(entry.tags)}" if entry.tags else ""
            problem = f" ({errors[0]})" if errors else ""
            key = "paths" if entry.paths else "tags"
            raise ConfigError(f"{where}: '{key}': no scenarios found in {looked}{tags}{problem}")
        runs = sum(len(viewports_for(s, config, entry.viewports or None)) for s in scenarios)
        rounds = math.ceil(runs / max(1, config.workers)) * (1 + config.retries)
        deadline = entry.timeout_s or config.timeouts.run * rounds + DEADLINE_MARGIN_S
        jobs.append(Job(entry, paths, runs, deadline, warning))
    return jobs
