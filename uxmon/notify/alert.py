"""What one alert message says, before any channel's format: the batch, and the journeys' news.

One alert per batch (never one per run), or one per scheduler problem. Every text in it that
came from the site or the scenario is cleaned here: control characters stripped, broken
Unicode replaced, lengths bounded; each channel escapes it for its own markup.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from ..history.rows import FindingRow
from ..records import RunRecord
from .settings import Channel, at_least
from .states import Transition

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
SCHEMA = 1  # of the webhook payload; docs/alerts.md


def clean(text: object, limit: int = 500) -> str:
    """Site text made safe to put in a message: one line, printable, at most ``limit`` chars."""
    raw = text if isinstance(text, str) else str(text)
    raw = raw.encode("utf-8", "replace").decode("utf-8", "replace")
    raw = _CONTROL.sub("", raw.replace("\n", " ").replace("\t", " "))
    raw = re.sub(r" {2,}", " ", raw).strip()
    return raw if len(raw) <= limit else raw[: limit - 1].rstrip() + "…"


def mask_url(url: str) -> str:
    """A URL that is itself a secret (webhooks) shown as its host only."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'https'}://{host}{port}/…"


def public_url(url: str) -> str:
    """A site URL with any user-info and query values taken out (they may hold tokens)."""
    parts = urlsplit(url)
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    query = "&".join(p.split("=", 1)[0] + "=…" for p in parts.query.split("&") if p) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


@dataclass(frozen=True)
class FindingNote:
    severity: str
    title: str
    step_name: str


@dataclass(frozen=True)
class News:
    """One journey's change of state, with what a reader needs to act on it."""

    event: str
    scenario: str
    viewport: str
    streak: int = 1
    previous: str = ""
    reminder: int = 0
    since: str = ""
    outcome: str = ""
    reason: str = ""
    step: str = ""
    friction_score: float = 0.0
    findings: tuple[FindingNote, ...] = ()
    link: str = ""


@dataclass(frozen=True)
class Alert:
    """Everything one message carries; channels render it, ``for_channel`` filters it."""

    id: str
    kind: str  # "batch" or "scheduler"
    created_at: str
    base_url: str = ""
    batch_id: str = ""
    started_at: str = ""
    entry: str = ""
    report_url: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)  # passed, failed, error, runs
    news: tuple[News, ...] = ()
    missed: Mapping[str, object] = field(default_factory=dict)  # scheduler.missed details

    @property
    def events(self) -> list[str]:
        found = [n.event for n in self.news] + (["scheduler.missed"] if self.missed else [])
        return list(dict.fromkeys(found))


def new_id() -> str:
    return "msg_" + uuid.uuid4().hex


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def batch_alert(records: Sequence[RunRecord], transitions: Sequence[Transition],
                new_findings: Sequence[FindingRow], *, batch_id: str, started_at: str, base_url: str,
                entry: str = "", report_url: str = "") -> Alert:
    """The alert of a batch: a piece of news per transition, with its run's reason and friction."""
    last = {(r.scenario, r.viewport.name): r for r in records}
    news = []
    for t in transitions:
        record = last.get(t.journey)
        mine = tuple(FindingNote(f.severity, clean(f.title, 300), clean(f.step_name, 100))
                     for f in new_findings if (f.scenario, f.viewport) == t.journey)
        news.append(News(
            t.event, clean(t.scenario, 200), clean(t.viewport, 60), t.streak, t.previous, t.reminder,
            t.since, record.outcome if record else "", clean(record.reason if record else "", 600),
            clean(_step_name(record), 100), record.friction_score if record else 0.0, mine))
    counts = {o: sum(r.outcome == o for r in records) for o in ("passed", "failed", "error")}
    counts["runs"] = len(records)
    return Alert(new_id(), "batch", now_iso(), public_url(base_url), batch_id, started_at, clean(entry, 200),
                 report_url, counts, tuple(news))


