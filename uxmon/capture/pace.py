"""Customer pace: a person looks at a page before acting on it, and waits for an answer.

Scenarios run at machine speed: the first click comes milliseconds after a page appears, and
the next action right after a press. What a customer meets only after a moment (a popup, a
banner that pushes the button down, a button that does nothing) then goes unseen, or its
answer is pinned on the wrong action. The ``human`` pace puts two pauses back:

- **a look**: before the first action on a page (or client-side view) that was just shown,
  uxmon waits until it has been on screen for ``look_ms``;
- **an answer**: before the next action, a press (click, tap, key) gets up to ``answer_ms`` to
  be answered; an answered press lets the next action go at once.

The pauses are made where Playwright sends an input command to the browser (one place for
every click, fill and key press, however the scenario calls it), never inside the action's
own timeout. ``robot`` makes no pause. The cost is measured in bench/overhead.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .clock import now_ms

INPUT_METHODS = frozenset({
    "click", "dblclick", "tap", "fill", "press", "type", "check", "uncheck", "setChecked", "selectOption",
    "setInputFiles", "dragAndDrop", "pressSequentially", "keyboardPress", "keyboardType",
    "keyboardInsertText", "mouseClick", "mouseDown", "touchscreenTap",
})
PRESSES = ("click", "tap", "key")


@dataclass(frozen=True)
class Pace:
    name: str
    look_ms: float
    answer_ms: float


PACES = {"human": Pace("human", 1000.0, 1000.0), "robot": Pace("robot", 0.0, 0.0)}


class Pacer:
    """Reads the run's event log as it grows and says how long the next action must wait."""

    def __init__(self, pace: Pace, events: Sequence[dict[str, Any]],
                 clock: Callable[[], float] = now_ms) -> None:
        self.pace = pace
        self.events = events
        self.clock = clock
        self.paused_ms = 0.0
        self._seen = 0
        self._view: float | None = None      # when the current page or view was shown
        self._acted = True                   # whether an action came since
        self._press: tuple[float, str] | None = None
        self._answered = True
        self._origins: dict[str, float] = {}

    def wait_ms(self) -> float:
        """How much longer the next action has to wait, now."""
        self._catch_up()
        now = self.clock()
        look = self._view + self.pace.look_ms - now if self._view is not None and not self._acted else 0.0
        answer = self._press[0] + self.pace.answer_ms - now if self._press and not self._answered else 0.0
        return max(0.0, look, answer)

    async def before_action(self) -> None:
        start = self.clock()
        while (left := self.wait_ms()) > 0:
            await asyncio.sleep(min(left, 50.0) / 1000)
        self.paused_ms += self.clock() - start
        self._acted = True

    def _catch_up(self) -> None:
        for event in self.events[self._seen:]:
            self._read(event)
        self._seen = len(self.events)

    def _read(self, e: dict[str, Any]) -> None:
        kind, t = e.get("k"), float(e.get("t") or 0)
        if kind in ("doc", "route") and e.get("top", True):
            self._view, self._acted = float(e.get("commit") or t), False
            self._origins[str(e.get("doc"))] = t
            self._answer_by(t)
        elif kind == "paint" and str(e.get("doc")) in self._origins:
            self._view = max(self._view or 0.0, self._origins[str(e.get("doc"))] + float(e.get("fcp") or 0))
        elif kind == "drawn" and not self._acted:  # the view has finished drawing: look from here
            self._view = max(self._view or 0.0, t)
        elif kind == "action":
            self._acted = True
            if e.get("kind") in PRESSES:
                self._press, self._answered = (float(e.get("t") or t), str(e.get("id"))), False
        elif kind == "answer" and self._press and str(e.get("id")) == self._press[1]:
            self._answered = True
        elif kind in ("dialog", "nav"):
            self._answer_by(t)

    def _answer_by(self, t: float) -> None:
        if self._press and t >= self._press[0]:
            self._answered = True


_active: Pacer | None = None
_installed = False


def pace_runs(pacer: Pacer | None) -> None:
    """Make ``pacer`` pace the actions of this process's run (None: no pauses)."""
    global _active
    _active = pacer
    if pacer is not None and pacer.pace.look_ms + pacer.pace.answer_ms > 0:
        install()


def install() -> bool:
    """Wrap Playwright's one place that sends commands; False when this Playwright has none."""
    global _installed
    if _installed:
        return True
    channel = _channel_class()
    if channel is None:
        return False
    name = "_call" if hasattr(channel, "_call") else "send"
    original = getattr(channel, name)

    def paced(self: Any, method: str, *args: Any, **kwargs: Any) -> Awaitable[Any]:
        pacer = _active
        if pacer is None or method not in INPUT_METHODS:
            return original(self, method, *args, **kwargs)

        async def after_pause() -> Any:
            await pacer.before_action()
            return await original(self, method, *args, **kwargs)

        return after_pause()

    setattr(channel, name, paced)
    _installed = True
    return True


def _channel_class() -> Any:
    for module, attribute in (("playwright._impl.channel_owner", "_call"),
                              ("playwright._impl._connection", "send")):
        try:
            channel = __import__(module, fromlist=["Channel"]).Channel
        except (ImportError, AttributeError):
            continue
        if hasattr(channel, attribute):
            return channel
    return None
