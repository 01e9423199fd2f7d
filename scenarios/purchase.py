"""Buy a mug in the demo shop: catalog, product, cart with a promo code, a three-step checkout.

Copy this file to start a purchase journey for your own site. The code inside each step is
plain Playwright (what `playwright codegen --target python` writes); uxmon counts the clicks
and keystrokes from the page itself, so there is nothing special to call.
"""

from playwright.sync_api import expect

import uxmon


@uxmon.scenario("Buy a mug", tags=["purchase", "checkout"])
def buy_a_mug(journey: uxmon.Journey) -> None:
    page = journey.page
    # Sites show popups (newsletters, surveys) at unpredictable moments. Close them the way a
    # customer would, whenever they cover the page; uxmon records the interruption.
    page.add_locator_handler(
        page.get_by_role("dialog", name="Newsletter"),
        lambda: page.get_by_role("button", name="No thanks").click(),
    )

    with journey.step("Home"):
        page.goto("/")
        expect(page.get_by_role("heading", name="Homeware for every day")).to_be_visible()

    with journey.step("Product"):
        page.get_by_role("link", name="Blue Mug").click()
        expect(page.get_by_role("heading", name="Blue Mug")).to_be_visible()
        journey.price("Product price", page.get_by_test_id("price"))
        expect(page.get_by_text("In stock")).to_be_visible()
        page.get_by_role("button", name="Add to cart").click()

    with journey.step("Cart"):
        expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
        page.get_by_label("Promo code").fill("WELCOME10")
        page.get_by_role("button", name="Apply").click()
        expect(page.get_by_role("status")).to_contain_text("applied")
        journey.price("Cart total", page.get_by_test_id("total"))
        page.get_by_role("link", name="Checkout").click()

    with journey.step("Address"):
        expect(page.get_by_role("heading", name="Delivery address")).to_be_visible()
        page.get_by_label("Full name").fill("Alex Customer")
        page.get_by_label("Email").fill("alex@example.com")
        page.get_by_label("Street address").fill("1 High Street")
        page.get_by_label("City").fill("Bristol")
        page.get_by_label("Postcode").fill("BS1 4DJ")
        page.get_by_label("Country").select_option("United Kingdom")
        page.get_by_role("button", name="Continue to delivery").click()

    with journey.step("Delivery"):
        expect(page.get_by_role("heading", name="Delivery")).to_be_visible()
        page.get_by_label("Express delivery").check()
        journey.price("Total before payment", page.get_by_test_id("total"))
        page.get_by_role("button", name="Continue to payment").click()

    with journey.step("Payment"):
        expect(page.get_by_role("heading", name="Payment")).to_be_visible()
        journey.price("Total to pay", page.get_by_test_id("total"))
        page.get_by_label("Name on card").fill("Alex Customer")
        page.get_by_label("Card number").fill("4242 4242 4242 4242")
        page.get_by_label("Expiry (MM/YY)").fill("12/30")
        page.get_by_label("Security code").fill("123")
        page.get_by_role("button", name="Pay").click()

    with journey.step("Confirmation"):
        expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
        journey.price("Amount charged", page.get_by_test_id("paid"))
        journey.goal("Order placed")
