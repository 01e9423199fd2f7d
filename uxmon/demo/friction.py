"""The demo shop's friction switches: names, what each does, and parsing ``late-stock,slow:shipping:1500``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

SWITCHES: dict[str, str] = {
    "late-stock": "the product page says 'In stock' but payment fails: out of stock",
    "late-fee": "a service fee appears only on the last (payment) step",
    "dead-button": "the cart's 'Apply' promo code button does nothing",
    "slow:<step>:<ms>": "the server takes <ms> longer over the request that finishes <step>",
    "slow-chat:<ms>": "the support chat bot answers after <ms> (default 1200)",
    "layout-shift": "a banner pushes 'Continue to payment' down just as it is clicked",
    "mobile-overflow": "a wide promo strip makes product and cart pages scroll sideways on phones",
    "popup": "a newsletter popup covers the cart when the promo field is used",
    "js-error": "the reviews widget on the product page throws a TypeError",
    "broken-image": "the product photo is missing (404)",
    "buried-contact": "the help centre hides 'Contact us' four pages deep",
    "hostile": "the out-of-stock message carries <script> and onerror= markup (as text)",
}

# The steps of the bundled journeys, and the request that finishes each (which 'slow' delays):
# home: GET /, product: Add to cart, cart: Checkout, address/delivery/payment: the form's
# Continue or Pay, help: GET /help, contact: GET /contact.
STEPS = ("home", "product", "cart", "address", "delivery", "payment", "help", "contact")

DEFAULT_CHAT_MS = 1200


class FrictionError(ValueError):
    """A friction switch that does not exist or has a bad value."""


@dataclass(frozen=True)
class Friction:
    """Which switches are on for a request. All off by default."""

    flags: frozenset[str] = frozenset()
    slow: tuple[tuple[str, int], ...] = ()
    chat_ms: int = DEFAULT_CHAT_MS
    spec: tuple[str, ...] = field(default=(), compare=False)

    def on(self, name: str) -> bool:
        return name in self.flags

    def delay_ms(self, step: str) -> int:
        return sum(ms for p, ms in self.slow if p == step)

    def merged(self, other: Friction) -> Friction:
        chat = other.chat_ms if other.chat_ms != DEFAULT_CHAT_MS else self.chat_ms
        return Friction(
            self.flags | other.flags,
            tuple(dict(self.slow + other.slow).items()),
            chat,
            self.spec + other.spec,
        )

    def __str__(self) -> str:
        return ",".join(self.spec) or "none"


def parse(spec: str | Iterable[str] | None) -> Friction:
    """Parse switches from a comma-separated string or a list; raise FrictionError on a typo."""
    if spec is None:
        return Friction()
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    flags: set[str] = set()
    slow: dict[str, int] = {}
    chat = DEFAULT_CHAT_MS
    kept: list[str] = []
    for raw in parts:
        item = raw.strip().lower()
        if not item or item == "none":
            continue
        kept.append(item)
        if item.startswith("slow-chat"):
            chat = _ms(item, item.partition(":")[2], "slow-chat:<ms>")
        elif item.startswith("slow"):
            _, step, ms = (item.split(":") + ["", ""])[:3]
            if step not in STEPS:
                raise FrictionError(
                    f"friction '{item}': step must be one of {', '.join(STEPS)}"
                )
            slow[step] = _ms(item, ms, "slow:<step>:<ms>")
        elif item in SWITCHES:
            flags.add(item)
        else:
            raise FrictionError(
                f"unknown friction switch '{item}'; known: {', '.join(SWITCHES)}"
            )
    return Friction(frozenset(flags), tuple(slow.items()), chat, tuple(kept))


def _ms(item: str, value: str, form: str) -> int:
    if not value.isdigit():
        raise FrictionError(f"friction '{item}': expected {form} with a whole number of ms")
    return int(value)
