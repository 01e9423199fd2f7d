"""What a rule gets besides the record: its settings, and helpers every rule needs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..records import Action, Effort, Evidence, Finding, RunRecord, Step
from .settings import FrictionSettings, Thresholds
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class RuleContext:
    settings: FrictionSettings

    @property
    def limits(self) -> Thresholds:
        return self.settings.thresholds

    @property
    def words(self) -> Vocabulary:
        return self.settings.vocabulary

    def finding(self, run: RunRecord, rule: str, severity: str, title: str, *, step: Step | None,
                detail: str = "", evidence: Evidence | None = None, cause: str = "",
                target: str = "", at_ms: float | None = None) -> Finding:
        """A finding with its wasted effort and fingerprint filled in."""
        evidence = evidence or Evidence()
        moment = at_ms if at_ms is not None else evidence.at_ms
        if moment is None and step is not None:
            moment = step.end_ms
        return Finding(
            rule=rule, severity=severity, title=title, detail=detail,
            step=step.index if step else None, step_name=step.name if step else "",
            evidence=evidence, effort=effort_before(run, moment), cause=cause,
            fingerprint=fingerprint(rule, run.scenario, run.viewport.name,
                                    page_of(step.url) if step else "", target or evidence.selector),
        )


def effort_before(run: RunRecord, at_ms: float | None) -> Effort:
    """Clicks, keystrokes, fields, steps and seconds the customer spent before ``at_ms``."""
    if at_ms is None:
        at_ms = run.duration_ms
    done = [a for a in run.actions if a.at_ms < at_ms]
    fields = {a.target.selector for a in done if a.kind in ("fill", "select")}
    steps = sum(1 for s in run.steps if s.start_ms < at_ms)
    return Effort(
        clicks=sum(1 for a in done if a.kind in ("click", "tap")),
        keystrokes=sum(a.keystrokes for a in done),
        fields=len(fields),
        steps=steps,
        seconds=round(max(0.0, at_ms) / 1000, 1),
    )


_VOLATILE = re.compile(r"\d+|[0-9a-f]{8,}", re.IGNORECASE)


def fingerprint(rule: str, scenario: str, viewport: str, page: str, target: str) -> str:
    """Stable across runs: what the finding is about (its element, message or label) on which
    page, never the step's index or name, which move when a run is a little faster or slower.
    Numbers and hex ids are ignored (order numbers, session ids)."""
    stable = _VOLATILE.sub("#", target.strip().lower())
    problem = "\x1f".join((rule, scenario, _VOLATILE.sub("#", page.lower()), stable))
    # The first 8 digits name the problem on any viewport (the report merges desktop and
    # mobile by them), the last 4 the viewport.
    return (hashlib.sha1(problem.encode()).hexdigest()[:8]
            + hashlib.sha1(f"{problem}\x1f{viewport}".encode()).hexdigest()[:4])


def same_problem(a: str, b: str) -> bool:
    """Two fingerprints of one problem, whatever the viewport."""
    return a[:8] == b[:8]


def page_of(url: str) -> str:
    """A page's place in the site: its path, and a client-side route after '#/' or '#!'."""
    parts = urlsplit(url)
    route = parts.fragment.split("?")[0] if parts.fragment.startswith(("/", "!")) else ""
    return (parts.path or "/") + (f"#{route}" if route else "")


def site_of(url: str) -> str:
    """The registrable part of a host, roughly: shop.example.co.uk -> example.co.uk."""
    host = (urlsplit(url).hostname or "").lower()
    if not host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def same_site(url: str, base: str) -> bool:
    return bool(base) and site_of(url) == site_of(base)


def step_of(run: RunRecord, at_ms: float) -> Step | None:
    for step in reversed(run.steps):
        if step.start_ms <= at_ms:
            return step
    return run.steps[0] if run.steps else None


def describe_target(action: Action) -> str:
    text = action.target.text or action.target.selector or action.kind
    return f"“{text}”" if action.target.text else text


def cap(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` lowers all the others)."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


def busy_machine(run: RunRecord, start_ms: float, end_ms: float, limit: float) -> str:
    """A note when the monitoring machine's CPU was too contended over a wait to blame the site.

    Only client-side time is inflated so: a wait a slow request explains is the site's either way.
    """
    busy = run.busy_between(start_ms, end_ms)
    if busy is None or busy < limit:
        return ""
    return (f"The machine running uxmon was busy during this wait (its CPU was contended "
            f"{busy:.0%} of the time) and the site's requests were quick, so part of the wait "
            f"may be the monitor's own: run with fewer workers, or on a quieter machine, to know.")


def seconds(ms: float) -> str:
    return f"{ms / 1000:.1f} s"
