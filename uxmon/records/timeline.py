"""Cut a run's flat event log into customer-visible steps: named ones, and one per page otherwise.

Input times are epoch milliseconds from the page (probe) and from Python (marks, CDP); the
output Steps carry milliseconds since the start of the run. A navigation belongs to the step
whose action started it (Playwright's click waits for the page it opens to commit, so that
step is where the customer waited).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from . import evidence
from .actions import collect_actions, settle_answers, target_from
from .model import (
    Alert,
    BrokenImage,
    ConsoleMessage,
    FieldCheck,
    Goal,
    Lag,
    LayoutShift,
    Message,
    MovedElement,
    Navigation,
    Overlay,
    PageError,
    PriceSeen,
    Request,
    Step,
    Timing,
)

NAV_KINDS = ("doc", "route", "nav")
PAGE_SIGNALS = ("console", "pageerror", "shift", "alert", "dialog", "overlay", "overlay-closed",
                "broken-image", "lag", "input-lag", "field", "said", "field-error")


@dataclass
class Capture:
    """Everything one run recorded, before it is cut into steps."""

    start_ms: float
    end_ms: float
    events: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    frames: list[float] = field(default_factory=list)
    host: list[tuple[float, float]] = field(default_factory=list)  # (epoch ms, CPU stall ms)


@dataclass
class Assembly:
    """The steps of a run, where it failed, and which screencast frame pictures each step."""

    steps: list[Step]
    failed_at: int | None
    pictures: dict[str, int] = field(default_factory=dict)


@dataclass
class _Open:
    step: Step
    content: bool = False
    ok: bool = True


class _Builder:
    def __init__(self, start_ms: float) -> None:
        self.start = start_ms
        self.done: list[_Open] = []
        self.current: _Open | None = None
        self.docs: dict[str, Navigation] = {}
        self.commits: list[evidence.Doc] = []
        self.overlays: dict[str, Overlay] = {}
        self.evidence: list[dict[str, Any]] = []
        self.signals: list[dict[str, Any]] = []
        self.action_at: dict[str, float] = {}
        self.url = ""

    def rel(self, t: float) -> float:
        return round(t - self.start, 1)

    def open(self, t: float, name: str = "", named: bool = False) -> _Open:
        self.close(t)
        self.current = _Open(Step(index=0, name=name, start_ms=self.rel(t), named=named, url=self.url))
        return self.current

    def close(self, t: float) -> None:
        cur = self.current
        if cur is None:
            return
        cur.step.duration_ms = round(max(0.0, self.rel(t) - cur.step.start_ms), 1)
        self.current = None
        if cur.content or cur.step.named:
            self.done.append(cur)

    def here(self, t: float) -> _Open:
        if self.current is None:
            self.open(t)
        assert self.current is not None
        return self.current

    def navigate(self, event: dict[str, Any]) -> None:
        """Outside named steps a page load starts a step; inside one, it is part of it."""
        t, url = float(event["t"]), str(event.get("url", ""))
        kind = "same-document" if event["k"] == "route" else "document"
        nav = Navigation(at_ms=self.rel(t), url=url, kind=kind)
        if event["k"] == "doc":
            doc = str(event.get("doc"))
            self.docs[doc] = nav
            self.commits.append(evidence.Doc(doc, t, float(event.get("commit") or t)))
        self.url = url
        cur = self.current
        if cur is None or (not cur.step.named and cur.content):
            cur = self.open(t)
        if not cur.step.named:
            cur.step.url = url
        cur.step.navigations.append(nav)
        cur.content = True


def build_steps(capture: Capture) -> Assembly:
    """The run's steps; ``failed_at`` is the position (0-based) of the step that failed."""
    b = _Builder(capture.start_ms)
    for event in sorted(_dedupe_navs(capture.events), key=lambda e: float(e.get("t", 0))):
        _feed(b, event)
    if b.current is None and not b.done:
        b.open(capture.start_ms)
    b.close(capture.end_ms)
    if not b.done:  # nothing at all happened: still one step, so the run has a place
        b.open(capture.start_ms, "Start", named=True)
        b.close(capture.end_ms)
    steps = [o.step for o in b.done]
    for i, step in enumerate(steps):
        step.index = i + 1
    action_times = _place_requests_and_actions(b, steps, capture)
    windows = [evidence.StepWindow(b.start + s.start_ms, b.start + s.end_ms,
                                   action_times.get(id(s), []), _typed_last(s)) for s in steps]
    _place_signals(b, steps, windows)
    pictures = _apply_evidence(b, steps, windows, capture.frames)
    _name_auto_steps(steps)
    failed = next((i for i, o in enumerate(b.done) if not o.ok), None)
    return Assembly(steps, failed, pictures)


