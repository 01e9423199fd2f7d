"""Cron expressions read the way cron reads them, turned into APScheduler 3 triggers.

APScheduler 3 counts numeric day-of-week from Monday = 0; cron from Sunday = 0 (7 is Sunday
too). Numbers, ranges, lists and steps in that field are expanded with cron's meaning and
handed over as day names, which both agree on (APScheduler #286, #1102). An expression that
restricts both day-of-month and day-of-week is refused: cron runs when *either* matches,
APScheduler only when *both* do, and guessing would be wrong for someone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

ALIASES = {
    "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
}
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # cron's numbering: Sunday = 0
RISKY_HOURS = range(1, 4)  # 01:00-03:59: where DST changes skip or repeat wall-clock time


class CronError(ValueError):
    """An expression or zone uxmon cannot use; the message says why."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CronError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Berlin' "
                        "or 'UTC'") from None


def _day(token: str) -> int:
    lowered = token.lower()
    if lowered[:3] in DAYS and lowered.isalpha():
        return DAYS.index(lowered[:3])
    if not token.isdigit() or int(token) > 7:
        raise CronError(f"day of week {token!r} is not 0-7 or a day name")
    return int(token) % 7


def cron_days(field: str) -> str:
    """A cron day-of-week field (Sunday = 0 or 7) as APScheduler day names: ``1-5`` → ``mon,...,fri``."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise CronError(f"step {step_text!r} in day of week is not a positive number")
        if span == "*":
            low, high = 0, 6
        elif "-" in span:
            a, b = span.split("-", 1)
            low, high = _day(a), _day(b)
            high = 7 if b.strip() == "7" else high  # 5-7: Friday to Sunday
            if high < low:
                raise CronError(f"day-of-week range {span!r} runs backwards")
        else:
            low = high = _day(span)
            if step:
                high = 6
        days.update(d % 7 for d in range(low, high + 1, step or 1))
    return ",".join(DAYS[d] for d in sorted(days))


def expand(expression: str) -> list[str]:
    """The five fields of an expression (aliases resolved)."""
    text = expression.strip()
    text = ALIASES.get(text.lower(), text)
    if text.startswith("@"):
        raise CronError(f"{expression!r}: known shortcuts are " + ", ".join(sorted(ALIASES)))
    fields = text.split()
    if len(fields) != 5:
        raise CronError(f"{expression!r} has {len(fields)} fields; cron has five: "
                        "minute hour day-of-month month day-of-week")
    return fields


def cron_trigger(expression: str, tz: dt.tzinfo, jitter_s: float = 0) -> CronTrigger:
    minute, hour, dom, month, dow = expand(expression)
    if dom != "*" and dow != "*":
        raise CronError(f"{expression!r} restricts both day of month and day of week; cron runs "
                        "when either matches, uxmon would run only when both do: use two entries")
    try:
        return CronTrigger(minute=minute, hour=hour, day=dom, month=month, day_of_week=cron_days(dow),
                           timezone=tz, jitter=int(jitter_s) or None)
    except ValueError as exc:
        raise CronError(f"{expression!r}: {exc}") from None


def interval_trigger(seconds: float, tz: dt.tzinfo, jitter_s: float = 0,
                     start: dt.datetime | None = None) -> IntervalTrigger:
    return IntervalTrigger(seconds=seconds, timezone=tz, jitter=int(jitter_s) or None, start_date=start)


def fire_times(trigger: BaseTrigger, count: int, now: dt.datetime) -> list[dt.datetime]:
    """The next ``count`` fire times after ``now`` (without jitter)."""
    found: list[dt.datetime] = []
    previous = None
    for _ in range(count):
        nxt = trigger.get_next_fire_time(previous, now if previous is None else previous)
        if nxt is None:
            break
        found.append(nxt)
        previous = nxt
        now = nxt + dt.timedelta(microseconds=1)
    return found


def has_dst(tz: dt.tzinfo, year: int = 2026) -> bool:
    jan = dt.datetime(year, 1, 15, 12, tzinfo=tz).utcoffset()
    jul = dt.datetime(year, 7, 15, 12, tzinfo=tz).utcoffset()
    return jan != jul


def dst_warning(expression: str, tz: dt.tzinfo, zone_name: str) -> str:
    """A warning for a cron entry that fires at chosen hours between 01:00 and 03:59 in a DST zone."""
    if not has_dst(tz):
        return ""
    start = dt.datetime(2026, 1, 5, tzinfo=tz)
    week = start + dt.timedelta(days=8)
    hours = {t.hour for t in fire_times(cron_trigger(expression, tz), 400, start) if t < week}
    risky = sorted(hours & set(RISKY_HOURS))
    if not risky or len(hours) == 24:
        return ""
    return (f"fires at {risky[0]:02d}:xx in {zone_name}, which has daylight saving time: on the night the "
            "clocks change it is skipped or runs twice; prefer another hour or timezone = \"UTC\"")


def catch_up_due(trigger: BaseTrigger, last: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """The fire time missed since ``last`` (the entry's newest batch), if one was due before ``now``."""
    if last is None:
        return None
    missed = None
    for when in _times_between(trigger, last, now):
        missed = when
    return missed


def _times_between(trigger: BaseTrigger, start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    previous = None
    cursor = start + dt.timedelta(seconds=1)
    for _ in range(10_000):
        nxt = trigger.get_next_fire_time(previous, cursor)
        if nxt is None or nxt > end:
            return
        yield nxt
        previous, cursor = nxt, nxt + dt.timedelta(seconds=1)


_ISO = re.compile(r"^\d{4}-\d\d-\d\dT")


def parse_time(text: str) -> dt.datetime | None:
    if not text or not _ISO.match(text):
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
