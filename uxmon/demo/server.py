"""The demo shop's HTTP plumbing: a threaded server on 127.0.0.1, sessions, cookies and static files."""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .catalog import Basket
from .friction import Friction, FrictionError, parse

FRICTION_COOKIE = "uxmon_friction"
SESSION_COOKIE = "demo_sid"
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    body: Any
    cookies: dict[str, str]
    friction: Friction
    basket: Basket
    stop: threading.Event


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def redirect(cls, location: str) -> Response:
        return cls(HTTPStatus.SEE_OTHER, b"", headers=[("Location", location)])

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(data).encode(), "application/json")


class DemoShop:
    """A small, believable shop for uxmon's demo and tests, with friction switches.

    Use as a context manager: ``with DemoShop(friction="late-fee") as shop: shop.url``.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        friction: Friction | str | list[str] | None = None,
        shop_name: str = "Demo Homeware",
    ) -> None:
        self.friction = friction if isinstance(friction, Friction) else parse(friction)
        self.shop_name = shop_name
        self.sessions: dict[str, Basket] = {}
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.requests_served = 0
        self._server = _QuietServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}"

    def start(self) -> DemoShop:
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-shop",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted (``uxmon demo --serve``)."""
        try:
            self._server.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        self.stop_event.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> DemoShop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def basket(self, sid: str) -> Basket:
        with self.lock:
            return self.sessions.setdefault(sid, Basket())

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        shop = self

        class Handler(_Handler):
            owner = shop

        return Handler


class _QuietServer(ThreadingHTTPServer):
    """Browsers drop keep-alive connections at will; that is not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    owner: DemoShop
    protocol_version = "HTTP/1.1"
    server_version = "DemoShop/1.0"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: the demo runs inside test suites and the CLI."""

    def _serve(self, method: str) -> None:
        from .shop import route

        self.owner.requests_served += 1
        parts = urlsplit(self.path)
        if parts.path.startswith("/static/") or parts.path == "/favicon.ico":
            name = "favicon.svg" if parts.path == "/favicon.ico" else parts.path[len("/static/"):]
            self._send(_static(name))
            return
        cookies = {k: m.value for k, m in SimpleCookie(self.headers.get("Cookie", "")).items()}
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        form, body = self._read_body()
        set_cookies: list[tuple[str, str]] = []
        try:
            friction = self._friction(query, cookies, set_cookies)
        except FrictionError as exc:
            self._send(Response(400, str(exc).encode(), "text/plain; charset=utf-8"))
            return
        sid = cookies.get(SESSION_COOKIE) or secrets.token_hex(8)
        if SESSION_COOKIE not in cookies:
            set_cookies.append((SESSION_COOKIE, sid))
        request = Request(method, parts.path, query, form, body, cookies, friction,
                          self.owner.basket(sid), self.owner.stop_event)
        response = route(self.owner, request)
        response.headers += [("Set-Cookie", f"{k}={v}; Path=/; SameSite=Lax") for k, v in set_cookies]
        self._send(response)

    def _friction(self, query: dict[str, str], cookies: dict[str, str],
                  set_cookies: list[tuple[str, str]]) -> Friction:
        chosen = self.owner.friction
        if "friction" in query:
            set_cookies.append((FRICTION_COOKIE, query["friction"].replace(",", "|") or "none"))
            return chosen.merged(parse(query["friction"]))
        if FRICTION_COOKIE in cookies:
            return chosen.merged(parse(cookies[FRICTION_COOKIE].replace("|", ",")))
        return chosen

    def _read_body(self) -> tuple[dict[str, str], Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        if "application/json" in kind and raw:
            try:
                return {}, json.loads(raw)
            except json.JSONDecodeError:
                return {}, None
        form = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        return form, None

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _static(name: str) -> Response:
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if "/" in name or suffix not in STATIC_TYPES:
        return Response(404, b"not found", "text/plain")
    try:
        body = resources.files("uxmon.demo").joinpath("static", name).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return Response(404, b"not found", "text/plain")
    return Response(200, body, STATIC_TYPES[suffix])
