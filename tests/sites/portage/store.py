"""What the Portage Co-op server knows: members, the catalogue, carts and the price of an order.

Amounts are integer cents (CAD). The catalogue feed and the cart price from different places,
as they do in many shops: the list and the product page read the catalogue (refreshed
nightly), the cart and the checkout read live prices. In the clean shop they agree.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MEMBERS = {"alex.tremblay": "Sentier-du-Nord-7"}
TAX_RATE = Decimal("0.13")  # Ontario HST, on items, shipping and fees
SHIPPING = {"standard": 995, "express": 1895, "pickup": 0}
SERVICE_FEE = 350
PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
REQUIRED = ("first_name", "last_name", "email", "address", "city", "province", "postal_code")


@dataclass(frozen=True)
class Product:
    id: str
    name: dict[str, str]
    price: int
    blurb: dict[str, str]
    added: str
    was: int | None = None

    def card(self, lang: str) -> dict[str, Any]:
        return {"id": self.id, "name": self.name[lang], "price": self.price, "was": self.was,
                "blurb": self.blurb[lang], "added": self.added}


CATALOGUE = (
    Product("kestrel-shell", {"en": "Kestrel rain shell", "fr": "Manteau imperméable Kestrel"}, 18900,
            {"en": "Three-layer shell that packs into its own pocket.",
             "fr": "Coquille trois couches qui se range dans sa poche."}, "2024-03-02"),
    Product("altus-30", {"en": "Altus 30 daypack", "fr": "Sac de jour Altus 30"}, 8900,
            {"en": "A 30-litre pack with a ventilated back panel and a hip belt that carries.",
             "fr": "Un sac de 30 litres avec dos ventilé et une ceinture qui porte vraiment."},
            "2024-04-18"),
    Product("lumen-400", {"en": "Lumen 400 headlamp", "fr": "Lampe frontale Lumen 400"}, 4995,
            {"en": "400 lumens, red night mode, charges over USB-C.",
             "fr": "400 lumens, mode nuit rouge, recharge USB-C."}, "2023-11-20", was=6495),
    Product("talus-poles", {"en": "Talus trekking poles (pair)", "fr": "Bâtons de marche Talus (paire)"},
            7450, {"en": "Aluminium, flick-lock, 105–135 cm.",
                   "fr": "Aluminium, blocage rapide, 105–135 cm."},
            "2024-01-09"),
    Product("nimbus-bag", {"en": "Nimbus −7 °C sleeping bag", "fr": "Sac de couchage Nimbus −7 °C"}, 22900,
            {"en": "Recycled synthetic fill, stays warm when damp.",
             "fr": "Isolant synthétique recyclé, reste chaud même humide."}, "2024-02-14"),
    Product("merino-socks", {"en": "Merino crew socks", "fr": "Chaussettes mérinos"}, 2400,
            {"en": "Cushioned merino hiking socks.", "fr": "Chaussettes de randonnée coussinées en mérinos."},
            "2024-05-01"),
)
BY_ID = {p.id: p for p in CATALOGUE}
# Live prices that moved since the catalogue feed was built (only used by the price-change twin).
LIVE_PRICE_CHANGES = {"altus-30": 9400}
SORTS = {
    "featured": lambda items: list(items),
    "price-asc": lambda items: sorted(items, key=lambda p: p.price),
    "price-desc": lambda items: sorted(items, key=lambda p: -p.price),
    "newest": lambda items: sorted(items, key=lambda p: p.added, reverse=True),
}


@dataclass
class Session:
    member: str | None = None
    cart: dict[str, int] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    orders: list[str] = field(default_factory=list)


class Store:
    """Sessions and accounts of one running shop; thread-safe, forgotten when the shop stops."""

    def __init__(self, variants: frozenset[str]) -> None:
        self.variants = variants
        self.members = dict(MEMBERS)
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()
        self._next_order = 104233

    def session(self, sid: str | None) -> tuple[str, Session]:
        with self.lock:
            if sid and sid in self.sessions:
                return sid, self.sessions[sid]
            sid = secrets.token_urlsafe(16)
            self.sessions[sid] = Session()
            return sid, self.sessions[sid]

    def live_price(self, product: Product) -> int:
        if "price-change" in self.variants:
            return LIVE_PRICE_CHANGES.get(product.id, product.price)
        return product.price

    def cart_lines(self, session: Session, lang: str) -> list[dict[str, Any]]:
        lines = []
        for pid, qty in session.cart.items():
            product = BY_ID[pid]
            unit = self.live_price(product)
            lines.append({"id": pid, "name": product.name[lang], "qty": qty, "unit": unit,
                          "line": unit * qty})
        return lines

    def quote(self, session: Session, lang: str) -> dict[str, Any]:
        lines = self.cart_lines(session, lang)
        items = sum(line["line"] for line in lines)
        shipping = SHIPPING.get(session.details.get("delivery", ""), 0)
        fee = SERVICE_FEE if "late-fee" in self.variants else 0
        tax = int((Decimal(items + shipping + fee) * TAX_RATE).quantize(Decimal(1), ROUND_HALF_UP))
        return {"lines": lines, "items": items, "shipping": shipping, "fee": fee, "tax": tax,
                "tax_rate": "13", "total": items + shipping + fee + tax,
                "delivery": session.details.get("delivery", "")}

    def place_order(self, session: Session, lang: str) -> dict[str, Any]:
        quote = self.quote(session, lang)
        with self.lock:
            number = f"PC-{self._next_order}"
            self._next_order += 1
        session.orders.append(number)
        session.cart.clear()
        return {"number": number, "total": quote["total"],
                "first_name": session.details.get("first_name", "")}


def missing_details(details: dict[str, str]) -> list[str]:
    """The server checks again what the browser checked: a request can come from anywhere."""
    missing = [name for name in REQUIRED if not details.get(name, "").strip()]
    if details.get("province") and details["province"] not in PROVINCES:
        missing.append("province")
    if details.get("delivery") not in SHIPPING:
        missing.append("delivery")
    return missing
