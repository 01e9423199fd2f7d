"""The demo shop's pages: catalog, cart, a three-step checkout, and a help centre with chat."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .catalog import BY_SLUG, PRODUCTS, PROMO_CODES, SERVICE_FEE_CENTS, SHIPPING, money
from .images import product_svg
from .server import Request, Response

if TYPE_CHECKING:
    from .server import DemoShop

Handler = Callable[["DemoShop", Request], Response]
_order_numbers = itertools.count(10423)

TOPICS = {
    "orders": ("Orders & delivery", [
        ("Where is my order?", "Every order gets a tracking link by email once it ships."),
        ("Can I change my address?", "Yes, until the order ships. Reply to your confirmation."),
    ]),
    "returns": ("Returns & refunds", [
        ("How do I return an item?", "Start a return within 30 days from your order page."),
        ("When will I get my money back?", "Within 5 working days of the item reaching us."),
    ]),
    "payments": ("Payments", [
        ("Which cards do you take?", "Visa, Mastercard and American Express."),
    ]),
}


# Markup in site text, shown by the shop as text (it escapes it); reports must do the same.
HOSTILE = ' <script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'onerror\'">'


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("uxmon.demo", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    return env


def render(shop: DemoShop, req: Request, template: str, status: int = 200,
           **context: Any) -> Response:
    page = template.removesuffix(".html")
    html = _env().get_template(template).render(
        shop_name=shop.shop_name, basket=req.basket, friction=req.friction,
        flags=" ".join(sorted(req.friction.flags)), page=page, **context,
    )
    return Response(status, html.encode())


def _wait(req: Request, step: str) -> None:
    """The 'slow' switch: hold the answer, but give up at once when the shop stops."""
    delay = req.friction.delay_ms(step)
    if delay:
        req.stop.wait(delay / 1000)


def home(shop: DemoShop, req: Request) -> Response:
    _wait(req, "home")
    return render(shop, req, "home.html", products=PRODUCTS)


def product(shop: DemoShop, req: Request) -> Response:
    item = BY_SLUG.get(req.path.rsplit("/", 1)[-1])
    if item is None:
        return render(shop, req, "error.html", 404, message="We could not find that product.")
    return render(shop, req, "product.html", product=item)


def image(shop: DemoShop, req: Request) -> Response:
    slug = req.path.rsplit("/", 1)[-1].removesuffix(".svg")
    item = BY_SLUG.get(slug)
    if item is None or not req.path.endswith(".svg"):
        return Response(404, b"not found", "text/plain")
    return Response(200, product_svg(item).encode(), "image/svg+xml")


def cart_add(shop: DemoShop, req: Request) -> Response:
    slug = req.form.get("slug", "")
    _wait(req, "product")
    if slug in BY_SLUG:
        qty = max(1, min(9, int(req.form.get("qty", "1") or 1)))
        with shop.lock:
            req.basket.items[slug] = req.basket.items.get(slug, 0) + qty
    return Response.redirect("/cart")


def cart_remove(shop: DemoShop, req: Request) -> Response:
    with shop.lock:
        req.basket.items.pop(req.form.get("slug", ""), None)
    return Response.redirect("/cart")


def cart(shop: DemoShop, req: Request) -> Response:
    return render(shop, req, "cart.html")


def promo(shop: DemoShop, req: Request) -> Response:
    code = str((req.body or {}).get("code", "")).strip().upper()
    if code not in PROMO_CODES:
        return Response.json({"ok": False, "message": f"Sorry, the code '{code}' is not valid."})
    req.basket.promo = code
    return Response.json({
        "ok": True,
        "message": f"Code {code} applied: {PROMO_CODES[code]}% off.",
        "discount": money(req.basket.discount),
        "total": money(req.basket.total(with_shipping=False)),
    })


def checkout(shop: DemoShop, req: Request) -> Response:
    _wait(req, "cart")
    return Response.redirect("/checkout/address" if req.basket.count else "/cart")


ADDRESS_FIELDS = ("name", "email", "street", "city", "postcode", "country")


def address(shop: DemoShop, req: Request) -> Response:
    if not req.basket.count:
        return Response.redirect("/cart")
    if req.method == "POST":
        _wait(req, "address")
        missing = [f for f in ADDRESS_FIELDS if not req.form.get(f, "").strip()]
        if not missing:
            req.basket.address = {f: req.form[f].strip() for f in ADDRESS_FIELDS}
            return Response.redirect("/checkout/shipping")
        return render(shop, req, "address.html", 422, missing=missing, values=req.form)
    return render(shop, req, "address.html", missing=[], values=req.basket.address)


def shipping(shop: DemoShop, req: Request) -> Response:
    if not req.basket.address:
        return Response.redirect("/checkout/address")
    if req.method == "POST" and req.form.get("method") in SHIPPING:
        _wait(req, "delivery")
        req.basket.shipping = req.form["method"]
        return Response.redirect("/checkout/payment")
    return render(shop, req, "shipping.html", methods=SHIPPING)


def payment(shop: DemoShop, req: Request) -> Response:
    basket = req.basket
    if not basket.shipping:
        return Response.redirect("/checkout/shipping")
    fee = SERVICE_FEE_CENTS if req.friction.on("late-fee") else 0
    if req.method == "POST":
        _wait(req, "payment")
        if req.friction.on("late-stock"):
            first = basket.lines()[0][0].name
            problem = f"Sorry, {first} is out of stock. We could not take your payment."
            if req.friction.on("hostile"):
                problem += HOSTILE
            return render(shop, req, "payment.html", 409, fee=fee, problem=problem)
        basket.order_id = f"DH-{next(_order_numbers)}"
        return Response.redirect("/checkout/confirmation")
    return render(shop, req, "payment.html", fee=fee, problem="")


def confirmation(shop: DemoShop, req: Request) -> Response:
    basket = req.basket
    if not basket.order_id:
        return Response.redirect("/cart")
    fee = SERVICE_FEE_CENTS if req.friction.on("late-fee") else 0
    response = render(shop, req, "confirmation.html", order_id=basket.order_id,
                      paid=basket.total(fee=bool(fee)))
    basket.items.clear()
    basket.promo = basket.shipping = basket.order_id = ""
    return response


def help_home(shop: DemoShop, req: Request) -> Response:
    _wait(req, "help")
    return render(shop, req, "help.html", topics=TOPICS)


def help_topic(shop: DemoShop, req: Request) -> Response:
    key = req.path.rsplit("/", 1)[-1]
    if key not in TOPICS:
        return render(shop, req, "error.html", 404, message="That help topic does not exist.")
    title, faqs = TOPICS[key]
    return render(shop, req, "topic.html", title=title, faqs=faqs)


def help_more(shop: DemoShop, req: Request) -> Response:
    deeper = req.path.endswith("/options")
    return render(shop, req, "more.html", deeper=deeper)


def contact(shop: DemoShop, req: Request) -> Response:
    sent = req.method == "POST" and bool(req.form.get("message", "").strip())
    if req.method == "GET":
        _wait(req, "contact")
    return render(shop, req, "contact.html", sent=sent)


def chat(shop: DemoShop, req: Request) -> Response:
    question = req.query.get("q", "").strip()
    req.stop.wait(req.friction.chat_ms / 1000)
    answer = "Hi, I'm Ada. " + (
        "Your order is on its way: you will get a tracking link by email."
        if "order" in question.lower() else "A colleague will pick this up in a moment."
    )
    return Response.json({"answer": answer, "agent": "Ada"})


ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/"): home,
    ("GET", "/cart"): cart,
    ("POST", "/cart/add"): cart_add,
    ("POST", "/cart/remove"): cart_remove,
    ("POST", "/api/promo"): promo,
    ("GET", "/checkout"): checkout,
    ("GET", "/checkout/address"): address,
    ("POST", "/checkout/address"): address,
    ("GET", "/checkout/shipping"): shipping,
    ("POST", "/checkout/shipping"): shipping,
    ("GET", "/checkout/payment"): payment,
    ("POST", "/checkout/payment"): payment,
    ("GET", "/checkout/confirmation"): confirmation,
    ("GET", "/help"): help_home,
    ("GET", "/help/more"): help_more,
    ("GET", "/help/more/options"): help_more,
    ("GET", "/contact"): contact,
    ("POST", "/contact"): contact,
    ("GET", "/api/chat"): chat,
}
PREFIXES: tuple[tuple[str, Handler], ...] = (
    ("/product/", product), ("/img/", image), ("/help/", help_topic),
)


def route(shop: DemoShop, req: Request) -> Response:
    handler = ROUTES.get((req.method, req.path))
    if handler is None and req.method == "GET":
        handler = next((h for prefix, h in PREFIXES if req.path.startswith(prefix)), None)
    if handler is None:
        return render(shop, req, "error.html", 404, message="This page does not exist.")
    return handler(shop, req)
