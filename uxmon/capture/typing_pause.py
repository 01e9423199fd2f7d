"""The screencast rests while the scenario types.

While the screencast is on, Chromium's capturer draws and reads back every frame the page
paints (10–15 ms of its GPU process each on a 2-core machine), whether or not the frame is
delivered: thinning the delivery saves nothing. Typing paints a frame for every field filled
and every key, and no picture uxmon shows is of a moment inside typing: a step shows the
screen before its last press or at its end, a finding the screen just before a press or a
moment after something appeared (which the typing's end still shows). So when a typing call
begins, the cast stops after its next frame painted from then on (a page that had not painted
yet when the typing began is still pictured, and so is the screen as the typing starts), and
starts again when any other call begins, or the step ends; Chromium opens a started cast with
a frame of the screen as it is (the typed text in it). From a call's listener the command goes
out before the call's own message, so that frame is of the page before the call acts.

A fill is one quick command once its field is there: one still going after ``WAITING_S`` is
waiting for the page (a field that shows late), and the cast starts again, so what the
customer saw meanwhile is pictured. Typing key by key takes its time by design and rests to
its end.

The calls are seen through Playwright's client instrumentation, the hook its own test runner
uses; without it (another Playwright) the cast simply never rests.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .clock import now_ms

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, CDPSession

    from .background import Background

# Playwright's protocol methods that type: Locator.fill/clear, press_sequentially (``type``),
# Keyboard.type and insert_text. A single key (``press``) is a press, not typing.
TYPING = frozenset({"fill", "type", "pressSequentially", "keyboardType", "keyboardInsertText"})
QUICK = frozenset({"fill", "keyboardInsertText"})
WAITING_S = 0.3


class TypingPause:
    """Stops and restarts one page's screencast around the scenario's typing.

    ``state`` is ``on``, ``stopping`` (typing began: stop at the next frame painted since) or
    ``resting``.
    """

    def __init__(self, cdp: CDPSession, params: dict[str, Any], background: Background) -> None:
        self.cdp = cdp
        self.params = params
        self.background = background
        self.state = "on"
        self.rests = 0
        self._since = 0.0
        self._instrumentation: Any = None
        self._quick: tuple[Any, asyncio.TimerHandle] | None = None  # a fill's zone, its timer

    def attach(self, context: BrowserContext) -> bool:
        """Listen to the scenario's calls; False when this Playwright has no instrumentation."""
        impl = getattr(context, "_impl_obj", None)
        instrumentation = getattr(getattr(impl, "_connection", None), "_instrumentation", None)
        if instrumentation is None or not hasattr(instrumentation, "add_listener"):
            return False
        instrumentation.add_listener(self)
        self._instrumentation = instrumentation
        return True

    def detach(self) -> None:
        """Stop listening (the connection outlives the run); the cast is left as it is."""
        self._forget_quick()
        if self._instrumentation is not None:
            self._instrumentation.remove_listener(self)
            self._instrumentation = None

    # Playwright calls these two by name for every call the scenario makes.
    # Neither may raise: an exception here would fail the scenario's own call.
    def on_api_call_begin(self, api_zone: Any, channel: dict[str, Any]) -> None:
        try:
            method = channel.get("method")
            if method not in TYPING:
                self.wake()
                return
            if self.state == "on":
                self.state, self._since = "stopping", now_ms()
            if method in QUICK:
                self._forget_quick()
                timer = asyncio.get_running_loop().call_later(WAITING_S, self._still_waiting, api_zone)
                self._quick = (api_zone, timer)
        except Exception:  # noqa: BLE001 - a closed page: nothing to rest or wake
            pass

    def on_api_call_end(self, api_zone: Any) -> None:
        if self._quick is not None and self._quick[0] is api_zone:
            self._forget_quick()

    def frame(self, at: float) -> None:
        """A frame painted at epoch ms ``at`` arrived: the one to stop after, if typing began."""
        if self.state == "stopping" and at >= self._since:
            self.state = "resting"
            self.rests += 1
            try:
                self.background.send_cdp_first(self.cdp, "Page.stopScreencast", {})
            except Exception:  # noqa: BLE001 - a closed page: nothing to rest
                pass

    def wake(self, *, in_call: bool = True) -> None:
        """Start the cast again if it rests (a new frame of the screen as it is now).

        From a call's listener the command goes out before the call's own; from the scenario's
        thread (a step ending) it goes with Playwright's next turn, as uxmon's other
        background calls do.
        """
        resting, self.state = self.state == "resting", "on"
        if not resting:
            return
        start = ("Page.startScreencast", self.params)
        try:
            if in_call:
                self.background.send_cdp_first(self.cdp, *start)
            else:
                self.background.send(self.cdp, "send", start, lambda result, exc: None, impl_extra=(None,))
        except Exception:  # noqa: BLE001 - a closed page: nothing to wake
            pass

    def _still_waiting(self, api_zone: Any) -> None:
        if self._quick is not None and self._quick[0] is api_zone:
            self._quick = None
            self.wake()

    def _forget_quick(self) -> None:
        if self._quick is not None:
            self._quick[1].cancel()
            self._quick = None
