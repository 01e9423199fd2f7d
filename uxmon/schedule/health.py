"""The service's health and metrics over HTTP: ``/livez``, ``/readyz``, ``/metrics``, ``/status``.

Liveness looks only at the service itself (the scheduler thread is alive and ticked within
60 s), so a database blip never restarts it; readiness also asks the history store, the
browser and the job list, and answers 503 naming what failed. Loopback by default.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Probes:
    """What the endpoints ask; each check answers '' when fine, else the problem."""

    live: Callable[[], str]
    ready: Callable[[], dict[str, str]]
    metrics: Callable[[], str]
    status: Callable[[], dict[str, Any]]


def parse_addr(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{value!r} is not host:port (e.g. 127.0.0.1:9464)")
    return host.strip("[]") or "127.0.0.1", int(port)


class HealthServer:
    def __init__(self, addr: str, probes: Probes) -> None:
        host, port = parse_addr(addr)
        handler = type("Handler", (_Handler,), {"probes": probes})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="uxmon-health", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> HealthServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    probes: Probes

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        verbose = "verbose" in parts.query
        if parts.path == "/livez":
            problem = self.probes.live()
            self._text(503 if problem else 200, (problem or "ok") + "\n")
        elif parts.path == "/readyz":
            checks = self.probes.ready()
            failing = {k: v for k, v in checks.items() if v}
            lines = [f"[{'-' if v else '+'}]{k} {v or 'ok'}" for k, v in checks.items()]
            lines = lines if verbose or failing else []
            self._text(503 if failing else 200, "\n".join(lines + ["not ready" if failing else "ok"]) + "\n")
        elif parts.path == "/metrics":
            self._send(200, self.probes.metrics().encode(), "text/plain; version=0.0.4; charset=utf-8")
        elif parts.path == "/status":
            self._send(200, json.dumps(self.probes.status(), indent=1).encode(), "application/json")
        else:
            self._text(404, "not found: try /livez, /readyz, /metrics or /status\n")

    def _text(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Probes every few seconds are not worth a log line."""
