"""The period a digest covers: durations like ``7d``, the period end, and how to name both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
KINDS = {timedelta(days=1): "daily", timedelta(days=7): "weekly", timedelta(days=14): "fortnightly",
         timedelta(days=28): "monthly", timedelta(days=30): "monthly", timedelta(days=31): "monthly"}


class PeriodError(ValueError):
    """A duration or a time that cannot be read; the message says what was expected."""


def parse_duration(text: str) -> timedelta:
    """``7d``, ``24h``, ``2w``, ``90m`` → a timedelta."""
    match = _DURATION.match(text or "")
    if not match or float(match.group(1)) <= 0:
        raise PeriodError(f"expected a duration like 7d, 24h or 2w, got {text!r}")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; one without an offset is UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise PeriodError(f"expected an ISO 8601 time like 2026-11-30T08:00:00+01:00, got {text!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def stamp(moment: datetime) -> str:
    """The store's own time format (UTC, seconds), so strings compare like times."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Period:
    """``[start, end)``; the changes are counted from ``changes_since`` (the last digest, or start)."""

    start: datetime
    end: datetime
    changes_since: datetime
    zone: tzinfo

    @classmethod
    def ending(cls, end: datetime, length: timedelta, zone: tzinfo | None = None,
               last_digest: datetime | None = None) -> Period:
        start = end - length
        since = last_digest if last_digest is not None and last_digest < start else start
        return cls(start, end, since, zone or end.tzinfo or UTC)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    @property
    def previous(self) -> tuple[datetime, datetime]:
        return self.start - self.length, self.start

    @property
    def kind(self) -> str:
        """'weekly', 'daily'... or '3 days' for a length without a name."""
        if self.length in KINDS:
            return KINDS[self.length]
        return f"last {describe_length(self.length)}"

    def describe(self) -> str:
        """'23 Nov – 30 Nov 2026' in the digest's zone (times too when shorter than a day)."""
        return span(self.start, self.end, self.zone)


def describe_length(length: timedelta) -> str:
    hours = length.total_seconds() / 3600
    if hours < 48:
        return f"{hours:g} hours" if hours != 1 else "hour"
    days = hours / 24
    return f"{days:g} days"


def day(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y}"


def at(moment: datetime, zone: tzinfo) -> str:
    """'22 Nov 2026 21:38 UTC'."""
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y %H:%M} {zone_name(local)}"


def span(start: datetime, end: datetime, zone: tzinfo) -> str:
    a, b = start.astimezone(zone), end.astimezone(zone)
    name = zone_name(b)
    if end - start < timedelta(days=2):
        left = f"{a.day} {a:%b %H:%M}"
        if a.date() == b.date():
            return f"{left} – {b:%H:%M} {name}"
        return f"{left} – {b.day} {b:%b %H:%M} {name}"
    left = f"{a.day} {a:%b}" if a.year == b.year else f"{a.day} {a:%b %Y}"
    return f"{left} – {b.day} {b:%b %Y}"


def zone_name(moment: datetime) -> str:
    return moment.tzname() or "UTC"
