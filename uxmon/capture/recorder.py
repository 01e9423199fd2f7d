"""The browser edge of recording: wire the probe, the DevTools protocol and Playwright into one log.

One CDP session per page carries almost everything: the probe's events (through a CDP
binding, which needs no reply, unlike Playwright's), console errors, uncaught exceptions,
network requests and the screencast. Playwright's own binding stays as the fallback for
frames the session cannot see (out-of-process iframes such as payment fields).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Viewport
from ..records.text import clean_tree
from ..records.timeline import Capture
from .background import Background, listen
from .clock import anchor, now_ms
from .frames import QUALITY, FrameLog, screencast_params, watch_screencast
from .host import HostSampler
from .network import ENABLE, NetworkLog
from .pace import PACES, Pace, Pacer, pace_runs
from .typing_pause import TypingPause
from .viewports import throttles, throttling_commands

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, CDPSession, Frame, Page

FALLBACK_BINDING = "__uxmon_emit"
CDP_BINDING = "__uxmon_cdp"
STATE_JS = "() => window.__uxmon ? (window.__uxmon.flush(), window.__uxmon.state()) : null"
FINISH_WAIT_S = 2.0
SETUP_WAIT_S = 10.0
CAPTURE_TIMEOUT_MS = 2000
_DIALOG_HOOK = """(() => {
  for (const name of ["alert", "confirm", "prompt"]) {
    const original = window[name];
    window[name] = function (message) {
      const event = { k: "dialog", t: Date.now(), top: window === window.top, role: name,
                      message: String(message) };
      try { window.__uxmon_cdp ? window.__uxmon_cdp(JSON.stringify(event)) : window.__uxmon_emit(event); }
      catch (e) {}
      return original.apply(this, arguments);
    };
  }
})();"""


def probe_source() -> str:
    return resources.files("uxmon.capture").joinpath("probe.js").read_text(encoding="utf-8")


class Recorder:
    """Collects one run's events; ``capture()`` hands them to the pure timeline code.

    Events are dicts with a kind ``k`` and an epoch time ``t`` in ms. Nothing here judges
    them: that is the timeline's and the rules' job.
    """

    def __init__(self, context: BrowserContext, viewport: Viewport, run_dir: Path,
                 *, screenshots: bool = True, pace: Pace = PACES["robot"]) -> None:
        self.context = context
        self.viewport = viewport
        self.run_dir = run_dir
        self.screenshots = screenshots
        self.events: list[dict[str, Any]] = []
        self.networks: list[NetworkLog] = []
        self.frames = FrameLog()
        anchor()  # a wall clock that stepped since the last run does not shift this one
        self.start_ms = now_ms()
        self.crashed = False
        self.background = Background()
        self._watched: set[int] = set()
        self.pacer = Pacer(pace, self.events)
        self._main_cdp: CDPSession | None = None
        self.typing_pause: TypingPause | None = None
        self.host = HostSampler()
        self.host.start()

    def attach(self) -> Page:
        """Prepare the context and open the journey's page, fully wired before it is used."""
        self.context.expose_binding(FALLBACK_BINDING, lambda source, event: self._probe(event))
        self.context.add_init_script(script=probe_source())
        self.context.add_init_script(script=_DIALOG_HOOK)
        page = self.context.new_page()
        self.watch_page(page)
        pace_runs(self.pacer)
        # Only now: Playwright's page event may run in another greenlet, and a handler that
        # is still wiring the main page must not let the scenario start first.
        self.context.on("page", self.watch_page)
        return page

    def watch_page(self, page: Page) -> None:
        if id(page) in self._watched:
            return
        first = not self._watched
        self._watched.add(id(page))
        page.on("crash", lambda _: self._crash())
        page.on("framenavigated", lambda frame: self._navigated(page, frame))
        try:
            cdp = self.context.new_cdp_session(page)
            if first:
                self._main_cdp = cdp
            self._wire(cdp, screencast=first and self.screenshots)
        except Exception as exc:  # noqa: BLE001 - a page closing at once is not a run error
            self.mark("note", text=f"recording unavailable for a page: {exc}")

    def _wire(self, cdp: CDPSession, *, screencast: bool) -> None:
        listen(cdp, "Runtime.bindingCalled", self._binding_called)
        listen(cdp, "Runtime.consoleAPICalled", self._console)
        listen(cdp, "Runtime.exceptionThrown", self._exception)
        listen(cdp, "Log.entryAdded", self._log_entry)
        log = NetworkLog()
        log.attach(cdp)
        self.networks.append(log)
        commands: list[tuple[str, dict[str, Any]]] = [
            ("Runtime.enable", {}), ("Runtime.addBinding", {"name": CDP_BINDING}), ("Log.enable", {}),
            ENABLE, *(throttling_commands(self.viewport) if throttles(self.viewport) else [])]
        if screencast:
            pause = TypingPause(cdp, screencast_params(self.viewport), self.background)
            self.typing_pause = pause if pause.attach(self.context) else None
            watch_screencast(cdp, self.frames, self.background, pause.frame if self.typing_pause else None)
            commands.append(("Page.startScreencast", screencast_params(self.viewport)))
        self._send_all(cdp, commands)

    def _send_all(self, cdp: CDPSession, commands: list[tuple[str, dict[str, Any]]]) -> None:
        """Send the set-up commands at once (one session keeps their order) and wait for all:
        one wait instead of one per command. The first that failed is raised."""
        failed: list[BaseException] = []

        def keep(result: Any, exc: BaseException | None) -> None:
            if exc is not None:
                failed.append(exc)

        tasks = [self.background.send(cdp, "send", command, keep, impl_extra=(None,)) for command in commands]
        for task in tasks:
            self.background.wait_for(cdp, task, timeout=SETUP_WAIT_S)
        if failed:
            raise failed[0]

    def mark(self, kind: str, /, **data: Any) -> None:
        self.events.append({"k": kind, "t": data.pop("t", None) or now_ms(), **clean_tree(data)})

    # ---- what the page tells -------------------------------------------------------------
    def _binding_called(self, event: dict[str, Any]) -> None:
        if event.get("name") == CDP_BINDING:
            try:
                self._probe(json.loads(event.get("payload") or "null"))
            except ValueError:
                pass

    def _probe(self, event: Any) -> None:
        """Site text is hostile: every string the page sends is cleaned here, at the edge."""
        if isinstance(event, dict) and "k" in event and "t" in event:
            self.events.append(clean_tree(event))

    def _console(self, event: dict[str, Any]) -> None:
        if event.get("type") not in ("error", "assert"):
            return
        text = " ".join(_describe(arg) for arg in event.get("args") or [])
        frames = (event.get("stackTrace") or {}).get("callFrames") or []
        where = f"{frames[0].get('url', '')}:{frames[0].get('lineNumber', 0) + 1}" if frames else ""
        self.mark("console", level="error", text=text[:2000], location=where,
                  t=event.get("timestamp"))

    def _log_entry(self, event: dict[str, Any]) -> None:
        entry = event.get("entry") or {}
        if entry.get("level") == "error":
            self.mark("console", level="error", text=str(entry.get("text", ""))[:2000],
                      location=str(entry.get("url", "")), t=entry.get("timestamp"))

    def _exception(self, event: dict[str, Any]) -> None:
        details = event.get("exceptionDetails") or {}
        exc = details.get("exception") or {}
        description = str(exc.get("description") or details.get("text") or "error")
        message, _, stack = description.partition("\n")
        self.mark("pageerror", message=message[:2000], stack=stack[:4000],
                  t=event.get("timestamp"))

    def _crash(self) -> None:
        self.crashed = True
        self.mark("crash")

    def _navigated(self, page: Page, frame: Frame) -> None:
        if frame == page.main_frame:
            self.mark("nav", url=frame.url)

    # ---- what the scenario tells ---------------------------------------------------------
    def step_begin(self, name: str, line: int | None = None) -> None:
        self.mark("step-begin", name=name, line=line)

    def step_end(self, page: Page, name: str, ok: bool) -> None:
        self.mark("step-end", name=name, ok=ok)
        if self.typing_pause is not None:  # a step that ends typing is pictured as it ends
            self.typing_pause.wake(in_call=False)

    def finish(self, page: Page | None) -> None:
        """The run is over: read the final state and screen, both asked at once, each with a
        bounded wait (a page stuck mid-navigation answers neither; the run must still end).
        """
        pace_runs(None)
        self._stop_listening()
        if page is None or page.is_closed():
            return
        t = now_ms()
        got: dict[str, Any] = {}
        state_task = self.background.send(page, "evaluate", (STATE_JS,),
                                          lambda result, exc: got.update(state=result),
                                          impl_extra=(None,))
        shot_task = self._final_frame(got)
        self.background.wait_for(page, state_task, timeout=FINISH_WAIT_S)
        self.background.wait_for(page, shot_task, timeout=FINISH_WAIT_S)
        state = got.get("state")
        shot = got.get("shot")
        if shot is not None:
            scroll_y = float(state.get("scroll_y") or 0) if isinstance(state, dict) else 0.0
            self.frames.add(shot[0], shot[1], 0.0, scroll_y)
        self.background.settle(page, timeout=0.05)
        self.events.append({"k": "final", "t": t, "state": state if isinstance(state, dict) else None})

    def _final_frame(self, got: dict[str, Any]) -> Any:
        """One direct capture of the final screen (the screencast's own frame lags ~100 ms),
        kept in ``got['shot']`` as (epoch ms, base64 JPEG)."""
        cdp = self._main_cdp
        if not self.screenshots or cdp is None:
            return None
        params = {"format": "jpeg", "quality": QUALITY, "optimizeForSpeed": True}

        def keep(shot: Any, exc: BaseException | None) -> None:
            if exc is None and isinstance(shot, dict) and shot.get("data"):
                got["shot"] = (now_ms(), shot["data"])

        return self.background.send(cdp, "send", ("Page.captureScreenshot", params), keep,
                                    impl_extra=(CAPTURE_TIMEOUT_MS,))

    def _stop_listening(self) -> None:
        if self.typing_pause is not None:
            self.typing_pause.detach()

    def capture(self) -> Capture:
        self._stop_listening()  # also for a run that never finished (an interrupted one)
        requests = [r for log in self.networks for r in log.requests]
        return Capture(self.start_ms, now_ms(), list(self.events), requests, self.frames.times(),
                       self.host.stop())


def _describe(arg: dict[str, Any]) -> str:
    """A console argument as DevTools would print it."""
    if "value" in arg:
        return str(arg["value"])
    return str(arg.get("description") or arg.get("unserializableValue") or arg.get("type", ""))
