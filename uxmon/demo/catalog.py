"""The demo shop's products, shipping methods and the money arithmetic of a basket."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    price_cents: int
    colour: str
    blurb: str
    shape: str = "mug"


PRODUCTS: tuple[Product, ...] = (
    Product("blue-mug", "Blue Mug", 1200, "#2f6fdf",
            "A sturdy 350 ml stoneware mug in a deep glaze. Dishwasher safe."),
    Product("green-teapot", "Green Teapot", 3450, "#2f9d62",
            "A one-litre teapot with a stainless steel infuser.", "pot"),
    Product("red-kettle", "Red Kettle", 5900, "#d9443b",
            "A 1.7 l stovetop kettle that whistles when it boils.", "pot"),
    Product("oat-tea-towel", "Oat Tea Towel", 850, "#c8b48a",
            "Linen and cotton, woven in Portugal.", "towel"),
    Product("yellow-bowl", "Yellow Bowl", 1600, "#e8b931",
            "A wide breakfast bowl, 18 cm across.", "bowl"),
    Product("grey-jug", "Grey Jug", 2200, "#7d8794",
            "A 900 ml pouring jug with a clean-cut spout.", "pot"),
)

BY_SLUG = {p.slug: p for p in PRODUCTS}

SHIPPING = {
    "standard": ("Standard delivery (3–5 days)", 495),
    "express": ("Express delivery (next day)", 1250),
}
FREE_SHIPPING_CENTS = 5000
SERVICE_FEE_CENTS = 395
PROMO_CODES = {"WELCOME10": 10}


def money(cents: int) -> str:
    """Cents as the shop shows them: $1,299.00."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


@dataclass
class Basket:
    """One visitor's session: cart, checkout answers and the order once placed."""

    items: dict[str, int] = field(default_factory=dict)
    promo: str = ""
    address: dict[str, str] = field(default_factory=dict)
    shipping: str = ""
    order_id: str = ""

    def lines(self) -> list[tuple[Product, int]]:
        return [(BY_SLUG[s], q) for s, q in self.items.items() if s in BY_SLUG and q > 0]

    @property
    def count(self) -> int:
        return sum(q for _, q in self.lines())

    @property
    def subtotal(self) -> int:
        return sum(p.price_cents * q for p, q in self.lines())

    @property
    def discount(self) -> int:
        percent = PROMO_CODES.get(self.promo, 0)
        return -(self.subtotal * percent // 100)

    def shipping_cost(self, method: str | None = None) -> int:
        method = method or self.shipping or "standard"
        if method == "standard" and self.subtotal >= FREE_SHIPPING_CENTS:
            return 0
        return SHIPPING[method][1]

    def total(self, *, fee: bool = False, with_shipping: bool = True) -> int:
        cost = self.subtotal + self.discount
        if with_shipping and self.shipping:
            cost += self.shipping_cost()
        return cost + (SERVICE_FEE_CENTS if fee else 0)