def _feed(b: _Builder, e: dict[str, Any]) -> None:
    k, t = e.get("k"), float(e.get("t", 0))
    if k == "step-begin":
        line = e.get("line")
        b.open(t, str(e.get("name", "")), named=True).step.line = line if isinstance(line, int) else None
    elif k == "step-end":
        b.here(t).ok = bool(e.get("ok", True))
        b.open(t)
    elif k in ("state", "final"):
        b.evidence.append(e)
    elif k in PAGE_SIGNALS:
        b.signals.append(e)
    elif k in NAV_KINDS:
        if e.get("top", True) and not str(e.get("url", "")).startswith("about:"):
            b.navigate(e)
    elif k in ("ready", "paint", "lcp"):
        _page_timing(b, e)
    else:
        if k == "action":
            b.action_at[str(e.get("id"))] = t
        _record_signal(b, b.here(t), e)


def _page_timing(b: _Builder, e: dict[str, Any]) -> None:
    nav = b.docs.get(str(e.get("doc")))
    if nav is None:
        return
    k = e["k"]
    if k == "ready":
        nav.ttfb_ms, nav.dom_ready_ms = _ms(e.get("ttfb")), _ms(e.get("dom_ready"))
        nav.load_ms = _ms(e.get("load"))
        nav.status = int(e["status"]) if e.get("status") else nav.status
    elif k == "paint":
        nav.fcp_ms = _ms(e.get("fcp"))
    else:
        nav.lcp_ms = _ms(e.get("lcp"))


def _ms(value: Any) -> float | None:
    return round(float(value), 1) if value not in (None, "", 0) else None


def _record_signal(b: _Builder, cur: _Open, e: dict[str, Any]) -> None:
    """Attach one page or scenario signal to the step it happened in."""
    k, at, s = e.get("k"), b.rel(float(e["t"])), cur.step
    visible = True
    if k == "console":
        s.console.append(ConsoleMessage(at, str(e.get("level", "error")), str(e.get("text", "")),
                                        str(e.get("location", ""))))
    elif k == "pageerror":
        s.errors.append(PageError(at, str(e.get("message", "")), str(e.get("stack", ""))))
    elif k == "shift":
        moved = [MovedElement(str(m.get("selector", "")), str(m.get("text", "")),
                              float(m.get("dx", 0)), float(m.get("dy", 0)))
                 for m in e.get("moved") or []]
        s.shifts.append(LayoutShift(at, float(e.get("value", 0)), bool(e.get("recent")), moved,
                                    bool(e.get("expected"))))
        visible = False
    elif k in ("alert", "dialog"):
        s.alerts.append(Alert(at, str(e.get("text", e.get("message", ""))), str(e.get("role", k)),
                              str(e.get("selector", "")), target_from(e).rect))
    elif k == "overlay":
        s.overlays.append(Overlay(at, str(e.get("selector", "")), str(e.get("text", "")),
                                  float(e.get("coverage", 0)), bool(e.get("modal")),
                                  rect=target_from(e).rect))
        b.overlays[str(e.get("id"))] = s.overlays[-1]
    elif k == "overlay-closed":
        overlay = b.overlays.pop(str(e.get("id")), None)
        if overlay is not None:
            overlay.closed_ms = at
        visible = False
    elif k == "broken-image":
        s.broken_images.append(BrokenImage(at, str(e.get("src", "")), str(e.get("selector", ""))))
    elif k in ("lag", "input-lag", "field", "said", "field-error"):
        _page_signal(b, s, e, at)
        visible = k in ("said", "field-error")
    elif k == "price":
        s.prices.append(PriceSeen(str(e.get("label", "")), str(e.get("text", "")), at,
                                  str(e.get("selector", ""))))
    elif k == "goal":
        s.goals.append(Goal(str(e.get("name", "")), at, str(e.get("channel", ""))))
    elif k == "timing":
        s.timings.append(Timing(str(e.get("name", "")), str(e.get("kind", "wait")), at,
                                round(float(e.get("duration_ms", 0)), 1), bool(e.get("ok", True))))
    elif k == "action":
        pass  # built by actions.py; what the customer did makes the step worth keeping
    else:
        visible = False
    cur.content = cur.content or visible