def missed_alert(entry: str, misses: int, reason: str, scheduled_at: str) -> Alert:
    return Alert(new_id(), "scheduler", now_iso(), entry=clean(entry, 200), missed={
        "entry": clean(entry, 200), "misses": misses, "reason": clean(reason, 600),
        "last_scheduled_at": scheduled_at})


def _step_name(record: RunRecord | None) -> str:
    if record is None or record.failed_step is None:
        return ""
    step = next((s for s in record.steps if s.index == record.failed_step), None)
    return step.name if step else f"step {record.failed_step}"


def for_channel(alert: Alert, channel: Channel) -> Alert | None:
    """The part of ``alert`` this channel hears, or None when it hears nothing of it."""
    kept = []
    for n in alert.news:
        event = "run.degraded" if n.event == "run.recovered" and n.previous == "degraded" else n.event
        if not channel.hears(event):
            continue
        findings = tuple(f for f in n.findings if at_least(f.severity, channel.min_severity))
        kept.append(replace(n, findings=findings, link=_link(channel.report_url, alert.batch_id, n)))
    missed = alert.missed if channel.hears("scheduler.missed") else {}
    if not kept and not missed and not (alert.kind == "batch" and channel.hears("batch.finished")):
        return None
    return replace(alert, news=tuple(kept), missed=missed, report_url=_report(channel.report_url, alert))


def _report(base: str, alert: Alert) -> str:
    return f"{base.rstrip('/')}/{alert.batch_id}/index.html" if base and alert.batch_id else ""


def _link(base: str, batch_id: str, n: News) -> str:
    if not base or not batch_id:
        return ""
    slug = re.sub(r"[^a-z0-9]+", "-", n.scenario.lower()).strip("-") or "journey"
    return f"{base.rstrip('/')}/{batch_id}/journeys/{slug}.html"


HEADLINES = {
    "run.failing": "{journey} is failing",
    "run.unmeasured": "uxmon cannot reach the site for {journey}",
    "run.degraded": "{journey} passes, with new friction",
    "run.recovered": "{journey} recovered",
    "batch.finished": "Batch finished",
}


def headline(n: News) -> str:
    text = HEADLINES[n.event].format(journey=f"{n.scenario} · {n.viewport}")
    if n.event == "run.recovered" and n.previous == "unmeasured":
        text = f"uxmon reaches the site again for {n.scenario} · {n.viewport}"
    return text + (f" (reminder {n.reminder})" if n.reminder else "")


def detail(n: News) -> str:
    """The sentence under a headline: what happened, where, for how long."""
    if n.event in ("run.failing", "run.unmeasured"):
        where = f" at {n.step}" if n.step else ""
        runs = f"{n.streak} run{'s' if n.streak != 1 else ''} in a row"
        return f"{runs}{where}: {n.reason}" if n.reason else runs + where
    if n.event == "run.degraded":
        found = "; ".join(f"{f.severity}: {f.title}" for f in n.findings[:3])
        return found or "a flaky pass (it needed a retry)"
    if n.event == "run.recovered":
        return f"passed after being {n.previous}" + (f" since {n.since}" if n.since else "")
    return ""


def title(alert: Alert) -> str:
    """The message's one-line summary (Slack's fallback text, the card's title)."""
    if alert.kind == "scheduler":
        m = alert.missed
        return f"uxmon scheduler missed {m.get('misses')} firings in a row of '{m.get('entry')}'"
    failing = [n for n in alert.news if n.event in ("run.failing", "run.unmeasured")]
    if len(alert.news) == 1:
        return headline(alert.news[0])
    if failing:
        return f"{len(failing)} journey{'s' if len(failing) != 1 else ''} failing on {alert.base_url}"
    if alert.news:
        return f"{len(alert.news)} journeys changed on {alert.base_url}"
    c = alert.counts
    return f"Batch {alert.batch_id}: {c.get('passed', 0)} of {c.get('runs', 0)} runs passed"
