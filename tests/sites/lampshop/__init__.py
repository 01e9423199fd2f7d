"""A second test site, built unlike the demo shop, to prove the rules do not depend on it.

"Lichthaus" is a single-page app: one HTML shell, client-side routing with the History API,
JSON endpoints, its own words and markup, in English or German. Friction variants:
``late-blocker`` (the order request is refused as sold out), ``late-cost`` (a payment charge
added on the review page), ``dead-click`` (the voucher button has no handler) and
``overflow`` (a spec table wider than a phone).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
VARIANTS = ("late-blocker", "late-cost", "dead-click", "overflow")
FILES = {"/app.js": ("app.js", "text/javascript"), "/app.css": ("app.css", "text/css")}


class LampShop:
    """Serve the app on 127.0.0.1 on a free port, in a daemon thread, until the ``with`` ends."""

    def __init__(self, lang: str = "en", variants: Iterable[str] = ()) -> None:
        unknown = set(variants) - set(VARIANTS)
        if unknown or lang not in ("en", "de"):
            raise ValueError(f"unknown variant or language: {sorted(unknown) or lang}")
        self.settings = {"lang": lang, "variants": sorted(variants)}
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the shop first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> LampShop:
        settings = self.settings

        class Handler(_Handler):
            config = settings

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    config: dict[str, Any] = {}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        if path == "/api/settings":
            return self._send(200, json.dumps(self.config).encode(), "application/json")
        if path in FILES:
            name, kind = FILES[path]
            return self._send(200, (HERE / name).read_bytes(), kind)
        if path.startswith("/api/") or "." in path.rsplit("/", 1)[-1]:
            return self._send(404, b"not here", "text/plain")
        # Every other path is a route of the app: the same shell, the script draws the page.
        self._send(200, (HERE / "index.html").read_bytes(), "text/html; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path == "/api/orders":
            if "late-blocker" in self.config["variants"]:
                return self._send(409, b'{"code": "SOLD_OUT"}', "application/json")
            return self._send(201, b'{"order": "LH-20418"}', "application/json")
        self._send(404, b"{}", "application/json")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
