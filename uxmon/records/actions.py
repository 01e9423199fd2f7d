"""Build Actions from the probe's raw events and settle how and when the page answered each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .model import Action, Rect, Request, Target

ANSWER_WINDOW_MS = 10_000


def rect_from(raw: Any) -> Rect | None:
    if not isinstance(raw, dict):
        return None
    return Rect(**{k: float(raw.get(k) or 0) for k in ("x", "y", "width", "height")})


def target_from(raw: Any) -> Target:
    if not isinstance(raw, dict):
        return Target()
    return Target(
        selector=str(raw.get("selector") or ""),
        text=str(raw.get("text") or ""),
        tag=str(raw.get("tag") or ""),
        role=str(raw.get("role") or ""),
        rect=rect_from(raw.get("rect")),
        font_px=float(raw["font_px"]) if raw.get("font_px") else None,
        hit_rect=rect_from(raw.get("hit_rect")),
        input_type=str(raw.get("input_type") or ""),
        autocomplete=str(raw.get("autocomplete") or ""),
        spaced=bool(raw["spaced"]) if raw.get("spaced") is not None else None,
        inline=bool(raw.get("inline")),
    )


def collect_actions(events: Sequence[dict[str, Any]]) -> list[Action]:
    """One Action per probe ``action`` event, with its later ``update`` and ``answer`` merged in.

    Times stay epoch milliseconds here; the timeline makes them relative.
    """
    by_id: dict[str, dict[str, Any]] = {}
    for event in events:
        kind = event.get("k")
        if kind == "action":
            by_id[str(event.get("id"))] = dict(event)
        elif kind == "cancel":
            by_id.pop(str(event.get("id")), None)
        elif kind in ("update", "answer"):
            raw = by_id.get(str(event.get("id")))
            if raw is None:
                continue
            if kind == "answer" and raw.get("answer") is None:
                raw["answer"], raw["answer_ms"] = event.get("how"), event.get("ms")
            elif kind == "update":
                raw.update({k: v for k, v in event.items() if k in ("chars", "keystrokes")})
    return sorted((_action(raw) for raw in by_id.values()), key=lambda a: a.at_ms)


def _action(raw: dict[str, Any]) -> Action:
    covered = raw.get("covered_by")
    return Action(
        kind=str(raw.get("kind", "click")),
        at_ms=float(raw.get("t", 0)),
        target=target_from(raw.get("target")),
        key=str(raw.get("key") or ""),
        chars=int(raw.get("chars") or 0),
        keystrokes=int(raw.get("keystrokes") or 0),
        answer_ms=_float(raw.get("answer_ms")) if raw.get("answer") else None,
        answer=str(raw.get("answer") or ""),
        retries=int(raw.get("retries") or 0),
        covered_by=target_from(covered) if covered else None,
        moved_ms_before=_float(raw.get("moved_ms_before")),
        moved_px=float(raw.get("moved_px") or 0),
    )


def _float(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def settle_answers(
    actions: list[Action],
    navigations: Sequence[tuple[float, float]],
    dialogs: Sequence[float],
    requests: Sequence[Request],
    end_ms: float,
) -> None:
    """Fill in answers the page could not report itself, and how long each action was watched.

    A navigation or a dialog that starts before the next action answers it; the page that
    would have reported it is gone or blocked by then. ``navigations`` holds (start, visible)
    pairs: the customer sees the answer when the new page first paints, not when it is asked for.
    """
    starts = sorted(r.at_ms for r in requests)
    for i, action in enumerate(actions):
        limit = min(
            actions[i + 1].at_ms if i + 1 < len(actions) else end_ms,
            action.at_ms + ANSWER_WINDOW_MS,
        )
        pairs = [(n, v, "navigation") for n, v in navigations] + [(d, d, "dialog") for d in dialogs]
        first = min((p for p in pairs if action.at_ms <= p[0] < limit), default=None)
        if first is not None:
            seen = max(first[1], action.at_ms) - action.at_ms
            if action.answer_ms is None or seen < action.answer_ms:
                action.answer, action.answer_ms = first[2], round(seen, 1)
        request = next((t for t in starts if action.at_ms <= t < limit), None)
        action.request_ms = None if request is None else round(request - action.at_ms, 1)
        watched = action.answer_ms if action.answer_ms is not None else limit - action.at_ms
        action.watched_ms = round(max(0.0, watched), 1)
