"""The ``[[schedule]]`` entries and the ``[scheduler]`` table: keys, checks across entries, defaults.

Importing this module registers both with the config schema, so a bad cron expression, an
unknown zone or a duplicate name is refused when the config loads (exit 2, naming file and key).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Config, ConfigError, Key, register_section
from ..config.schema import (
    BOOL,
    DURATION,
    INT,
    LIST,
    STR,
    duration,
    http_url,
    parse_duration,
    positive,
    positive_duration,
    str_list,
)
from .crontab import CronError, cron_trigger, zone

DEFAULT_MISFIRE_S = 300.0
DEFAULT_STOP_GRACE_S = 90.0
DEFAULT_HEALTH_ADDR = "127.0.0.1:9464"
BATCH_KEYS = ("paths", "tags", "viewports")
DIGEST_KEYS = ("since", "to", "only_if_changed")


def _name(value: Any) -> str | None:
    if not value.strip() or any(c in value for c in "/\\\n\t") or len(value) > 100:
        return "must be a short name without slashes (it names the entry in logs and the history)"
    return None


def _addresses(value: Any) -> str | None:
    problem = str_list(value)
    return problem or next((f"{a!r} is not an email address" for a in value if "@" not in a), None)


ENTRY_KEYS: dict[str, Key] = {
    "name": Key(STR, _name, "the entry's name, unique"),
    "paths": Key(LIST + STR, None, "scenario files or folders"),
    "tags": Key(LIST, str_list, "only scenarios with one of these tags"),
    "viewports": Key(LIST, str_list, "viewport profiles for this entry's batches"),
    "cron": Key(STR, None, "five-field cron expression or @hourly/@daily/@weekly"),
    "every": Key(DURATION, positive_duration, "an interval such as '10m'"),
    "jitter": Key(DURATION, duration, "a random delay of up to this much on each firing"),
    "timezone": Key(STR, None, "IANA zone the cron expression is read in (default UTC)"),
    "ping_url": Key(STR, http_url, "a healthchecks.io-style URL pinged on start and end"),
    "timeout": Key(DURATION, positive_duration, "hard deadline of one firing"),
    "misfire_grace": Key(DURATION, positive_duration, "how late a firing may start (default 300 s)"),
    "enabled": Key(BOOL),
    "digest": Key(BOOL, None, "send the emailed digest instead of running scenarios"),
    "since": Key(STR, duration, "digest: the period it covers (default 7d)"),
    "to": Key(LIST, _addresses, "digest: who receives it"),
    "only_if_changed": Key(BOOL, None, "digest: send only when something changed"),
}

SCHEDULER_KEYS: dict[str, Key] = {
    "workers": Key(INT, positive, "batches that may run at once (default 2)"),
    "stop_grace": Key(DURATION, duration, "how long a stop waits for running batches (default 90 s)"),
    "health_addr": Key(STR, None, "host:port of /livez, /readyz, /metrics, /status ('off': none)"),
}


def check_entries(entries: Sequence[Mapping[str, Any]], where: Callable[[int], str]) -> None:
    """Checks across an entry's keys and across entries: what single keys cannot see."""
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        at = where(index)
        name = entry.get("name")
        if not name:
            raise ConfigError(f"{at}: 'name' is missing (each entry needs a unique name)")
        if name in seen:
            raise ConfigError(f"{at}: 'name': {name!r} is already the name of [[schedule]] #{seen[name] + 1}")
        seen[name] = index
        if ("cron" in entry) == ("every" in entry):
            raise ConfigError(f"{at}: give exactly one of 'cron' (e.g. \"*/15 * * * *\") "
                              "or 'every' (e.g. \"10m\")")
        _check_kind(entry, at)
        try:
            tz = zone(entry.get("timezone", "UTC"))
        except CronError as exc:
            raise ConfigError(f"{at}: 'timezone': {exc}") from None
        if "cron" in entry:
            try:
                cron_trigger(entry["cron"], tz)
            except CronError as exc:
                raise ConfigError(f"{at}: 'cron': {exc}") from None


def _check_kind(entry: Mapping[str, Any], at: str) -> None:
    if entry.get("digest"):
        wrong = [k for k in BATCH_KEYS if k in entry]
        if wrong:
            raise ConfigError(f"{at}: '{wrong[0]}': a digest entry sends the digest; it runs no scenarios")
        return
    wrong = [k for k in DIGEST_KEYS if k in entry]
    if wrong:
        raise ConfigError(f"{at}: '{wrong[0]}': only a digest entry (digest = true) takes it")
    if "paths" not in entry and "tags" not in entry:
        raise ConfigError(f"{at}: name its scenarios with 'paths' (files or folders) and/or 'tags'")


register_section("schedule", ENTRY_KEYS, array=True, check=check_entries)
register_section("scheduler", SCHEDULER_KEYS)


@dataclass(frozen=True)
class Entry:
    """One validated ``[[schedule]]`` entry, with defaults filled in."""

    name: str
    index: int  # 0-based place in the file, for error messages
    cron: str = ""
    every_s: float = 0.0
    timezone: str = "UTC"
    jitter_s: float = 0.0
    paths: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    viewports: tuple[str, ...] = ()
    ping_url: str = ""
    timeout_s: float = 0.0  # 0: computed from the runs it makes
    misfire_grace_s: float = DEFAULT_MISFIRE_S
    digest: bool = False
    since: str = ""
    to: tuple[str, ...] = ()
    only_if_changed: bool = False

    @property
    def when(self) -> str:
        return f"cron {self.cron!r} ({self.timezone})" if self.cron else f"every {self.every_s:g} s"


def entries(config: Config) -> list[Entry]:
    found = []
    for index, raw in enumerate(config.entries("schedule")):
        if raw.get("enabled") is False:
            continue
        every = parse_duration(raw["every"]) if "every" in raw else 0.0
        grace = parse_duration(raw["misfire_grace"]) if "misfire_grace" in raw else (
            min(every, DEFAULT_MISFIRE_S) if every else DEFAULT_MISFIRE_S)
        paths = raw.get("paths", ())
        found.append(Entry(
            name=raw["name"], index=index, cron=raw.get("cron", ""), every_s=every,
            timezone=raw.get("timezone", "UTC"), jitter_s=parse_duration(raw.get("jitter", 0)),
            paths=(paths,) if isinstance(paths, str) else tuple(paths), tags=tuple(raw.get("tags", ())),
            viewports=tuple(raw.get("viewports", ())), ping_url=raw.get("ping_url", ""),
            timeout_s=parse_duration(raw.get("timeout", 0)), misfire_grace_s=grace,
            digest=bool(raw.get("digest")), since=raw.get("since", ""), to=tuple(raw.get("to", ())),
            only_if_changed=bool(raw.get("only_if_changed"))))
    return found


@dataclass(frozen=True)
class SchedulerSettings:
    workers: int = 2
    stop_grace_s: float = DEFAULT_STOP_GRACE_S
    health_addr: str = DEFAULT_HEALTH_ADDR


def scheduler_settings(config: Config) -> SchedulerSettings:
    raw = config.section("scheduler")
    return SchedulerSettings(
        workers=raw.get("workers", 2),
        stop_grace_s=parse_duration(raw.get("stop_grace", DEFAULT_STOP_GRACE_S)),
        health_addr=raw.get("health_addr", DEFAULT_HEALTH_ADDR))
