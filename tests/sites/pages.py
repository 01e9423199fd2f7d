"""A tiny site of fixed pages for fault tests: hostile text, redirect loops, silence, HTTP auth.

``Pages({"/": "<html>…"})`` serves each path's HTML on 127.0.0.1 in a daemon thread until the
``with`` block ends. ``/loop`` redirects to itself; ``/silent`` accepts the request and never
answers; with ``auth=("user", "pass")`` every page needs HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Pages:
    def __init__(self, pages: Mapping[str, str], auth: tuple[str, str] | None = None) -> None:
        self.pages = dict(pages)
        self.auth = auth
        self.seen: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Pages:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.serve(self)

            do_POST = do_GET  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        self.seen.append(handler.path)
        if self.auth and handler.headers.get("Authorization") != "Basic " + base64.b64encode(
                ":".join(self.auth).encode()).decode():
            return self._send(handler, 401, "<h1>Who are you?</h1>",
                              {"WWW-Authenticate": 'Basic realm="shop"'})
        if path == "/loop":
            return self._send(handler, 302, "", {"Location": "/loop"})
        if path == "/silent":
            self._stop.wait(120)  # took the request; never answers
            return None
        if path == "/favicon.ico":
            return self._send(handler, 404, "")
        body = self.pages.get(path)
        if body is None:
            return self._send(handler, 404, "<h1>Not here</h1>")
        if path.startswith("/slow"):
            time.sleep(0.5)
        return self._send(handler, 200, body)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: str,
              headers: Mapping[str, str] | None = None) -> None:
        data = body.encode("utf-8", "surrogatepass")
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
