"""Does a capture sent as a click begins ever show that click's effect?

The check behind bench/floor.py's "one capture a press": a ``Page.captureScreenshot`` sent
from a listener of the click call (Playwright's client instrumentation; the command leaves
before the click's own message) must picture the screen before the press. A button turns the
page red on pointerdown and on click; the capture's pixel says which screen it holds.
A capture answered before the page's press time surely shows the screen before it (a test
a shipping design could make); how many pass that test is printed too.
Desktop and a phone-sized touch context, ``--clicks`` each. Run it beside a load (a
``uxmon demo`` loop) too: the order must not depend on a quiet machine.

    python bench/capture_order.py [--clicks 40]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.server
import io
import threading
import time
from typing import Any

from PIL import Image
from playwright.sync_api import sync_playwright

from uxmon.capture.browser import find_browser, launch

PAGE = b"""<!doctype html><body style="margin:0;background:#fff">
<button id=b style="position:fixed;left:10px;top:10px;width:200px;height:60px">Go</button>
<script>
for (const kind of ["pointerdown", "click"])
  document.getElementById("b").addEventListener(kind, (ev) => {
    document.body.style.background = "#f00";
    window.pressed = window.pressed || performance.timeOrigin + ev.timeStamp;
  });
</script></body>"""
CONTEXTS = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 412, "height": 839}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2.625},
}


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: Any) -> None:
        pass


class CaptureAtClick:
    """Sends the capture as a click call begins; keeps the pending answer."""

    def __init__(self, cdp: Any) -> None:
        self.channel = cdp._impl_obj._channel
        self.pending: Any = None
        self.answered_ms = 0.0

    def on_api_call_begin(self, api_zone: Any, channel: dict[str, Any]) -> None:
        if channel.get("method") == "click":
            self.answered_ms = 0.0
            self.pending = asyncio.ensure_future(self.channel.send(
                method="Page.captureScreenshot", params={"format": "png"}, timeout=0))
            self.pending.add_done_callback(self._answered)

    def _answered(self, _: Any) -> None:
        self.answered_ms = time.time() * 1000

    def on_api_call_end(self, api_zone: Any) -> None:
        pass


def red(data: str) -> bool:
    pixel = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB").getpixel((300, 300))
    return pixel[0] > 200 and pixel[1] < 80


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=40)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as pw:
        browser = launch(pw, find_browser(pw))
        for name, options in CONTEXTS.items():
            context = browser.new_context(**options)
            page = context.new_page()
            listener = CaptureAtClick(context.new_cdp_session(page))
            instrumentation = context._impl_obj._connection._instrumentation
            after = early = 0
            for _ in range(args.clicks):
                page.goto(url)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                instrumentation.add_listener(listener)
                page.click("#b")
                instrumentation.remove_listener(listener)
                answer = page._sync(listener.pending)
                answer = answer.get("result", answer) if isinstance(answer, dict) else answer
                after += red(answer["data"])
                early += listener.answered_ms < page.evaluate("window.pressed")
            print(f"{name}: {args.clicks} captures sent as the click began, {after} show its effect, "
                  f"{early} answered before the press")
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
