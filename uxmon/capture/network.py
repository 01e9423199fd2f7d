"""Network capture through the DevTools protocol: every request's status, bytes, timing and failure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..records import Request
from ..records.text import clean
from .background import listen

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession


ENABLE: tuple[str, dict[str, Any]] = ("Network.enable", {})


class NetworkLog:
    """Collects requests of one page; times are epoch milliseconds until the timeline shifts them.

    CDP's own events carry byte counts (encodedDataLength) without an extra round trip per
    request, which Playwright's ``request.sizes()`` would need.
    """

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._open: dict[str, Request] = {}
        self._offset_ms: float | None = None

    def attach(self, cdp: CDPSession) -> None:
        """Listen for the events; they flow once ``ENABLE`` is sent on the session."""
        listen(cdp, "Network.requestWillBeSent", self._sent)
        listen(cdp, "Network.responseReceived", self._response)
        listen(cdp, "Network.loadingFinished", self._finished)
        listen(cdp, "Network.loadingFailed", self._failed)

    def _epoch(self, monotonic_s: float) -> float:
        return monotonic_s * 1000 + (self._offset_ms or 0.0)

    def _sent(self, event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        if url.startswith(("data:", "blob:")):
            return
        if self._offset_ms is None and "wallTime" in event:
            self._offset_ms = event["wallTime"] * 1000 - event["timestamp"] * 1000
        rid = event["requestId"]
        redirect = event.get("redirectResponse")
        if redirect and rid in self._open:
            previous = self._open.pop(rid)
            previous.status = redirect.get("status")
            previous.duration_ms = self._epoch(event["timestamp"]) - previous.at_ms
        request = Request(
            url=clean(url),
            method=event["request"].get("method", "GET"),
            resource_type=str(event.get("type", "")).lower(),
            at_ms=self._epoch(event["timestamp"]),
        )
        self._open[rid] = request
        self.requests.append(request)

    def _response(self, event: dict[str, Any]) -> None:
        request = self._open.get(event["requestId"])
        if request is not None:
            request.status = event["response"].get("status")

    def _finished(self, event: dict[str, Any]) -> None:
        request = self._open.pop(event["requestId"], None)
        if request is not None:
            request.bytes = int(event.get("encodedDataLength") or 0)
            request.duration_ms = round(self._epoch(event["timestamp"]) - request.at_ms, 1)

    def _failed(self, event: dict[str, Any]) -> None:
        request = self._open.pop(event["requestId"], None)
        if request is None:
            return
        reason = event.get("blockedReason") or event.get("errorText") or "failed"
        request.failure = "canceled" if event.get("canceled") else clean(str(reason))
        request.duration_ms = round(self._epoch(event["timestamp"]) - request.at_ms, 1)