def _page_signal(b: _Builder, s: Step, e: dict[str, Any], at: float) -> None:
    """What the page could not do (lags), lost (fields) or said (messages)."""
    k = e.get("k")
    if k in ("lag", "input-lag"):
        s.lags.append(Lag(at, round(float(e.get("duration") or 0), 1),
                          round(float(e.get("blocking") or 0), 1), "input" if k == "input-lag" else "frame",
                          str(e.get("source") or ""), round(float(e.get("script_ms") or 0), 1)))
    elif k == "field":
        cause = e.get("cause")
        s.field_checks.append(FieldCheck(at, target_from(e.get("field")), str(e.get("typed", "")),
                                         str(e.get("shown", "")), target_from(cause) if cause else None))
    elif k == "said":
        pressed = b.action_at.get(str(e.get("id")))
        for text in e.get("texts") or []:
            s.messages.append(Message(at, str(text), "said", b.rel(pressed) if pressed is not None else None))
    else:
        s.messages.append(Message(at, str(e.get("message", "")), "native" if e.get("native") else "field",
                                  field=target_from(e.get("field")), filled=bool(e.get("filled"))))


def _dedupe_navs(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Python's framenavigated is a fallback: keep it only where the probe saw no page."""
    probe = [(float(e["t"]), urldefrag(str(e.get("url", "")))[0]) for e in events
             if e.get("k") in ("doc", "route")]
    kept: list[dict[str, Any]] = []
    last_url = ""
    for e in sorted(events, key=lambda e: float(e.get("t", 0))):
        if e.get("k") == "nav":
            url = urldefrag(str(e.get("url", "")))[0]
            seen = any(u == url and abs(t - float(e["t"])) < 5000 for t, u in probe)
            if seen or url == last_url:
                continue
            last_url = url
        elif e.get("k") in ("doc", "route"):
            last_url = urldefrag(str(e.get("url", "")))[0]
        kept.append(e)
    return kept


def _place_requests_and_actions(b: _Builder, steps: list[Step], capture: Capture
                                ) -> dict[int, list[float]]:
    """Put actions and requests in their steps; returns each step's action times (epoch ms)."""
    actions = collect_actions(capture.events)
    times: dict[int, list[float]] = {}
    navs = [(n.at_ms, n.at_ms + (n.fcp_ms or n.dom_ready_ms or n.ttfb_ms or 0))
            for s in steps for n in s.navigations]
    dialogs = [b.rel(float(e["t"])) for e in capture.events if e.get("k") == "dialog"]
    requests = [_shift_request(r, capture.start_ms) for r in capture.requests]
    for a in actions:
        times.setdefault(id(_step_at(steps, b.rel(a.at_ms))), []).append(a.at_ms)
        a.at_ms = b.rel(a.at_ms)
    settle_answers(actions, sorted(navs), sorted(dialogs), requests, b.rel(capture.end_ms))
    for a in actions:
        _step_at(steps, a.at_ms).actions.append(a)
    for r in requests:
        _step_at(steps, r.at_ms).requests.append(r)
    return times


def _typed_last(step: Step) -> bool:
    return bool(step.actions) and max(step.actions, key=lambda a: a.at_ms).kind == "fill"


def _place_signals(b: _Builder, steps: list[Step], windows: list[evidence.StepWindow]) -> None:
    """A page's signals go to the step that is about that page; time decides between them.

    A page loaded by a step's last click shows its alerts while the next step is already
    running or not, depending on timing; following the page keeps every run the same. So is
    the message a page shows when a write it sent was refused (sold out at payment): it
    belongs to the step that sent it, though on a busy machine it comes after that step ended.
    """
    docs = sorted(b.commits, key=lambda d: d.commit)
    pages = [w.page_doc(docs) for w in windows]
    for e in sorted(b.signals, key=lambda e: float(e["t"])):
        t = float(e["t"])
        doc = str(e.get("doc") or evidence.doc_at(docs, t))
        owners = [i for i, page in enumerate(pages) if page == doc]
        if owners:
            alert = e.get("k") == "alert"
            refused = evidence.refused_in([steps[i].requests for i in owners], b.rel(t)) if alert else None
            i = owners[refused] if refused is not None else min(owners, key=lambda i: windows[i].distance(t))
            step = steps[i]
        else:
            step = _step_at(steps, b.rel(t))
        _record_signal(b, _Open(step, True), e)


def _apply_evidence(b: _Builder, steps: list[Step], windows: list[evidence.StepWindow],
                    frames: list[float]) -> dict[str, int]:
    first_paint = {doc: b.start + nav.at_ms + nav.fcp_ms for doc, nav in b.docs.items()
                   if nav.fcp_ms is not None}
    evidence.place(windows, b.evidence, b.commits, frames, first_paint)
    pictures: dict[str, int] = {}
    for step, window in zip(steps, windows, strict=True):
        if window.frame is not None:
            step.screenshot = f"step-{step.index:02d}.jpg"
            pictures[step.screenshot] = window.frame
        state = window.state or {}
        step.url = str(state.get("url") or step.url)
        step.title = str(state.get("title") or step.title)
        step.text = str(state.get("text") or "")
        step.page_width = int(state.get("page_width") or 0)
        step.viewport_width = int(state.get("viewport_width") or 0)
        step.scroll_y = float(state.get("scroll_y") or 0)
        step.overflow = [str(x) for x in state.get("overflow") or []]
        _widest_view(step, window, b.evidence, last=step is steps[-1])
    return pictures


def _sideways(state: dict[str, Any]) -> int:
    return int(state.get("page_width") or 0) - int(state.get("viewport_width") or 0)


def _widest_view(step: Step, window: evidence.StepWindow, events: Sequence[dict[str, Any]],
                 last: bool = False) -> None:
    """A view that scrolled sideways at any moment of the step counts, not only the last one.

    In a single-page app the step's page may be replaced by the next route before its state
    was settled; the probe sends the outgoing view on each route change for this.
    """
    until = window.end if last else window.seen_until
    inside = [e for e in events if e.get("k") == "state" and window.start <= float(e["t"]) <= until]
    widest = max(inside, key=_sideways, default=None)
    if widest is None or _sideways(widest) <= step.page_width - step.viewport_width:
        return
    step.page_width = int(widest.get("page_width") or 0)
    step.viewport_width = int(widest.get("viewport_width") or 0)
    step.overflow = [str(x) for x in widest.get("overflow") or []]


def _shift_request(r: Request, start: float) -> Request:
    return Request(r.url, r.method, r.resource_type, r.status, r.failure, r.bytes,
                   round(r.at_ms - start, 1), r.duration_ms)


def _step_at(steps: list[Step], at_ms: float) -> Step:
    for step in reversed(steps):
        if step.start_ms <= at_ms:
            return step
    return steps[0]


_SEPARATORS = re.compile(r"\s+[-|—–·:]\s+")


def _name_auto_steps(steps: list[Step]) -> None:
    """Name unnamed steps after their page title, without the site name every title repeats."""
    suffix = _common_suffix([s.title for s in steps if s.title])
    for step in steps:
        if step.named and step.name:
            continue
        title = step.title.removesuffix(suffix).strip() if suffix else step.title.strip()
        step.name = title or (urlsplit(step.url).path or step.url or f"Step {step.index}")


def _common_suffix(titles: list[str]) -> str:
    """The trailing ' — Site name' shared by every title, if there is one."""
    if len(titles) < 2:
        return ""
    tails = []
    for title in titles:
        matches = list(_SEPARATORS.finditer(title))
        if not matches:
            return ""
        tails.append(title[matches[-1].start():])
    return tails[0] if all(t == tails[0] for t in tails) else ""
