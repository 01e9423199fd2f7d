"""Chart axes that read well: round value ticks, and time labels whose unit fits the span.

Batches minutes apart all fall on one date, so five labels saying "2026-12-01" tell the
reader nothing; the unit (seconds, minutes, days, months) is chosen from the first and last
moments shown, and a label that repeats the previous one is left out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0


def value_ticks(high: float, count: int = 4) -> list[float]:
    """0 up to a round number at or above ``high``, in ``count`` round steps (1, 2, 2.5, 5 × 10ⁿ)."""
    if high <= 0:
        return [float(i) for i in range(count + 1)]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-9)
    return [round(step * i, 6) for i in range(count + 1)]


def parse(stamp: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def time_labels(stamps: Sequence[str], count: int = 4) -> list[tuple[int, str]]:
    """(index, label) for up to ``count`` evenly spread points; the unit follows the span."""
    if not stamps:
        return []
    last = len(stamps) - 1
    picks = sorted({round(i * last / max(count - 1, 1)) for i in range(count)}) if last else [0]
    moments = [parse(s) for s in stamps]
    known = [m for m in moments if m is not None]
    span = (max(known) - min(known)).total_seconds() if known else 0.0
    labels: list[tuple[int, str]] = []
    previous = ""
    for n, i in enumerate(picks):
        moment = moments[i]
        key = stamps[i][:16] if moment is None else label(moment, span)
        if key != previous:
            labels.append((i, key if moment is None else label(moment, span, first=n == 0)))
        previous = key
    return labels


def label(moment: dt.datetime, span: float, first: bool = False) -> str:
    """'14:05:30', '14:05' (the first with its date and zone), '1 Dec 14:05', '1 Dec', 'Dec 2026'."""
    day = f"{moment.day} {moment:%b}"
    if span < DAY:
        clock = f"{moment:%H:%M:%S}" if 0 < span < 2 * MINUTE else f"{moment:%H:%M}"
        return f"{day} {clock} {zone(moment)}" if first else clock
    if span < 7 * DAY:
        return f"{day} {moment:%H:%M}"
    if span < 300 * DAY:
        return day
    return f"{moment:%b %Y}"


def zone(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
