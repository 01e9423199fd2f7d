"""The ``[[alerts]]`` channels and the ``[alerting]`` policy: their keys, checks and defaults.

Importing this module registers both sections with the config schema (the CLI does).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from ..config import Config, ConfigError, Key, register_section
from ..config.schema import (
    BOOL,
    DURATION,
    INT,
    LIST,
    STR,
    http_url,
    one_of,
    parse_duration,
    positive,
    positive_duration,
    severity,
)

CHANNEL_TYPES = ("slack", "teams", "webhook")
EVENTS = ("run.failing", "run.recovered", "run.degraded", "run.unmeasured", "scheduler.missed",
          "batch.finished")
DEFAULT_EVENTS = ("run.failing", "run.recovered", "run.unmeasured", "scheduler.missed")
SEVERITIES = ("info", "low", "medium", "high", "critical")
# Retired Office 365 connector hosts: Teams stopped taking them; Workflows replaces them.
OFFICE_CONNECTOR_HOSTS = ("webhook.office.com", "outlook.office.com", "outlook.office365.com")


def _events(value: Any) -> str | None:
    wrong = [e for e in value if e not in EVENTS]
    return f"unknown event {wrong[0]!r}; events are " + ", ".join(EVENTS) if wrong else None


def _secret(value: Any) -> str | None:
    if not value.startswith("whsec_"):
        return "must be a Standard Webhooks key: 'whsec_' and base64 (make one: uxmon secret new)"
    try:
        key = base64.b64decode(value[len("whsec_"):], validate=True)
    except (binascii.Error, ValueError):
        return "the part after 'whsec_' is not valid base64"
    return None if len(key) >= 16 else "the key must be at least 16 bytes (24 base64 characters)"


CHANNEL_KEYS: dict[str, Key] = {
    "name": Key(STR, None, "how logs and results.json name this channel"),
    "type": Key(STR, one_of(*CHANNEL_TYPES), "slack, teams or webhook"),
    "url": Key(STR, http_url, "the incoming webhook URL; write it as ${ENV_VAR}"),
    "events": Key(LIST, _events, "which events this channel hears"),
    "min_severity": Key(STR, severity, "the lowest severity of new friction listed or alerted"),
    "secret": Key(STR, _secret, "webhook only: the whsec_ signing key; write it as ${ENV_VAR}"),
    "report_url": Key(STR, http_url, "where the published reports are, for links in messages"),
    "enabled": Key(BOOL),
}

POLICY_KEYS: dict[str, Key] = {
    "failing_after": Key(INT, positive, "failing runs in a row before 'failing' is sent"),
    "unmeasured_after": Key(INT, positive, "unmeasured runs in a row before 'cannot reach' is sent"),
    "degraded_after": Key(INT, positive, "degraded runs in a row before 'degraded' is sent"),
    "degraded_severity": Key(STR, severity, "a new finding this severe makes a passing run degraded"),
    "reminders": Key(INT, lambda v: None if v >= 0 else "must be 0 or more", "reminders while failing"),
    "remind_every": Key(DURATION, positive_duration, "time between reminders"),
    "missed_after": Key(INT, positive, "missed firings in a row of one entry before 'scheduler.missed'"),
}


@dataclass(frozen=True)
class Channel:
    name: str
    type: str
    url: str
    events: tuple[str, ...] = DEFAULT_EVENTS
    min_severity: str = "high"
    secret: str = ""
    report_url: str = ""

    def hears(self, event: str) -> bool:
        return event in self.events


@dataclass(frozen=True)
class Policy:
    """When a journey's state is worth a message (research D/B5: Checkly-style thresholds)."""

    failing_after: int = 2
    unmeasured_after: int = 2
    degraded_after: int = 1
    degraded_severity: str = "high"
    reminders: int = 2
    remind_every_s: float = 3600.0
    missed_after: int = 3


def check_channels(entries: Sequence[Mapping[str, Any]], where: Callable[[int], str]) -> None:
    names: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for key in ("type", "url"):
            if key not in entry:
                raise ConfigError(f"{where(index)}: '{key}' is missing")
        kind, url = entry["type"], entry["url"]
        host = (urlparse(url).hostname or "").lower()
        if kind == "teams" and any(host == h or host.endswith("." + h) for h in OFFICE_CONNECTOR_HOSTS):
            raise ConfigError(
                f"{where(index)}: 'url': Office 365 connector webhooks ({host}) were retired by "
                "Microsoft; in Teams, add the Workflows app's 'Post to a channel when a webhook "
                "request is received' and use the URL it gives (docs/alerts.md)")
        if "secret" in entry and kind != "webhook":
            raise ConfigError(f"{where(index)}: 'secret': only a 'webhook' channel is signed")
        name = entry.get("name") or f"{kind}-{index + 1}"
        if name in names:
            raise ConfigError(f"{where(index)}: 'name': {name!r} is already the name of "
                              f"[[alerts]] #{names[name] + 1}")
        names[name] = index


register_section("alerts", CHANNEL_KEYS, array=True, check=check_channels)
register_section("alerting", POLICY_KEYS)


def channels(config: Config) -> list[Channel]:
    found = []
    for index, entry in enumerate(config.entries("alerts")):
        if entry.get("enabled") is False:
            continue
        found.append(Channel(
            name=entry.get("name") or f"{entry['type']}-{index + 1}", type=entry["type"], url=entry["url"],
            events=tuple(entry.get("events", DEFAULT_EVENTS)), min_severity=entry.get("min_severity", "high"),
            secret=entry.get("secret", ""), report_url=entry.get("report_url", "")))
    return found


def policy(config: Config) -> Policy:
    raw = config.section("alerting")
    base = Policy()
    return Policy(
        failing_after=raw.get("failing_after", base.failing_after),
        unmeasured_after=raw.get("unmeasured_after", base.unmeasured_after),
        degraded_after=raw.get("degraded_after", base.degraded_after),
        degraded_severity=raw.get("degraded_severity", base.degraded_severity),
        reminders=raw.get("reminders", base.reminders),
        remind_every_s=parse_duration(raw.get("remind_every", base.remind_every_s)),
        missed_after=raw.get("missed_after", base.missed_after),
    )


def at_least(severity_name: str, floor: str) -> bool:
    return SEVERITIES.index(severity_name) >= SEVERITIES.index(floor)
