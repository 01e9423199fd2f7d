"""The ``[fleet]`` table: how workers show they are alive, when a silent one is given up, how long
a stop waits. Importing this module registers it with the config schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import Config, Key, register_section
from ..config.schema import DURATION, parse_duration, positive_duration

DEFAULTS = {"heartbeat": 10.0, "stalled_after": 60.0, "sweep_every": 60.0, "stop_grace": 120.0}


def _cron_period(value: Any) -> str | None:
    """The sweep runs on a cron schedule: a whole divisor of a minute or of an hour."""
    problem = positive_duration(value)
    if problem:
        return problem
    return None if sweep_cron(parse_duration(value)) else (
        "must divide a minute or an hour evenly (1s … 30s, 1m, 2m, 5m, 10m, 15m, 20m, 30m, 60m)")


FLEET_KEYS: dict[str, Key] = {
    "heartbeat": Key(DURATION, positive_duration, "how often a worker tells the queue it is alive (10 s)"),
    "stalled_after": Key(DURATION, positive_duration,
                         "a worker silent this long is taken for dead: its run goes to another (60 s)"),
    "sweep_every": Key(DURATION, _cron_period, "how often the queue looks for runs of dead workers (60 s)"),
    "stop_grace": Key(DURATION, positive_duration, "on SIGTERM, how long the run in flight may take (120 s)"),
}
register_section("fleet", FLEET_KEYS)


@dataclass(frozen=True)
class FleetSettings:
    heartbeat_s: float = DEFAULTS["heartbeat"]
    stalled_after_s: float = DEFAULTS["stalled_after"]
    sweep_every_s: float = DEFAULTS["sweep_every"]
    stop_grace_s: float = DEFAULTS["stop_grace"]


def fleet_settings(config: Config) -> FleetSettings:
    raw = config.section("fleet")
    values = {k: parse_duration(raw.get(k, v)) for k, v in DEFAULTS.items()}
    return FleetSettings(values["heartbeat"], values["stalled_after"], values["sweep_every"],
                         values["stop_grace"])


def sweep_cron(seconds: float) -> str:
    """A cron expression (procrastinate's, seconds as a sixth field) firing every ``seconds``; ''
    when no expression does."""
    whole = int(seconds)
    if whole != seconds or whole <= 0:
        return ""
    if whole < 60:
        return f"* * * * * */{whole}" if 60 % whole == 0 else ""
    minutes, rest = divmod(whole, 60)
    if rest or 60 % minutes:
        return ""
    return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
