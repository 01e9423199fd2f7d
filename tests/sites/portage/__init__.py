"""A third test site, built unlike the demo shop and the lamp shop: Portage Co-op, an outdoor gear
co-op whose members sign in to shop, in English or French (Canadian dollars).

The front end is a hash-routed app (``#/shop``, ``#/cart``...) made of custom elements, each
drawing into its own shadow root; the server answers JSON and keeps the session in a cookie.
The variants (see README.md) are switched on by name, in any combination; the client-side
ones arrive as ordinary feature flags in the page's boot data, named as a shop would name them.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .store import BY_ID, CATALOGUE, SORTS, Session, Store, missing_details

HERE = Path(__file__).parent
STATIC = HERE / "static"
VARIANTS = ("frozen", "dropped-typing", "validation-loop", "price-change", "early-popup",
            "shifted-button", "late-fee", "signup")
LANGS = {"en": "en-CA", "fr": "fr-CA"}
COOKIE = "portage_sid"
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
ESTIMATE_DELAY = 0.8  # seconds the delivery-estimate service takes to answer

# The flags the front end reads; the clean shop's values first, then what each variant changes.
CLEAN_FLAGS: dict[str, Any] = {"recs": "server", "name_tidy": "per-field", "phone_mask": "lenient",
                               "checkout_schema": "2024-01", "newsletter_prompt": "off",
                               "eta_placeholder": True, "auth": "sign-in"}
VARIANT_FLAGS: dict[str, dict[str, Any]] = {
    "frozen": {"recs": "in-page"},
    "dropped-typing": {"name_tidy": "delegated", "phone_mask": "strict"},
    "validation-loop": {"checkout_schema": "2024-05"},
    "early-popup": {"newsletter_prompt": "on-load"},
    "shifted-button": {"eta_placeholder": False},
    "signup": {"auth": "register"},
}


class PortageShop:
    """Serve the shop on 127.0.0.1 on a free port, in a daemon thread, until the ``with`` ends."""

    def __init__(self, lang: str = "en", variants: Iterable[str] = ()) -> None:
        chosen = frozenset(variants)
        unknown = chosen - set(VARIANTS)
        if unknown:
            raise ValueError(f"unknown variant(s) {sorted(unknown)}; known: {', '.join(VARIANTS)}")
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGS)}")
        self.lang = lang
        self.variants = chosen
        self.flags = dict(CLEAN_FLAGS)
        for name in sorted(chosen):
            self.flags.update(VARIANT_FLAGS.get(name, {}))
        self.store = Store(chosen)
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the shop first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def boot(self) -> dict[str, Any]:
        return {"lang": self.lang, "locale": LANGS[self.lang], "currency": "CAD", "flags": self.flags}

    def __enter__(self) -> PortageShop:
        shop = self

        class Handler(_Handler):
            owner = shop

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


Reply = tuple[int, Any]


class _QuietServer(ThreadingHTTPServer):
    """A browser that leaves (or a test that ends) before the slow estimate is answered is normal."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    owner: PortageShop

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            return self._send(200, self._shell(), "text/html; charset=utf-8")
        if path.startswith("/assets/"):
            return self._static(path.removeprefix("/assets/"))
        if path == "/favicon.ico":
            return self._send(204, b"", "image/x-icon")
        self._api("GET", path)

    def do_POST(self) -> None:  # noqa: N802
        self._api("POST", urlsplit(self.path).path)

    def _shell(self) -> bytes:
        boot = json.dumps(self.owner.boot()).replace("<", "\\u003c")
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        return page.replace("{{lang}}", self.owner.lang).replace("{{boot}}", boot).encode()

    def _static(self, name: str) -> None:
        target = (STATIC / name).resolve()
        if STATIC.resolve() not in target.parents or not target.is_file():
            return self._send(404, b"not found", "text/plain")
        self._send(200, target.read_bytes(), TYPES.get(target.suffix, "application/octet-stream"))

    def _api(self, method: str, path: str) -> None:
        cookies = SimpleCookie(self.headers.get("Cookie", ""))
        sid, session = self.owner.store.session(cookies[COOKIE].value if COOKIE in cookies else None)
        try:
            body = self._body() if method == "POST" else {}
        except ValueError:
            return self._json(sid, 400, {"error": "BAD_REQUEST"})
        for (verb, pattern), handler in ROUTES.items():
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                if handler not in PUBLIC and session.member is None:
                    return self._json(sid, 401, {"error": "SIGN_IN_REQUIRED"})
                status, reply = handler(self.owner, session, body, self._query(), *match.groups())
                return self._json(sid, status, reply)
        self._json(sid, 404, {"error": "NOT_FOUND"})

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        data = json.loads(self.rfile.read(length) or b"{}")
        if not isinstance(data, dict):
            raise ValueError("a JSON object was expected")
        return data

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def _json(self, sid: str, status: int, reply: Any) -> None:
        extra = [("Set-Cookie", f"{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax")]
        self._send(status, json.dumps(reply).encode(), "application/json", extra)

    def _send(self, status: int, body: bytes, kind: str, extra: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


Body = dict[str, Any]
Query = dict[str, str]


def me(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    return 200, {"member": s.member, "cart_count": sum(s.cart.values())}


def sign_in(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    if shop.flags["auth"] != "sign-in":
        return 404, {"error": "NOT_FOUND"}
    name = str(body.get("username", "")).strip().lower()
    if shop.store.members.get(name) != body.get("password"):
        return 401, {"error": "BAD_CREDENTIALS"}
    s.member = name
    return 200, {"member": name}


def register(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    if shop.flags["auth"] != "register":
        return 404, {"error": "NOT_FOUND"}
    email = str(body.get("email", "")).strip().lower()
    password = str(body.get("password", ""))
    if "@" not in email or len(password) < 8:
        return 422, {"error": "INVALID_ACCOUNT"}
    shop.store.members[email] = password
    s.member = email
    return 201, {"member": email}


def products(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    sort = SORTS.get(q.get("sort", "featured"), SORTS["featured"])
    return 200, {"products": [p.card(shop.lang) for p in sort(CATALOGUE)]}


def product(shop: PortageShop, s: Session, body: Body, q: Query, pid: str) -> Reply:
    if pid not in BY_ID:
        return 404, {"error": "NOT_FOUND"}
    return 200, BY_ID[pid].card(shop.lang)


def recommendations(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    picks = ("lumen-400", "merino-socks", "talus-poles")
    return 200, {"products": [BY_ID[p].card(shop.lang) for p in picks]}


def estimate(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    time.sleep(ESTIMATE_DELAY)  # the carrier's API is slow; the page must not wait for it
    return 200, {"days_min": 2, "days_max": 4, "cutoff": "15:00"}


def cart(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    lines = shop.store.cart_lines(s, shop.lang)
    return 200, {"lines": lines, "subtotal": sum(line["line"] for line in lines)}


def add_to_cart(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    pid, qty = body.get("id"), body.get("qty", 1)
    if pid not in BY_ID or not isinstance(qty, int) or not 0 <= qty <= 9:
        return 422, {"error": "INVALID_ITEM"}
    if body.get("set"):
        s.cart[pid] = qty
    else:
        s.cart[pid] = min(9, s.cart.get(pid, 0) + qty)
    if not s.cart[pid]:
        del s.cart[pid]
    return cart(shop, s, body, q)


def promo(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    # No codes are running this season: every code is unknown, and the answer says so.
    return 422, {"error": "PROMO_UNKNOWN", "code": str(body.get("code", ""))[:40]}


def save_details(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    details = {k: str(v)[:200] for k, v in body.items() if isinstance(v, str)}
    missing = missing_details(details)
    if missing:
        return 422, {"error": "MISSING_DETAILS", "fields": missing}
    s.details = details
    return 200, shop.store.quote(s, shop.lang)


def checkout(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    if not s.cart:
        return 409, {"error": "CART_EMPTY"}
    return 200, {"details": s.details, "quote": shop.store.quote(s, shop.lang)}


def place_order(shop: PortageShop, s: Session, body: Body, q: Query) -> Reply:
    if not s.cart or missing_details(s.details):
        return 409, {"error": "NOT_READY"}
    return 201, shop.store.place_order(s, shop.lang)


Handler = Callable[..., Reply]
ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/api/me"): me,
    ("POST", "/api/session"): sign_in,
    ("POST", "/api/accounts"): register,
    ("GET", "/api/products"): products,
    ("GET", r"/api/products/([\w-]+)"): product,
    ("GET", "/api/recommendations"): recommendations,
    ("GET", "/api/delivery-estimate"): estimate,
    ("GET", "/api/cart"): cart,
    ("POST", "/api/cart/items"): add_to_cart,
    ("POST", "/api/cart/promo"): promo,
    ("POST", "/api/checkout"): save_details,
    ("GET", "/api/checkout"): checkout,
    ("POST", "/api/orders"): place_order,
}
PUBLIC = {me, sign_in, register}
