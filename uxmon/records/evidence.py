"""Pick each step's picture and page state: the ones that show the page the step was about.

Navigations race with everything, so evidence is matched by document, not by clock alone:
a step's page is decided from where its customer acted, and its picture is the last
screencast frame painted while that page was on screen, before the step ended.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


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
    frame: int | None = None
    state: dict[str, Any] | None = None

    def page_doc(self, docs: Sequence[Doc]) -> str:
        """The page this step was about.

        A step that acts on a page and leaves it with its last action is about that page
        ("Address": fill the form, click Continue). A step whose only action on its page is
        the click that brings the next one is about the page it arrives at ("Help centre":
        click Help, look at the help centre). A step that reached a page itself and left it
        again is about that page ("Product": open it, click Add to cart). A step without
        actions is about the page it ends on.
        """
        if not self.actions:
            return doc_at(docs, self.end)
        last = max(self.actions)
        here = doc_at(docs, last)
        arrived = [d for d in docs if last < d.start <= self.end]
        if not arrived:
            return doc_at(docs, self.end) or here
        acted = [doc_at(docs, a) for a in self.actions]
        return here if owns(here, acted, docs, self.start) else arrived[-1].id


def owns(doc: str, acted_on: Sequence[str], docs: Sequence[Doc], step_start: float) -> bool:
    """Whether a step that leaves ``doc`` is about it: it reached it, or worked on it."""
    reached = any(d.id == doc and d.start >= step_start for d in docs)
    return reached or sum(1 for a in acted_on if a == doc) >= 2


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
        w.frame = _frame_for(w, doc, docs, frames, first_paint)
        limit = windows[i + 1].end if i + 1 < len(windows) else float("inf")
        w.state = _state_for(w, [s for s in states if str(s.get("doc")) == doc], limit)
    final = next((e for e in reversed(events) if e.get("k") == "final"), None)
    if windows and frames:
        windows[-1].frame = len(frames) - 1
    if final is not None and windows and isinstance(final.get("state"), dict):
        windows[-1].state = final["state"]


def _state_for(w: StepWindow, states: Sequence[dict[str, Any]], limit: float) -> dict[str, Any] | None:
    """The page as it was when the step ended, or else as it settled just after.

    The page sends its state a moment after it changes, so a short step may end before its
    page's state arrives; then the first one after the step (not the last before ``limit``:
    in a single-page app that would already be the next step's view) is the closest.
    """
    inside = [s for s in states if w.start <= float(s["t"]) <= w.end]
    if inside:
        return inside[-1]
    after = [s for s in states if w.end < float(s["t"]) <= limit]
    if after:
        return after[0]
    before = [s for s in states if float(s["t"]) < w.start]
    return before[-1] if before else None


# Screencast timestamps and the page's own paint timings come from different clocks inside
# the browser; a frame may be stamped a little before the paint it shows.
PAINT_SKEW_MS = 50


def _frame_for(w: StepWindow, doc: str, docs: Sequence[Doc], frames: Sequence[float],
               first_paint: Mapping[str, float]) -> int | None:
    """The last frame of the step's page before the step ended (or its first one after)."""
    if not frames or not doc:
        return None
    mine = next(d for d in docs if d.id == doc)
    later = [d.commit for d in docs if d.commit > mine.commit]
    shown_until = min(later) if later else float("inf")
    on_screen = [i for i, t in enumerate(frames) if mine.commit <= t < shown_until]
    painted = first_paint.get(doc, mine.commit) - PAINT_SKEW_MS
    candidates = [i for i in on_screen if frames[i] >= painted] or on_screen
    if not candidates:
        before = bisect_right(list(frames), w.end)
        return before - 1 if before else None
    settled = [i for i in candidates if frames[i] <= w.end + PAINT_SKEW_MS]
    return settled[-1] if settled else candidates[0]
