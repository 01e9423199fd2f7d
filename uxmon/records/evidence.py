"""Pick each step's picture and page state: the page as the customer saw it during the step.

A step is what the customer saw during it: the page as it stood up to the step's last action
(what that action loads belongs to the next step), or, for a step without actions or one
that ends with typing (which loads nothing), as it stood when the step ended. The last step
also has the end of the run (there is no next step to give it to). Navigations race with
everything, so evidence is matched by document and by the moment the step's view stands
for, not by the step's end alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Request


@dataclass(frozen=True)
class Doc:
    id: str
    start: float   # epoch ms when the navigation to it started
    commit: float  # epoch ms when it replaced the previous page


@dataclass
class StepWindow:
    """What evidence placement needs of a step: its span and its customer's actions."""

    start: float
    end: float
    actions: Sequence[float] = ()
    typed_last: bool = False   # its last action was typing into a field
    frame: int | None = None
    state: dict[str, Any] | None = None

    @property
    def seen_until(self) -> float:
        """The moment the step's view stands for: its last action, else (or when that was
        typing) its end."""
        return max(self.actions) if self.actions and not self.typed_last else self.end

    def distance(self, t: float) -> float:
        """How far ``t`` is from the step's span (0 inside it)."""
        if self.start <= t < self.end:
            return 0.0
        return min(abs(t - self.start), abs(t - self.end))

    def page_doc(self, docs: Sequence[Doc]) -> str:
        """The document on screen at that moment."""
        return doc_at(docs, self.seen_until) or doc_at(docs, self.end)


# How long after a refused write its message may come and still be its answer.
REFUSAL_ANSWER_MS = 1000.0


def refused_in(requests_by_step: Sequence[Sequence[Request]], at_ms: float) -> int | None:
    """Which step's refused write (POST, PUT…) a message at ``at_ms`` answers: the one that ended
    last, shortly before it (run-relative ms). The page's reply to a sold-out order belongs to
    the step that sent the order, though on a busy machine it comes after that step ended."""
    ends = [(r.at_ms + (r.duration_ms or 0.0), i) for i, requests in enumerate(requests_by_step)
            for r in requests if r.is_write and r.failed]
    answered = [(end, i) for end, i in ends if end <= at_ms <= end + REFUSAL_ANSWER_MS]
    return max(answered)[1] if answered else None


def doc_at(docs: Sequence[Doc], moment: float) -> str:
    """The document on screen at ``moment`` (``docs`` sorted by commit)."""
    i = bisect_right([d.commit for d in docs], moment)
    return docs[i - 1].id if i else ""


def place(windows: Sequence[StepWindow], events: Sequence[dict[str, Any]], docs: Sequence[Doc],
          frames: Sequence[float], first_paint: Mapping[str, float]) -> None:
    """Fill each window's ``frame`` (an index into ``frames``) and ``state``.

    ``first_paint`` maps a document to the epoch ms of its first contentful paint: before
    it, frames still show the previous page.
    """
    docs = sorted(docs, key=lambda d: d.commit)
    states = sorted((e for e in events if e.get("k") == "state"), key=lambda e: float(e["t"]))
    for i, w in enumerate(windows):
        doc = w.page_doc(docs)
        limit = windows[i + 1].seen_until if i + 1 < len(windows) else float("inf")
        w.frame = _frame_for(w, doc, docs, frames, first_paint, limit)
        w.state = _state_for(w, [s for s in states if str(s.get("doc")) == doc], limit)
    final = next((e for e in reversed(events) if e.get("k") == "final"), None)
    if windows and frames:
        windows[-1].frame = len(frames) - 1
    if final is not None and windows and isinstance(final.get("state"), dict):
        windows[-1].state = final["state"]


# The state the probe sends at a press is stamped a moment after the press itself.
PRESS_STATE_MS = 200


def _state_for(w: StepWindow, states: Sequence[dict[str, Any]], limit: float) -> dict[str, Any] | None:
    """The page as it stood at the step's moment (``seen_until``).

    The probe sends the state at every press, on every route change (the outgoing view) and a
    moment after the page changes: the last one up to the moment is what the customer saw.
    A step whose page had sent nothing yet takes the first state after the moment, before the
    next step's moment (``limit``), or else the last one before the step.
    """
    moment = w.seen_until
    pressed = [s for s in states
               if s.get("why") == "press" and moment <= float(s["t"]) <= moment + PRESS_STATE_MS]
    if w.actions and pressed:
        return pressed[0]
    upto = [s for s in states if w.start <= float(s["t"]) <= moment]
    if upto:
        return upto[-1]
    after = [s for s in states if moment < float(s["t"]) <= limit]
    if after:
        return after[0]
    before = [s for s in states if float(s["t"]) < w.start]
    return before[-1] if before else None


# Screencast timestamps and the page's own paint timings come from different clocks inside
# the browser; a frame may be stamped a little before the paint it shows.
PAINT_SKEW_MS = 50


def _frame_for(w: StepWindow, doc: str, docs: Sequence[Doc], frames: Sequence[float],
               first_paint: Mapping[str, float], limit: float = float("inf")) -> int | None:
    """The last frame of the step's page up to the step's moment (or its first one after);
    for a step that ends typing, its page's first frame from the step's end on (before the
    next step's moment, ``limit``): the screencast rests while the scenario types and paints
    its first frame again once the step is over."""
    if not frames or not doc:
        return None
    mine = next(d for d in docs if d.id == doc)
    later = [d.commit for d in docs if d.commit > mine.commit]
    shown_until = min(later) if later else float("inf")
    on_screen = [i for i, t in enumerate(frames) if mine.commit <= t < shown_until]
    painted = first_paint.get(doc, mine.commit) - PAINT_SKEW_MS
    candidates = [i for i in on_screen if frames[i] >= painted] or on_screen
    woke = [i for i in candidates if w.end - PAINT_SKEW_MS <= frames[i] <= limit] if w.typed_last else []
    if woke:
        return woke[0]
    if not candidates:
        before = bisect_right(list(frames), w.seen_until)
        return before - 1 if before else None
    settled = [i for i in candidates if frames[i] <= w.seen_until + PAINT_SKEW_MS]
    return settled[-1] if settled else candidates[0]
