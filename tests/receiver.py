"""A real loopback HTTP receiver for webhook, Slack, Teams and ping tests.

It binds 127.0.0.1 on port 0, serves from a thread, records every request (path, headers,
raw body, arrival time) and answers from a script: ``[(500, {}), (429, {"Retry-After": "1"}),
(200, {})]``, then 200 for the rest; an answer may also carry a delay before it is sent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        import json

        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class Receiver:
    def __init__(self, script: list[Answer] | None = None) -> None:
        self.script = list(script or [])
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with owner.lock:
                    owner.requests.append(Received("POST", self.path, dict(self.headers.items()), body,
                                                   time.monotonic()))
                    answer = owner.script.pop(0) if owner.script else Answer()
                if answer.delay_s:
                    owner.stop_event.wait(answer.delay_s)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.05)
        with self.lock:
            return list(self.requests)


@contextmanager
def receiver(script: list[Answer] | None = None) -> Iterator[Receiver]:
    r = Receiver(script)
    r.thread.start()
    try:
        yield r
    finally:
        r.stop_event.set()
        r.server.shutdown()
        r.server.server_close()
