"""The page's screencast: every frame the browser painted, kept in memory, written when chosen.

A screencast costs less than forced screenshots (each of those made the renderer draw while
the scenario acted; measured slower in docs/recording.md), though not nothing: Chromium draws
and reads back every frame painted while it is on (see ``typing_pause``). And it holds the
picture of any moment: the last frame before a page was replaced is exactly what the
customer saw at the end of that step.
"""

from __future__ import annotations

import base64
import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Viewport
from ..records.files import write_bytes
from .background import listen

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession

    from .background import Background

MAX_FRAMES = 600
QUALITY = 50
DESKTOP_MAX = (683, 683)


@dataclass
class Frame:
    at: float       # epoch ms the browser painted it
    data: str       # base64 JPEG, decoded only when written
    scroll_x: float = 0.0   # where the page was scrolled, to place document coordinates
    scroll_y: float = 0.0


@dataclass
class FrameLog:
    """Frames of one page, oldest first; thinned (every other old frame) past MAX_FRAMES."""

    frames: list[Frame] = field(default_factory=list)

    def add(self, at: float, data: str, scroll_x: float = 0.0, scroll_y: float = 0.0) -> None:
        """Keep frames in paint order: they may arrive a little out of it."""
        frame = Frame(at, data, scroll_x, scroll_y)
        if self.frames and self.frames[-1].at > at:
            bisect.insort(self.frames, frame, key=lambda f: f.at)
        else:
            self.frames.append(frame)
        if len(self.frames) > MAX_FRAMES:
            half = len(self.frames) // 2
            self.frames = self.frames[:half:2] + self.frames[half:]

    def times(self) -> list[float]:
        return [f.at for f in self.frames]

    def write(self, index: int, path: Path) -> None:
        write_bytes(path, base64.b64decode(self.frames[index].data))


def screencast_params(viewport: Viewport) -> dict[str, Any]:
    """Frames at CSS-pixel size on phones, at most 1024 px wide on desktops (cost grows with size)."""
    if viewport.mobile:
        width, height = viewport.width, viewport.height
    else:
        width, height = (min(viewport.width, DESKTOP_MAX[0]), min(viewport.height, DESKTOP_MAX[1]))
    return {"format": "jpeg", "quality": QUALITY, "maxWidth": width, "maxHeight": height,
            "everyNthFrame": 1}


def watch_screencast(cdp: CDPSession, log: FrameLog, background: Background,
                     seen: Callable[[float], None] | None = None) -> None:
    """Record frames into ``log`` once ``Page.startScreencast`` (``screencast_params``) is sent;
    each is acknowledged in the background so the cast flows; ``seen`` hears each frame's time."""

    def on_frame(event: dict[str, Any]) -> None:
        meta = event.get("metadata") or {}
        stamp = meta.get("timestamp")
        if stamp is not None:
            log.add(float(stamp) * 1000, event["data"], float(meta.get("scrollOffsetX") or 0),
                    float(meta.get("scrollOffsetY") or 0))
            if seen is not None:
                seen(float(stamp) * 1000)
        background.send(cdp, "send", ("Page.screencastFrameAck", {"sessionId": event["sessionId"]}),
                        lambda result, exc: None, impl_extra=(None,))

    listen(cdp, "Page.screencastFrame", on_frame)
